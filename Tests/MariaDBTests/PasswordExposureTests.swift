import DBIAMTestSupport
import Foundation
import Testing
@testable import MariaDB

/// A server that pretends to be MySQL and asks for the password in cleartext never
/// receives it: not without TLS, not over TLS it cannot prove (unknown CA, another host
/// name), and over verified TLS only when the login is an IAM token, whose plugin is
/// the cleartext one.
@Suite(.serialized)
struct PasswordExposureTests {
    static let password = "admin-password-the-fake-server-wants"
    static let certificates = Result { try TestCertificates() }

    func options(port: Int, tls: ConnectionOptions.TLS, cleartext: Bool = false) -> ConnectionOptions {
        ConnectionOptions(
            host: "127.0.0.1", port: port, user: "dbiam_admin", password: Secret(Self.password), cleartextPassword: cleartext,
            tls: tls, connectTimeout: 5, readTimeout: 5, writeTimeout: 5)
    }

    /// Logs in to `server`, which must refuse or be refused, and returns the error.
    func refusedLogin(_ server: FakeMySQLServer, tls: ConnectionOptions.TLS, cleartext: Bool = false) -> MariaDBError? {
        do {
            _ = try Connection(options(port: server.port, tls: tls, cleartext: cleartext))
            Issue.record("logged in to the fake server")
            return nil
        } catch {
            return error
        }
    }

    /// Refused before the client answers the greeting: for want of TLS, or (when the
    /// greeting asks for it) for the cleartext plugin, which comes first.
    @Test(arguments: [("mysql_native_password", "SSL"), ("mysql_clear_password", "restricted_auth")])
    func serverWithoutTLSGetsNothingWhenTLSIsVerified(greetingPlugin: String, reason: String) throws {
        let certificates = try Self.certificates.get()
        let server = try FakeMySQLServer(greetingPlugin: greetingPlugin)
        let error = refusedLogin(server, tls: .verified(caFile: certificates.caFile))
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
        #expect(!server.received.contains("handshake response"), "\(server.received)")
        #expect(!server.received.contains(Self.password))
    }

    @Test(arguments: ["untrusted", "otherHost"])
    func serverTLSThatDoesNotVerifyGetsNothing(certificate: String) throws {
        let certificates = try Self.certificates.get()
        let server = try FakeMySQLServer(certificate: certificate == "untrusted" ? certificates.untrusted : certificates.otherHost)
        let error = refusedLogin(server, tls: .verified(caFile: certificates.caFile))
        #expect(error?.code == 2026, "\(String(describing: error))")
        #expect(!server.received.contains("handshake response"), "\(server.received)")
        #expect(!server.received.contains(Self.password))
        // The token of an IAM login does not go either.
        #expect(refusedLogin(server, tls: .verified(caFile: certificates.caFile), cleartext: true)?.code == 2026)
        #expect(!server.received.contains(Self.password))
    }

    @Test func aTokenIsNeverSentWithoutTLS() throws {
        let server = try FakeMySQLServer(greetingPlugin: "mysql_clear_password")
        let error = refusedLogin(server, tls: .disabled, cleartext: true)
        #expect(error?.message.contains("only ever sent over TLS verified") == true, "\(String(describing: error))")
        #expect(server.received.isEmpty, "it connected: \(server.received)")
    }

    /// `tls: disabled` (a local server): the password login is answered with a scramble,
    /// and the switch to cleartext, asked for at once or after the handshake, is refused.
    @Test(arguments: ["mysql_native_password", "mysql_clear_password"])
    func withoutTLSTheCleartextPluginIsRefused(greetingPlugin: String) throws {
        let server = try FakeMySQLServer(greetingPlugin: greetingPlugin)
        let error = refusedLogin(server, tls: .disabled)
        #expect(error?.message.contains("restricted_auth") == true, "\(String(describing: error))")
        #expect(!server.received.contains(Self.password), "\(server.received)")
        #expect(!server.received.contains("after switch"), "\(server.received)")
    }

    @Test func overVerifiedTLSAPasswordLoginStillRefusesCleartext() throws {
        let certificates = try Self.certificates.get()
        let server = try FakeMySQLServer(certificate: certificates.trusted)
        let error = refusedLogin(server, tls: .verified(caFile: certificates.caFile))
        #expect(error?.message.contains("restricted_auth") == true, "\(String(describing: error))")
        // The TLS session was set up and the client said who it is, but no password.
        #expect(server.received.contains("handshake response: ") && server.received.contains("dbiam_admin"), "\(server.received)")
        #expect(!server.received.contains(Self.password), "\(server.received)")
    }

    /// The control: over TLS the client verified, an IAM login sends its token, which
    /// the fake server sees. So the tests above would see a password that arrived.
    @Test func overVerifiedTLSATokenReachesTheServer() throws {
        let certificates = try Self.certificates.get()
        let server = try FakeMySQLServer(certificate: certificates.trusted)
        _ = refusedLogin(server, tls: .verified(caFile: certificates.caFile), cleartext: true)
        #expect(server.received.contains(Self.password), "\(server.received)")
    }

    @Test func messagesThatQuoteThePasswordAreWithheld() {
        let token = "127.0.0.1:33306/?Action=connect&DBUser=x&X-Amz-Signature=8cc6640e257a40572edab695031ff248"
        let quoting = MariaDBError(code: 5010, sqlState: "HY000", message: "Authentication plugin 't&DBUser=x&X-Amz-Signature=8cc6640e' couldn't be found in restricted_auth plugin list.")
        let withheld = quoting.withholding(Secret(token))
        #expect(withheld.code == 5010 && !withheld.message.contains("Signature") && withheld.message.contains("withheld"))
        let plain = MariaDBError(code: 1045, sqlState: "28000", message: "Access denied for user 'x'@'127.0.0.1'")
        #expect(plain.withholding(Secret(token)) == plain)
        #expect(plain.withholding(Secret("")) == plain)
    }
}

import AWSAuth
import DBIAMTestSupport
import Foundation
import MariaDB
import Testing
@testable import DBIAMCore

/// Tokens dbiam signs, checked by the stand-in's plugin the way Aurora checks them.
@Suite(.serialized)
struct TokenLoginTests {
    static let credentials = AWSCredentials(accessKeyID: LocalServer.testKey.id, secretAccessKey: LocalServer.testKey.secret, source: "test")

    func login(_ user: String, token: String) -> Result<String, MariaDBError> {
        let options = ConnectionOptions(
            host: LocalServer.host, port: LocalServer.port, user: user, password: Secret(token), cleartextPassword: true,
            tls: .verified(caFile: LocalServer.caFile))
        do {
            let connection = try Connection(options)
            return .success(try connection.rows("SELECT CURRENT_USER()").rows.first?.first.flatMap { $0 } ?? "")
        } catch {
            return .failure(error)
        }
    }

    func token(for user: String, at time: Date = Date(), credentials: AWSCredentials = Self.credentials, port: Int = LocalServer.port) -> String {
        RDSAuthToken.make(
            RDSAuthTokenRequest(hostname: LocalServer.host, port: port, region: LocalServer.region, username: user),
            credentials: credentials, at: time)
    }

    /// User names that need SigV4 percent-encoding, each created as on Aurora and
    /// logged in with a token dbiam signed.
    @Test func tokensDbiamSignsAreAccepted() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abcXYZ019 +/=%*~-_.!'\"()&$#@:;,?[]{}é名")
        var names = ["ops user+1/a=b", "per%cent", "star*", "tilde~", "名前", "o'brien"]
        for _ in 0..<14 {
            names.append(String((0..<Int.random(in: 1...24, using: &random)).map { _ in alphabet.randomElement(using: &random)! }).trimmingCharacters(in: .whitespaces))
        }
        // The names a manifest may hold: quotes around a whole name, say, never log in.
        names = Array(Set(names.filter { NameRules.userNameProblem($0) == nil }))
        try connection.query(names.map { "CREATE USER \(SQLText.account(AccountName(user: $0, host: "%"))) IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL" }.joined(separator: ";\n"))
        for name in names {
            switch login(name, token: token(for: name)) {
            case .success(let current): #expect(current == "\(name)@%")
            case .failure(let error): Issue.record("'\(name)' could not log in with its token: \(error)")
            }
        }
        try LocalServer.reset(connection)
    }

    /// Why the manifest refuses a name in single quotes: the client library strips them,
    /// so the server is asked for another account and a valid token is refused.
    @Test func aNameInSingleQuotesCannotLogIn() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let name = "'quoted'"
        #expect(NameRules.userNameProblem(name) != nil)
        try connection.query("CREATE USER \(SQLText.account(AccountName(user: name, host: "%"))) IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL")
        guard case .failure(let error) = login(name, token: token(for: name)) else {
            Issue.record("'\(name)' logged in; the rule against quoted names can go")
            return
        }
        // libmariadb answers the server's reply with a plugin name cut from the token, a
        // secret that must not reach the message.
        #expect([1045, 1698, 5010].contains(error.code), "\(error)")
        #expect(!error.message.contains("X-Amz-Signature"), "\(error)")
        try LocalServer.reset(connection)
    }

    @Test func badTokensAreRefusedWith1045() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        try connection.query("CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL; CREATE USER 'other'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL")
        let valid = token(for: "ssotest")
        let lastCharacter = valid.last == "0" ? "1" : "0"
        let cases: [(String, String)] = [
            ("expired", token(for: "ssotest", at: Date().addingTimeInterval(-16 * 60))),
            ("another user's", token(for: "other")),
            ("unknown key", token(for: "ssotest", credentials: AWSCredentials(accessKeyID: "AKIAUNKNOWN000000001", secretAccessKey: "x", source: "test"))),
            ("wrong secret", token(for: "ssotest", credentials: AWSCredentials(accessKeyID: LocalServer.testKey.id, secretAccessKey: "wrong", source: "test"))),
            ("another account's", token(for: "ssotest", credentials: AWSCredentials(accessKeyID: LocalServer.otherAccountKey.id, secretAccessKey: LocalServer.otherAccountKey.secret, source: "test"))),
            ("tampered", String(valid.dropLast()) + lastCharacter),
            ("other endpoint", token(for: "ssotest", port: 3306)),
        ]
        for (name, token) in cases {
            switch login("ssotest", token: token) {
            case .success: Issue.record("the \(name) token logged in")
            case .failure(let error): #expect(error.code == 1045, "\(name): \(error)")
            }
        }
        #expect((try? login("ssotest", token: valid).get()) == "ssotest@%")
        try LocalServer.reset(connection)
    }
}

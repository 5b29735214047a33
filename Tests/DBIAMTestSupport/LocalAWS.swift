import AWSAuth
import Foundation

/// The local AWS stand-in: moto's server, started by the project's scripts with
/// MOTO_ACCOUNT_ID=012345678901 on 127.0.0.1. Tests that need it fail when it is not
/// running; they never skip.
public enum LocalAWS {
    private static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// DBIAM_TEST_AWS_ENDPOINT, else http://127.0.0.1:45130.
    public static var endpoint: String { environment["DBIAM_TEST_AWS_ENDPOINT"] ?? "http://127.0.0.1:45130" }
    public static let account = "012345678901"
    public static let region = "ap-northeast-1"

    /// moto accepts any key; these are fixed so that nothing real is ever used.
    public static let credentials = AWSCredentials(
        accessKeyID: "AKIALOCALTEST0000001", secretAccessKey: "local-test-secret-0001-not-an-aws-secret",
        source: "LocalAWS test keys")

    /// An environment that sends every service to the stand-in and reads no ~/.aws.
    public static var clientEnvironment: [String: String] {
        ["AWS_ENDPOINT_URL": endpoint, "AWS_CONFIG_FILE": "/dev/null/none", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null/none"]
    }

    /// Returns once a TCP connection to the stand-in succeeds; throws NotRunning, which
    /// says how to start it, when it does not.
    public static func requireRunning() throws {
        guard let components = URLComponents(string: endpoint), let host = components.host, let port = components.port else {
            throw NotRunning(problem: "DBIAM_TEST_AWS_ENDPOINT '\(endpoint)' is not a URL with a host and a port")
        }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw NotRunning(problem: "no socket could be made") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            throw NotRunning(problem: "\(host) is not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw NotRunning(problem: String(cString: strerror(errno))) }
    }

    /// A name no other test run uses: `prefix-` and random letters and digits.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    public struct NotRunning: Error, CustomStringConvertible {
        public var problem: String
        public var description: String {
            "the local AWS stand-in (moto) is not reachable at \(LocalAWS.endpoint) (\(problem)); start it with "
                + "`make aws-up` (make test does this itself), or point DBIAM_TEST_AWS_ENDPOINT at a running one"
        }
    }
}

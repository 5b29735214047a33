/// A password or IAM token. It never prints: `description`, `debugDescription` and
/// `dump` show a placeholder, so a secret cannot reach a log by accident.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Hands the text to code that must send it (a client defaults file, a login).
    public func withRevealed<Result>(_ body: (String) throws -> Result) rethrows -> Result {
        try body(value)
    }
}

/// How to reach and log in to a server.
public struct ConnectionOptions: Sendable {
    public enum TLS: Sendable, Hashable {
        /// No TLS (the local stand-in's unix-socket setup, tests).
        case disabled
        /// TLS is required; the server certificate is checked against `caFile` (or the
        /// system bundle when nil) when `verifyServerCertificate` is on.
        case required(caFile: String?, verifyServerCertificate: Bool)
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: Secret
    /// Send the password as cleartext (`mysql_clear_password`), as IAM tokens need.
    /// Only safe over TLS.
    public var cleartextPassword: Bool
    public var tls: TLS
    /// Seconds. A server that does not answer never holds dbiam longer than these.
    public var connectTimeout: Int
    public var readTimeout: Int
    public var writeTimeout: Int

    public init(
        host: String, port: Int, user: String, password: Secret, cleartextPassword: Bool = false,
        tls: TLS = .disabled, connectTimeout: Int = 5, readTimeout: Int = 30, writeTimeout: Int = 30
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.cleartextPassword = cleartextPassword
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
    }
}

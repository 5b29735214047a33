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
        /// No TLS: for a server on this machine only. A password then goes only to a
        /// plugin that never sends it as it is (mysql_native_password, client_ed25519),
        /// and a cleartext password (an IAM token) is refused before connecting.
        case disabled
        /// TLS is required, and the server's certificate chain is verified against
        /// `caFile` (the system bundle when nil) and its name against `host`, before any
        /// password is sent.
        case verified(caFile: String?)
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: Secret
    /// Send the password as cleartext (`mysql_clear_password`), as IAM tokens need:
    /// allowed over verified TLS only, and then the only plugin allowed.
    public var cleartextPassword: Bool
    public var tls: TLS
    /// Seconds. A server that does not answer never holds dbiam longer than these.
    public var connectTimeout: Int
    public var readTimeout: Int
    public var writeTimeout: Int
    /// Hears of the login and of every round trip, with its time (`-v`); nil: nothing is measured.
    public var trace: (@Sendable (RoundTrip) -> Void)?

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

/// One exchange with the server, as `-v` prints it: what it was for and how long it took.
/// Never the SQL: a purpose says enough, and says nothing a statement could hold.
public struct RoundTrip: Sendable {
    /// 0 for the login (the TCP and TLS handshakes and the authentication), then the
    /// connection's round trips in order, as `Connection.roundTrips` counts them.
    public var number: Int
    public var purpose: String
    public var duration: Duration
    /// The server, or the network, answered with an error.
    public var failed: Bool
}

/// A failure reported by libmariadb or by the server. It carries the server's error
/// number, SQLSTATE and message, and the statement that failed; never a password.
public struct MariaDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The MySQL error number: 1045 access denied, 2002/2003 cannot connect, 2013 lost
    /// connection, 1396 operation on an account failed, ….
    public var code: Int
    public var sqlState: String
    public var message: String
    /// The statement that failed, when there was one. dbiam's own statements hold no
    /// secrets (IAM accounts have no password), so they are kept as written.
    public var statement: String?

    public init(code: Int, sqlState: String, message: String, statement: String? = nil) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.statement = statement
    }

    public var description: String { "ERROR \(code) (\(sqlState)): \(message)" }

    /// Client-side codes that mean the network or the server went away, as opposed to
    /// a statement the server refused.
    public var isConnectionFailure: Bool {
        [2002, 2003, 2005, 2006, 2013, 2026, 2055].contains(code)
    }

    public static let accessDenied = 1045
    public static let cannotConnect = 2003
    public static let lostConnection = 2013
    public static let serverGone = 2006
}

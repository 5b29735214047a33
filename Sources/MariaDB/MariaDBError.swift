/// A failure reported by libmariadb or by the server. It carries the server's error
/// number, SQLSTATE and message; never a password.
public struct MariaDBError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The MySQL error number; the ones dbiam tells apart are named below.
    public var code: Int
    public var sqlState: String
    public var message: String

    public init(code: Int, sqlState: String, message: String) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String { "ERROR \(code) (\(sqlState)): \(message)" }

    /// The error with its message withheld when it quotes the password: libmariadb has
    /// been seen to name a "plugin" cut from an IAM token when a login fails. Any twelve
    /// characters of the password in a row (all of a shorter one) count as a quote.
    func withholding(_ password: Secret) -> MariaDBError {
        let quotes = password.withRevealed { password -> Bool in
            let characters = Array(password.utf8)
            guard !characters.isEmpty else { return false }
            let window = min(12, characters.count)
            let message = Array(message.utf8)
            guard message.count >= window else { return false }
            var pieces = Set<ArraySlice<UInt8>>()
            for start in 0...(characters.count - window) { pieces.insert(characters[start..<start + window]) }
            return (0...(message.count - window)).contains { pieces.contains(message[$0..<$0 + window]) }
        }
        guard quotes else { return self }
        return MariaDBError(code: code, sqlState: sqlState, message: "the login failed, and the message is withheld because it quotes part of the password or token")
    }

    /// Client-side codes that mean the network or the server went away, as opposed to
    /// a statement the server refused.
    public var isConnectionFailure: Bool {
        [
            Self.cannotConnect, Self.cannotConnectToHost, Self.unknownHost, Self.serverGone, Self.lostConnection,
            Self.tlsFailed, Self.lostConnectionWithSystemError,
        ].contains(code)
    }

    // Server errors.
    /// ER_ACCESS_DENIED_ERROR: wrong user, password or token.
    public static let accessDenied = 1045
    /// ER_TABLEACCESS_DENIED_ERROR: the user may not use a table.
    public static let tableAccessDenied = 1142
    /// ER_SPECIFIC_ACCESS_DENIED_ERROR: the statement needs a privilege the user lacks.
    public static let privilegeRequired = 1227

    // Client errors, from libmariadb.
    /// CR_UNKNOWN_ERROR.
    static let unknownClientError = 2000
    /// CR_CONNECTION_ERROR: the connect failed (libmariadb's code for sockets and TCP alike).
    public static let cannotConnect = 2002
    /// CR_CONN_HOST_ERROR: a failed TCP connect, as MySQL's own client library reports it.
    public static let cannotConnectToHost = 2003
    /// CR_UNKNOWN_HOST: the host name does not resolve.
    public static let unknownHost = 2005
    /// CR_SERVER_GONE_ERROR: the server went away between statements.
    public static let serverGone = 2006
    /// CR_OUT_OF_MEMORY.
    static let outOfMemory = 2008
    /// CR_SERVER_LOST: the server went away during a statement (or the handshake).
    public static let lostConnection = 2013
    /// CR_SSL_CONNECTION_ERROR: the TLS handshake or the certificate check failed.
    public static let tlsFailed = 2026
    /// CR_SERVER_LOST_EXTENDED: as `lostConnection`, with the system's error.
    static let lostConnectionWithSystemError = 2055
}

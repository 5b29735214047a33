/// The database engine of a cluster. It decides the dialect details that matter to
/// dbiam: which privileges exist and how long a user name may be.
public enum Engine: String, Sendable, Hashable, Codable, CaseIterable {
    case auroraMySQL3 = "aurora-mysql-3"
    case auroraMySQL2 = "aurora-mysql-2"
    case mysql80 = "mysql-8.0"
    case mysql57 = "mysql-5.7"
    case mariadb

    /// The longest user name the engine accepts, in code points: the server counts an
    /// accent that combines with the letter before it as a character of its own.
    public var maximumUserNameLength: Int {
        switch self {
        case .auroraMySQL3, .auroraMySQL2, .mysql80, .mysql57: 32
        case .mariadb: 128
        }
    }
}

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

    /// `CREATE ROLE`: MySQL 8.0 (Aurora MySQL 3) and MariaDB; not MySQL 5.7 (Aurora MySQL 2).
    public var hasRoles: Bool {
        switch self {
        case .auroraMySQL3, .mysql80, .mariadb: true
        case .auroraMySQL2, .mysql57: false
        }
    }

    /// MariaDB activates one default role at login (`SET DEFAULT ROLE r FOR u`); MySQL
    /// every role of `SET DEFAULT ROLE ALL`.
    public var activatesOneDefaultRole: Bool { self == .mariadb }

    /// MySQL 8.0's `partial_revokes`: a global grant with some databases left out.
    public var hasPartialRevokes: Bool {
        switch self {
        case .auroraMySQL3, .mysql80: true
        case .auroraMySQL2, .mysql57, .mariadb: false
        }
    }
}

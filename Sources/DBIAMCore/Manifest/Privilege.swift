/// A privilege name in its canonical spelling: upper case, single spaces, `ALL` spelled
/// `ALL PRIVILEGES`, engine aliases mapped to one name.
public struct Privilege: Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }

    public static func < (lhs: Privilege, rhs: Privilege) -> Bool { lhs.name < rhs.name }

    public static let allPrivileges = Privilege("ALL PRIVILEGES")
    public static let grantOption = Privilege("GRANT OPTION")
    public static let usage = Privilege("USAGE")

    /// The canonical form of a name as a person or a server writes it: any case, any
    /// run of spaces, `ALL`, and the aliases the engines accept for the same privilege.
    public static func canonical(_ written: String) -> Privilege {
        // Most manifests already write the canonical spelling: upper case, single spaces.
        if isWrittenCanonically(written) { return Privilege(alias(of: written) ?? written) }
        let words = written.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { $0.uppercased() }
        let name = words.joined(separator: " ")
        return Privilege(alias(of: name) ?? name)
    }

    /// The name an alias stands for. Nearly every name is none, which its length says
    /// without hashing it (validation asks for every privilege of every grant).
    private static func alias(of name: String) -> String? {
        guard aliasLengths.contains(name.utf8.count) else { return nil }
        return aliases[name]
    }

    private static let aliasLengths = aliases.keys.map(\.utf8.count)

    private static func isWrittenCanonically(_ written: String) -> Bool {
        var previousWasSpace = true
        for byte in written.utf8 {
            let isSpace = byte == UInt8(ascii: " ")
            guard (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "_") || (isSpace && !previousWasSpace)
            else { return false }
            previousWasSpace = isSpace
        }
        return !previousWasSpace
    }

    private static let aliases: [String: String] = [
        "ALL": "ALL PRIVILEGES",
        // MariaDB 10.5 renamed these; both spellings name one privilege.
        "BINLOG MONITOR": "REPLICATION CLIENT",
        "REPLICATION REPLICA": "REPLICATION SLAVE",
        "REPLICA MONITOR": "SLAVE MONITOR",
        "DELETE VERSIONING ROWS": "DELETE HISTORY",
    ]
}

/// The level a grant applies at, which decides the privileges it may carry.
public enum PrivilegeLevel: String, Sendable, Hashable, Codable {
    case global, database, table
}

/// Which privileges an engine has, and at which levels each may be granted.
public struct PrivilegeCatalog: Sendable {
    /// The levels of each privilege as bits: validation asks for every privilege of every
    /// grant whether it may be granted at one level, which a bit answers without hashing.
    private let levels: [Privilege: LevelBits]
    /// What ALL stands for, by level: asked for every grant of every account.
    private let allByLevel: [PrivilegeLevel: Set<Privilege>]

    /// The catalogue of an engine, built once: validation and planning ask for it per grant.
    public init(engine: Engine) {
        self = Self.catalogs[engine] ?? PrivilegeCatalog(building: engine)
    }

    private static let catalogs: [Engine: PrivilegeCatalog] = Dictionary(
        uniqueKeysWithValues: Engine.allCases.map { ($0, PrivilegeCatalog(building: $0)) })

    private init(building engine: Engine) {
        var levels: [Privilege: LevelBits] = [:]
        func add(_ names: [String], _ at: Set<PrivilegeLevel>) {
            for name in names { levels[Privilege(name), default: []].formUnion(LevelBits(at)) }
        }
        add(Self.tableLevel, [.global, .database, .table])
        add(Self.databaseLevel, [.global, .database])
        add(Self.globalOnly, [.global])
        switch engine {
        case .auroraMySQL3:
            add(Self.mysql8GlobalOnly + Self.mysql8Dynamic + Self.aurora3Global, [.global])
        case .mysql80:
            add(Self.mysql8GlobalOnly + Self.mysql8Dynamic, [.global])
        case .auroraMySQL2:
            add(Self.aurora2Global, [.global])
        case .mysql57:
            break
        case .mariadb:
            add(["DELETE HISTORY"], [.global, .database, .table])
            add(Self.mariadbGlobal, [.global])
        }
        self.levels = levels
        var allByLevel: [PrivilegeLevel: Set<Privilege>] = [:]
        for level in [PrivilegeLevel.global, .database, .table] {
            allByLevel[level] = Set(levels.compactMap { privilege, at in
                at.contains(LevelBits(level)) && privilege != .grantOption && privilege != .usage ? privilege : nil
            })
        }
        self.allByLevel = allByLevel
    }

    public func levels(of privilege: Privilege) -> Set<PrivilegeLevel> {
        privilege == .allPrivileges ? [.global, .database, .table] : levels[privilege]?.set ?? []
    }

    /// Whether the engine has the privilege and whether it may be granted at `level`, in
    /// one lookup: nil when the engine has no such privilege.
    public func isGrantable(_ privilege: Privilege, at level: PrivilegeLevel) -> Bool? {
        if privilege == .allPrivileges { return true }
        return levels[privilege]?.contains(LevelBits(level))
    }

    private struct LevelBits: OptionSet, Sendable {
        let rawValue: UInt8

        init(rawValue: UInt8) { self.rawValue = rawValue }

        init(_ level: PrivilegeLevel) {
            rawValue = switch level {
            case .global: 1
            case .database: 2
            case .table: 4
            }
        }

        init(_ levels: Set<PrivilegeLevel>) {
            self = levels.reduce(into: []) { $0.formUnion(LevelBits($1)) }
        }

        var set: Set<PrivilegeLevel> { Set([PrivilegeLevel.global, .database, .table].filter { contains(LevelBits($0)) }) }
    }

    /// What `ALL PRIVILEGES` stands for at a level: every privilege of that level except
    /// `GRANT OPTION` and `USAGE`, which ALL does not include.
    public func allPrivileges(at level: PrivilegeLevel) -> Set<Privilege> {
        allByLevel[level] ?? []
    }

    /// Every privilege name the engine knows, sorted, for "did you mean" suggestions.
    public var names: [String] {
        (levels.keys.map(\.name) + [Privilege.allPrivileges.name, "ALL"]).sorted()
    }

    /// The set in its shortest equivalent form: `USAGE` dropped (it grants nothing) and
    /// a complete set written `ALL PRIVILEGES`, so that the same grant read back from a
    /// server never shows as a change.
    public func normalized(_ privileges: Set<Privilege>, at level: PrivilegeLevel) -> Set<Privilege> {
        var result = expanded(privileges, at: level)
        let all = allPrivileges(at: level)
        if result.isSuperset(of: all) {
            result.subtract(all)
            result.insert(.allPrivileges)
        }
        return result
    }

    /// The set with `ALL PRIVILEGES` spelled out and `USAGE` dropped, for set arithmetic.
    public func expanded(_ privileges: Set<Privilege>, at level: PrivilegeLevel) -> Set<Privilege> {
        var result = privileges
        result.remove(.usage)
        if result.remove(.allPrivileges) != nil {
            result.formUnion(allPrivileges(at: level))
        }
        return result
    }

    private static let tableLevel = [
        "ALTER", "CREATE", "CREATE VIEW", "DELETE", "DROP", "GRANT OPTION", "INDEX", "INSERT",
        "REFERENCES", "SELECT", "SHOW VIEW", "TRIGGER", "UPDATE", "USAGE",
    ]
    private static let databaseLevel = [
        "ALTER ROUTINE", "CREATE ROUTINE", "CREATE TEMPORARY TABLES", "EVENT", "EXECUTE", "LOCK TABLES",
    ]
    private static let globalOnly = [
        "CREATE TABLESPACE", "CREATE USER", "FILE", "PROCESS", "RELOAD", "REPLICATION CLIENT",
        "REPLICATION SLAVE", "SHOW DATABASES", "SHUTDOWN", "SUPER",
    ]
    private static let mysql8GlobalOnly = ["CREATE ROLE", "DROP ROLE"]
    private static let mysql8Dynamic = [
        "APPLICATION_PASSWORD_ADMIN", "AUDIT_ABORT_EXEMPT", "AUDIT_ADMIN", "AUTHENTICATION_POLICY_ADMIN",
        "BACKUP_ADMIN", "BINLOG_ADMIN", "BINLOG_ENCRYPTION_ADMIN", "CLONE_ADMIN", "CONNECTION_ADMIN",
        "ENCRYPTION_KEY_ADMIN", "FIREWALL_EXEMPT", "FLUSH_OPTIMIZER_COSTS", "FLUSH_STATUS", "FLUSH_TABLES",
        "FLUSH_USER_RESOURCES", "GROUP_REPLICATION_ADMIN", "GROUP_REPLICATION_STREAM",
        "INNODB_REDO_LOG_ARCHIVE", "INNODB_REDO_LOG_ENABLE", "PASSWORDLESS_USER_ADMIN",
        "PERSIST_RO_VARIABLES_ADMIN", "REPLICATION_APPLIER", "REPLICATION_SLAVE_ADMIN",
        "RESOURCE_GROUP_ADMIN", "RESOURCE_GROUP_USER", "ROLE_ADMIN", "SENSITIVE_VARIABLES_OBSERVER",
        "SERVICE_CONNECTION_ADMIN", "SESSION_VARIABLES_ADMIN", "SET_USER_ID", "SHOW_ROUTINE",
        "SKIP_QUERY_REWRITE", "SYSTEM_USER", "SYSTEM_VARIABLES_ADMIN", "TABLE_ENCRYPTION_ADMIN",
        "XA_RECOVER_ADMIN",
    ]
    private static let aurora3Global = [
        "AWS_BEDROCK_ACCESS", "AWS_COMPREHEND_ACCESS", "AWS_LAMBDA_ACCESS", "AWS_LOAD_S3_ACCESS",
        "AWS_SAGEMAKER_ACCESS", "AWS_SELECT_S3_ACCESS",
    ]
    private static let aurora2Global = [
        "INVOKE COMPREHEND", "INVOKE LAMBDA", "INVOKE SAGEMAKER", "LOAD FROM S3", "SELECT INTO S3",
    ]
    private static let mariadbGlobal = [
        "BINLOG ADMIN", "BINLOG REPLAY", "CONNECTION ADMIN", "FEDERATED ADMIN", "READ_ONLY ADMIN",
        "REPLICATION MASTER ADMIN", "REPLICATION SLAVE ADMIN", "SET USER", "SLAVE MONITOR",
    ]
}

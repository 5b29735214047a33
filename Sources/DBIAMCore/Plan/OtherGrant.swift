/// A role as the server names it: MariaDB roles have a name only, MySQL roles are
/// accounts with a host part.
public struct RoleName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var name: String
    /// nil on MariaDB.
    public var host: String?

    public init(name: String, host: String? = nil) {
        self.name = name
        self.host = host
    }

    /// Its row in the grant tables, where MariaDB keeps roles under the host ''.
    public var rowName: AccountName { AccountName(user: name, host: host ?? "") }

    /// `'reporting'` or `'reporting'@'%'`.
    public var sql: String {
        SQLText.string(name) + (host.map { "@" + SQLText.string($0) } ?? "")
    }

    public var description: String { NameRules.printable(sql) }

    public static func < (lhs: RoleName, rhs: RoleName) -> Bool {
        (lhs.name, lhs.host ?? "") < (rhs.name, rhs.host ?? "")
    }
}

/// A stored procedure or function, as `GRANT EXECUTE ON PROCEDURE db.p` names it.
public struct Routine: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `PROCEDURE`, `FUNCTION`, and on MariaDB `PACKAGE` or `PACKAGE BODY`.
    public var type: String
    public var database: String
    public var name: String

    public init(type: String, database: String, name: String) {
        self.type = type
        self.database = database
        self.name = name
    }

    public var sql: String { "\(type) \(SQLText.identifier(database)).\(SQLText.identifier(name))" }

    public var description: String { NameRules.printable(sql) }

    public static func < (lhs: Routine, rhs: Routine) -> Bool {
        (lhs.database, lhs.name, lhs.type) < (rhs.database, rhs.name, rhs.type)
    }
}

/// What an account holds besides its grants on `*.*`, `db.*` and `db.table`: the ways
/// to privileges a manifest has no words for. A managed account holds exactly what the
/// manifest says, so `dbiam plan` shows each of these on a managed account and `apply`
/// revokes it (manifest.md, "Additions").
public enum OtherGrant: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `GRANT r TO u`: everything the role holds.
    case role(RoleName)
    /// The roles activated at login (`SET DEFAULT ROLE`); MariaDB allows one.
    case defaultRoles([RoleName])
    /// `GRANT SELECT (a, b) ON db.t`: one privilege on some columns of one table.
    case columns(GrantTarget, Privilege, [String])
    /// `GRANT EXECUTE ON PROCEDURE db.p`.
    case routine(Routine, Set<Privilege>)
    /// `GRANT PROXY ON 'other'@'%'`: logging in as that account, with its privileges.
    case proxy(AccountName)

    /// What the account holds, in words: `role 'reporting'`.
    public var description: String {
        switch self {
        case .role(let role): "role \(role)"
        case .defaultRoles(let roles): "default \(roles.count == 1 ? "role" : "roles") \(roles.map(\.description).joined(separator: ", "))"
        case .columns(let target, let privilege, let columns): "\(privilege) (\(Self.columnList(columns))) on \(target)"
        case .routine(let routine, let privileges): "\(AccountStatement.privilegeList(privileges)) on \(routine)"
        case .proxy(let account): "PROXY on \(account)"
        }
    }

    /// The statement that takes this away from `accounts` (quoted).
    func revokeSQL(from accounts: [String]) -> String {
        let list = accounts.joined(separator: ", ")
        switch self {
        case .role(let role):
            return "REVOKE \(role.sql) FROM \(list)"
        case .defaultRoles(let roles):
            // MySQL's roles have hosts and its statement says TO; MariaDB's say FOR one account.
            return roles.first?.host == nil ? "SET DEFAULT ROLE NONE FOR \(list)" : "SET DEFAULT ROLE NONE TO \(list)"
        case .columns(let target, let privilege, let columns):
            return "REVOKE \(privilege.name) (\(columns.map(SQLText.identifier).joined(separator: ", "))) ON \(SQLText.target(target)) FROM \(list)"
        case .routine(let routine, let privileges):
            return "REVOKE \(AccountStatement.privilegeList(privileges)) ON \(routine.sql) FROM \(list)"
        case .proxy(let account):
            return "REVOKE PROXY ON \(SQLText.account(account)) FROM \(list)"
        }
    }

    /// Whether one statement may take this away from several accounts: MariaDB's
    /// `SET DEFAULT ROLE … FOR` names one.
    var revokesFromSeveralAccounts: Bool {
        if case .defaultRoles(let roles) = self { roles.first?.host != nil } else { true }
    }

    /// Canonical text for the plan's fingerprint (see `LiveState.canonicalText`).
    var canonicalFields: [String] {
        switch self {
        case .role(let role): ["role", role.name, role.host ?? ""]
        case .defaultRoles(let roles): ["default_roles"] + roles.flatMap { [$0.name, $0.host ?? ""] }
        case .columns(let target, let privilege, let columns): ["columns", target.database ?? "", target.table ?? "", privilege.name] + columns
        case .routine(let routine, let privileges): ["routine", routine.type, routine.database, routine.name] + privileges.map(\.name).sorted()
        case .proxy(let account): ["proxy", account.user, account.host]
        }
    }

    /// Grants are kept and compared in this order: by kind, then by their fields.
    public static func < (lhs: OtherGrant, rhs: OtherGrant) -> Bool {
        lhs.canonicalFields.lexicographicallyPrecedes(rhs.canonicalFields)
    }

    private static func columnList(_ columns: [String]) -> String {
        NameRules.printable(columns.map(SQLText.identifier).joined(separator: ", "))
    }
}

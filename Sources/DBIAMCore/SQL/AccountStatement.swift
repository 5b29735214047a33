/// One change to one account or role, as a single SQL statement.
public enum AccountStatement: Sendable, Hashable, Decodable {
    case createUser(AccountName, requireSSL: Bool)
    /// Switches an existing account to IAM authentication, keeping its grants.
    case setIAMPlugin(AccountName)
    case setRequireSSL(AccountName, Bool)
    case grant(Grantee, GrantTarget, Set<Privilege>)
    case revoke(Grantee, GrantTarget, Set<Privilege>)
    /// Takes away a role, default roles, a column, routine or proxy grant.
    case revokeOther(Grantee, OtherGrant)
    case dropUser(AccountName)
    case createRole(RoleName)
    /// `GRANT role TO account`.
    case grantRole(AccountName, RoleName)
    /// Makes the account's roles active at login: all of them on MySQL, the one on MariaDB.
    case setDefaultRoles(AccountName, [RoleName])
    /// A partial revoke: a privilege held on `*.*` taken away on one database.
    case partialRevoke(Grantee, database: String, Set<Privilege>)
    /// Ends a partial revoke, so the privilege held on `*.*` reaches that database again.
    case liftPartialRevoke(Grantee, database: String, Set<Privilege>)

    /// The name AWS documents for `CREATE USER … IDENTIFIED WITH`, and the
    /// authentication string Aurora expects with it.
    public static let pluginName = "AWSAuthenticationPlugin"
    public static let pluginAuthenticationString = "RDS"

    /// The account or role it changes.
    public var grantee: Grantee {
        switch self {
        case .createUser(let account, _), .setIAMPlugin(let account), .setRequireSSL(let account, _), .dropUser(let account),
            .grantRole(let account, _), .setDefaultRoles(let account, _):
            .account(account)
        case .grant(let grantee, _, _), .revoke(let grantee, _, _), .revokeOther(let grantee, _), .partialRevoke(let grantee, _, _),
            .liftPartialRevoke(let grantee, _, _):
            grantee
        case .createRole(let role):
            .role(role)
        }
    }

    /// The roles it grants or makes default.
    public var rolesGiven: [RoleName] {
        switch self {
        case .grantRole(_, let role): [role]
        case .setDefaultRoles(_, let roles): roles
        default: []
        }
    }

    /// The row of the grant tables it changes (see `Grantee.rowName`).
    public var account: AccountName { grantee.rowName }

    /// The statement without its account: statements of one shape differ only in the
    /// account, so one statement can name all of them.
    enum Shape: Sendable, Hashable {
        case createUser(requireSSL: Bool)
        case setIAMPlugin
        case setRequireSSL(Bool)
        case grant(GrantTarget, Set<Privilege>)
        case revoke(GrantTarget, Set<Privilege>)
        case revokeOther(OtherGrant)
        case dropUser
        /// MariaDB's `CREATE ROLE` names one role, MySQL's several.
        case createRole(severalAtOnce: Bool)
        case grantRole(RoleName)
        case setDefaultRoles([RoleName])
        case partialRevoke(database: String, Set<Privilege>)
        case liftPartialRevoke(database: String, Set<Privilege>)

        /// Whether one statement of this shape may name several accounts.
        var combinesAccounts: Bool {
            switch self {
            case .revokeOther(let grant): grant.revokesFromSeveralAccounts
            case .createRole(let severalAtOnce): severalAtOnce
            // MariaDB's `SET DEFAULT ROLE r FOR u` names one account.
            case .setDefaultRoles(let roles): roles.first?.host != nil
            default: true
            }
        }

        /// The one statement that makes this change to every grantee in `grantees`.
        func sql(for grantees: [Grantee]) -> String {
            let quoted = grantees.map(\.sql)
            // One grantee, as every statement of a plan has before they are combined.
            let list = quoted.count == 1 ? quoted[0] : quoted.joined(separator: ", ")
            switch self {
            case .createUser(let requireSSL):
                // Without a REQUIRE clause an account requires nothing, so only SSL is written.
                let specifications = quoted.count == 1
                    ? quoted[0] + " " + AccountStatement.identifiedWithIAM
                    : quoted.map { "\($0) \(AccountStatement.identifiedWithIAM)" }.joined(separator: ", ")
                return "CREATE USER \(specifications)" + (requireSSL ? " " + AccountStatement.requireClause(true) : "")
            case .setIAMPlugin:
                return "ALTER USER " + quoted.map { "\($0) \(AccountStatement.identifiedWithIAM)" }.joined(separator: ", ")
            case .setRequireSSL(let required):
                return "ALTER USER \(list) \(AccountStatement.requireClause(required))"
            case .grant(let target, var privileges):
                // GRANT OPTION is not a privilege in the GRANT list but a `WITH GRANT OPTION` clause.
                let withGrantOption = privileges.remove(.grantOption) != nil
                let listed = privileges.isEmpty ? Privilege.usage.name : AccountStatement.privilegeList(privileges)
                let sql = "GRANT \(listed) ON \(SQLText.target(target)) TO \(list)"
                return withGrantOption ? sql + " WITH GRANT OPTION" : sql
            case .revoke(let target, let privileges):
                return "REVOKE \(AccountStatement.privilegeList(privileges)) ON \(SQLText.target(target)) FROM \(list)"
            case .revokeOther(let grant):
                return grant.revokeSQL(from: quoted)
            case .dropUser:
                return "DROP USER \(list)"
            case .createRole:
                return "CREATE ROLE \(list)"
            case .grantRole(let role):
                return "GRANT \(role.sql) TO \(list)"
            case .setDefaultRoles(let roles):
                // MySQL's roles have hosts; MariaDB's one default role is named, for one account.
                guard let role = roles.first, role.host == nil else { return "SET DEFAULT ROLE ALL TO \(list)" }
                return "SET DEFAULT ROLE \(role.sql) FOR \(list)"
            case .partialRevoke(let database, let privileges):
                return "REVOKE \(AccountStatement.privilegeList(privileges)) ON \(SQLText.target(GrantTarget(database: database, table: nil))) FROM \(list)"
            case .liftPartialRevoke(let database, let privileges):
                return "GRANT \(AccountStatement.privilegeList(privileges)) ON \(SQLText.target(GrantTarget(database: database, table: nil))) TO \(list)"
            }
        }
    }

    var shape: Shape {
        switch self {
        case .createUser(_, let requireSSL): .createUser(requireSSL: requireSSL)
        case .setIAMPlugin: .setIAMPlugin
        case .setRequireSSL(_, let required): .setRequireSSL(required)
        case .grant(_, let target, let privileges): .grant(target, privileges)
        case .revoke(_, let target, let privileges): .revoke(target, privileges)
        case .revokeOther(_, let grant): .revokeOther(grant)
        case .dropUser: .dropUser
        case .createRole(let role): .createRole(severalAtOnce: role.host != nil)
        case .grantRole(_, let role): .grantRole(role)
        case .setDefaultRoles(_, let roles): .setDefaultRoles(roles)
        case .partialRevoke(_, let database, let privileges): .partialRevoke(database: database, privileges)
        case .liftPartialRevoke(_, let database, let privileges): .liftPartialRevoke(database: database, privileges)
        }
    }

    public var sql: String { shape.sql(for: [grantee]) }

    static let identifiedWithIAM =
        "IDENTIFIED WITH \(pluginName) AS \(SQLText.string(pluginAuthenticationString))"

    /// The TLS requirement `CREATE USER` and `ALTER USER` write for `require_ssl`.
    static func requireClause(_ required: Bool) -> String {
        required ? "REQUIRE SSL" : "REQUIRE NONE"
    }

    /// Privileges in one fixed order (`ALL PRIVILEGES` first, `GRANT OPTION` last, the
    /// rest alphabetical), so the same set always reads the same.
    static func orderedPrivileges(_ privileges: Set<Privilege>) -> [Privilege] {
        privileges.sorted { lhs, rhs in
            if lhs == .allPrivileges || rhs == .allPrivileges { return lhs == .allPrivileges && rhs != .allPrivileges }
            if lhs == .grantOption || rhs == .grantOption { return rhs == .grantOption && lhs != .grantOption }
            return lhs < rhs
        }
    }

    /// `orderedPrivileges` as SQL lists them.
    static func privilegeList(_ privileges: Set<Privilege>) -> String {
        orderedPrivileges(privileges).map(\.name).joined(separator: ", ")
    }
}

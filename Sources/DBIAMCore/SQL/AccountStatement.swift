/// One change to one account, as a single SQL statement.
public enum AccountStatement: Sendable, Hashable, Decodable {
    case createUser(AccountName, requireSSL: Bool)
    /// Switches an existing account to IAM authentication, keeping its grants.
    case setIAMPlugin(AccountName)
    case setRequireSSL(AccountName, Bool)
    case grant(AccountName, GrantTarget, Set<Privilege>)
    case revoke(AccountName, GrantTarget, Set<Privilege>)
    /// Takes away a role, default roles, a column, routine or proxy grant.
    case revokeOther(AccountName, OtherGrant)
    case dropUser(AccountName)

    /// The name AWS documents for `CREATE USER … IDENTIFIED WITH`, and the
    /// authentication string Aurora expects with it.
    public static let pluginName = "AWSAuthenticationPlugin"
    public static let pluginAuthenticationString = "RDS"

    public var account: AccountName {
        switch self {
        case .createUser(let account, _), .setIAMPlugin(let account), .setRequireSSL(let account, _),
            .grant(let account, _, _), .revoke(let account, _, _), .revokeOther(let account, _), .dropUser(let account):
            account
        }
    }

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

        /// Whether one statement of this shape may name several accounts.
        var combinesAccounts: Bool {
            if case .revokeOther(let grant) = self { grant.revokesFromSeveralAccounts } else { true }
        }

        /// The one statement that makes this change to every account in `accounts`.
        func sql(for accounts: [AccountName]) -> String {
            let quoted = accounts.map(SQLText.account)
            let list = quoted.joined(separator: ", ")
            switch self {
            case .createUser(let requireSSL):
                // Without a REQUIRE clause an account requires nothing, so only SSL is written.
                let specifications = quoted.map { "\($0) \(AccountStatement.identifiedWithIAM)" }.joined(separator: ", ")
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
        }
    }

    public var sql: String { shape.sql(for: [account]) }

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

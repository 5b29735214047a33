/// One change to one account, as a single SQL statement.
public enum AccountStatement: Sendable, Hashable, Codable {
    case createUser(AccountName, requireSSL: Bool)
    /// Switches an existing account to IAM authentication, keeping its grants.
    case setIAMPlugin(AccountName)
    case setRequireSSL(AccountName, Bool)
    case grant(AccountName, GrantTarget, Set<Privilege>)
    case revoke(AccountName, GrantTarget, Set<Privilege>)
    case dropUser(AccountName)

    /// The name AWS documents for `CREATE USER … IDENTIFIED WITH`, and the
    /// authentication string Aurora expects with it.
    public static let pluginName = "AWSAuthenticationPlugin"
    public static let pluginAuthenticationString = "RDS"

    public var account: AccountName {
        switch self {
        case .createUser(let account, _), .setIAMPlugin(let account), .setRequireSSL(let account, _),
            .grant(let account, _, _), .revoke(let account, _, _), .dropUser(let account):
            account
        }
    }

    public var sql: String {
        switch self {
        case .createUser(let account, let requireSSL):
            "CREATE USER \(SQLText.account(account)) \(Self.identifiedWithIAM)" + (requireSSL ? " REQUIRE SSL" : "")
        case .setIAMPlugin(let account):
            "ALTER USER \(SQLText.account(account)) \(Self.identifiedWithIAM)"
        case .setRequireSSL(let account, let required):
            "ALTER USER \(SQLText.account(account)) REQUIRE \(required ? "SSL" : "NONE")"
        case .grant(let account, let target, let privileges):
            Self.grantSQL(to: SQLText.account(account), target, privileges)
        case .revoke(let account, let target, let privileges):
            "REVOKE \(Self.privilegeList(privileges)) ON \(SQLText.target(target)) FROM \(SQLText.account(account))"
        case .dropUser(let account):
            "DROP USER \(SQLText.account(account))"
        }
    }

    static let identifiedWithIAM =
        "IDENTIFIED WITH \(pluginName) AS \(SQLText.string(pluginAuthenticationString))"

    /// GRANT OPTION is not a privilege in the GRANT list but a `WITH GRANT OPTION` clause.
    /// `accounts` is one quoted account or several separated by commas.
    static func grantSQL(to accounts: String, _ target: GrantTarget, _ privileges: Set<Privilege>) -> String {
        var listed = privileges
        let withGrantOption = listed.remove(.grantOption) != nil
        let list = listed.isEmpty ? Privilege.usage.name : privilegeList(listed)
        let sql = "GRANT \(list) ON \(SQLText.target(target)) TO \(accounts)"
        return withGrantOption ? sql + " WITH GRANT OPTION" : sql
    }

    /// Privileges in one fixed order (`ALL PRIVILEGES` first, then alphabetical), so the
    /// same set always reads the same.
    static func privilegeList(_ privileges: Set<Privilege>) -> String {
        privileges.sorted { lhs, rhs in
            if lhs == .allPrivileges || rhs == .allPrivileges { return lhs == .allPrivileges && rhs != .allPrivileges }
            if lhs == .grantOption || rhs == .grantOption { return rhs == .grantOption && lhs != .grantOption }
            return lhs < rhs
        }.map(\.name).joined(separator: ", ")
    }
}

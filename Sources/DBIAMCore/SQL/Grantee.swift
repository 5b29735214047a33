/// Who a GRANT or REVOKE is for: an account, or a role. Said apart because MariaDB
/// names a role without a host and refuses `'role'@''`.
public enum Grantee: Sendable, Hashable, Comparable, CustomStringConvertible {
    case account(AccountName)
    case role(RoleName)

    /// `'user'@'host'`, `'role'` or `'role'@'%'`.
    public var sql: String {
        switch self {
        case .account(let account): SQLText.account(account)
        case .role(let role): role.sql
        }
    }

    /// Its row in the grant tables: where the live state keeps it.
    public var rowName: AccountName {
        switch self {
        case .account(let account): account
        case .role(let role): role.rowName
        }
    }

    /// As the manifest names it: the user name, or `role NAME`.
    public var manifestName: String {
        switch self {
        case .account(let account): account.user
        case .role(let role): "role \(role.name)"
        }
    }

    public var isRole: Bool {
        if case .role = self { true } else { false }
    }

    /// `'user'@'host'` or `role 'name'`, escaped for a terminal.
    public var description: String {
        switch self {
        case .account(let account): account.description
        case .role(let role): "role \(role)"
        }
    }

    public static func < (lhs: Grantee, rhs: Grantee) -> Bool {
        (lhs.isRole ? 1 : 0, lhs.rowName) < (rhs.isRole ? 1 : 0, rhs.rowName)
    }
}

/// DBIAM205: a user that can create, change or drop accounts.
public struct AccountManagementPrivilege: LintRule {
    public init() {}

    public let id = "DBIAM205"
    public let name = "AccountManagementPrivilege"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user is granted CREATE USER, CREATE ROLE or DROP ROLE."
    public let help = """
        CREATE USER lets the user create, alter, rename and drop any account: it can give \
        another account a password instead of AWSAuthenticationPlugin (a login that \
        bypasses IAM, never expires and leaves no CloudTrail record), change the plugin of \
        dbiam's own admin account, or drop accounts the manifest manages. On MySQL 8, \
        CREATE ROLE and DROP ROLE also create and drop accounts, since roles and users are \
        the same kind of object.

        Manage accounts through the manifest; keep these privileges to the cluster's admin \
        account.
        """

    static let accountPrivileges: Set<Privilege> = Set(["CREATE USER", "CREATE ROLE", "DROP ROLE"].map(Privilege.init))

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: Self.accountPrivileges.contains).flatMap { user, grant in
            grant.privileges(where: Self.accountPrivileges.contains).map { privilege in
                finding(
                    "\(user) is granted \(privilege), so it can create, change or drop accounts outside the manifest, password logins that bypass IAM included; leave account management to the manifest.",
                    at: grant.position(of: privilege))
            }
        }
    }
}

/// DBIAM201: `ALL` instead of the privileges the user needs.
public struct AllPrivileges: LintRule {
    public init() {}

    public let id = "DBIAM201"
    public let name = "AllPrivileges"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user is granted ALL PRIVILEGES."
    public let help = """
        `ALL` is every privilege of the grant's level except `GRANT OPTION`. On `*.*` that \
        is the whole server: SUPER-class privileges, SHUTDOWN, FILE, CREATE USER, and \
        writes to the `mysql` schema, whose grant tables let the user give itself anything; \
        in practice an administrator. On a database it includes DROP, ALTER, TRIGGER, EVENT \
        and CREATE ROUTINE, far more than people who log in to read or fix data need, and it \
        grows silently when an engine upgrade adds privileges.

        List the privileges the user needs, such as `[SELECT, INSERT, UPDATE, DELETE]` on \
        the application's databases. Keep server administration to the cluster's admin \
        account.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: { $0 == .allPrivileges }).compactMap { user, grant in
            guard grant.privileges.contains(.allPrivileges) else { return nil }
            let reach = grant.target.level == .global
                ? "every privilege on the server, the grant tables in the mysql schema included, which makes it an administrator"
                : "every privilege on \(grant.target), DROP, ALTER and TRIGGER included"
            return finding(
                "\(user) is granted ALL on \(grant.target): \(reach); list the privileges it needs instead.",
                at: grant.position(of: .allPrivileges))
        }
    }
}

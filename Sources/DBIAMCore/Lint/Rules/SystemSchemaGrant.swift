/// DBIAM208: grants on the schemas that hold the server's own data.
public struct SystemSchemaGrant: LintRule {
    public init() {}

    public let id = "DBIAM208"
    public let name = "SystemSchemaGrant"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A grant names the mysql or information_schema database."
    public let help = """
        The `mysql` schema holds the grant tables and the password hashes of every password \
        account: reading it hands those hashes to offline cracking, and writing it changes \
        anyone's privileges (after FLUSH PRIVILEGES or a restart). `information_schema` \
        cannot be granted on at all: MySQL and MariaDB refuse the GRANT (error 1044), so \
        `dbiam apply` would fail there; every user already sees the rows of \
        information_schema that its other privileges allow.

        Remove the grant. Monitoring reads belong on `performance_schema.*` or `sys.*`, \
        which this rule does not report.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants.compactMap { user, grant in
            // Only an ASCII name of 5 or 18 bytes lowers to one of these: the other names
            // of 10,000 grants are not lowered.
            guard let database = grant.target.database, database.utf8.count == 5 || database.utf8.count == 18 else { return nil }
            switch database.lowercased() {
            case "mysql":
                return finding(
                    "\(user) is granted privileges on \(grant.target), the grant tables and password hashes of every account; remove the grant.",
                    at: grant.position)
            case "information_schema":
                return finding(
                    "\(user) is granted privileges on \(grant.target), which the server refuses (error 1044), so dbiam apply would fail; remove the grant.",
                    at: grant.position)
            default:
                return nil
            }
        }
    }
}

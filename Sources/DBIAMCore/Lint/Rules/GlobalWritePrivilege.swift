/// DBIAM202: data or schema changes on every database, the system schemas included.
public struct GlobalWritePrivilege: LintRule {
    public init() {}

    public let id = "DBIAM202"
    public let name = "GlobalWritePrivilege"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user may change data or schemas on `*.*`, the mysql schema included."
    public let help = """
        A privilege granted on `*.*` applies to every database, present and future, \
        including the `mysql` schema. INSERT, UPDATE or DELETE there rewrite the grant \
        tables (`mysql.user`, `mysql.db`, ...): after a `FLUSH PRIVILEGES` or a restart the \
        user has whatever privileges it wrote for itself, and it can change other accounts' \
        authentication. CREATE, DROP and ALTER on `*.*` let it drop or reshape any database.

        Grant write privileges on the databases the user works on (`orders.*`), never \
        globally. Read-only global grants (SELECT, SHOW VIEW, SHOW DATABASES) are not \
        reported here.
        """

    /// Privileges that change data, schemas or stored code. `ALL` is DBIAM201's.
    static let writePrivileges: Set<Privilege> = Set([
        "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "INDEX", "CREATE VIEW", "TRIGGER",
        "EVENT", "CREATE ROUTINE", "ALTER ROUTINE", "DELETE HISTORY",
    ].map(Privilege.init))

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: Self.writePrivileges.contains).compactMap { user, grant in
            guard grant.target.level == .global else { return nil }
            let writes = grant.privileges(where: Self.writePrivileges.contains)
            guard let first = writes.first else { return nil }
            return finding(
                "\(user) may \(writes.map(\.name).joined(separator: ", ")) on *.*, the mysql schema and its grant tables included, so it can give itself any privilege; grant writes on the databases it works on instead.",
                at: grant.position(of: first))
        }
    }
}

/// DBIAM203: SUPER-class privileges that control the server rather than data.
public struct AdministrativePrivilege: LintRule {
    public init() {}

    public let id = "DBIAM203"
    public let name = "AdministrativePrivilege"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user is granted an administrative privilege (SUPER, SHUTDOWN, FILE, RELOAD, REPLICATION SLAVE, *_ADMIN, ...)."
    public let help = """
        These privileges act on the server, not on the data a person works with: SUPER \
        (kill any session, change global variables, write while read_only), SHUTDOWN, FILE \
        (read and write files with the server's rights), RELOAD (FLUSH, including FLUSH \
        TABLES WITH READ LOCK, which stops every write), REPLICATION SLAVE (read the binary \
        log: every change to every table, whatever the user's grants), MySQL 8's dynamic \
        `*_ADMIN` privileges, SET_USER_ID and SYSTEM_USER, and MariaDB's `... ADMIN`, SET \
        USER and BINLOG REPLAY. On RDS and Aurora the master user itself lacks several of \
        them (SUPER, FILE, SHUTDOWN), so the GRANT fails at apply.

        An IAM user is a person's everyday login; keep administration to the cluster's \
        admin account and to the RDS API (parameter groups, reboots), where it is audited.
        """

    static let administrativePrivileges: Set<Privilege> = Set([
        "SUPER", "SHUTDOWN", "FILE", "RELOAD", "REPLICATION SLAVE", "CREATE TABLESPACE",
        // MySQL 8 dynamic privileges that are not spelled *_ADMIN.
        "SET_USER_ID", "SYSTEM_USER", "REPLICATION_APPLIER", "AUDIT_ABORT_EXEMPT", "FIREWALL_EXEMPT",
        "SKIP_QUERY_REWRITE", "INNODB_REDO_LOG_ARCHIVE", "INNODB_REDO_LOG_ENABLE", "GROUP_REPLICATION_STREAM",
        // MariaDB's that are not spelled ... ADMIN.
        "SET USER", "BINLOG REPLAY",
    ].map(Privilege.init))

    static func isAdministrative(_ privilege: Privilege) -> Bool {
        administrativePrivileges.contains(privilege) || privilege.name.hasSuffix("_ADMIN") || privilege.name.hasSuffix(" ADMIN")
    }

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: Self.isAdministrative).flatMap { user, grant in
            grant.privileges(where: Self.isAdministrative).map { privilege in
                finding(
                    "\(user) is granted \(privilege), an administrative privilege over the whole server; keep administration to the cluster's admin account.",
                    at: grant.position(of: privilege))
            }
        }
    }
}

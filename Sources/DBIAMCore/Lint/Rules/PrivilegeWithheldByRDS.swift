/// DBIAM214: a privilege that RDS keeps from the master user, so no one can grant it.
public struct PrivilegeWithheldByRDS: LintRule {
    public init() {}

    public let id = "DBIAM214"
    public let name = "PrivilegeWithheldByRDS"
    public let severity = Diagnostic.Severity.error
    public let summary = "A user is granted a privilege that RDS withholds from the master user (SUPER, FILE, SHUTDOWN, BACKUP_ADMIN, SYSTEM_VARIABLES_ADMIN, ...), so the GRANT fails."
    public let help = """
        On RDS and Aurora no account holds SUPER or the administrative privileges that \
        would reach past the managed service: the master user, the most any account can \
        be, holds only what AWS lists in "Master user account privileges" (RDS User \
        Guide, UsingWithRDS.MasterAccounts; Aurora User Guide, the same page), and MySQL \
        lets an account grant only what it holds. A GRANT of anything else fails at apply \
        with an access-denied error, after the statements before it have run.

        What the master user holds, by engine (anything else is an error here):
        - aurora-mysql-3: the static privileges but SUPER, SHUTDOWN, FILE and CREATE \
        TABLESPACE; CREATE ROLE, DROP ROLE; APPLICATION_PASSWORD_ADMIN, CONNECTION_ADMIN, \
        ROLE_ADMIN, SET_USER_ID, SHOW_ROUTINE (3.04 and later), XA_RECOVER_ADMIN.
        - mysql-8.0 (RDS for MySQL 8.0.36 and later): the same without CONNECTION_ADMIN \
        and SHOW_ROUTINE (RDS for MySQL gave CONNECTION_ADMIN to the master user before \
        8.0.36 and no longer does).
        - aurora-mysql-2 and mysql-5.7: the static privileges but SUPER, SHUTDOWN, FILE \
        and CREATE TABLESPACE.
        So BACKUP_ADMIN, BINLOG_ADMIN, SYSTEM_VARIABLES_ADMIN, ENCRYPTION_KEY_ADMIN and \
        every other dynamic privilege not listed are refused, and so is ALL PRIVILEGES on \
        `*.*`, which includes them (ALL on `db.*` or a table is fine). The Aurora \
        privileges that call AWS (AWS_*_ACCESS, LOAD FROM S3, INVOKE LAMBDA, ...) are \
        DBIAM207's: the Aurora guides have the master user grant them.

        Remove the privilege from the grant; what it does is done on RDS through the RDS \
        API, parameter groups and the mysql.rds_* procedures. `mariadb` clusters are not \
        checked: the engine also stands for servers outside RDS.
        """

    /// The static privileges RDS's master user holds on every MySQL engine: all but
    /// SUPER, SHUTDOWN, FILE and CREATE TABLESPACE.
    private static let staticPrivileges = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "PROCESS", "REFERENCES", "INDEX", "ALTER",
        "SHOW DATABASES", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "REPLICATION SLAVE", "REPLICATION CLIENT",
        "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "CREATE USER", "EVENT", "TRIGGER",
        "GRANT OPTION", "USAGE",
    ]
    private static let mysql80Privileges = staticPrivileges + [
        "CREATE ROLE", "DROP ROLE", "APPLICATION_PASSWORD_ADMIN", "ROLE_ADMIN", "SET_USER_ID", "XA_RECOVER_ADMIN",
    ]

    /// What the master user holds, by engine; nil for engines this rule does not check.
    static func grantable(on engine: Engine) -> Set<Privilege>? {
        switch engine {
        case .auroraMySQL3: aurora3
        case .mysql80: mysql80
        case .auroraMySQL2, .mysql57: mysql57
        case .mariadb: nil
        }
    }

    private static let mysql57 = Set(staticPrivileges.map(Privilege.init))
    private static let mysql80 = Set(mysql80Privileges.map(Privilege.init))
    private static let aurora3 = Set((mysql80Privileges + ["CONNECTION_ADMIN", "SHOW_ROUTINE"]).map(Privilege.init))

    static func isWithheld(_ privilege: Privilege, on engine: Engine, at target: GrantTarget) -> Bool {
        guard let grantable = grantable(on: engine), !AWSIntegrationPrivilege.integrationPrivileges.contains(privilege) else { return false }
        if privilege == .allPrivileges { return target.level == .global }
        return !grantable.contains(privilege)
    }

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        let checked = manifest.clusters.filter { Self.grantable(on: $0.engine) != nil }
        guard !checked.isEmpty else { return [] }
        let engines = Engine.allCases.filter { engine in checked.contains { $0.engine == engine } }
        // Only grants of a privilege some engine withholds somewhere (ALL: on *.*) are read.
        let withheldSomewhere = { (privilege: Privilege) in engines.contains { Self.isWithheld(privilege, on: $0, at: .everything) } }
        return context.grants(holding: withheldSomewhere).flatMap { user, grant -> [Diagnostic] in
            // Most grants hold nothing RDS withholds: asked before the user's clusters are gathered.
            guard grant.privileges.contains(where: { privilege in engines.contains { Self.isWithheld(privilege, on: $0, at: grant.target) } }) else { return [] }
            let clusters = checked.filter { user.isOn($0.name) }
            return grant.privileges(where: { privilege in
                clusters.contains { Self.isWithheld(privilege, on: $0.engine, at: grant.target) }
            }).map { privilege in
                let refusing = clusters.filter { Self.isWithheld(privilege, on: $0.engine, at: grant.target) }
                    .map { "'\($0.name)' (\($0.engine.rawValue))" }.joined(separator: ", ")
                return finding(
                    "\(user) is granted \(privilege) on \(grant.target), which RDS withholds from the master user on \(refusing), so the GRANT fails at apply; remove it from the grant.",
                    at: grant.position(of: privilege))
            }
        }
    }
}

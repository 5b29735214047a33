import DBIAMCore
import MariaDB
import Testing
@testable import DBIAMEngine

/// The MySQL read path fed with result sets in MySQL 8.0's and 5.7's column layout
/// (`MySQLResultSets`), without a server: what it reads, and what dbiam plans from it.
struct MySQLStateReaderTests {
    typealias R = MySQLResultSets

    static func privileges(_ names: String...) -> Set<Privilege> { Set(names.map(Privilege.init)) }
    static func privileges(_ names: [String]) -> Set<Privilege> { Set(names.map(Privilege.init)) }
    static func account(_ user: String, _ host: String = "%") -> AccountName { AccountName(user: user, host: host) }
    static func role(_ name: String) -> RoleName { RoleName(name: name, host: "%") }

    static let orders = GrantTarget(database: "orders", table: nil)
    static let masterGlobal = privileges([
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "PROCESS", "GRANT OPTION", "REFERENCES", "INDEX",
        "ALTER", "SHOW DATABASES", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "REPLICATION SLAVE",
        "REPLICATION CLIENT", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "CREATE USER", "EVENT",
        "TRIGGER", "CREATE ROLE", "DROP ROLE",
    ] + R.masterDynamic)

    static let aurora3Expected: [LiveAccount] = [
        LiveAccount(name: account("AWS_SELECT_S3_ACCESS"), plugin: "mysql_native_password", sslType: "", grants: [:]),
        LiveAccount(
            name: account("admin"), plugin: "mysql_native_password", sslType: "", grants: [.everything: masterGlobal],
            otherGrants: [.role(role("rds_superuser_role")), .defaultRoles([role("rds_superuser_role")])]),
        LiveAccount(
            name: account("alice"), plugin: "AWSAuthenticationPlugin", sslType: "ANY",
            grants: [
                .everything: privileges("SELECT", "PROCESS", "SYSTEM_VARIABLES_ADMIN", "SHOW_ROUTINE", "GRANT OPTION"),
                orders: privileges("SELECT", "SHOW VIEW"),
                GrantTarget(database: "app\\_%", table: nil, databaseIsPattern: true): privileges("SELECT"),
                GrantTarget(database: "orders", table: "invoices"): privileges("INSERT", "UPDATE", "GRANT OPTION"),
            ],
            otherGrants: [
                .role(role("orders_read")),
                .columns(GrantTarget(database: "orders", table: "customers"), Privilege("SELECT"), ["email", "name"]),
                .columns(GrantTarget(database: "orders", table: "customers"), Privilege("UPDATE"), ["name"]),
                .routine(Routine(type: "PROCEDURE", database: "orders", name: "refund"), privileges("EXECUTE", "ALTER ROUTINE")),
                .proxy(account("app")),
            ],
            partialRevokes: ["mysql": privileges("SELECT")]),
        LiveAccount(
            name: account("app"), plugin: "mysql_native_password", sslType: "",
            grants: [orders: privileges(
                "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "REFERENCES", "INDEX", "ALTER", "CREATE TEMPORARY TABLES",
                "LOCK TABLES", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "EXECUTE", "EVENT", "TRIGGER")]),
        LiveAccount(
            name: account("bob", "10.0.%"), plugin: "AWSAuthenticationPlugin", sslType: "", grants: [:],
            otherGrants: [.role(role("orders_read")), .role(role("reporting")), .defaultRoles([role("orders_read"), role("reporting")])]),
        LiveAccount(name: account("carol"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [.everything: privileges("SELECT")]),
        LiveAccount(
            name: account("dbiam_admin"), plugin: "AWSAuthenticationPlugin", sslType: "ANY",
            grants: [.everything: privileges("SELECT", "GRANT OPTION", "CREATE USER")]),
        LiveAccount(name: account("mysql.infoschema", "localhost"), plugin: "caching_sha2_password", sslType: "", grants: [.everything: privileges("SELECT")]),
        LiveAccount(
            name: account("mysql.session", "localhost"), plugin: "caching_sha2_password", sslType: "",
            grants: [
                .everything: privileges("SHUTDOWN", "SUPER", "SYSTEM_VARIABLES_ADMIN"),
                GrantTarget(database: "mysql", table: "user"): privileges("SELECT"),
            ]),
        LiveAccount(
            name: account("mysql.sys", "localhost"), plugin: "caching_sha2_password", sslType: "",
            grants: [GrantTarget(database: "sys", table: nil): privileges("TRIGGER")]),
        LiveAccount(name: account("orders_read"), plugin: "caching_sha2_password", sslType: "", grants: [orders: privileges("SELECT")], isRole: true),
        LiveAccount(name: account("rds_superuser_role"), plugin: "mysql_native_password", sslType: "", grants: [.everything: masterGlobal], isRole: true),
        LiveAccount(
            name: account("rdsadmin", "localhost"), plugin: "mysql_native_password", sslType: "",
            grants: [.everything: privileges([
                "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "SHUTDOWN", "PROCESS", "FILE", "GRANT OPTION",
                "REFERENCES", "INDEX", "ALTER", "SHOW DATABASES", "SUPER", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE",
                "REPLICATION SLAVE", "REPLICATION CLIENT", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE",
                "CREATE USER", "EVENT", "TRIGGER", "CREATE TABLESPACE", "CREATE ROLE", "DROP ROLE", "BACKUP_ADMIN",
            ])]),
        LiveAccount(
            name: account("reporting"), plugin: "caching_sha2_password", sslType: "",
            grants: [GrantTarget(database: "orders", table: "daily"): privileges("SELECT", "SHOW VIEW")], isRole: true),
    ]

    @Test func theBatchReadsRolesAndDynamicPrivilegesOnlyFromMySQL8() {
        let mysql8 = StateReader.mysqlStatements(privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        let mysql57 = StateReader.mysqlStatements(privilegeColumns: R.aurora2UserColumns, serverVersion: R.aurora2Version)
        #expect(mysql8.count == R.aurora3().count)
        #expect(mysql57.count == R.aurora2.count)
        #expect(mysql8.filter { $0.contains("global_grants") || $0.contains("role_edges") || $0.contains("default_roles") }.count == 3)
        #expect(mysql8.contains { $0.contains("Restrictions") && $0.contains("account_locked") })
        #expect(mysql8.last == "SELECT @@GLOBAL.read_only, @@GLOBAL.innodb_read_only, @@GLOBAL.partial_revokes")
        #expect(mysql57.last == "SELECT @@GLOBAL.read_only, @@GLOBAL.innodb_read_only")
        #expect(!mysql57.contains { $0.contains("global_grants") || $0.contains("role_edges") || $0.contains("default_roles") })
        #expect(mysql8[0] == "SELECT `User`, `Host`, `plugin`, `ssl_type`, " + R.mysql80UserColumns.map { "`\($0)`" }.joined(separator: ", ") + " FROM mysql.user WHERE User <> ''")
    }

    @Test func aurora3ReadsEveryAccountWithItsDynamicPrivilegesAndRoles() throws {
        let state = try StateReader.mysqlState(R.aurora3(), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        #expect(state.serverVersion == R.aurora3Version)
        #expect(!state.readOnly)
        #expect(state.partialRevokes)
        #expect(state.accounts.map(\.name) == Self.aurora3Expected.map(\.name))
        for (read, expected) in zip(state.accounts, Self.aurora3Expected) {
            #expect(read == expected)
        }
    }

    @Test func anAuroraReaderIsReadOnly() throws {
        let state = try StateReader.mysqlState(R.aurora3(innodbReadOnly: true), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        #expect(state.readOnly)
        // partial_revokes on is not read as read-only.
        let writer = try StateReader.mysqlState(R.aurora3(partialRevokes: true), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        #expect(!writer.readOnly)
        let without = try StateReader.mysqlState(R.aurora3(partialRevokes: false), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        #expect(!without.partialRevokes)
    }

    @Test func aurora2ReadsSevenResultSetsWithAuroraPrivilegeColumns() throws {
        let state = try StateReader.mysqlState(R.aurora2, privilegeColumns: R.aurora2UserColumns, serverVersion: R.aurora2Version)
        #expect(state.accounts.map(\.name) == [Self.account("admin"), Self.account("erin"), Self.account("mysql.sys", "localhost"), Self.account("rdsadmin", "localhost")])
        let admin = try #require(state.account(named: Self.account("admin")))
        #expect(admin.grants[.everything]?.isSuperset(of: Self.privileges("LOAD FROM S3", "SELECT INTO S3", "GRANT OPTION")) == true)
        #expect(admin.grants[.everything]?.contains(Privilege("CREATE ROLE")) == false)
        #expect(admin.otherGrants.isEmpty)
        let erin = try #require(state.account(named: Self.account("erin")))
        #expect(erin == LiveAccount(
            name: Self.account("erin"), plugin: "AWSAuthenticationPlugin", sslType: "ANY",
            grants: [
                .everything: Self.privileges("SELECT INTO S3", "REPLICATION CLIENT"),
                Self.orders: Self.privileges("SELECT", "EXECUTE"),
                GrantTarget(database: "orders", table: "invoices"): Self.privileges("SELECT", "INSERT"),
            ],
            otherGrants: [.routine(Routine(type: "FUNCTION", database: "orders", name: "total"), Self.privileges("EXECUTE"))]))
        let rdsadmin = try #require(state.account(named: Self.account("rdsadmin", "localhost")))
        #expect(rdsadmin.grants[.everything]?.isSuperset(of: Self.privileges("INVOKE LAMBDA", "INVOKE SAGEMAKER", "INVOKE COMPREHEND")) == true)
    }

    /// A 5.7 server's seven result sets read as 8.0's eleven would misplace every table:
    /// the count is checked before any row is read.
    @Test func resultSetsOfTheOtherVersionAreRefused() {
        #expect(throws: MariaDBError.self) {
            try StateReader.mysqlState(R.aurora2, privilegeColumns: R.aurora2UserColumns, serverVersion: R.aurora3Version)
        }
        #expect(throws: MariaDBError.self) {
            try StateReader.mysqlState(R.aurora3(), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora2Version)
        }
    }

    static func manifest(engine: String, users: String, roles: String = "") throws -> Manifest {
        let text = """
            version: 1
            clusters:
              orders-prod:
                account: "123456789012"
                region: ap-northeast-1
                resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ
                endpoint: orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
                engine: \(engine)
                tls_ca: ~/global-bundle.pem
                admin:
                  user: dbiam_admin
                  iam: true
            \(roles)
            users:
            \(users)
            """
        let result = ManifestLoader.load(Array(text.utf8))
        return try #require(result.manifest, "\(result.diagnostics)")
    }

    /// The manifest's users against the Aurora MySQL 3 accounts: every role, default role,
    /// column, routine and proxy grant of a managed account revoked in MySQL's syntax
    /// (roles with hosts, `SET DEFAULT ROLE NONE TO`), dynamic privileges and their
    /// grant option revoked and granted like static ones, RDS's accounts and the roles
    /// left alone.
    @Test func planningAgainstAurora3() throws {
        let manifest = try Self.manifest(engine: "aurora-mysql-3", users: """
              alice:
                clusters: [orders-prod]
                grants:
                  - on: "*.*"
                    privileges: [SELECT, PROCESS, SHOW_ROUTINE]
                  - on: orders.*
                    privileges: [SELECT, SHOW VIEW]
                  - on: orders.invoices
                    privileges: [INSERT]
              bob:
                clusters: [orders-prod]
                host: 10.0.%
                grants:
                  - on: orders.*
                    privileges: [SELECT]
              app:
                clusters: [orders-prod]
                grants:
                  - on: orders.*
                    privileges: [ALL]
              dave:
                clusters: [orders-prod]
                grants:
                  - on: "*.*"
                    privileges: [SELECT, XA_RECOVER_ADMIN, GRANT OPTION]
            """)
        let live = try StateReader.mysqlState(R.aurora3(), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        let decision = Planner(manifest: manifest).plan(try #require(manifest.clusters.first), live: live)
        #expect(decision.actions.map(\.statement.sql) == [
            "REVOKE SELECT (`email`, `name`) ON `orders`.`customers` FROM 'alice'@'%'",
            "REVOKE UPDATE (`name`) ON `orders`.`customers` FROM 'alice'@'%'",
            "REVOKE PROXY ON 'app'@'%' FROM 'alice'@'%'",
            "REVOKE 'orders_read'@'%' FROM 'alice'@'%'",
            "REVOKE ALTER ROUTINE, EXECUTE ON PROCEDURE `orders`.`refund` FROM 'alice'@'%'",
            "REVOKE SYSTEM_VARIABLES_ADMIN, GRANT OPTION ON *.* FROM 'alice'@'%'",
            "REVOKE SELECT ON `app\\_%`.* FROM 'alice'@'%'",
            "REVOKE UPDATE, GRANT OPTION ON `orders`.`invoices` FROM 'alice'@'%'",
            "SET DEFAULT ROLE NONE TO 'bob'@'10.0.%'",
            "REVOKE 'orders_read'@'%' FROM 'bob'@'10.0.%'",
            "REVOKE 'reporting'@'%' FROM 'bob'@'10.0.%'",
            "CREATE USER 'dave'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "ALTER USER 'bob'@'10.0.%' REQUIRE SSL",
            "ALTER USER 'app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
            "ALTER USER 'app'@'%' REQUIRE SSL",
            // alice's partial revoke on mysql ends: the manifest leaves nothing out of her SELECT on *.*.
            "GRANT SELECT ON `mysql`.* TO 'alice'@'%'",
            "GRANT SELECT ON `orders`.* TO 'bob'@'10.0.%'",
            "GRANT SELECT, XA_RECOVER_ADMIN ON *.* TO 'dave'@'%' WITH GRANT OPTION",
        ])
        // carol is an IAM account the manifest does not list; prune is off.
        #expect(decision.warnings == ["'carol'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)"])
        #expect(decision.ownedIAMAccounts == 3)
    }

    @Test func planningAgainstAurora2() throws {
        let manifest = try Self.manifest(engine: "aurora-mysql-2", users: """
              erin:
                clusters: [orders-prod]
                grants:
                  - on: "*.*"
                    privileges: [SELECT INTO S3]
                  - on: orders.*
                    privileges: [SELECT]
            """)
        let live = try StateReader.mysqlState(R.aurora2, privilegeColumns: R.aurora2UserColumns, serverVersion: R.aurora2Version)
        let decision = Planner(manifest: manifest).plan(try #require(manifest.clusters.first), live: live)
        #expect(decision.actions.map(\.statement.sql) == [
            "REVOKE EXECUTE ON FUNCTION `orders`.`total` FROM 'erin'@'%'",
            "REVOKE REPLICATION CLIENT ON *.* FROM 'erin'@'%'",
            "REVOKE EXECUTE ON `orders`.* FROM 'erin'@'%'",
            "REVOKE INSERT, SELECT ON `orders`.`invoices` FROM 'erin'@'%'",
        ])
    }

    /// Roles and partial revokes on Aurora MySQL 3: a new role created (`'r'@'%'`) and
    /// granted its privileges before any user is given it, a role the manifest takes
    /// away revoked, the roles made default with `SET DEFAULT ROLE ALL`, and a database
    /// left out of a grant on `*.*` by a partial revoke after the grant.
    @Test func planningRolesAndPartialRevokesAgainstAurora3() throws {
        let manifest = try Self.manifest(
            engine: "aurora-mysql-3",
            users: """
                  bob:
                    clusters: [orders-prod]
                    host: 10.0.%
                    require_ssl: false
                    roles: [orders_read, billing_read]
                  carol:
                    clusters: [orders-prod]
                    grants:
                      - on: "*.*"
                        privileges: [SELECT, PROCESS]
                        except: [mysql, sys]
                """,
            roles: """
                roles:
                  orders_read:
                    clusters: [orders-prod]
                    grants:
                      - on: orders.*
                        privileges: [SELECT]
                  billing_read:
                    clusters: ["*"]
                    grants:
                      - on: billing.*
                        privileges: [SELECT]
                """)
        let live = try StateReader.mysqlState(R.aurora3(), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        let cluster = try #require(manifest.clusters.first)
        #expect(Planner(manifest: manifest).whyNotPlannable(cluster, live: live) == nil)
        let decision = Planner(manifest: manifest).plan(cluster, live: live)
        #expect(decision.actions.map(\.statement.sql) == [
            "REVOKE 'reporting'@'%' FROM 'bob'@'10.0.%'",
            "CREATE ROLE 'billing_read'@'%'",
            "GRANT SELECT ON `billing`.* TO 'billing_read'@'%'",
            "GRANT 'billing_read'@'%' TO 'bob'@'10.0.%'",
            "GRANT PROCESS ON *.* TO 'carol'@'%'",
            "SET DEFAULT ROLE ALL TO 'bob'@'10.0.%'",
            "REVOKE SELECT ON `mysql`.* FROM 'carol'@'%'",
            "REVOKE SELECT ON `sys`.* FROM 'carol'@'%'",
        ])
        let effects = decision.actions.map(\.effect)
        #expect(effects == [.destroy, .add, .add, .add, .add, .change, .destroy, .destroy])
        // The roles dbiam manages are part of what a saved plan depends on.
        let text = String(decoding: decision.dependencies, as: UTF8.self)
        #expect(text.contains("4:role\t11:orders_read\t1:%"))
    }

    @Test func aRoleThatIsAnAccountOrPartialRevokesTurnedOffStopTheCluster() throws {
        let roleNamedLikeAnAccount = try Self.manifest(
            engine: "aurora-mysql-3",
            users: """
                  bob:
                    clusters: [orders-prod]
                    roles: [app]
                """,
            roles: """
                roles:
                  app:
                    clusters: [orders-prod]
                """)
        let live = try StateReader.mysqlState(R.aurora3(), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        let cluster = try #require(roleNamedLikeAnAccount.clusters.first)
        let problem = try #require(Planner(manifest: roleNamedLikeAnAccount).whyNotPlannable(cluster, live: live))
        #expect(problem.contains("role app of the manifest is the account 'app'@'%'"))

        let partial = try Self.manifest(engine: "aurora-mysql-3", users: """
              carol:
                clusters: [orders-prod]
                grants:
                  - on: "*.*"
                    privileges: [SELECT]
                    except: [mysql]
            """)
        let off = try StateReader.mysqlState(R.aurora3(partialRevokes: false), privilegeColumns: R.mysql80UserColumns, serverVersion: R.aurora3Version)
        let refusal = try #require(Planner(manifest: partial).whyNotPlannable(cluster, live: off))
        #expect(refusal.contains("partial_revokes") && refusal.contains("OFF"))
        #expect(Planner(manifest: partial).whyNotPlannable(cluster, live: live) == nil)
    }
}

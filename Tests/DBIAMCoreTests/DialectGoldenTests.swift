@testable import DBIAMCore
import Testing

/// Every statement shape dbiam writes, in each engine's dialect, checked byte for byte
/// against Fixtures/golden/dialect/ENGINE.sql: a plan of one cluster that creates users
/// with and without REQUIRE SSL, switches a password account to IAM, changes REQUIRE,
/// grants and revokes static and dynamic privileges with and without GRANT OPTION on
/// `*.*`, `db.*` and `db.table`, revokes roles, default roles, column, routine and proxy
/// grants, and drops users; on engines with roles creates a role, grants and revokes
/// its privileges, gives it to users and makes it their default; on MySQL 8.0 leaves a
/// database out of a grant on `*.*` (partial revokes); then the same statements
/// combined as `apply` sends them.
struct DialectGoldenTests {
    /// What differs between engines in the fixture: privileges only the engine has, and
    /// whether it has roles and how it names them.
    struct Dialect: Sendable, CustomTestStringConvertible {
        var engine: Engine
        /// Granted on `*.*` to the new users, with GRANT OPTION.
        var globalPrivileges: [String]
        /// Held on `*.*` by a managed user and not in the manifest.
        var revokedGlobal: [String]
        /// nil: the engine has no roles. Otherwise the host MySQL gives a role (MariaDB: none).
        var roleHost: String??

        var testDescription: String { engine.rawValue }
    }

    static let dialects: [Dialect] = [
        Dialect(engine: .auroraMySQL3, globalPrivileges: ["PROCESS", "SHOW_ROUTINE", "XA_RECOVER_ADMIN"], revokedGlobal: ["SYSTEM_VARIABLES_ADMIN", "RELOAD"], roleHost: .some("%")),
        Dialect(engine: .auroraMySQL2, globalPrivileges: ["PROCESS", "SELECT INTO S3"], revokedGlobal: ["LOAD FROM S3", "RELOAD"], roleHost: nil),
        Dialect(engine: .mysql80, globalPrivileges: ["PROCESS", "ROLE_ADMIN", "SET_USER_ID"], revokedGlobal: ["BINLOG_ADMIN", "RELOAD"], roleHost: .some("%")),
        Dialect(engine: .mysql57, globalPrivileges: ["PROCESS", "REPLICATION CLIENT"], revokedGlobal: ["SUPER", "RELOAD"], roleHost: nil),
        Dialect(engine: .mariadb, globalPrivileges: ["PROCESS", "SLAVE MONITOR", "BINLOG MONITOR"], revokedGlobal: ["BINLOG ADMIN", "RELOAD"], roleHost: .some(nil)),
    ]

    static func manifest(_ dialect: Dialect) -> Manifest {
        let global = dialect.globalPrivileges.joined(separator: ", ")
        let hasRoles = dialect.roleHost != nil
        let roles = !hasRoles ? "" : """
            roles:
              orders_read:
                clusters: [orders-prod]
                grants:
                  - on: orders.*
                    privileges: [SELECT]
              billing_read:
                clusters: [orders-prod]
                grants:
                  - on: billing.*
                    privileges: [SELECT, SHOW VIEW]
            """
        let except = dialect.engine.hasPartialRevokes ? "\n        except: [mysql, sys]" : ""
        let newUserGrants = """
                \(hasRoles ? "roles: [billing_read]" : "")
                grants:
                  - on: "*.*"
                    privileges: [\(global)\(except.isEmpty ? "" : ", SELECT"), GRANT OPTION]\(except)
                  - on: orders.*
                    privileges: [SELECT, SHOW VIEW, GRANT OPTION]
                  - on: orders.invoices
                    privileges: [INSERT, UPDATE, GRANT OPTION]
            """
        return Manifests.valid("""
            version: 1
            clusters:
              orders-prod:
                account: "123456789012"
                region: ap-northeast-1
                resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ
                endpoint: orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
                engine: \(dialect.engine.rawValue)
                tls_ca: ~/global-bundle.pem
                prune: true
                admin:
                  user: dbiam_admin
                  iam: true
            \(roles)
            users:
              new_a:
                clusters: [orders-prod]
            \(newUserGrants)
              new_b:
                clusters: [orders-prod]
            \(newUserGrants)
              new_plain:
                clusters: [orders-prod]
                require_ssl: false
                grants:
                  - on: orders.*
                    privileges: [SELECT]
              legacy:
                clusters: [orders-prod]
                grants:
                  - on: orders.*
                    privileges: [SELECT]
              relaxed:
                clusters: [orders-prod]
                require_ssl: false
                grants:
                  - on: orders.*
                    privileges: [SELECT]
              held:
                clusters: [orders-prod]
                grants:
                  - on: "*.*"
                    privileges: [PROCESS]
                  - on: orders.*
                    privileges: [SELECT]
                  - on: orders.invoices
                    privileges: [SELECT]

            """)
    }

    static func live(_ dialect: Dialect) -> LiveState {
        func account(_ user: String) -> AccountName { AccountName(user: user, host: "%") }
        let orders = GrantTarget(database: "orders", table: nil)
        let invoices = GrantTarget(database: "orders", table: "invoices")
        var others: [OtherGrant] = [
            .columns(GrantTarget(database: "orders", table: "customers"), Privilege("SELECT"), ["email", "name"]),
            .routine(Routine(type: "PROCEDURE", database: "orders", name: "refund"), [Privilege("EXECUTE"), Privilege("ALTER ROUTINE")]),
            .proxy(account("legacy")),
        ]
        if let host = dialect.roleHost {
            let role = RoleName(name: "orders_read", host: host)
            others += [.role(role), .defaultRoles([role])]
        }
        let iam = AccountStatement.pluginName
        var roles: [LiveAccount] = []
        if let host = dialect.roleHost {
            roles.append(LiveAccount(
                name: AccountName(user: "orders_read", host: host ?? ""), plugin: "", sslType: "",
                grants: [orders: [Privilege("SELECT"), Privilege("DELETE")]], isRole: true))
        }
        return LiveState(accounts: roles + [
            LiveAccount(name: account("legacy"), plugin: "mysql_native_password", sslType: "", grants: [orders: [Privilege("SELECT")]]),
            LiveAccount(name: account("relaxed"), plugin: iam, sslType: "ANY", grants: [orders: [Privilege("SELECT")]]),
            LiveAccount(
                name: account("held"), plugin: iam, sslType: "ANY",
                grants: [
                    .everything: Set((["PROCESS"] + dialect.revokedGlobal).map(Privilege.init)),
                    orders: [Privilege("SELECT"), Privilege("DELETE"), .grantOption],
                    invoices: [Privilege("SELECT"), Privilege("UPDATE"), .grantOption],
                ],
                otherGrants: others),
            LiveAccount(name: account("leaver_1"), plugin: iam, sslType: "ANY", grants: [:]),
            LiveAccount(name: account("leaver_2"), plugin: iam, sslType: "ANY", grants: [:]),
            LiveAccount(name: account("dbiam_admin"), plugin: iam, sslType: "ANY", grants: [.everything: [.allPrivileges]]),
        ], serverVersion: dialect.engine == .mariadb ? "11.4.2-MariaDB" : "8.0.36")
    }

    @Test(arguments: dialects) func everyStatementShape(_ dialect: Dialect) throws {
        let manifest = Self.manifest(dialect)
        let cluster = try #require(manifest.clusters.first)
        let catalog = PrivilegeCatalog(engine: dialect.engine)
        for privilege in dialect.globalPrivileges + dialect.revokedGlobal {
            #expect(catalog.levels(of: Privilege.canonical(privilege)).contains(.global), "\(privilege) is not a global privilege of \(dialect.engine)")
        }
        let decision = Planner(manifest: manifest).plan(cluster, live: Self.live(dialect))
        let plan = ClusterPlan(name: cluster.name, endpoint: cluster.endpoint, port: cluster.port, actions: decision.actions, warnings: decision.warnings)
        let combined = CombinedStatement.combine(decision.actions.map(\.statement))
        let text = SQLFileRenderer.render(plan, manifestPath: "manifests/\(dialect.engine.rawValue).yaml", offline: false)
            + "\n-- The same statements as `dbiam apply` sends them, like shapes combined:\n"
            + combined.map { $0.sql + ";\n" }.joined()
        try Golden.check(text, "dialect/\(dialect.engine.rawValue).sql")
    }
}

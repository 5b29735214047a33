import AWSAuth
import DBIAMCore
import DBIAMTestSupport
import Foundation
import MariaDB
import Testing
@testable import DBIAMEngine

/// Roles of the manifest on the real server: created, granted their privileges, given
/// to users and made their default role, so that a login with an IAM token holds them.
@Suite(.serialized)
struct RoleTests {
    static let roles = """
        roles:
          dbiam_test_shop_read:
            clusters: ["*"]
            grants:
              - on: dbiam_test_shop.*
                privileges: [SELECT]
          dbiam_test_billing_read:
            clusters: [local]
            grants:
              - on: dbiam_test_billing.*
                privileges: [SELECT]
        """

    static func users(role: String?) -> String {
        """
          ssotest:
            clusters: [local]
            roles: [\(role ?? "")]
            grants:
              - on: dbiam_test_shop.orders
                privileges: [SHOW VIEW]
        """
    }

    static func local(role: String?) -> LocalCluster {
        LocalCluster(manifest: localManifest(users: users(role: role), roles: roles))
    }

    /// What a login with a token dbiam signed sees: its current role, and whether it
    /// may read each table.
    static func login(_ user: String) throws -> (role: String?, reads: [String: Bool]) {
        let credentials = AWSCredentials(accessKeyID: LocalServer.testKey.id, secretAccessKey: LocalServer.testKey.secret, source: "test")
        let token = RDSAuthToken.make(
            RDSAuthTokenRequest(hostname: LocalServer.host, port: LocalServer.port, region: LocalServer.region, username: user),
            credentials: credentials, at: Date())
        let connection = try Connection(ConnectionOptions(
            host: LocalServer.host, port: LocalServer.port, user: user, password: Secret(token), cleartextPassword: true,
            tls: .verified(caFile: LocalServer.caFile)))
        let role = try connection.rows("SELECT CURRENT_ROLE()").rows.first?.first ?? nil
        var reads: [String: Bool] = [:]
        for table in ["dbiam_test_shop.orders", "dbiam_test_billing.invoices"] {
            do {
                _ = try connection.rows("SELECT COUNT(*) FROM \(table)")
                reads[table] = true
            } catch {
                // ERROR 1142: SELECT command denied.
                #expect(error.code == 1142, "\(error)")
                reads[table] = false
            }
        }
        return (role, reads)
    }

    static func makeTables(_ connection: Connection) throws {
        try connection.query("""
            CREATE DATABASE dbiam_test_shop;
            CREATE TABLE dbiam_test_shop.orders (id INT);
            CREATE DATABASE dbiam_test_billing;
            CREATE TABLE dbiam_test_billing.invoices (id INT)
            """)
    }

    @Test func aUserLogsInWithATokenAndHoldsItsRole() async throws {
        let connection = try resetLocalServer()
        try Self.makeTables(connection)
        let local = Self.local(role: "dbiam_test_shop_read")
        #expect(try await local.plan().actions.map(\.sql) == [
            "CREATE ROLE 'dbiam_test_shop_read'",
            "CREATE ROLE 'dbiam_test_billing_read'",
            "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT SELECT ON `dbiam\\_test\\_shop`.* TO 'dbiam_test_shop_read'",
            "GRANT SELECT ON `dbiam\\_test\\_billing`.* TO 'dbiam_test_billing_read'",
            "GRANT SHOW VIEW ON `dbiam_test_shop`.`orders` TO 'ssotest'@'%'",
            "GRANT 'dbiam_test_shop_read' TO 'ssotest'@'%'",
            "SET DEFAULT ROLE 'dbiam_test_shop_read' FOR 'ssotest'@'%'",
        ])
        #expect(try await local.converge().succeeded)
        #expect(try await local.plan().actions.isEmpty)

        let login = try Self.login("ssotest")
        #expect(login.role == "dbiam_test_shop_read")
        #expect(login.reads == ["dbiam_test_shop.orders": true, "dbiam_test_billing.invoices": false])
    }

    /// Another role in the manifest: the old one revoked, the new one granted and made
    /// default; no role at all: revoked and no default role. Roles stay on the server.
    @Test func changingAUsersRoleRevokesTheOldOne() async throws {
        let connection = try resetLocalServer()
        try Self.makeTables(connection)
        try await Self.local(role: "dbiam_test_shop_read").converge()

        let billing = Self.local(role: "dbiam_test_billing_read")
        #expect(try await billing.plan().actions.map(\.sql) == [
            "REVOKE 'dbiam_test_shop_read' FROM 'ssotest'@'%'",
            "GRANT 'dbiam_test_billing_read' TO 'ssotest'@'%'",
            "SET DEFAULT ROLE 'dbiam_test_billing_read' FOR 'ssotest'@'%'",
        ])
        #expect(try await billing.converge().succeeded)
        #expect(try await billing.plan().actions.isEmpty)
        let login = try Self.login("ssotest")
        #expect(login.role == "dbiam_test_billing_read")
        #expect(login.reads == ["dbiam_test_shop.orders": false, "dbiam_test_billing.invoices": true])

        let none = Self.local(role: nil)
        #expect(try await none.plan().actions.map(\.sql) == [
            "SET DEFAULT ROLE NONE FOR 'ssotest'@'%'",
            "REVOKE 'dbiam_test_billing_read' FROM 'ssotest'@'%'",
        ])
        #expect(try await none.converge().succeeded)
        #expect(try await none.plan().actions.isEmpty)
        #expect(try Self.login("ssotest").role == nil)
        let roles = try connection.rows("SELECT User FROM mysql.global_priv WHERE JSON_EXTRACT(Priv, '$.is_role') = 'true' ORDER BY User").rows
        #expect(roles.map { $0.first ?? nil } == ["dbiam_test_billing_read", "dbiam_test_shop_read"])
    }

    /// MariaDB keeps a default role after the role is revoked by hand; the read sees it,
    /// and the plan takes it away.
    @Test func aDefaultRoleLeftAfterARevokeIsTakenAway() async throws {
        let connection = try resetLocalServer()
        try Self.makeTables(connection)
        try await Self.local(role: "dbiam_test_shop_read").converge()
        try connection.query("REVOKE 'dbiam_test_shop_read' FROM 'ssotest'@'%'")
        let stale = try connection.rows("SELECT JSON_VALUE(Priv, '$.default_role') FROM mysql.global_priv WHERE User = 'ssotest'").rows
        #expect(stale.map(Array.init) == [["dbiam_test_shop_read"]])
        let none = Self.local(role: nil)
        #expect(try await none.plan().actions.map(\.sql) == ["SET DEFAULT ROLE NONE FOR 'ssotest'@'%'"])
        #expect(try await none.converge().succeeded)
        #expect(try await none.plan().actions.isEmpty)
    }

    /// A role holds exactly the manifest's grants: a privilege given to it by hand is
    /// taken away, and a saved plan made before that grant is stale.
    @Test func privilegesGivenToARoleByHandAreRevoked() async throws {
        let connection = try resetLocalServer()
        try Self.makeTables(connection)
        let local = Self.local(role: "dbiam_test_shop_read")
        try await local.converge()
        let before = try await local.session().readState()
        try connection.query("GRANT INSERT ON dbiam_test_shop.* TO dbiam_test_shop_read; GRANT DELETE ON dbiam_test_billing.invoices TO dbiam_test_shop_read")
        let after = try await local.session().readState()
        let decision = Planner(manifest: local.manifest).plan(local.cluster, live: after)
        #expect(decision.actions.map(\.sql) == [
            "REVOKE INSERT ON `dbiam_test_shop`.* FROM 'dbiam_test_shop_read'",
            "REVOKE DELETE ON `dbiam_test_billing`.`invoices` FROM 'dbiam_test_shop_read'",
        ])
        #expect(decision.dependencies != Planner(manifest: local.manifest).plan(local.cluster, live: before).dependencies)
        #expect(try await local.converge().succeeded)
        #expect(try await local.plan().actions.isEmpty)
    }

    /// A role name with a quote, a backslash and a wildcard reaches the server as that
    /// name, is read back as that name (so the next plan is empty), and is the role a token
    /// login gets.
    @Test func aRoleNameWithQuotesAndWildcardsIsThatName() async throws {
        let connection = try resetLocalServer()
        try Self.makeTables(connection)
        let name = #"dbiam_test_o'r\%"#
        let roles = #"""
            roles:
              "dbiam_test_o'r\\%":
                clusters: [local]
                grants:
                  - on: dbiam_test_shop.*
                    privileges: [SELECT]
            """#
        let users = #"""
              ssotest:
                clusters: [local]
                roles: ["dbiam_test_o'r\\%"]
            """#
        let local = LocalCluster(manifest: localManifest(users: users, roles: roles))
        #expect(local.manifest.roles.map(\.name) == [name])
        #expect(try await local.converge().succeeded)
        #expect(try await local.plan().actions.isEmpty)
        let login = try Self.login("ssotest")
        #expect(login.role == name)
        #expect(login.reads["dbiam_test_shop.orders"] == true)
    }

    /// The safety rails refuse a statement on a role the manifest does not list, and
    /// a role granted that the manifest does not give.
    @Test func safetyRailsKeepToTheManifestsRoles() async throws {
        let connection = try resetLocalServer()
        try connection.query("CREATE ROLE dbiam_test_other")
        let local = Self.local(role: "dbiam_test_shop_read")
        let live = try await local.session().readState()
        let other = RoleName(name: "dbiam_test_other")
        let ssotest = AccountName(user: "ssotest", host: "%")
        let actions = [
            PlannedAction(.grant(.role(other), .everything, [Privilege("CREATE USER")]), reason: ""),
            PlannedAction(.grantRole(ssotest, other), reason: ""),
            PlannedAction(.grant(.account(other.rowName), .everything, [Privilege("SELECT")]), reason: ""),
        ]
        let violations = SafetyRails.violations(actions, on: local.cluster, manifest: local.manifest, live: live)
        #expect(violations.count == 3, "\(violations)")
    }
}

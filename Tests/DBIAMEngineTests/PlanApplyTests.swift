import DBIAMCore
import DBIAMTestSupport
import MariaDB
import Testing
@testable import DBIAMEngine

@Suite(.serialized)
struct PlanApplyTests {
    static let users = """
          ssotest:
            clusters: [local]
            grants:
              - on: dbiam_test_shop.*
                privileges: [SELECT, SHOW VIEW]
          oncall_dba:
            clusters: ["*"]
            grants:
              - on: "*.*"
                privileges: [PROCESS, SELECT]
        """

    let local = LocalCluster(manifest: localManifest(users: Self.users))

    @Test func emptyServerPlanApplyThenNoChanges() async throws {
        _ = try resetLocalServer()
        let first = try await local.plan()
        #expect(first.actions.map(\.sql) == [
            "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "CREATE USER 'oncall_dba'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT SELECT, SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'",
            "GRANT PROCESS, SELECT ON *.* TO 'oncall_dba'@'%'",
        ])
        let outcome = try await local.converge()
        #expect(outcome.succeeded)
        #expect(outcome.ran == [0, 1, 2, 3])
        #expect(try await local.plan().actions.isEmpty)
        let again = try await local.converge()
        #expect(again.total == 0 && again.succeeded)
    }

    @Test func driftMadeByHandIsPlannedExactlyAndRepaired() async throws {
        let connection = try resetLocalServer()
        try await local.converge()
        try connection.query("""
            GRANT INSERT ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%';
            REVOKE SHOW VIEW ON `dbiam\\_test\\_shop`.* FROM 'ssotest'@'%';
            ALTER USER 'ssotest'@'%' REQUIRE NONE;
            ALTER USER 'oncall_dba'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('temporary-password')
            """)
        let drifted = try await local.plan()
        #expect(drifted.actions.map(\.sql) == [
            "REVOKE INSERT ON `dbiam\\_test\\_shop`.* FROM 'ssotest'@'%'",
            "ALTER USER 'ssotest'@'%' REQUIRE SSL",
            "ALTER USER 'oncall_dba'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
            "GRANT SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'",
        ])
        #expect(try await local.converge().succeeded)
        #expect(try await local.plan().actions.isEmpty)

        try connection.query("DROP USER 'ssotest'@'%'")
        #expect(try await local.plan().actions.map(\.sql) == [
            "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT SELECT, SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'",
        ])
        #expect(try await local.converge().succeeded)
        #expect(try await local.plan().actions.isEmpty)
    }

    /// A managed account holds exactly what the manifest says: a role granted by hand
    /// (with the power to create accounts), a column, a routine and a proxy grant are
    /// read in the same round trip, planned as revokes, and gone after apply.
    @Test func privilegesGrantedByHandOutsideTheManifestAreShownAndRevoked() async throws {
        let connection = try resetLocalServer()
        try await local.converge()
        try connection.query("""
            CREATE DATABASE dbiam_test_shop;
            CREATE TABLE dbiam_test_shop.customers (id INT, secret TEXT);
            CREATE PROCEDURE dbiam_test_shop.rotate() SELECT 1;
            CREATE ROLE dbiam_test_account_admin;
            GRANT CREATE USER ON *.* TO dbiam_test_account_admin;
            GRANT dbiam_test_account_admin TO 'ssotest'@'%';
            SET DEFAULT ROLE dbiam_test_account_admin FOR 'ssotest'@'%';
            GRANT SELECT (secret), UPDATE (secret, id) ON dbiam_test_shop.customers TO 'ssotest'@'%';
            GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE dbiam_test_shop.rotate TO 'ssotest'@'%';
            GRANT PROXY ON '\(LocalServer.adminUser)'@'%' TO 'oncall_dba'@'%'
            """)
        let session = try await local.session()
        let before = await session.roundTrips
        let live = try await session.readState()
        #expect(await session.roundTrips == before + 1)
        // A role is a row of the account table too, read as a role.
        #expect(live.accounts.filter { $0.name.user == "dbiam_test_account_admin" }.map(\.isRole) == [true])
        let drifted = Planner(manifest: local.manifest).plan(local.cluster, live: live)
        #expect(drifted.actions.map(\.sql) == [
            "REVOKE SELECT (`secret`) ON `dbiam_test_shop`.`customers` FROM 'ssotest'@'%'",
            "REVOKE UPDATE (`id`, `secret`) ON `dbiam_test_shop`.`customers` FROM 'ssotest'@'%'",
            "SET DEFAULT ROLE NONE FOR 'ssotest'@'%'",
            "REVOKE 'dbiam_test_account_admin' FROM 'ssotest'@'%'",
            "REVOKE ALTER ROUTINE, EXECUTE ON PROCEDURE `dbiam_test_shop`.`rotate` FROM 'ssotest'@'%'",
            "REVOKE PROXY ON '\(LocalServer.adminUser)'@'%' FROM 'oncall_dba'@'%'",
        ])
        #expect(drifted.actions.allSatisfy { $0.effect == .destroy && $0.destructive })
        #expect(try await local.converge().succeeded)
        #expect(try await local.plan().actions.isEmpty)
        let grants = try connection.rows("SHOW GRANTS FOR 'ssotest'@'%'").rows.compactMap { $0.first ?? nil }
        #expect(grants.count == 2, "\(grants)")
        #expect(!grants.contains { $0.contains("dbiam_test_account_admin") || $0.contains("secret") || $0.contains("PROCEDURE") })
        #expect(try connection.rows("SHOW GRANTS FOR 'oncall_dba'@'%'").rows.allSatisfy { !($0.first??.contains("PROXY") ?? false) })
    }

    /// `unmanaged` names accounts that prune never drops and no plan mentions, such as
    /// another manifest's IAM admin; without it, prune would drop that admin, and the
    /// plan says what it holds.
    @Test func unmanagedAccountsAreLeftAloneEvenWithPrune() async throws {
        let connection = try resetLocalServer()
        try connection.query("CREATE USER 'platform_admin'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'; GRANT ALL ON *.* TO 'platform_admin'@'%' WITH GRANT OPTION")
        let pruning = LocalCluster(manifest: localManifest(users: Self.users, prune: true))
        let careless = try await pruning.plan()
        #expect(careless.actions.map(\.sql).contains("DROP USER 'platform_admin'@'%'"))
        #expect(careless.warnings.contains("'platform_admin'@'%', which prune drops, holds CREATE USER: if it is another manifest's admin, list it under unmanaged"), "\(careless.warnings)")

        let text = LocalServer.manifestText(users: Self.users, prune: true)
            .replacingOccurrences(of: "prune: true", with: "prune: true\n    unmanaged: [\"platform_*\", \(LocalServer.iamAdminUser)]")
        let careful = LocalCluster(manifest: try #require(ManifestLoader.load(Array(text.utf8)).manifest, "\(text)"))
        let plan = try await careful.plan()
        #expect(!plan.actions.contains { $0.sql.contains("platform_admin") || $0.sql.contains(LocalServer.iamAdminUser) })
        #expect(plan.warnings.isEmpty)
        #expect(try await careful.converge().succeeded)
        let names = try StateReader.read(from: connection).accounts.map(\.name.user)
        #expect(names.contains("platform_admin") && names.contains(LocalServer.iamAdminUser))
        // apply's last check refuses a statement on an unmanaged account, whoever planned it.
        let violations = SafetyRails.violations(
            [PlannedAction(.dropUser(AccountName(user: "platform_admin", host: "%")), reason: "edited plan")],
            on: careful.cluster, manifest: careful.manifest, live: try StateReader.read(from: connection))
        #expect(violations == ["DROP USER 'platform_admin'@'%': it would change an account the manifest leaves unmanaged"])
    }

    /// One user name on two hosts: two accounts with the same grants, converged
    /// together; a host taken out of the list goes with prune.
    @Test func severalHostsAreOneAccountEach() async throws {
        let connection = try resetLocalServer()
        let users = Self.users.replacingOccurrences(of: "  ssotest:\n    clusters: [local]\n", with: "  ssotest:\n    clusters: [local]\n    hosts: [\"10.0.1.%\", \"10.0.2.%\"]\n")
        #expect(users != Self.users)
        let twoHosts = LocalCluster(manifest: localManifest(users: users, prune: true))
        #expect(try await twoHosts.converge().succeeded)
        #expect(try await twoHosts.plan().actions.isEmpty)
        for host in ["10.0.1.%", "10.0.2.%"] {
            let grants = try connection.rows("SHOW GRANTS FOR 'ssotest'@'\(host)'").rows.compactMap { $0.first ?? nil }
            #expect(grants.contains("GRANT SELECT, SHOW VIEW ON `dbiam\\_test\\_shop`.* TO `ssotest`@`\(host)`"), "\(grants)")
        }
        let oneHost = LocalCluster(manifest: localManifest(users: users.replacingOccurrences(of: ", \"10.0.2.%\"", with: ""), prune: true))
        #expect(try await oneHost.plan().actions.map(\.sql).contains("DROP USER 'ssotest'@'10.0.2.%'"))
    }

    @Test func pruneOffWarnsAndPruneOnDrops() async throws {
        let connection = try resetLocalServer()
        try await local.converge()
        try connection.query("""
            CREATE USER 'stray'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
            CREATE USER 'app'@'%' IDENTIFIED BY 'app-password'
            """)
        // The stand-in's IAM admin is an IAM account this manifest does not list, like stray.
        let kept = try await local.plan()
        #expect(kept.actions.isEmpty)
        #expect(kept.warnings == [
            "'\(LocalServer.iamAdminUser)'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)",
            "'stray'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)",
        ])

        let pruning = LocalCluster(manifest: localManifest(users: Self.users, prune: true))
        #expect(try await pruning.plan().actions.map(\.sql) == ["DROP USER '\(LocalServer.iamAdminUser)'@'%'", "DROP USER 'stray'@'%'"])
        #expect(try await pruning.converge().succeeded)
        let names = try StateReader.read(from: connection).accounts.map(\.name.user)
        #expect(!names.contains("stray"))
        for untouched in ["app", LocalServer.adminUser, "root", "mariadb.sys", "ssotest", "oncall_dba"] {
            #expect(names.contains(untouched), "\(untouched) must be left alone")
        }
    }

    @Test func lockAndReadReadsUnderTheLockAndChangesNothing() async throws {
        let connection = try resetLocalServer()
        try connection.query("CREATE USER 'bystander'@'%' IDENTIFIED BY 'x'")
        let session = try await local.session()
        let live = try await session.lockAndRead(localLock)
        #expect(live.account(named: AccountName(user: "bystander", host: "%")) != nil)
        #expect(try connection.rows("SELECT IS_USED_LOCK('\(localLock.name)') IS NOT NULL").rows.first?.first == "1")
        let names = try StateReader.read(from: connection).accounts.map(\.name.user)
        #expect(!names.contains("ssotest"))
        // Given back without applying: another apply can take it.
        await session.releaseApplyLock()
        let other = try await local.session()
        _ = try await other.lockAndRead(localLock)
        await other.releaseApplyLock()
    }

    @Test func secondConcurrentApplyFailsAtOnce() async throws {
        _ = try resetLocalServer()
        let first = try await local.session()
        let second = try await local.session()
        let live = try await first.lockAndRead(localLock)
        do {
            _ = try await second.lockAndRead(localLock)
            Issue.record("two applies held the lock at once")
        } catch .locked(let holder) {
            #expect(holder > 0)
        } catch {
            Issue.record("expected the lock error, got \(error)")
        }
        let actions = Planner(manifest: local.manifest).plan(local.cluster, live: live).actions
        let outcome = await first.apply(actions, cluster: "local", engine: .mariadb) { _ in }
        #expect(outcome.succeeded)
        // Released after apply: the second can go now, and finds nothing to do.
        let again = try await second.lockAndRead(localLock)
        #expect(Planner(manifest: local.manifest).plan(local.cluster, live: again).actions.isEmpty)
        await second.releaseApplyLock()
    }

    /// The first Ctrl-C cancels apply's task: the round trip in flight finishes, no other
    /// is sent, and the outcome says what did not run.
    @Test func cancelledApplyStopsAfterTheRoundTripInFlight() async throws {
        let connection = try resetLocalServer()
        let session = try await local.session()
        let live = try await session.lockAndRead(localLock)
        let actions = Planner(manifest: local.manifest).plan(local.cluster, live: live).actions
        #expect(actions.count == 4)
        let oneAtATime = ApplyLimits(accountsPerStatement: 1, statementsPerRoundTrip: 1, bytesPerRoundTrip: 1 << 20)
        let outcome = await session.apply(actions, cluster: "local", engine: .mariadb, limits: oneAtATime) { event in
            // Ctrl-C while the first statement is under way: cancel the task that applies.
            if event.count == 1 { withUnsafeCurrentTask { $0?.cancel() } }
        }
        #expect(outcome.interrupted)
        #expect(!outcome.succeeded)
        #expect(outcome.ran == [0])
        #expect(outcome.notRun == [1, 2, 3])
        #expect(outcome.failure == nil)
        let names = try StateReader.read(from: connection).accounts.map(\.name.user)
        #expect(names.contains("ssotest") && !names.contains("oncall_dba"))
        #expect(try connection.rows("SELECT IS_USED_LOCK('\(localLock.name)')").rows.first?.first ?? nil == nil)
    }

    @Test func refusedStatementStopsTheClusterAndReportsWhatRan() async throws {
        _ = try resetLocalServer()
        let users = Self.users + """

              reporter:
                clusters: [local]
                grants:
                  - on: dbiam_test_missing.orders
                    privileges: [SELECT]
            """
        let cluster = LocalCluster(manifest: localManifest(users: users))
        let session = try await cluster.session()
        let planned = Planner(manifest: cluster.manifest).plan(cluster.cluster, live: try await session.lockAndRead(localLock))
        let failingIndex = try #require(planned.actions.firstIndex { $0.sql.contains("dbiam_test_missing") })
        let limits = ApplyLimits(accountsPerStatement: 1000, statementsPerRoundTrip: 2, bytesPerRoundTrip: 1 << 20)
        let outcome = await session.apply(planned.actions, cluster: "local", engine: .mariadb, limits: limits) { _ in }
        #expect(outcome.ran == Array(0..<failingIndex))
        #expect(outcome.failure?.actions == [failingIndex])
        #expect(outcome.failure?.verified == true)
        #expect(outcome.failure?.error.code == 1146)
        // What is left is exactly what did not run.
        let left = try await cluster.plan().actions.map(\.sql)
        #expect(left == planned.actions[failingIndex...].map(\.sql))
    }

    @Test func unreachableClustersFailWithReasonsWhileOthersArePlanned() async throws {
        _ = try resetLocalServer()
        let silent = try SilentListener()
        let closedPort = try ClosedPort.reserve()
        var manifest = local.manifest
        var closed = manifest.clusters[0]
        closed.name = "closed"
        closed.port = closedPort
        var blackhole = manifest.clusters[0]
        blackhole.name = "blackhole"
        blackhole.port = silent.port
        manifest.clusters += [closed, blackhole]
        let login = ClusterLogin(
            connectTimeout: 1, readTimeout: 1, writeTimeout: 1,
            environment: ["DBIAM_LOCAL_ADMIN_PASSWORD": LocalServer.adminPassword],
            resolvePath: { $0 }, iamToken: { _ in Secret("") })
        let readings = await Fleet.read(manifest.clusters, login: login, parallelism: 3)
        #expect(readings.map(\.cluster) == ["local", "closed", "blackhole"])
        #expect(readings[0].state != nil)
        #expect(readings[1].failure?.contains("cannot connect to 127.0.0.1:\(closedPort)") == true, "\(readings[1].failure ?? "")")
        #expect(readings[2].failure?.contains("did not answer") == true || readings[2].failure?.contains("no answer") == true, "\(readings[2].failure ?? "")")
    }
}

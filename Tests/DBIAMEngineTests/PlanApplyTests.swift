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

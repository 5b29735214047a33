import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// Things break on purpose during apply: the connection is cut, the server is killed,
/// some clusters refuse statements, the server hangs. dbiam must say what ran and what
/// did not, leave no lock behind, and a new plan must show exactly what is left.
@Suite(.serialized)
struct FaultTests {
    static let lockName = "dbiam.apply.cluster-LOCALAURORASTANDIN00000000"

    /// Users with one grant each on a database of their own: one GRANT statement per
    /// user, so an apply takes many round trips and can be interrupted in the middle.
    static func manyUsers(_ count: Int) -> String {
        (0..<count).map { "  fault\($0):\n    clusters: [local]\n    grants:\n      - on: dbiam_test_f\($0).*\n        privileges: [SELECT]\n" }.joined()
    }

    static func count(_ text: String, _ pattern: String) -> Int {
        text.components(separatedBy: pattern).count - 1
    }

    /// "cluster local: R of T statements ran; F failed (…); N did not run."
    static func summary(_ stdout: String) -> (ran: Int, total: Int, failed: Int, notRun: Int)? {
        let pattern = try! NSRegularExpression(pattern: #"cluster local: (\d+) of (\d+) statements ran; (\d+) failed .*; (\d+) did not run\."#)
        guard let match = pattern.firstMatch(in: stdout, range: NSRange(stdout.startIndex..., in: stdout)) else { return nil }
        let numbers = (1...4).compactMap { Range(match.range(at: $0), in: stdout).flatMap { Int(stdout[$0]) } }
        guard numbers.count == 4 else { return nil }
        return (numbers[0], numbers[1], numbers[2], numbers[3])
    }

    /// Waits for the server to notice a dead connection and drop its lock.
    static func lockIsFree(_ connection: Connection) -> Bool {
        for _ in 0..<100 {
            if (try? connection.rows("SELECT IS_USED_LOCK('\(lockName)')").rows.first?.first ?? nil) == nil { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func connectionCutDuringApplyIsReportedAndTheNextPlanShowsWhatIsLeft() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let proxy = try TCPProxy()
        defer { proxy.cut() }
        let dbiam = try DBIAMProcess()
        let users = Self.manyUsers(2000)
        let direct = LocalServer.manifestText(users: users)
        try dbiam.write(direct.replacingOccurrences(of: "port: \(LocalServer.port)", with: "port: \(proxy.port)"), to: "proxied.yaml")
        try dbiam.write(direct, to: "direct.yaml")
        #expect(try dbiam.run(["plan", "proxied.yaml"]).status == 0)

        let apply = try dbiam.start(["apply"])
        #expect(apply.waitForOutput(containing: "GRANT SELECT", timeout: 120))
        proxy.cut()
        let result = apply.finish()
        #expect(result.status == 1)
        #expect(result.stdout.contains("failed or may have run"), "\(result.stdout.suffix(600))")
        #expect(result.stdout.contains("the connection was lost before dbiam could check"))
        let summary = try #require(Self.summary(result.stdout), "\(result.stdout.suffix(600))")
        #expect(summary.total == 4000)
        #expect(summary.ran + summary.failed + summary.notRun == summary.total)
        #expect(summary.ran >= 2000, "the CREATE USER statements went first")
        #expect(Self.lockIsFree(connection), "the apply lock must not outlive the connection")

        // The new plan holds what did not run, and at most the statements in flight.
        let left = try dbiam.run(["plan", "direct.yaml"])
        let remaining = Self.count(left.stdout, "  + grant ")
        #expect(remaining >= summary.notRun && remaining <= summary.notRun + summary.failed, "\(remaining) left; summary \(summary)")
        #expect(Self.count(left.stdout, "  + user ") == 0)
        #expect(try dbiam.run(["apply"]).status == 0)
        #expect(try dbiam.run(["plan", "direct.yaml", "--detailed-exitcode"]).status == 0)
        try LocalServer.reset(connection)
    }

    @Test func serverKilledDuringApplyIsReportedAndApplyingAgainConverges() throws {
        var connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: Self.manyUsers(2000)), to: "local.yaml")
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let apply = try dbiam.start(["apply"])
        #expect(apply.waitForOutput(containing: "GRANT SELECT", timeout: 120))
        try LocalServer.kill()
        let result = apply.finish()
        #expect(result.status == 1)
        let summary = try #require(Self.summary(result.stdout), "\(result.stdout.suffix(600))")
        #expect(summary.ran + summary.failed + summary.notRun == summary.total)

        try LocalServer.start()
        connection = try LocalServer.connect()
        let left = try dbiam.run(["plan", "local.yaml"])
        let remaining = Self.count(left.stdout, "  + grant ")
        #expect(remaining >= summary.notRun && remaining <= summary.notRun + summary.failed, "\(remaining) left; summary \(summary)")
        #expect(try dbiam.run(["apply"]).status == 0)
        #expect(try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"]).status == 0)
        try LocalServer.reset(connection)
    }

    @Test func threeFailingClustersOfTwentyDoNotStopTheOthers() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let failing: Set<Int> = [5, 11, 17]
        var clusters = "", users = ""
        for index in 1...20 {
            let name = String(format: "c%02d", index)
            clusters += """
                  \(name):
                    account: "\(LocalServer.account)"
                    region: \(LocalServer.region)
                    resource_id: cluster-FAULTFAULTFAULTFAULT\(String(format: "%06d", index))
                    endpoint: \(LocalServer.host)
                    port: \(LocalServer.port)
                    engine: mariadb
                    tls_ca: \(LocalServer.caFile)
                    admin:
                      user: \(LocalServer.adminUser)
                      password_env: DBIAM_LOCAL_ADMIN_PASSWORD

                """
            let table = failing.contains(index) ? "dbiam_test_missing.orders" : "dbiam_test_\(name).*"
            users += """
                  \(name)_user:
                    clusters: [\(name)]
                    grants:
                      - on: \(table)
                        privileges: [SELECT]

                """
        }
        let dbiam = try DBIAMProcess()
        try dbiam.write("version: 1\nclusters:\n\(clusters)users:\n\(users)", to: "fleet.yaml")
        #expect(try dbiam.run(["plan", "fleet.yaml", "--parallelism", "20"]).status == 0)
        let apply = try dbiam.run(["apply", "--parallelism", "20"])
        #expect(apply.status == 1)
        #expect(apply.stdout.contains("Apply failed on 3 of 20 clusters; 17 applied completely."), "\(apply.stdout.suffix(800))")
        for index in failing {
            #expect(apply.stdout.contains(String(format: "cluster c%02d: 1 of 2 statements ran; 1 failed (ERROR 1146", index)))
        }
        let left = try dbiam.run(["plan", "fleet.yaml", "--parallelism", "20"])
        #expect(Self.count(left.stdout, "  + grant SELECT ON `dbiam_test_missing`.`orders`") == 3)
        #expect(left.stdout.contains("Plan: 3 to add, 0 to change, 0 to destroy."), "\(left.stdout.suffix(400))")
        try LocalServer.reset(connection)
    }

    @Test func hungServerNeverHoldsDbiamPastItsTimeout() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let proxy = try TCPProxy()
        defer { proxy.cut() }
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: Self.manyUsers(2000)).replacingOccurrences(of: "port: \(LocalServer.port)", with: "port: \(proxy.port)"), to: "proxied.yaml")
        #expect(try dbiam.run(["plan", "proxied.yaml"]).status == 0)
        let apply = try dbiam.start(["apply", "--timeout", "2"])
        #expect(apply.waitForOutput(containing: "GRANT SELECT", timeout: 120))
        proxy.stall()
        let started = Date()
        let result = apply.finish()
        #expect(result.status == 1)
        // libmariadb reports the read timeout as a lost connection (2013) or, inside
        // TLS, as a TLS error with the timeout in it (2026).
        #expect(result.stdout.contains("ERROR 2013") || result.stdout.contains("timed out"), "\(result.stdout.suffix(600))")
        // Generous: the point is that it returns once the timeout passes.
        #expect(Date().timeIntervalSince(started) < 60)
        proxy.cut()
        #expect(Self.lockIsFree(connection))
        try LocalServer.reset(connection)
    }
}

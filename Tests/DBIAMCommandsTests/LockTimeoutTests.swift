import DBIAMTestSupport
import Foundation
import MariaDB
import Testing
@testable import DBIAMCommands

/// `dbiam apply --lock-timeout`: how long an apply waits while another one holds a
/// cluster's lock.
@Suite(.serialized)
struct LockTimeoutTests {
    static let lock = "dbiam.apply.cluster-LOCALAURORASTANDIN00000000"

    /// The connection that holds the apply lock, if one does.
    func lockHolder(_ connection: Connection) throws -> String? {
        try connection.rows("SELECT IS_USED_LOCK('\(Self.lock)')").rows.first?.first ?? nil
    }

    /// Two applies of the same plan: the first takes the lock and reads, and then its
    /// CREATE USER waits behind the global read lock this test holds, so it keeps the
    /// apply lock for as long as the test needs. The second fails at once by default,
    /// fails after --lock-timeout, or waits, and then finds the plan applied by the first.
    @Test func aSecondApplyFailsAtOnceOrWaitsAsLongAsLockTimeoutSays() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: PlanApplyCommandTests.users), to: "local.yaml")
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.status == 0, "\(plan.output)")

        try connection.query("FLUSH TABLES WITH READ LOCK")
        var readLocked = true
        defer { if readLocked { _ = try? connection.query("UNLOCK TABLES") } }
        let first = try dbiam.start(["apply", "--timeout", "120"])
        var holder: String?
        for _ in 0..<3000 where holder == nil {
            holder = try lockHolder(connection)
            usleep(10_000)
        }
        let firstID = try #require(holder, "the first apply never took the lock: \(first.stdoutSoFar) \(first.stderrSoFar)")

        let started = Date()
        let atOnce = try dbiam.run(["apply"])
        #expect(atOnce.status == 1)
        #expect(Date().timeIntervalSince(started) < 10, "without --lock-timeout, apply does not wait")
        #expect(atOnce.stderr.contains(
            "dbiam: error: cluster local: another dbiam apply is running on this cluster (its connection \(firstID) holds dbiam's apply lock); wait for it to finish, then run dbiam plan again, or let apply wait for it with --lock-timeout (such as 2m).\n"),
            "\(atOnce.stderr)")
        #expect(!atOnce.stderr.contains("waiting"), "\(atOnce.stderr)")

        let waited = Date()
        let timedOut = try dbiam.run(["apply", "--lock-timeout", "2s"])
        #expect(timedOut.status == 1)
        #expect(Date().timeIntervalSince(waited) >= 2, "it waited the 2 seconds")
        #expect(timedOut.stderr.contains("dbiam: cluster local: another dbiam apply holds its lock (connection \(firstID)); waiting up to 2s for it to finish…\n"), "\(timedOut.stderr)")
        #expect(timedOut.stderr.contains("and did not finish within --lock-timeout 2s; wait for it to finish, then run dbiam plan again."), "\(timedOut.stderr)")
        #expect(timedOut.stderr.contains("dbiam: error: nothing was applied."))

        // The first Ctrl-C ends a wait within its one-second slice, as it ends an apply.
        let interrupted = try dbiam.start(["apply", "--lock-timeout", "2m"])
        #expect(interrupted.waitForError(containing: "waiting up to 2m for it to finish", timeout: 30), "\(interrupted.stderrSoFar)")
        let signalled = Date()
        interrupted.send(SIGINT)
        let stopped = interrupted.finish()
        #expect(stopped.status == 130, "\(stopped.output)")
        #expect(Date().timeIntervalSince(signalled) < 10)
        #expect(stopped.stdout.contains("Apply interrupted before any change; nothing was applied."), "\(stopped.output)")

        let second = try dbiam.start(["apply", "--lock-timeout", "2m"])
        #expect(second.waitForError(containing: "waiting up to 2m for it to finish", timeout: 30), "\(second.stderrSoFar)")
        try connection.query("UNLOCK TABLES")
        readLocked = false
        let firstResult = first.finish()
        #expect(firstResult.status == 0, "\(firstResult.output)")
        #expect(firstResult.stdout.contains("Apply complete! 4 added"), "\(firstResult.stdout)")
        let secondResult = second.finish()
        #expect(secondResult.status == 0, "\(secondResult.output)")
        #expect(secondResult.stdout.contains("The plan is already applied: local holds what it planned. Nothing was changed."), "\(secondResult.stdout)")
        #expect(try lockHolder(connection) == nil, "both released the lock")
        try LocalServer.reset(connection)
    }

    /// A value that is not a duration names the flag and says what to give.
    @Test func aBadValueNamesTheFlag() throws {
        let dbiam = try DBIAMProcess()
        for value in ["abc", "30", "-5s", "2x", "25h", "s", "1.5m", ""] {
            let result = try dbiam.run(["apply", "--lock-timeout", value, "plan.json"])
            #expect(result.status == 64, "\(value): \(result.output)")
            #expect(result.stderr.hasPrefix("dbiam: error: --lock-timeout needs a duration of at most 24h, such as 30s, 2m or 1h30m (0: fail at once), not '\(value)'.\n"), "\(value): \(result.stderr)")
        }
    }

    @Test func durationsAreWholeNumbersWithTheirUnits() {
        #expect(LockTimeout("0")?.seconds == 0)
        #expect(LockTimeout("0s")?.seconds == 0)
        #expect(LockTimeout("30s")?.seconds == 30)
        #expect(LockTimeout("2m")?.seconds == 120)
        #expect(LockTimeout("1h30m")?.seconds == 5400)
        #expect(LockTimeout("1m30s")?.seconds == 90)
        #expect(LockTimeout("24h")?.seconds == LockTimeout.maximumSeconds)
        #expect(LockTimeout("99999999999999999999s") == nil, "no overflow")
        for bad in ["", "30", "m", "2 m", "2M", "1d", "+2m", "2m30"] { #expect(LockTimeout(bad) == nil, "\(bad)") }
    }
}

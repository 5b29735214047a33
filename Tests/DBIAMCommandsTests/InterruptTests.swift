import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// Ctrl-C and SIGTERM sent to a real apply of thousands of accounts: the first lets the
/// round trip in flight finish, releases the lock, says what ran and what did not, and
/// exits 130 or 143; the second exits at once.
@Suite(.serialized)
struct InterruptTests {
    static let users = FaultTests.manyUsers(3000)

    /// "cluster local: interrupted: R of T statements ran; N did not run."
    static func interrupted(_ text: String) -> (ran: Int, total: Int, notRun: Int)? {
        let pattern = try! NSRegularExpression(pattern: #"cluster local: interrupted: (\d+) of (\d+) statements ran; (\d+) did not run\."#)
        guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        let numbers = (1...3).compactMap { Range(match.range(at: $0), in: text).flatMap { Int(text[$0]) } }
        return numbers.count == 3 ? (numbers[0], numbers[1], numbers[2]) : nil
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func firstSignalStopsAfterTheRoundTripInFlight(signal: Int32, exitCode: Int32) throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: Self.users), to: "local.yaml")
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)

        let apply = try dbiam.start(["apply"])
        #expect(apply.waitForOutput(containing: "GRANT SELECT", timeout: 120))
        apply.send(signal)
        let result = apply.finish()
        #expect(result.status == exitCode, "\(result.stderr.suffix(800))")
        #expect(result.stderr.contains("received: finishing the statements in flight, then stopping"))
        for stream in [result.stdout, result.stderr] {
            let summary = try #require(Self.interrupted(stream), "\(stream.suffix(800))")
            #expect(summary.total == 6000)
            #expect(summary.ran + summary.notRun == summary.total)
            #expect(summary.ran >= 3000 && summary.notRun > 0, "\(summary)")
            #expect(stream.contains("Apply interrupted: \(summary.ran) statements ran, \(summary.notRun) did not run; 0 of 1 cluster applied completely. Run dbiam plan to see what is left.\n"))
        }
        #expect(FaultTests.lockIsFree(connection), "the apply lock is released")
        let summary = try #require(Self.interrupted(result.stdout))
        // Nothing was in doubt: exactly what did not run is left.
        let left = try dbiam.run(["plan", "local.yaml"])
        #expect(FaultTests.count(left.stdout, "  + grant ") == summary.notRun)
        #expect(FaultTests.count(left.stdout, "  + user ") == 0)
        #expect(try dbiam.run(["apply"]).status == 0)
        #expect(try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"]).status == 0)
        try LocalServer.reset(connection)
    }

    /// The round trip in flight hangs (a stalled proxy): the second Ctrl-C does not wait for it.
    @Test func secondSignalExitsAtOnce() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let proxy = try TCPProxy()
        defer { proxy.cut() }
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: Self.users).replacingOccurrences(of: "port: \(LocalServer.port)", with: "port: \(proxy.port)"), to: "proxied.yaml")
        #expect(try dbiam.run(["plan", "proxied.yaml"]).status == 0)
        let apply = try dbiam.start(["apply", "--timeout", "120"])
        #expect(apply.waitForOutput(containing: "GRANT SELECT", timeout: 120))
        proxy.stall()
        apply.send(SIGINT)
        #expect(apply.waitForError(containing: "interrupt (SIGINT) received: finishing", timeout: 10))
        let started = Date()
        apply.send(SIGINT)
        let result = apply.finish()
        #expect(Date().timeIntervalSince(started) < 10, "the second signal must not wait for the stalled round trip")
        #expect(result.status == 130)
        #expect(result.stderr.contains("interrupt (SIGINT) received again: exiting at once. Statements in flight may or may not have run; run dbiam plan to see what is left."))
        proxy.cut()
        #expect(FaultTests.lockIsFree(connection), "the server releases the lock of a closed connection")
        try LocalServer.reset(connection)
    }
}

import DBIAMTestSupport
import Foundation
import Testing
@testable import DBIAMCommands

struct TerminalTests {
    /// `dbiam plan --offline` on a pseudo-terminal (script(1)): its stdout as the terminal showed it.
    func planOnATerminal(_ dbiam: DBIAMProcess, flags: String, noColor: String?) throws -> String {
        let (status, text) = try dbiam.runOnTerminal("plan local.yaml --offline \(flags)", environment: ["NO_COLOR": noColor])
        #expect(status == 0, "\(text)")
        return text
    }

    /// Colour on a terminal, also with an empty NO_COLOR (no-color.org: only a value
    /// turns it off), and never with a non-empty NO_COLOR or --no-color.
    @Test func colourOnATerminalUnlessNoColorHasAValueOrNoColorIsGiven() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: "  ssotest:\n    clusters: [local]\n    grants:\n      - on: shop.*\n        privileges: [SELECT]"), to: "local.yaml")
        let escape = "\u{1B}["
        #expect(try planOnATerminal(dbiam, flags: "", noColor: nil).contains(escape))
        #expect(try planOnATerminal(dbiam, flags: "", noColor: "").contains(escape))
        let withValue = try planOnATerminal(dbiam, flags: "", noColor: "1")
        #expect(!withValue.contains(escape) && withValue.contains("+ user"), "\(withValue)")
        let flagged = try planOnATerminal(dbiam, flags: "--no-color", noColor: "")
        #expect(!flagged.contains(escape) && flagged.contains("+ user"), "\(flagged)")
        // apply prints plans too, and takes the flag.
        let apply = try dbiam.run(["apply", "--no-color", "nothing-here.json"])
        #expect(apply.status == 1 && apply.stderr.contains("there is no saved plan at nothing-here.json"), "\(apply.output)")
    }

    /// A cluster that takes over 2 s: on a terminal's stderr, a status line says which one
    /// dbiam waits for, rewritten in place and erased before anything else is written;
    /// stdout, here a file, never holds it, nor does stderr when it is not a terminal.
    @Test func aSlowClusterShowsAWaitingLineOnATerminalOnly() throws {
        let silent = try SilentListener()
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestWithAnUnreachableCluster(port: silent.port), to: "slow.yaml")
        let arguments = ["plan", "slow.yaml", "--cluster", "down", "--connect-timeout", "5"]
        let (status, terminal) = try dbiam.runOnTerminal("\(arguments.joined(separator: " ")) > plan.txt")
        #expect(status == 1, "the cluster does not answer: \(terminal)")
        #expect(terminal.hasPrefix("waiting for cluster down (2 s)…\r\u{1B}[Kwaiting for cluster down (3 s)…"), "\(terminal.debugDescription)")
        // Each line is erased before the next, and before the error that follows.
        let shown = terminal.components(separatedBy: "waiting for cluster down (").dropFirst()
        #expect(shown.count >= 2)
        for line in shown { #expect(line.range(of: #"^[0-9]+ s\)…\r\x{1B}\[K"#, options: .regularExpression) != nil, "\(line.debugDescription)") }
        #expect(terminal.contains("\u{1B}[Kdbiam: error: 1 of 1 cluster could not be planned"), "\(terminal.debugDescription)")
        let plan = try #require(dbiam.read("plan.txt"))
        #expect(plan.contains("cluster down") && !plan.contains("waiting") && !plan.contains("\u{1B}"), "\(plan.debugDescription)")

        // Past the 2 s, in a shorter run.
        let piped = try dbiam.run(arguments.dropLast() + ["3"])
        #expect(piped.status == 1)
        #expect(!piped.output.contains("waiting") && !piped.output.contains("\u{1B}"), "\(piped.output)")
    }

    @Test func theWaitingLineNamesThreeClustersAtMost() {
        #expect(ClusterWait.line(clusters: ["orders-prod"], seconds: 3) == "waiting for cluster orders-prod (3 s)…")
        #expect(ClusterWait.line(clusters: ["a", "b", "c"], seconds: 2) == "waiting for clusters a, b, c (2 s)…")
        #expect(ClusterWait.line(clusters: ["a", "b", "c", "d", "e"], seconds: 9) == "waiting for clusters a, b, c and 2 more (9 s)…")
    }

    /// `dbiam plan | head`: the reader goes away; dbiam drops the rest of its output and
    /// finishes its work (an apply must still release its locks) instead of crashing.
    @Test func aReaderThatGoesAwayDoesNotStopDBIAM() throws {
        let dbiam = try DBIAMProcess()
        let users = (0..<3000).map { "  user_\($0):\n    clusters: [local]\n    grants:\n      - on: shop.*\n        privileges: [SELECT]" }.joined(separator: "\n")
        try dbiam.write(LocalServer.manifestText(users: users), to: "big.yaml")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; '\(DBIAMProcess.executable.path)' plan big.yaml --offline | head -c 100 > /dev/null"]
        process.currentDirectoryURL = dbiam.directory
        process.environment = dbiam.environment
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(!stderr.contains("Fatal error") && !stderr.contains("crashed"), "\(stderr)")
        #expect(dbiam.read("out/big.yaml/plan.json") != nil, "the plan was still saved")
    }
}

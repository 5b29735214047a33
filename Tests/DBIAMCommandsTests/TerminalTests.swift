import DBIAMTestSupport
import Foundation
import Testing

struct TerminalTests {
    /// `dbiam plan --offline` on a pseudo-terminal (script(1)): its stdout as the terminal showed it.
    func planOnATerminal(_ dbiam: DBIAMProcess, flags: String, noColor: String?) throws -> String {
        var environment = dbiam.environment
        environment["NO_COLOR"] = noColor
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(DBIAMProcess.executable.path)' plan local.yaml --offline \(flags)", "/dev/null"]
        process.currentDirectoryURL = dbiam.directory
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
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

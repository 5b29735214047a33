import DBIAMTestSupport
import Foundation
import Testing

struct TerminalTests {
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

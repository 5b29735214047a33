import Foundation

/// A test server written in Python (`Tests/*.py`), running in its own process until
/// released, with a folder of its own for its port file and its record of what it received.
public final class ScriptServer {
    public let port: Int
    /// What the script appended to its --record file.
    public let record: URL
    private let process: Process
    private let script: String

    /// Starts `Tests/<script>` with `arguments` plus --port-file and --record, and waits
    /// until it has written its port.
    public init(script: String, arguments: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-\(script)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        record = folder.appendingPathComponent("received")
        self.script = script
        let portFile = folder.appendingPathComponent("port")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", LocalServer.repositoryRoot.appendingPathComponent("Tests/\(script)").path]
            + arguments + ["--port-file", portFile.path, "--record", record.path]
        process.standardOutput = FileHandle.nullDevice
        try ChildSignals.unblocked { try process.run() }
        self.process = process
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        throw NotStarted(script: script)
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: record.deletingLastPathComponent())
    }

    /// The lines of the record so far.
    public var recordedLines: [String] {
        ((try? String(contentsOf: record, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    public struct NotStarted: Error, CustomStringConvertible {
        var script: String
        public var description: String { "Tests/\(script) did not start; is python3 on PATH?" }
    }
}

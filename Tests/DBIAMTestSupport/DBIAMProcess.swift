import Foundation

/// The built `dbiam` executable, run as a user runs it: arguments, environment,
/// working directory, and what it prints.
public struct DBIAMProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var output: String { stdout + stderr }
    }

    /// Next to the test bundle in the build folder.
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dbiam")
    }

    public var directory: URL
    public var environment: [String: String]
    /// A program dbiam runs under, such as `/usr/bin/time`, with its arguments.
    public var wrapper: [String] = []

    /// A fresh working directory and a fresh HOME (no ~/.aws of the machine's user),
    /// with the local admin password and no colour.
    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("home"), withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.appendingPathComponent("home").path,
            "DBIAM_LOCAL_ADMIN_PASSWORD": LocalServer.adminPassword,
            "NO_COLOR": "1",
        ]
    }

    /// Sets the environment of an AWS CLI user holding the stand-in's test key.
    public mutating func useTestCredentials(_ key: (id: String, secret: String) = LocalServer.testKey) {
        environment["AWS_ACCESS_KEY_ID"] = key.id
        environment["AWS_SECRET_ACCESS_KEY"] = key.secret
    }

    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    public func read(_ name: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    public func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        try start(arguments, stdin: stdin).finish()
    }

    /// dbiam on a pseudo-terminal (script(1)), as a person at a terminal runs it: its exit
    /// status and what the terminal showed. `arguments` are shell words, so a test can
    /// redirect stdout (`> plan.txt`) and leave only stderr on the terminal.
    public func runOnTerminal(_ arguments: String, environment extra: [String: String?] = [:]) throws -> (status: Int32, terminal: String) {
        var environment = self.environment
        for (name, value) in extra { environment[name] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "'\(Self.executable.path)' \(arguments)", "/dev/null"]
        process.currentDirectoryURL = directory
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let terminal = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, terminal)
    }

    /// A dbiam still running, whose output a test can watch before it ends.
    public final class Running {
        let process: Process
        let outputURL: URL
        let errorURL: URL
        let handles: [FileHandle]

        init(process: Process, outputURL: URL, errorURL: URL, handles: [FileHandle]) {
            self.process = process
            self.outputURL = outputURL
            self.errorURL = errorURL
            self.handles = handles
        }

        public var stdoutSoFar: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }
        public var stderrSoFar: String { (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "" }

        /// Waits until stdout holds `text` (true), or the process ended or the time is up (false).
        public func waitForOutput(containing text: String, timeout: TimeInterval) -> Bool {
            wait(timeout: timeout) { $0.stdoutSoFar.contains(text) }
        }

        /// Waits until stderr holds `text` (true), or the process ended or the time is up (false).
        public func waitForError(containing text: String, timeout: TimeInterval) -> Bool {
            wait(timeout: timeout) { $0.stderrSoFar.contains(text) }
        }

        private func wait(timeout: TimeInterval, until condition: (Running) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if condition(self) { return true }
                if !process.isRunning { return condition(self) }
                usleep(10_000)
            }
            return false
        }

        /// Sends a signal, as Ctrl-C (SIGINT) or a service manager (SIGTERM) would.
        public func send(_ signal: Int32) {
            kill(process.processIdentifier, signal)
        }

        public func finish() -> Result {
            process.waitUntilExit()
            for handle in handles { try? handle.close() }
            return Result(
                status: process.terminationStatus, stdout: stdoutSoFar,
                stderr: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
        }
    }

    /// Starts dbiam and returns at once. Output goes to files, which never fill up and
    /// block the child as pipes can.
    public func start(_ arguments: [String], stdin: String? = nil) throws -> Running {
        let process = Process()
        let command = wrapper + [Self.executable.path] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = environment
        process.currentDirectoryURL = directory
        let capture = directory.appendingPathComponent(".capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        let outputURL = capture.appendingPathComponent("stdout"), errorURL = capture.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL), errors = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = output
        process.standardError = errors
        let input = Pipe()
        process.standardInput = input
        try ChildSignals.unblocked { try process.run() }
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        return Running(process: process, outputURL: outputURL, errorURL: errorURL, handles: [output, errors])
    }

    /// Every file dbiam wrote under the working directory, with its content.
    public func writtenFiles() -> [(path: String, content: String)] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var files: [(String, String)] = []
        while let url = enumerator?.nextObject() as? URL {
            if let content = try? String(contentsOf: url, encoding: .utf8) { files.append((url.path, content)) }
        }
        return files
    }
}

/// A child starts with the signal mask of the thread that starts it, and threads of the
/// test runner block most signals: dbiam (or a fake server) would then never see the
/// SIGTERM a test sends. Children are started from a thread with none blocked, as a
/// shell starts them.
public enum ChildSignals {
    public static func unblocked<Result>(_ start: () throws -> Result) rethrows -> Result {
        var none = sigset_t(), previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try start()
    }
}

import Foundation

/// Runs the Python that holds the test oracles (PyYAML and the like). The Makefile points
/// `DBIAM_PYTHON` at the project's virtualenv; without it, `python3` from the PATH is used.
/// A missing interpreter or module is a failure that says how to fix it, never a skip.
enum Python {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let setupAdvice = "run `make setup` to create the virtualenv with the test oracles (or set DBIAM_PYTHON to a Python that has them)"

    /// Runs `script` with `input` on standard input and returns its standard output.
    /// The script should exit with status 3 when a module it needs is missing.
    static func run(_ script: String, input: Data) throws -> Data {
        let interpreter = ProcessInfo.processInfo.environment["DBIAM_PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Files rather than pipes: no deadlock whatever the sizes of input and output.
        let inputURL = directory.appendingPathComponent("stdin")
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)

        let process = Process()
        if interpreter.contains("/") {
            process.executableURL = URL(fileURLWithPath: interpreter)
            process.arguments = ["-c", script]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [interpreter, "-c", script]
        }
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start Python (\(interpreter)): \(error); \(setupAdvice)")
        }
        process.waitUntilExit()
        let errorText = String(decoding: (try? Data(contentsOf: errorURL)) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch process.terminationStatus {
        case 0:
            return try Data(contentsOf: outputURL)
        case 3:
            throw Failure(description: "Python (\(interpreter)) lacks a module the test needs: \(errorText); \(setupAdvice)")
        case 127:
            throw Failure(description: "Python (\(interpreter)) not found; \(setupAdvice)")
        default:
            throw Failure(description: "Python (\(interpreter)) failed with status \(process.terminationStatus): \(errorText)")
        }
    }
}

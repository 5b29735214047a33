import Foundation

/// Runs a command line with `/bin/sh -c`, collecting its standard output and standard
/// error, and stops it when it takes too long.
enum ShellCommand {
    struct Result: Sendable, Equatable {
        var exitStatus: Int32
        var standardOutput: Data
        var standardError: Data
    }

    enum Failure: Error, Equatable {
        case couldNotStart(reason: String)
        case timedOut
        /// The calling task was cancelled; the command was killed.
        case cancelled
    }

    /// Both pipes are drained as data arrives, so a command that fills one pipe while
    /// nothing reads it cannot block. On timeout, or when the calling task is cancelled,
    /// the shell and what it started are killed and no more output is waited for.
    static func run(_ commandLine: String, environment: [String: String], timeout: Duration) async throws(Failure) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", commandLine]
        process.environment = environment
        let standardOutput = Pipe()
        let standardError = Pipe()
        process.standardOutput = standardOutput
        process.standardError = standardError
        let (exitStatuses, exitStatusContinuation) = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished in
            exitStatusContinuation.yield(finished.terminationStatus)
            exitStatusContinuation.finish()
        }
        do {
            try process.run()
        } catch {
            throw .couldNotStart(reason: error.localizedDescription)
        }
        let outputChunks = chunks(from: standardOutput.fileHandleForReading)
        let errorChunks = chunks(from: standardError.fileHandleForReading)
        let processID = process.processIdentifier

        // The process and the clock race; a kill decides the race even when the killed
        // process is reported first.
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            group.addTask {
                async let output = collect(outputChunks)
                async let errors = collect(errorChunks)
                var exitStatus: Int32?
                for await status in exitStatuses { exitStatus = status }
                guard let exitStatus else { return .cancelled }
                return await .finished(Result(exitStatus: exitStatus, standardOutput: output, standardError: errors))
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                } catch {
                    return .cancelled
                }
                killProcessGroup(processID)
                return .timedOut
            }
            var outcomes: [Outcome] = []
            for await outcome in group {
                outcomes.append(outcome)
                group.cancelAll()
            }
            return outcomes
        }
        if outcomes.contains(.timedOut) { throw .timedOut }
        for case .finished(let result) in outcomes { return result }
        killProcessGroup(processID)
        throw .cancelled
    }

    private enum Outcome: Equatable {
        case finished(Result)
        case timedOut
        case cancelled
    }

    /// A thread of its own blocks on each pipe: FileHandle's readabilityHandler is not
    /// reliable on Linux, and a blocking read must not hold a thread of Swift's
    /// cooperative pool. Iterating stops when the pipe closes, a read fails (where
    /// `availableData` would trap) or the task is cancelled.
    private static func chunks(from handle: FileHandle) -> AsyncStream<Data> {
        AsyncStream { continuation in
            Thread {
                while let data = try? handle.read(upToCount: 1 << 16), !data.isEmpty {
                    continuation.yield(data)
                }
                continuation.finish()
            }.start()
        }
    }

    /// Process starts the command as the leader of a process group of its own on Linux,
    /// so killing the group also stops the programs the shell started, which would
    /// otherwise keep the pipes open. Killing the process itself covers platforms
    /// where it leads no group.
    private static func killProcessGroup(_ processID: Int32) {
        kill(-processID, SIGKILL)
        kill(processID, SIGKILL)
    }

    private static func collect(_ chunks: AsyncStream<Data>) async -> Data {
        var collected = Data()
        for await chunk in chunks { collected.append(chunk) }
        return collected
    }
}

import Foundation

/// Runs a command line with `/bin/sh -c`, collecting its standard output and standard
/// error, and stops it when it takes too long.
enum ShellCommand {
    struct Result: Sendable {
        var exitStatus: Int32
        var standardOutput: Data
        var standardError: Data
    }

    enum Failure: Error, Equatable {
        case couldNotStart(reason: String)
        case timedOut
    }

    /// Both pipes are drained as data arrives, so a command that fills one pipe while
    /// nothing reads it cannot block. On timeout the shell and what it started are
    /// killed, and no more output is waited for.
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
        let outputChunks = chunks(from: standardOutput.fileHandleForReading)
        let errorChunks = chunks(from: standardError.fileHandleForReading)
        do {
            try process.run()
        } catch {
            throw .couldNotStart(reason: error.localizedDescription)
        }
        let processID = process.processIdentifier

        let outcome = await withTaskGroup(of: Result?.self) { group in
            group.addTask {
                async let output = collect(outputChunks)
                async let errors = collect(errorChunks)
                var exitStatus: Int32?
                for await status in exitStatuses { exitStatus = status }
                guard let exitStatus else { return nil }
                return await Result(exitStatus: exitStatus, standardOutput: output, standardError: errors)
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { killProcessGroup(processID) }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let outcome else { throw .timedOut }
        return outcome
    }

    /// A thread of its own blocks on each pipe: FileHandle's readabilityHandler is not
    /// reliable on Linux, and a blocking read must not hold a thread of Swift's
    /// cooperative pool. Iterating stops when the pipe closes or the task is cancelled.
    private static func chunks(from handle: FileHandle) -> AsyncStream<Data> {
        AsyncStream { continuation in
            Thread {
                while case let data = handle.availableData, !data.isEmpty {
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

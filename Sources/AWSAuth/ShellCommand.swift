import Dispatch
import FoundationEssentials
import Glibc

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
        let process: ChildProcess
        do {
            process = try ChildProcess.start(
                "/bin/sh", arguments: ["-c", commandLine], environment: environment, standardOutput: .pipe,
                standardError: .pipe, ownProcessGroup: true)
        } catch {
            throw .couldNotStart(reason: error.reason)
        }
        let outputChunks = chunks(from: process.standardOutput!)
        let errorChunks = chunks(from: process.standardError!)
        let exitStatuses = exitStatus(of: process)
        let processID = process.processID

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

    /// A queue of its own blocks on each pipe: a blocking read must not hold a thread of
    /// Swift's cooperative pool. Iterating stops when the pipe closes, a read fails or the
    /// task is cancelled; the pipe is closed once it has been read.
    private static func chunks(from descriptor: Int32) -> AsyncStream<Data> {
        AsyncStream { continuation in
            DispatchQueue(label: "dbiam.credential-process.output").async {
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    continuation.yield(Data(buffer[..<count]))
                }
                close(descriptor)
                continuation.finish()
            }
        }
    }

    /// The command's exit status once it has ended (and been reaped), waited for on a
    /// queue of its own for the same reason.
    private static func exitStatus(of process: ChildProcess) -> AsyncStream<Int32> {
        AsyncStream { continuation in
            DispatchQueue(label: "dbiam.credential-process.exit").async {
                continuation.yield(process.waitForExit())
                continuation.finish()
            }
        }
    }

    /// ChildProcess starts the command as the leader of a process group of its own, so
    /// killing the group also stops the programs the shell started, which would
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

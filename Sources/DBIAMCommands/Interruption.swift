import ArgumentParser
import Glibc
import Synchronization

/// Ctrl-C and SIGTERM while dbiam changes clusters. The first cancels the work's task:
/// the applier lets the round trip in flight finish, sends no other, and the work
/// releases its locks and reports what ran. The second ends the process at once (the
/// server releases the locks of its closed connections).
enum Interruption {
    /// The first signal received (0 while none was), and how to cancel the work on it.
    private final class Received: Sendable {
        let signal = Atomic<Int32>(0)
        let cancelWork = Mutex<(@Sendable () -> Void)?>(nil)
    }

    /// Runs `work` in a task of its own with the signals caught, from before it starts to
    /// after it ends; returns its result and the signal that interrupted it, if one did.
    static func run<Result: Sendable>(_ work: @escaping @Sendable () async throws -> Result) async throws -> (result: Result, signal: Int32?) {
        let received = Received()
        let catcher = SignalCatcher([SIGINT, SIGTERM]) { number in
            if received.signal.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
                Terminal.writeError("dbiam: \(name(number)) received: finishing the statements in flight, then stopping; \(name(number)) again exits at once.\n")
                received.cancelWork.withLock { $0?() }
            } else {
                Terminal.writeError("dbiam: \(name(number)) received again: exiting at once. Statements in flight may or may not have run; run dbiam plan to see what is left.\n")
                _exit(exitCode(number).rawValue)
            }
        }
        defer { catcher.end() }
        let task = Task { try await work() }
        received.cancelWork.withLock { $0 = { task.cancel() } }
        // A signal that came before the task existed cancels it now (the lock orders the two).
        if received.signal.load(ordering: .relaxed) != 0 { task.cancel() }
        let result = try await task.value
        let number = received.signal.load(ordering: .relaxed)
        return (result, number == 0 ? nil : number)
    }

    /// 130 for SIGINT, 143 for SIGTERM: 128 and the signal's number, as shells report it.
    static func exitCode(_ signal: Int32) -> ExitCode { ExitCode(128 + signal) }

    static func name(_ signal: Int32) -> String { signal == SIGINT ? "interrupt (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)" }
}

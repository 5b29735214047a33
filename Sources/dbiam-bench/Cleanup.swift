import Dispatch
import Foundation
import MariaDB
import Synchronization

/// What the bench leaves behind when it stops, however it stops: no bench accounts on
/// the server, no child processes, no work folder. Runs at the end of a run and on
/// SIGINT or SIGTERM.
final class Cleanup: Sendable {
    private struct State {
        var children: Set<pid_t> = []
        var workDirectory: String?
        var done = false
        var interrupted = false
    }

    private let state = Mutex(State())
    private let serverOptions: ConnectionOptions

    init(serverOptions: ConnectionOptions) {
        self.serverOptions = serverOptions
    }

    func track(_ pid: pid_t) { state.withLock { _ = $0.children.insert(pid) } }
    func untrack(_ pid: pid_t) { state.withLock { _ = $0.children.remove(pid) } }
    func removeAtEnd(directory: String) { state.withLock { $0.workDirectory = directory } }
    func keepWorkDirectory() { state.withLock { $0.workDirectory = nil } }

    /// True once SIGINT or SIGTERM arrived: a child that failed then was stopped by us.
    var interrupted: Bool { state.withLock { $0.interrupted } }

    /// Stops the children, removes the bench accounts (on a connection of its own, so
    /// it works from a signal handler too) and the work folder. Runs once; a second
    /// caller waits until the first has finished.
    func run() {
        state.withLock { state in
            guard !state.done else { return }
            state.done = true
            for pid in state.children { ChildProcess.stop(pid) }
            state.children = []
            do {
                let connection = try Connection(serverOptions)
                // A stopped dbiam may have left a batch of statements running on the
                // server, which would make accounts after they were removed.
                try BenchServer.endBenchStatements(connection)
                try BenchServer.removeBenchAccounts(connection)
            } catch {
                FileHandle.standardError.write(Data(
                    "bench: could not remove the bench accounts (\(error)); remove the accounts named bench_… by hand.\n".utf8))
            }
            if let directory = state.workDirectory { try? FileManager.default.removeItem(atPath: directory) }
        }
    }

    /// Cleans up and exits on SIGINT and SIGTERM. Keep the returned sources alive for
    /// as long as the handlers should stay.
    func handleSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                state.withLock { $0.interrupted = true }
                FileHandle.standardError.write(Data("\nbench: interrupted; cleaning up.\n".utf8))
                run()
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }
}

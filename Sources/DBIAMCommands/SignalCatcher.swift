import Dispatch
import Glibc
import Synchronization

/// Where the handler writes the numbers of the signals it catches: set while a catcher
/// is installed. A global, as a signal handler can read nothing else.
private let caughtSignals = Atomic<Int32>(-1)

/// Catches signals with a plain handler, installed before `init` returns, that only
/// writes the signal's number to a pipe; a queue of its own, whose one block holds a
/// thread of its own (not one of Swift's cooperative pool), reads the pipe and hands each
/// signal to `handle`. (A dispatch signal source is armed later, on its queue, and a
/// SIGTERM sent in between was lost: `dbiam connect` then waited for its client.)
final class SignalCatcher: Sendable {
    private let signals: [Int32]
    private let previous: Mutex<[Int32: sigaction]>
    private let writeEnd: Int32

    init(_ signals: [Int32], handle: @escaping @Sendable (Int32) -> Void) {
        var ends: [Int32] = [-1, -1]
        pipe(&ends)
        self.signals = signals
        writeEnd = ends[1]
        let readEnd = ends[0]
        caughtSignals.store(ends[1], ordering: .sequentiallyConsistent)
        DispatchQueue(label: "dbiam.signals").async {
            var number: Int32 = 0
            while read(readEnd, &number, MemoryLayout<Int32>.size) == MemoryLayout<Int32>.size { handle(number) }
            close(readEnd)
        }
        var saved: [Int32: sigaction] = [:]
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var caught = number
                _ = write(caughtSignals.load(ordering: .sequentiallyConsistent), &caught, MemoryLayout<Int32>.size)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            sigaction(number, &action, &old)
            saved[number] = old
        }
        previous = Mutex(saved)
    }

    /// Gives the signals back their handling from before and stops the reader.
    func end() {
        previous.withLock { saved in
            for number in signals {
                guard var old = saved.removeValue(forKey: number) else { continue }
                sigaction(number, &old, nil)
            }
        }
        caughtSignals.store(-1, ordering: .sequentiallyConsistent)
        close(writeEnd)
    }
}

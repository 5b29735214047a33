import Dispatch

/// A serial executor on a dispatch queue of its own. libmariadb blocks its thread while
/// it waits for the network; on this executor it blocks a queue thread, not one of the
/// few threads of Swift's cooperative pool, so twenty slow clusters wait in parallel.
final class DispatchQueueExecutor: SerialExecutor {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Runs work that is not a Swift job (opening the connection) on the same queue.
    func run(_ body: @escaping @Sendable () -> Void) {
        queue.async(execute: body)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

import Dispatch
import Synchronization

/// The parts of one job that the thread running it takes one after another, and that
/// one more thread may take too once it has nothing else to do (`help()`): a plan
/// decodes its users on one core while its clusters are read, the second core being the
/// reads' and the server's, and on both once the reads are done. One job per instance.
public final class SharedParts: Sendable {
    private struct Job: Sendable {
        var count: Int
        var run: @Sendable (Int) -> Void
    }

    private let job = Mutex<Job?>(nil)
    private let next = Atomic<Int>(0)
    /// The parts being run, counted before each is taken, so that `map` waits for a part
    /// the helper took even when it takes it last.
    private let running = DispatchGroup()

    public init() {}

    /// `body` of each index in `0..<count`, in order on this thread and, after `help()`,
    /// on the helper's too; results in index order.
    func map<Result: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> Result) -> [Result] {
        let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
        let run: @Sendable (Int) -> Void = { index in
            let result = body(index)
            results.withLock { $0[index] = result }
        }
        job.withLock { $0 = Job(count: count, run: run) }
        runParts(of: Job(count: count, run: run))
        job.withLock { $0 = nil }
        running.wait()
        return results.withLock { $0.map { $0! } }
    }

    /// Takes the parts of the job under way that no thread has taken yet, on this thread;
    /// returns at once when there is no job.
    public func help() {
        guard let job = job.withLock({ $0 }) else { return }
        runParts(of: job)
    }

    private func runParts(of job: Job) {
        while true {
            running.enter()
            let index = next.add(1, ordering: .relaxed).oldValue
            guard index < job.count else {
                running.leave()
                return
            }
            job.run(index)
            running.leave()
        }
    }
}

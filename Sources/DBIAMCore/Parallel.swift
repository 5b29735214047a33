import Dispatch
import Synchronization

/// Work on the cores the machine has, for the large manifests where reading and
/// checking take tens of milliseconds: the parts are independent and come back in order.
enum Parallel {

    /// `body` of each index in `0..<count`, run concurrently, results in index order.
    static func map<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
        guard count > 1 else { return (0..<count).map(body) }
        let results = Mutex<[Result?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let result = body(index)
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// `0..<count` in `parts` ranges of nearly equal size, for `map`.
    static func ranges(_ count: Int, parts: Int) -> [Range<Int>] {
        let parts = max(1, min(parts, count))
        return (0..<parts).map { part in (count * part / parts)..<(count * (part + 1) / parts) }
    }
}

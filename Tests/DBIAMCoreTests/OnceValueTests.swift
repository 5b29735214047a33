@testable import DBIAMCore
import Synchronization
import Testing

struct OnceValueTests {
    /// Made on first use, once, however many threads ask at the same time; never made
    /// when nobody asks.
    @Test func theValueIsMadeOnceWhenFirstAskedFor() {
        let made = Atomic<Int>(0)
        let never = OnceValue<Int> {
            made.add(1, ordering: .relaxed)
            return 0
        }
        _ = never
        #expect(made.load(ordering: .relaxed) == 0)
        let once = OnceValue<[Int]> {
            made.add(1, ordering: .relaxed)
            return Array(0..<1000)
        }
        let seen = Parallel.map(64) { _ in once.value.count }
        #expect(seen == Array(repeating: 1000, count: 64))
        #expect(made.load(ordering: .relaxed) == 1)
    }
}

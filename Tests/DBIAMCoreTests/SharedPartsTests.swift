@testable import DBIAMCore
import Dispatch
import Glibc
import Synchronization
import Testing

struct SharedPartsTests {
    /// Alone, the thread that runs the job takes every part, in order.
    @Test func withoutHelpThePartsRunInOrderOnTheCallersThread() {
        let order = Mutex<[Int]>([])
        let shared = SharedParts()
        let results = shared.map(20) { index in
            order.withLock { $0.append(index) }
            return index * index
        }
        #expect(results == (0..<20).map { $0 * $0 })
        #expect(order.withLock { $0 } == Array(0..<20))
        // The job is over: a helper arriving now finds nothing to do and returns.
        shared.help()
    }

    /// A helper that joins in mid-job takes parts no one has taken: every part runs once,
    /// and the results come back in order, whoever ran them.
    @Test func aHelperTakesThePartsNoOneHasTaken() {
        let runs = Mutex<[Int: Int]>([:])
        let byHelper = Atomic<Int>(0)
        let shared = SharedParts()
        let jobStarted = DispatchSemaphore(value: 0)
        let helperRan = DispatchSemaphore(value: 0)
        let helperDone = DispatchSemaphore(value: 0)
        let caller = pthread_self()
        DispatchQueue.global().async {
            jobStarted.wait()
            shared.help()
            helperDone.signal()
        }
        let results = shared.map(50) { index in
            let onHelper = pthread_equal(pthread_self(), caller) == 0
            if onHelper {
                byHelper.add(1, ordering: .relaxed)
                helperRan.signal()
            }
            runs.withLock { $0[index, default: 0] += 1 }
            // The caller's first part waits until the helper has taken one of the others.
            if index == 0 && !onHelper {
                jobStarted.signal()
                helperRan.wait()
            }
            return index
        }
        helperDone.wait()
        #expect(results == Array(0..<50))
        #expect(runs.withLock { $0 } == Dictionary(uniqueKeysWithValues: (0..<50).map { ($0, 1) }))
        #expect(byHelper.load(ordering: .relaxed) > 0)
    }
}

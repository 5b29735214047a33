import DBIAMCore
import MariaDB

/// Why a cluster was not changed, or stopped part-way.
public enum ApplyError: Error, Sendable {
    /// Another apply holds the lock (the id of its connection).
    case locked(connectionID: Int)
    /// The live state no longer matches the plan.
    case stale
    case database(MariaDBError)
}

/// What happened to the statements of one cluster.
public struct ApplyOutcome: Sendable {
    public var cluster: String
    /// How many statements ran, from the first, in plan order.
    public var completed: Int
    public var total: Int
    /// The statement that failed (its index in the plan) and why; the ones after it did
    /// not run.
    public var failure: (index: Int, error: MariaDBError)?

    public var succeeded: Bool { failure == nil && completed == total }
}

/// One line of progress: a statement ran, or failed.
public struct ApplyProgress: Sendable {
    public var cluster: String
    public var index: Int
    public var total: Int
    public var action: PlannedAction
    public var error: MariaDBError?
}

/// Carries out a planned cluster on its connection.
enum Applier {
    /// Takes the apply lock and checks that the cluster still is as planned; on any
    /// problem the lock is released and nothing is changed.
    static func prepare(_ connection: Connection, expectedFingerprint: String?) throws(ApplyError) {
        let holder: Int?
        do { holder = try ApplyLock.acquire(connection) } catch { throw .database(error) }
        if let holder { throw .locked(connectionID: holder) }
        guard let expectedFingerprint else { return }
        let live: LiveState
        do {
            live = try StateReader.read(from: connection)
        } catch {
            try? ApplyLock.release(connection)
            throw .database(error)
        }
        if Digest.fingerprint(live) != expectedFingerprint {
            try? ApplyLock.release(connection)
            throw .stale
        }
    }

    /// Runs the planned statements in batches of many statements per round trip,
    /// stopping at the first the server refuses, then releases the lock.
    static func run(
        _ connection: Connection, actions: [PlannedAction], cluster: String, batchSize: Int,
        progress: (ApplyProgress) -> Void
    ) -> ApplyOutcome {
        var outcome = ApplyOutcome(cluster: cluster, completed: 0, total: actions.count, failure: nil)
        defer { try? ApplyLock.release(connection) }
        var start = 0
        while start < actions.count {
            let batch = actions[start..<min(start + batchSize, actions.count)]
            let result = connection.run(batch.map(\.sql).joined(separator: ";\n"))
            let ran = result.error == nil ? batch.count : result.results.count
            for (offset, action) in batch.prefix(ran).enumerated() {
                progress(ApplyProgress(cluster: cluster, index: start + offset, total: actions.count, action: action, error: nil))
            }
            outcome.completed += ran
            if let error = result.error {
                let index = start + ran
                outcome.failure = (index, error)
                progress(ApplyProgress(cluster: cluster, index: index, total: actions.count, action: actions[index], error: error))
                return outcome
            }
            start += batch.count
        }
        return outcome
    }
}

import DBIAMCore
import MariaDB

/// Why a cluster could not be locked and read for apply.
public enum ApplyError: Error, Sendable {
    /// Another apply holds the lock (the id of its connection).
    case locked(connectionID: Int)
    case database(MariaDBError)
}

/// What happened to the statements of one cluster, by their index in the plan.
public struct ApplyOutcome: Sendable {
    public struct Failure: Sendable {
        public var error: MariaDBError
        /// The statements the refused statement stood for that did not take effect.
        public var actions: [Int]
        /// False when the server could not be asked afterwards (the connection was
        /// lost), so some of `actions` may have taken effect: `dbiam plan` will tell.
        public var verified: Bool
    }

    public var cluster: String
    public var total: Int
    /// The statements that took effect, ascending.
    public var ran: [Int] = []
    public var failure: Failure?
    /// The statements after the failure or the interruption, which were not sent.
    public var notRun: [Int] = []
    /// The apply was asked to stop (its task cancelled) and stopped after the round trip
    /// in flight.
    public var interrupted = false

    public var succeeded: Bool { failure == nil && !interrupted }
}

/// One line of progress: a statement took effect, or failed.
public struct ApplyProgress: Sendable {
    public var cluster: String
    /// Where the statement is in the cluster's plan (and its SQL file), from 0.
    public var index: Int
    /// How many statements of the cluster have been reported, this one included.
    public var count: Int
    public var total: Int
    public var action: PlannedAction
    public var error: MariaDBError?
}

/// Carries out a planned cluster on its connection.
enum Applier {
    /// Takes the apply lock, waiting up to `patience` for another apply to release it,
    /// and reads the cluster under it, for the caller to plan again; if the read fails,
    /// the lock is released. Changes nothing.
    static func lockAndRead(
        _ connection: Connection, lock: ApplyLock, patience: Duration = .zero, waiting: (Int) -> Void = { _ in }
    ) throws(ApplyError) -> LiveState {
        let holder: Int?
        do { holder = try lock.acquire(connection, patience: patience, waiting: waiting) } catch { throw .database(error) }
        if let holder { throw .locked(connectionID: holder) }
        do {
            return try connection.during("read the grant tables under the apply lock") { connection throws(MariaDBError) in
                try StateReader.read(from: connection)
            }
        } catch {
            try? lock.release(connection)
            throw .database(error)
        }
    }

    /// Runs the planned statements, like ones combined into multi-account statements
    /// and many statements per round trip, stopping at the first the server refuses;
    /// then tells from the live state which accounts of that statement were changed,
    /// and releases the lock. When the task is cancelled (the first Ctrl-C), the round
    /// trip in flight finishes and no other is sent.
    static func run(
        _ connection: Connection, lock: ApplyLock, actions: [PlannedAction], cluster: String, catalog: PrivilegeCatalog,
        limits: ApplyLimits, progress: (ApplyProgress) -> Void
    ) -> ApplyOutcome {
        var outcome = ApplyOutcome(cluster: cluster, total: actions.count)
        defer { try? lock.release(connection) }
        func report(_ index: Int, _ error: MariaDBError? = nil) {
            if error == nil { outcome.ran.append(index) }
            progress(ApplyProgress(
                cluster: cluster, index: index, count: outcome.ran.count + (error == nil ? 0 : 1), total: actions.count, action: actions[index], error: error))
        }
        let statements = CombinedStatement.combine(actions.map(\.statement), maximumAccounts: limits.accountsPerStatement)
        var next = 0
        while next < statements.count {
            if Task.isCancelled {
                outcome.interrupted = true
                outcome.notRun = statements[next...].flatMap(\.members).sorted()
                break
            }
            var end = next, bytes = 0
            while end < statements.count, end - next < limits.statementsPerRoundTrip, end == next || bytes + statements[end].sql.utf8.count <= limits.bytesPerRoundTrip {
                bytes += statements[end].sql.utf8.count
                end += 1
            }
            let planned = statements[next..<end].reduce(0) { $0 + $1.members.count }
            let result = connection.during("apply \(planned == 1 ? "1 statement" : "\(planned) statements")") {
                $0.run(statements[next..<end].map(\.sql).joined(separator: ";\n"))
            }
            let completed = result.error == nil ? end - next : min(result.results.count, end - next)
            for statement in statements[next..<next + completed] {
                for member in statement.members { report(member) }
            }
            if let error = result.error, next + completed < statements.count {
                // The server runs none of a round trip after a statement it refuses; but
                // when the connection is lost, any statement of the round trip may have
                // run, so all of them are in doubt until a new plan reads the cluster.
                let live = try? connection.during("read the grant tables after the failure") { connection throws(MariaDBError) in
                    try StateReader.read(from: connection)
                }
                let failed = next + completed
                let doubtful = failed..<(live == nil ? end : failed + 1)
                let inDoubt = statements[doubtful].flatMap(\.members)
                var unfinished = inDoubt
                if let live {
                    unfinished = inDoubt.filter { !actions[$0].statement.isSatisfied(by: live, catalog: catalog) }
                    for member in inDoubt where !unfinished.contains(member) { report(member) }
                }
                for member in unfinished { report(member, error) }
                outcome.failure = ApplyOutcome.Failure(error: error, actions: unfinished, verified: live != nil)
                outcome.notRun = statements[doubtful.upperBound...].flatMap(\.members).sorted()
                outcome.ran.sort()
                return outcome
            }
            next = end
        }
        outcome.ran.sort()
        return outcome
    }
}

/// How much one statement and one round trip may carry. Fewer, larger statements are
/// faster (the server rebuilds its account cache once per statement), up to the point
/// where one statement does too much work at once; `make bench` measures it.
public struct ApplyLimits: Sendable {
    public var accountsPerStatement: Int
    public var statementsPerRoundTrip: Int
    public var bytesPerRoundTrip: Int

    public init(accountsPerStatement: Int = 1000, statementsPerRoundTrip: Int = 100, bytesPerRoundTrip: Int = 1 << 20) {
        self.accountsPerStatement = accountsPerStatement
        self.statementsPerRoundTrip = statementsPerRoundTrip
        self.bytesPerRoundTrip = bytesPerRoundTrip
    }

    public static let standard = ApplyLimits()
}

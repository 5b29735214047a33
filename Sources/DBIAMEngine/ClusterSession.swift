import DBIAMCore
import MariaDB

/// The one connection to one cluster, owned by an actor so that only one task ever
/// uses it. The actor runs on its own queue (see `DispatchQueueExecutor`).
public actor ClusterSession {
    private let executor: DispatchQueueExecutor
    private let connection: Connection

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(executor: DispatchQueueExecutor, connection: Connection) {
        self.executor = executor
        self.connection = connection
    }

    /// Connects on a queue of the session's own, so a slow server blocks only that queue.
    public static func open(_ options: ConnectionOptions, label: String) async throws(MariaDBError) -> ClusterSession {
        let executor = DispatchQueueExecutor(label: "dbiam.\(label)")
        let opened: Result<Connection, MariaDBError> = await withCheckedContinuation { continuation in
            executor.run {
                continuation.resume(returning: Result { () throws(MariaDBError) in try Connection(options) })
            }
        }
        return ClusterSession(executor: executor, connection: try opened.get())
    }

    /// Statements sent so far, for the figures that show reads do not grow with accounts.
    public var roundTrips: Int { connection.roundTrips }

    public func readState() throws(MariaDBError) -> LiveState {
        try StateReader.read(from: connection)
    }

    /// The apply lock this session holds, between `prepareApply` and the end of `apply`.
    private var heldLock: ApplyLock?

    /// Takes the cluster's apply lock and checks the cluster still matches the plan's
    /// fingerprint (nil skips the check); changes nothing.
    public func prepareApply(lock: ApplyLock, expectedFingerprint: String?) throws(ApplyError) {
        try Applier.prepare(connection, lock: lock, expectedFingerprint: expectedFingerprint)
        heldLock = lock
    }

    /// Gives the lock back without applying (another cluster of the same apply failed
    /// its checks).
    public func releaseApplyLock() {
        try? heldLock?.release(connection)
        heldLock = nil
    }

    /// Runs the statements after `prepareApply`, reporting each, and releases the lock.
    public func apply(
        _ actions: [PlannedAction], cluster: String, engine: Engine, limits: ApplyLimits = .standard,
        progress: @Sendable (ApplyProgress) -> Void
    ) -> ApplyOutcome {
        guard let lock = heldLock else {
            preconditionFailure("apply runs only after prepareApply took the lock")
        }
        heldLock = nil
        return Applier.run(
            connection, lock: lock, actions: actions, cluster: cluster, catalog: PrivilegeCatalog(engine: engine),
            limits: limits, progress: progress)
    }
}

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
        try connection.during("read the grant tables") { connection throws(MariaDBError) in try StateReader.read(from: connection) }
    }

    /// The apply lock this session holds, between `lockAndRead` and the end of `apply`.
    private var heldLock: ApplyLock?

    /// Takes the cluster's apply lock and reads the cluster under it; changes nothing.
    /// While another apply holds the lock, waits up to `patience` for it (`waiting` hears
    /// once that it does). The lock is held until `apply` ends or `releaseApplyLock`.
    public func lockAndRead(
        _ lock: ApplyLock, patience: Duration = .zero, waiting: @Sendable (_ holder: Int) -> Void = { _ in }
    ) throws(ApplyError) -> LiveState {
        let state = try Applier.lockAndRead(connection, lock: lock, patience: patience, waiting: waiting)
        heldLock = lock
        return state
    }

    /// Gives the lock back without applying (the cluster, or another cluster of the same
    /// apply, is not to be applied).
    public func releaseApplyLock() {
        try? heldLock?.release(connection)
        heldLock = nil
    }

    /// Runs the statements after `lockAndRead`, reporting each, and releases the lock.
    public func apply(
        _ actions: [PlannedAction], cluster: String, engine: Engine, limits: ApplyLimits = .standard,
        progress: @Sendable (ApplyProgress) -> Void
    ) -> ApplyOutcome {
        guard let lock = heldLock else {
            preconditionFailure("apply runs only after lockAndRead took the lock")
        }
        heldLock = nil
        return Applier.run(
            connection, lock: lock, actions: actions, cluster: cluster, catalog: PrivilegeCatalog(engine: engine),
            limits: limits, progress: progress)
    }
}

import DBIAMCore
import MariaDB

/// The named lock that keeps two `dbiam apply` runs off one cluster at once. It is
/// named after the cluster's resource id, which names the cluster whatever a manifest
/// calls it. A named lock belongs to its connection: if dbiam dies, the server
/// releases it.
public struct ApplyLock: Sendable, Hashable {
    public let name: String

    public init(resourceID: String) {
        // GET_LOCK names are at most 64 characters.
        name = String("dbiam.apply.\(resourceID)".prefix(64))
    }

    /// Takes the lock, waiting up to `patience` for the apply that holds it to finish;
    /// nil when taken, else the id of the connection that holds it. The server waits in
    /// slices of a second: one long GET_LOCK would outlast the connection's read timeout,
    /// and the first Ctrl-C (the task cancelled) ends the wait within a second. `waiting`
    /// hears once, with the holder, when the lock is taken and there is time to wait.
    func acquire(_ connection: Connection, patience: Duration = .zero, waiting: (Int) -> Void = { _ in }) throws(MariaDBError) -> Int? {
        guard var holder = try acquire(connection, seconds: 0, purpose: "take the apply lock") else { return nil }
        let deadline = ContinuousClock.now + patience
        if patience > .zero { waiting(holder) }
        while ContinuousClock.now < deadline, !Task.isCancelled {
            guard let next = try acquire(connection, seconds: 1, purpose: "wait for the apply lock") else { return nil }
            holder = next
        }
        return holder
    }

    private func acquire(_ connection: Connection, seconds: Int, purpose: String) throws(MariaDBError) -> Int? {
        let quoted = SQLText.string(name)
        let row = try connection.during(purpose) { connection throws(MariaDBError) in
            try connection.rows("SELECT GET_LOCK(\(quoted), \(seconds)), IS_USED_LOCK(\(quoted))").rows.first
        }
        if row?[0] == "1" { return nil }
        return Int(row?[1] ?? "") ?? 0
    }

    func release(_ connection: Connection) throws(MariaDBError) {
        try connection.during("release the apply lock") { connection throws(MariaDBError) in
            try connection.query("DO RELEASE_LOCK(\(SQLText.string(name)))")
        }
    }
}

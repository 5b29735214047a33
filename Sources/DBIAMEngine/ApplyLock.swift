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

    /// Takes the lock without waiting; nil when taken, else the id of the connection
    /// that holds it.
    func acquire(_ connection: Connection) throws(MariaDBError) -> Int? {
        let quoted = SQLText.string(name)
        let row = try connection.rows("SELECT GET_LOCK(\(quoted), 0), IS_USED_LOCK(\(quoted))").rows.first
        if row?[0] == "1" { return nil }
        return Int(row?[1] ?? "") ?? 0
    }

    func release(_ connection: Connection) throws(MariaDBError) {
        try connection.query("DO RELEASE_LOCK(\(SQLText.string(name)))")
    }
}

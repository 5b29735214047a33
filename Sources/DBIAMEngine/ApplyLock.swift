import MariaDB

/// The named lock that keeps two `dbiam apply` runs off one server at once. A named
/// lock belongs to its connection: if dbiam dies, the server releases it.
public enum ApplyLock {
    public static let name = "dbiam.apply"

    /// Takes the lock without waiting; nil when taken, else the id of the connection
    /// that holds it.
    static func acquire(_ connection: Connection) throws(MariaDBError) -> Int? {
        let quoted = "'\(name)'"
        let row = try connection.rows("SELECT GET_LOCK(\(quoted), 0), IS_USED_LOCK(\(quoted))").rows.first
        if row?[0] == "1" { return nil }
        return Int(row?[1] ?? "") ?? 0
    }

    static func release(_ connection: Connection) throws(MariaDBError) {
        try connection.query("DO RELEASE_LOCK('\(name)')")
    }
}

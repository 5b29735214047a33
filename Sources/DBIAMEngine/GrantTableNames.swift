import DBIAMCore

/// How the grant tables name privileges: `Create_tmp_table_priv` columns, `Show view`
/// entries in `tables_priv`, and MariaDB's bit mask in `global_priv`.
enum GrantTableNames {
    /// The privilege a `*_priv` column of `mysql.user` or `mysql.db` holds.
    static func privilege(column: String) -> Privilege {
        var name = column
        if name.lowercased().hasSuffix("_priv") { name.removeLast(5) }
        let words = name.split(separator: "_").joined(separator: " ").uppercased()
        return Privilege.canonical(columnNames[words] ?? words)
    }

    /// The privilege an entry of `tables_priv.Table_priv` (`Select`, `Show view`,
    /// `Delete versioning rows`, `Grant`) stands for.
    static func privilege(tablePrivilege: String) -> Privilege {
        let name = tablePrivilege.uppercased()
        return name == "GRANT" ? .grantOption : Privilege.canonical(name)
    }

    private static let columnNames: [String: String] = [
        "CREATE TMP TABLE": "CREATE TEMPORARY TABLES",
        "SHOW DB": "SHOW DATABASES",
        "REPL SLAVE": "REPLICATION SLAVE",
        "REPL CLIENT": "REPLICATION CLIENT",
        "GRANT": "GRANT OPTION",
    ]

    /// MariaDB 10.5+ keeps global privileges as a bit mask in `global_priv.Priv`
    /// (`$.access`); the newer administrative privileges exist only there, not as
    /// columns of the `mysql.user` view. Bit n is the privilege at index n.
    static let mariadbAccessBits: [String] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "SHUTDOWN", "PROCESS", "FILE",
        "GRANT OPTION", "REFERENCES", "INDEX", "ALTER", "SHOW DATABASES", "SUPER", "CREATE TEMPORARY TABLES",
        "LOCK TABLES", "EXECUTE", "REPLICATION SLAVE", "REPLICATION CLIENT", "CREATE VIEW", "SHOW VIEW",
        "CREATE ROUTINE", "ALTER ROUTINE", "CREATE USER", "EVENT", "TRIGGER", "CREATE TABLESPACE",
        "DELETE HISTORY", "SET USER", "FEDERATED ADMIN", "CONNECTION ADMIN", "READ_ONLY ADMIN",
        "REPLICATION SLAVE ADMIN", "REPLICATION MASTER ADMIN", "BINLOG ADMIN", "BINLOG REPLAY", "SLAVE MONITOR",
    ]

    static func privileges(mariadbAccess mask: UInt64) -> Set<Privilege> {
        var privileges = Set<Privilege>()
        for (bit, name) in mariadbAccessBits.enumerated() where mask & (1 << UInt64(bit)) != 0 {
            privileges.insert(Privilege(name))
        }
        return privileges
    }

    /// MariaDB's `ssl_type` number in `global_priv` as the `mysql.user` spelling.
    static func sslType(mariadbCode: String?) -> String {
        switch mariadbCode {
        case "1": "ANY"
        case "2": "X509"
        case "3": "SPECIFIED"
        default: ""
        }
    }
}

import DBIAMCore
import MariaDB

/// Reads a cluster's accounts and grants from the grant tables. The number of round
/// trips is fixed (one on MariaDB, two on MySQL), whatever the number of accounts:
/// one `SHOW GRANTS` per account would cost a round trip each.
public enum StateReader {
    public static func read(from connection: Connection) throws(MariaDBError) -> LiveState {
        if connection.serverVersion.contains("MariaDB") {
            return try readMariaDB(connection)
        }
        return try readMySQL(connection)
    }

    private static let tablePrivilegesQuery =
        "SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv WHERE User <> ''"

    private static func readMariaDB(_ connection: Connection) throws(MariaDBError) -> LiveState {
        let results = try connection.query("""
            SELECT User, Host, JSON_VALUE(Priv, '$.plugin'), JSON_VALUE(Priv, '$.ssl_type'), JSON_VALUE(Priv, '$.access') \
            FROM mysql.global_priv WHERE User <> '' AND IFNULL(JSON_VALUE(Priv, '$.is_role'), 'false') <> 'true';
            SELECT * FROM mysql.db WHERE User <> '';
            \(tablePrivilegesQuery)
            """)
        guard results.count == 3 else { throw unexpectedShape(results.count) }
        var accounts = AccountTable()
        for row in results[0].rows {
            let name = AccountName(user: row[0] ?? "", host: row[1] ?? "")
            let global = GrantTableNames.privileges(mariadbAccess: UInt64(row[4] ?? "0") ?? 0)
            accounts.add(name, plugin: row[2] ?? "", sslType: GrantTableNames.sslType(mariadbCode: row[3]), global: global)
        }
        accounts.addDatabaseGrants(results[1])
        accounts.addTableGrants(results[2])
        return LiveState(accounts: accounts.accounts, serverVersion: connection.serverVersion)
    }

    private static func readMySQL(_ connection: Connection) throws(MariaDBError) -> LiveState {
        // The privilege columns differ between MySQL 5.7, 8.0 and Aurora, so ask first.
        let columns = try connection.rows("SHOW COLUMNS FROM mysql.user LIKE '%\\_priv'").rows.compactMap { $0.first ?? nil }
        let selectColumns = (["User", "Host", "plugin", "ssl_type"] + columns).map(SQLText.identifier).joined(separator: ", ")
        let readsGlobalGrants = hasGlobalGrantsTable(serverVersion: connection.serverVersion)
        var statements = [
            "SELECT \(selectColumns) FROM mysql.user WHERE User <> ''",
            "SELECT * FROM mysql.db WHERE User <> ''",
            tablePrivilegesQuery,
        ]
        if readsGlobalGrants {
            statements.append("SELECT USER, HOST, PRIV, WITH_GRANT_OPTION FROM mysql.global_grants WHERE USER <> ''")
        }
        let results = try connection.query(statements.joined(separator: ";\n"))
        guard results.count == statements.count else { throw unexpectedShape(results.count) }
        var accounts = AccountTable()
        for row in results[0].rows {
            var global = Set<Privilege>()
            for (index, column) in columns.enumerated() where row[4 + index] == "Y" {
                global.insert(GrantTableNames.privilege(column: column))
            }
            accounts.add(AccountName(user: row[0] ?? "", host: row[1] ?? ""), plugin: row[2] ?? "", sslType: row[3] ?? "", global: global)
        }
        if readsGlobalGrants {
            for row in results[3].rows {
                let name = AccountName(user: row[0] ?? "", host: row[1] ?? "")
                var privileges: Set<Privilege> = [Privilege.canonical(row[2] ?? "")]
                if row[3] == "Y" { privileges.insert(.grantOption) }
                accounts.addGrant(name, target: .everything, privileges: privileges)
            }
        }
        accounts.addDatabaseGrants(results[1])
        accounts.addTableGrants(results[2])
        return LiveState(accounts: accounts.accounts, serverVersion: connection.serverVersion)
    }

    /// Whether a MySQL server has `mysql.global_grants` (its dynamic privileges): MySQL
    /// 8.0 and later, Aurora MySQL 3 (which reports 8.0.x) included, but not MySQL 5.7
    /// or Aurora MySQL 2, where reading it would fail the whole read.
    static func hasGlobalGrantsTable(serverVersion: String) -> Bool {
        let major = Int(serverVersion.prefix { ("0"..."9").contains($0) }) ?? 0
        return major >= 8
    }

    private static func unexpectedShape(_ count: Int) -> MariaDBError {
        MariaDBError(code: 0, sqlState: "HY000", message: "the grant tables returned \(count) result sets, not the expected number; is this a MySQL-compatible server?")
    }
}

/// Accounts under construction while the grant tables are read.
private struct AccountTable {
    private var index: [AccountName: Int] = [:]
    private(set) var accounts: [LiveAccount] = []

    mutating func add(_ name: AccountName, plugin: String, sslType: String, global: Set<Privilege>) {
        index[name] = accounts.count
        accounts.append(LiveAccount(name: name, plugin: plugin, sslType: sslType, grants: global.isEmpty ? [:] : [.everything: global]))
    }

    /// Grants of an account missing from the user table (possible after hand edits of
    /// the grant tables) are left out: such an account cannot log in.
    mutating func addGrant(_ name: AccountName, target: GrantTarget, privileges: Set<Privilege>) {
        guard let position = index[name], !privileges.isEmpty else { return }
        accounts[position].grants[target, default: []].formUnion(privileges)
    }

    mutating func addDatabaseGrants(_ result: ResultSet) {
        guard let user = result.columns.firstIndex(of: "User"), let host = result.columns.firstIndex(of: "Host"),
            let database = result.columns.firstIndex(of: "Db")
        else { return }
        let privilegeColumns = result.columns.enumerated().filter { $0.element.lowercased().hasSuffix("_priv") }
            .map { ($0.offset, GrantTableNames.privilege(column: $0.element)) }
        for row in result.rows {
            let pattern = row[database] ?? ""
            let literal = SQLText.literalDatabase(pattern: pattern)
            let target = GrantTarget(database: literal ?? pattern, table: nil, databaseIsPattern: literal == nil)
            var privileges = Set<Privilege>()
            for (column, privilege) in privilegeColumns where row[column] == "Y" { privileges.insert(privilege) }
            addGrant(AccountName(user: row[user] ?? "", host: row[host] ?? ""), target: target, privileges: privileges)
        }
    }

    mutating func addTableGrants(_ result: ResultSet) {
        for row in result.rows {
            let target = GrantTarget(database: row[2] ?? "", table: row[3] ?? "")
            let privileges = Set((row[4] ?? "").split(separator: ",").map { GrantTableNames.privilege(tablePrivilege: String($0)) })
            addGrant(AccountName(user: row[0] ?? "", host: row[1] ?? ""), target: target, privileges: privileges)
        }
    }
}

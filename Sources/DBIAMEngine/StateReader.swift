import DBIAMCore
import MariaDB

/// Reads a cluster's accounts and grants from the grant tables: global, database and
/// table grants, and also roles, default roles, column, routine and proxy grants, which
/// a managed account must not hold. The number of round trips is fixed (one on
/// MariaDB, two on MySQL), whatever the number of accounts: one `SHOW GRANTS` per
/// account would cost a round trip each.
public enum StateReader {
    public static func read(from connection: Connection) throws(MariaDBError) -> LiveState {
        if connection.serverVersion.contains("MariaDB") {
            return try readMariaDB(connection)
        }
        return try readMySQL(connection)
    }

    private static let tablePrivilegesQuery =
        "SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv WHERE User <> ''"

    /// Column, routine and proxy grants: the same tables on MariaDB and MySQL.
    private static let columnRoutineProxyQueries = [
        "SELECT User, Host, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE User <> ''",
        "SELECT User, Host, Db, Routine_name, Routine_type, Proc_priv FROM mysql.procs_priv WHERE User <> ''",
        "SELECT User, Host, Proxied_user, Proxied_host FROM mysql.proxies_priv WHERE User <> ''",
    ]

    private static func readMariaDB(_ connection: Connection) throws(MariaDBError) -> LiveState {
        // Roles are rows of global_priv too, under the host '', and only those rows are
        // asked whether they are one: each extraction from Priv costs the server about
        // a third of a millisecond per thousand accounts. JSON_EXTRACT, as JSON_VALUE
        // reads `true` as 1.
        let statements = [
            """
            SELECT User, Host, JSON_VALUE(Priv, '$.plugin'), JSON_VALUE(Priv, '$.ssl_type'), JSON_VALUE(Priv, '$.access'), \
            JSON_VALUE(Priv, '$.default_role'), IF(Host = '', IFNULL(JSON_EXTRACT(Priv, '$.is_role'), 'false') = 'true', 0) \
            FROM mysql.global_priv WHERE User <> ''
            """,
            "SELECT * FROM mysql.db WHERE User <> ''",
            tablePrivilegesQuery,
            "SELECT User, Host, Role FROM mysql.roles_mapping WHERE User <> ''",
        ] + columnRoutineProxyQueries + [readOnlyQuery]
        let results = try connection.query(statements.joined(separator: ";\n"))
        guard results.count == statements.count else { throw unexpectedShape(results.count) }
        var accounts = AccountTable(expecting: results[0].rows.count)
        for row in results[0].rows {
            let name = AccountName(user: row[0] ?? "", host: row[1] ?? "")
            let global = GrantTableNames.privileges(mariadbAccess: UInt64(row[4] ?? "0") ?? 0)
            accounts.add(name, plugin: row[2] ?? "", sslType: GrantTableNames.sslType(mariadbCode: row[3]), global: global, isRole: row[6] == "1")
        }
        for row in results[0].rows {
            // Empty after SET DEFAULT ROLE NONE.
            guard let role = row[5] ?? nil, !role.isEmpty else { continue }
            accounts.addOther(AccountName(user: row[0] ?? "", host: row[1] ?? ""), .defaultRoles([RoleName(name: role)]))
        }
        accounts.addDatabaseGrants(results[1])
        accounts.addTableGrants(results[2])
        for row in results[3].rows {
            accounts.addOther(AccountName(user: row[0] ?? "", host: row[1] ?? ""), .role(RoleName(name: row[2] ?? "")))
        }
        accounts.addColumnRoutineProxyGrants(results[4], results[5], results[6])
        return LiveState(accounts: accounts.finish(), serverVersion: connection.serverVersion, readOnly: isReadOnly(results[7]))
    }

    private static func readMySQL(_ connection: Connection) throws(MariaDBError) -> LiveState {
        // The privilege columns differ between MySQL 5.7, 8.0 and Aurora, so ask first.
        let columns = try connection.rows("SHOW COLUMNS FROM mysql.user LIKE '%\\_priv'").rows.compactMap { $0.first ?? nil }
        let statements = mysqlStatements(privilegeColumns: columns, serverVersion: connection.serverVersion)
        let results = try connection.query(statements.joined(separator: ";\n"))
        return try mysqlState(results, privilegeColumns: columns, serverVersion: connection.serverVersion)
    }

    /// The one batch that reads a MySQL server's grant tables, given the `*_priv` columns
    /// its `mysql.user` has.
    static func mysqlStatements(privilegeColumns: [String], serverVersion: String) -> [String] {
        let selectColumns = (["User", "Host", "plugin", "ssl_type"] + privilegeColumns).map(SQLText.identifier).joined(separator: ", ")
        var statements = [
            "SELECT \(selectColumns) FROM mysql.user WHERE User <> ''",
            "SELECT * FROM mysql.db WHERE User <> ''",
            tablePrivilegesQuery,
        ]
        statements += columnRoutineProxyQueries
        if hasGlobalGrantsTable(serverVersion: serverVersion) {
            // MySQL 8.0's dynamic privileges and roles.
            statements += [
                "SELECT USER, HOST, PRIV, WITH_GRANT_OPTION FROM mysql.global_grants WHERE USER <> ''",
                "SELECT TO_USER, TO_HOST, FROM_USER, FROM_HOST FROM mysql.role_edges WHERE TO_USER <> ''",
                "SELECT USER, HOST, DEFAULT_ROLE_USER, DEFAULT_ROLE_HOST FROM mysql.default_roles WHERE USER <> ''",
                // Roles (locked, no password, expired: as CREATE ROLE makes them; the
                // comparison yields 0 or 1, never the hash) and partial revokes.
                """
                SELECT User, Host, \(mysqlRoleCondition), JSON_EXTRACT(User_attributes, '$.Restrictions') FROM mysql.user \
                WHERE User <> '' AND (\(mysqlRoleCondition) OR JSON_EXTRACT(User_attributes, '$.Restrictions') IS NOT NULL)
                """,
                readOnlyQuery + ", @@GLOBAL.partial_revokes",
            ]
        } else {
            statements.append(readOnlyQuery)
        }
        return statements
    }

    /// The state the result sets of `mysqlStatements` describe. Pure, so that tests can
    /// feed it the result sets a MySQL 8.0 or Aurora server returns, which no server on
    /// the test machines can produce.
    static func mysqlState(_ results: [ResultSet], privilegeColumns columns: [String], serverVersion: String) throws(MariaDBError) -> LiveState {
        let readsGlobalGrants = hasGlobalGrantsTable(serverVersion: serverVersion)
        let expected = mysqlStatements(privilegeColumns: columns, serverVersion: serverVersion).count
        guard results.count == expected else { throw unexpectedShape(results.count) }
        var accounts = AccountTable(expecting: results[0].rows.count)
        for row in results[0].rows {
            var global = Set<Privilege>()
            for (index, column) in columns.enumerated() where row.cell(4 + index, is: "Y") {
                global.insert(GrantTableNames.privilege(column: column))
            }
            accounts.add(AccountName(user: row[0] ?? "", host: row[1] ?? ""), plugin: row[2] ?? "", sslType: row[3] ?? "", global: global)
        }
        accounts.addDatabaseGrants(results[1])
        accounts.addTableGrants(results[2])
        accounts.addColumnRoutineProxyGrants(results[3], results[4], results[5])
        if readsGlobalGrants {
            for row in results[6].rows {
                let name = AccountName(user: row[0] ?? "", host: row[1] ?? "")
                var privileges: Set<Privilege> = [Privilege.canonical(row[2] ?? "")]
                if row.cell(3, is: "Y") { privileges.insert(.grantOption) }
                accounts.addGrant(name, target: .everything, privileges: privileges)
            }
            for row in results[7].rows {
                accounts.addOther(AccountName(user: row[0] ?? "", host: row[1] ?? ""), .role(RoleName(name: row[2] ?? "", host: row[3] ?? "")))
            }
            var defaultRoles: [AccountName: [RoleName]] = [:]
            for row in results[8].rows {
                defaultRoles[AccountName(user: row[0] ?? "", host: row[1] ?? ""), default: []].append(RoleName(name: row[2] ?? "", host: row[3] ?? ""))
            }
            for (name, roles) in defaultRoles { accounts.addOther(name, .defaultRoles(roles.sorted())) }
            for row in results[9].rows {
                let name = AccountName(user: row[0] ?? "", host: row[1] ?? "")
                if row[2] == "1" { accounts.markRole(name) }
                if let restrictions = row[3] ?? nil { accounts.addPartialRevokes(name, restrictions: restrictions) }
            }
        }
        let variables = results[results.count - 1]
        return LiveState(
            accounts: accounts.finish(), serverVersion: serverVersion, readOnly: isReadOnly(variables),
            partialRevokes: readsGlobalGrants && variables.rows.first?.dropFirst(2).first == "1")
    }

    private static let mysqlRoleCondition = "(account_locked = 'Y' AND password_expired = 'Y' AND authentication_string = '')"

    /// Whether a MySQL server has `mysql.global_grants` (its dynamic privileges): MySQL
    /// 8.0 and later, Aurora MySQL 3 (which reports 8.0.x) included, but not MySQL 5.7
    /// or Aurora MySQL 2, where reading it would fail the whole read.
    static func hasGlobalGrantsTable(serverVersion: String) -> Bool {
        let major = Int(serverVersion.prefix { ("0"..."9").contains($0) }) ?? 0
        return major >= 8
    }

    /// On MySQL and MariaDB alike; a reader has one of them on.
    private static let readOnlyQuery = "SELECT @@GLOBAL.read_only, @@GLOBAL.innodb_read_only"

    private static func isReadOnly(_ result: ResultSet) -> Bool {
        result.rows.first?.prefix(2).contains { $0 == "1" } ?? false
    }

    private static func unexpectedShape(_ count: Int) -> MariaDBError {
        MariaDBError(code: 0, sqlState: "HY000", message: "the grant tables returned \(count) result sets, not the expected number; is this a MySQL-compatible server?")
    }
}

/// Accounts under construction while the grant tables are read.
private struct AccountTable {
    private var index: [AccountName: Int] = [:]
    private(set) var accounts: [LiveAccount] = []

    /// Room for the accounts of the user table's `rows`, made once rather than grown by
    /// doubling, which copies every account each time and leaves the old copies behind.
    init(expecting rows: Int) {
        index.reserveCapacity(rows)
        accounts.reserveCapacity(rows)
    }

    /// The first plugin names seen. Accounts share a few, longer than a string holds
    /// without a buffer of its own (`AWSAuthenticationPlugin`), so each is kept once;
    /// at most a few, so that a server with a plugin per account costs no more to read.
    private var plugins: [String] = []

    mutating func add(_ name: AccountName, plugin: String, sslType: String, global: Set<Privilege>, isRole: Bool = false) {
        index[name] = accounts.count
        var shared = plugin
        if let known = plugins.first(where: { $0 == plugin }) {
            shared = known
        } else if plugins.count < 8 {
            plugins.append(plugin)
        }
        accounts.append(LiveAccount(name: name, plugin: shared, sslType: sslType, grants: global.isEmpty ? [:] : [.everything: global], isRole: isRole))
    }

    mutating func markRole(_ name: AccountName) {
        guard let position = index[name] else { return }
        accounts[position].isRole = true
    }

    /// MySQL's `User_attributes.Restrictions`: `[{"Database": "mysql", "Privileges": ["SELECT"]}]`.
    /// A value of another shape is left out, and the plan then restricts again.
    mutating func addPartialRevokes(_ name: AccountName, restrictions: String) {
        guard let position = index[name], case .array(let items)? = JSONText(parsing: restrictions) else { return }
        for case .object(let members) in items {
            guard case .string(let database)? = members.first(where: { $0.0 == "Database" })?.1,
                case .array(let names)? = members.first(where: { $0.0 == "Privileges" })?.1
            else { continue }
            for case .string(let privilege) in names {
                accounts[position].partialRevokes[database, default: []].insert(Privilege.canonical(privilege))
            }
        }
    }

    /// Grants of an account missing from the user table (possible after hand edits of
    /// the grant tables) are left out: such an account cannot log in.
    mutating func addGrant(_ name: AccountName, target: GrantTarget, privileges: Set<Privilege>) {
        guard let position = index[name], !privileges.isEmpty else { return }
        if accounts[position].grants[target] == nil {
            accounts[position].grants[target] = privileges
        } else {
            accounts[position].grants[target]?.formUnion(privileges)
        }
    }

    mutating func addDatabaseGrants(_ result: ResultSet) {
        guard let user = result.columns.firstIndex(of: "User"), let host = result.columns.firstIndex(of: "Host"),
            let database = result.columns.firstIndex(of: "Db")
        else { return }
        let privilegeColumns = result.columns.enumerated().filter { $0.element.lowercased().hasSuffix("_priv") }
            .map { ($0.offset, GrantTableNames.privilege(column: $0.element)) }
        // Most rows hold one of a few privilege sets: each is made once, by its Y columns
        // as bits, and shared.
        var privilegeSets: [UInt64: Set<Privilege>] = [:]
        func held(in row: ResultSet.Row) -> Set<Privilege> { Set(privilegeColumns.compactMap { row.cell($0.0, is: "Y") ? $0.1 : nil }) }
        for row in result.rows {
            let pattern = row[database] ?? ""
            let literal = SQLText.literalDatabase(pattern: pattern)
            let target = GrantTarget(database: literal ?? pattern, table: nil, databaseIsPattern: literal == nil)
            let privileges: Set<Privilege>
            if privilegeColumns.count <= 64 {
                var bits: UInt64 = 0
                for (bit, (column, _)) in privilegeColumns.enumerated() where row.cell(column, is: "Y") { bits |= 1 << UInt64(bit) }
                if let shared = privilegeSets[bits] {
                    privileges = shared
                } else {
                    privileges = held(in: row)
                    privilegeSets[bits] = privileges
                }
            } else {
                privileges = held(in: row)
            }
            addGrant(AccountName(user: row[user] ?? "", host: row[host] ?? ""), target: target, privileges: privileges)
        }
    }

    /// Others of an account missing from the user table are left out, as grants are.
    mutating func addOther(_ name: AccountName, _ grant: OtherGrant) {
        guard let position = index[name] else { return }
        accounts[position].otherGrants.append(grant)
        if accounts[position].otherGrants.count == 2 { unsorted.append(position) }
    }

    /// Positions of accounts with more than one other grant: sorted once, at the end.
    private var unsorted: [Int] = []

    /// The accounts, each one's other grants in order, handed over: the table keeps no reference, so that the live state
    /// sorts them in place rather than copies them to sort.
    mutating func finish() -> [LiveAccount] {
        for position in unsorted { accounts[position].otherGrants.sort() }
        unsorted = []
        let finished = accounts
        accounts = []
        return finished
    }

    /// `columns_priv` (one row per column), `procs_priv` and `proxies_priv` rows, as the
    /// queries of `columnRoutineProxyQueries` return them.
    mutating func addColumnRoutineProxyGrants(_ columns: ResultSet, _ routines: ResultSet, _ proxies: ResultSet) {
        struct ColumnKey: Hashable {
            var account: AccountName
            var target: GrantTarget
            var privilege: Privilege
        }
        var columnsByKey: [ColumnKey: [String]] = [:]
        for row in columns.rows {
            let account = AccountName(user: row[0] ?? "", host: row[1] ?? "")
            let target = GrantTarget(database: row[2] ?? "", table: row[3] ?? "")
            for privilege in (row[5] ?? "").split(separator: ",") {
                columnsByKey[ColumnKey(account: account, target: target, privilege: GrantTableNames.privilege(tablePrivilege: String(privilege))), default: []]
                    .append(row[4] ?? "")
            }
        }
        for (key, names) in columnsByKey { addOther(key.account, .columns(key.target, key.privilege, names.sorted())) }
        for row in routines.rows {
            let privileges = Set((row[5] ?? "").split(separator: ",").map { GrantTableNames.privilege(tablePrivilege: String($0)) })
            guard !privileges.isEmpty else { continue }
            let routine = Routine(type: row[4] ?? "PROCEDURE", database: row[2] ?? "", name: row[3] ?? "")
            addOther(AccountName(user: row[0] ?? "", host: row[1] ?? ""), .routine(routine, privileges))
        }
        for row in proxies.rows {
            addOther(AccountName(user: row[0] ?? "", host: row[1] ?? ""), .proxy(AccountName(user: row[2] ?? "", host: row[3] ?? "")))
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

import DBIAMCore
import Foundation
import MariaDB

/// The local server as the bench uses it: an admin connection, and the accounts the
/// bench makes, all named `bench_…`, which it removes before and after every figure.
final class BenchServer {
    static let userPrefix = "bench_"
    /// Accounts of the server and of the stand-in's setup; never touched, whatever
    /// their names.
    static let permanentUsers = ["root", "mariadb.sys", "PUBLIC", "dbiam_admin", "dbiam_iam_admin"]
    /// `LIKE` pattern of the bench's user names (`_` escaped, as it is a wildcard there).
    private static let userPattern = SQLText.string(SQLText.databasePattern(literal: userPrefix) + "%")
    private static let notPermanent = "User NOT IN (\(permanentUsers.map(SQLText.string).joined(separator: ", ")))"
    /// The database every bench grant is on; it need not exist. No `_` in it: at database
    /// level `_` is a wildcard, which dbiam escapes and Ansible does not.
    static let database = "benchdb"

    let options: ConnectionOptions
    private let connection: Connection
    /// `mysql.global_priv.Priv` of an IAM account as this server writes it, for seeding.
    private var iamAccountPriv: String?

    init(options: ConnectionOptions) throws(BenchError) {
        self.options = options
        do {
            connection = try Connection(options)
        } catch {
            throw .failed(
                "the local server is not reachable at \(options.host):\(options.port) as \(options.user) (\(error)); start it with `make db-up` (make bench does this itself)")
        }
    }

    var serverVersion: String { connection.serverVersion }

    /// Removes every bench account. Rows are deleted from the grant tables and the
    /// privileges reloaded once: `DROP USER` of 10,000 accounts takes minutes on
    /// MariaDB, since each drop re-sorts the server's in-memory account list.
    func removeBenchAccounts() throws(BenchError) {
        try Self.removeBenchAccounts(connection)
    }

    static func removeBenchAccounts(_ connection: Connection) throws(BenchError) {
        let mine = "User LIKE \(userPattern) AND \(notPermanent)"
        let statements = ["global_priv", "db", "tables_priv", "columns_priv", "procs_priv", "proxies_priv", "roles_mapping"]
            .map { "DELETE FROM mysql.\($0) WHERE \(mine)" } + ["FLUSH PRIVILEGES"]
        try run(connection, statements.joined(separator: ";\n"), what: "removing the bench accounts")
    }

    /// Ends the statements that other connections are running on bench accounts (those
    /// of a dbiam the bench stopped), and waits up to 10 s until they are gone.
    static func endBenchStatements(_ connection: Connection) throws(BenchError) {
        let running = "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE "
            + SQLText.string("%" + SQLText.databasePattern(literal: userPrefix) + "%")
        for _ in 0..<100 {
            let ids = try run(connection, running, what: "looking for running bench statements")[0].rows.compactMap { $0.first ?? nil }
            if ids.isEmpty { return }
            for id in ids { _ = connection.run("KILL CONNECTION \(id)") }
            usleep(100_000)
        }
    }

    /// How many bench accounts the server has.
    func benchAccountCount() throws(BenchError) -> Int {
        let sql = "SELECT COUNT(*) FROM mysql.global_priv WHERE User LIKE \(Self.userPattern)"
        let rows = try Self.run(connection, sql, what: "counting the bench accounts")
        return Int(rows.first?.rows.first?.first.flatMap { $0 } ?? "") ?? 0
    }

    /// How many accounts the server holds that are neither the bench's nor its own:
    /// every read of the grant tables reads them too.
    func otherAccountCount() throws(BenchError) -> Int {
        let sql = "SELECT COUNT(*) FROM mysql.global_priv WHERE User NOT LIKE \(Self.userPattern) AND \(Self.notPermanent)"
        let rows = try Self.run(connection, sql, what: "counting the other accounts")
        return Int(rows.first?.rows.first?.first.flatMap { $0 } ?? "") ?? 0
    }

    /// Creates IAM accounts `name@%` with `SELECT` on `benchdb.*`, as `CREATE USER … IDENTIFIED
    /// WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL` and `GRANT` would, but by
    /// inserting the grant-table rows in large batches: seconds for 10,000 accounts,
    /// where the statements take minutes. The rows are copied from an account made
    /// with the real statements, so they are what this server writes.
    func seedIAMAccounts(_ names: [String]) throws(BenchError) {
        let priv = try iamAccountTemplate()
        for start in stride(from: 0, to: names.count, by: 2000) {
            let batch = names[start..<min(start + 2000, names.count)]
            let users = batch.map { "('%', \(SQLText.string($0)), \(SQLText.string(priv)))" }.joined(separator: ", ")
            let grants = batch.map { "('%', \(SQLText.string(Self.database)), \(SQLText.string($0)), 'Y')" }.joined(separator: ", ")
            try Self.run(connection, """
                INSERT INTO mysql.global_priv (Host, User, Priv) VALUES \(users);
                INSERT INTO mysql.db (Host, Db, User, Select_priv) VALUES \(grants)
                """, what: "seeding bench accounts")
        }
        try Self.run(connection, "FLUSH PRIVILEGES", what: "seeding bench accounts")
    }

    private func iamAccountTemplate() throws(BenchError) -> String {
        if let iamAccountPriv { return iamAccountPriv }
        let probe = AccountName(user: Self.userPrefix + "template", host: "%")
        let results = try Self.run(connection, """
            CREATE USER \(SQLText.account(probe)) IDENTIFIED WITH \(AccountStatement.pluginName) AS 'RDS' REQUIRE SSL;
            SELECT Priv FROM mysql.global_priv WHERE User = \(SQLText.string(probe.user)) AND Host = '%';
            DROP USER \(SQLText.account(probe))
            """, what: "making a template account")
        guard let priv = results[1].rows.first?.first ?? nil else { throw .failed("the server did not return the template account") }
        iamAccountPriv = priv
        return priv
    }

    @discardableResult
    private static func run(_ connection: Connection, _ sql: String, what: String) throws(BenchError) -> [ResultSet] {
        do {
            return try connection.query(sql)
        } catch {
            throw .failed("\(what) failed: \(error)")
        }
    }
}

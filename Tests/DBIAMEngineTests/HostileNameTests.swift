import DBIAMTestSupport
import MariaDB
import Testing
@testable import DBIAMCore
@testable import DBIAMEngine

/// Names that break naive quoting, applied on the real server: each must become exactly
/// the account or grant intended, and nothing else may run.
@Suite(.serialized)
struct HostileNameTests {
    static let users = [
        "o'brien", #"back\slash"#, "back`quote", "per%cent", "under_score", "semi;colon", "dash--dash",
        "x' OR '1'='1", #"double"quote"#, "名前ユーザー", String(repeating: "z", count: 32), "#hash", " lead",
        #"\'; DROP USER 'root'@'localhost'; --"#,
    ]
    static let hosts = ["10.0.%", "host'name", "_"]
    static let databases = ["we'ird", "db`tick", "db_name", "db%", #"db\back"#, ";DROP DATABASE mysql;", "データ"]

    @Test func everyHostileNameBecomesExactlyTheIntendedAccountAndGrant() async throws {
        let connection = try resetLocalServer()
        let prefix = "dbiam_test_"
        // Table-level grants need the table; database-level ones do not.
        var setup: [String] = []
        for (index, database) in Self.databases.enumerated() {
            setup.append("CREATE DATABASE \(SQLText.identifier(prefix + database))")
            setup.append("CREATE TABLE \(SQLText.identifier(prefix + database)).\(SQLText.identifier("t'\(index)`x")) (a INT)")
        }
        try connection.query(setup.joined(separator: ";\n"))

        var yaml = ""
        var expectedAccounts = Set<AccountName>()
        var expectedDatabaseGrants = Set<String>()
        var expectedTableGrants = Set<String>()
        for (index, user) in Self.users.enumerated() {
            let host = Self.hosts[index % Self.hosts.count]
            let database = prefix + Self.databases[index % Self.databases.count]
            let table = "t'\(index % Self.databases.count)`x"
            yaml += """
                  \(ManifestWriter.scalar(user)):
                    clusters: [local]
                    host: \(ManifestWriter.scalar(host))
                    grants:
                      - on: \(ManifestWriter.scalar(database + ".*"))
                        privileges: [SELECT]
                      - on: \(ManifestWriter.scalar(database + "." + table))
                        privileges: [INSERT]

                """
            expectedAccounts.insert(AccountName(user: user, host: host))
            expectedDatabaseGrants.insert("\(user)|\(host)|\(SQLText.databasePattern(literal: database))|Y")
            expectedTableGrants.insert("\(user)|\(host)|\(database)|\(table)|Insert")
        }
        let cluster = LocalCluster(manifest: localManifest(users: yaml))
        let outcome = try await cluster.converge()
        #expect(outcome.succeeded, "\(String(describing: outcome.failure?.error))")
        #expect(try await cluster.plan().actions.isEmpty)

        // Read back from the grant tables themselves, not through dbiam's reader.
        let accounts = try connection.rows("SELECT User, Host FROM mysql.global_priv").rows
            .map { AccountName(user: $0[0] ?? "", host: $0[1] ?? "") }
            .filter { !LocalServer.permanentUsers.contains($0.user) }
        #expect(Set(accounts) == expectedAccounts)
        let databaseGrants = try connection.rows("SELECT User, Host, Db, Select_priv FROM mysql.db WHERE Db LIKE 'dbiam%'").rows
            .map { $0.map { $0 ?? "" }.joined(separator: "|") }
        #expect(Set(databaseGrants) == expectedDatabaseGrants)
        let tableGrants = try connection.rows("SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv WHERE Db LIKE 'dbiam%'").rows
            .map { $0.map { $0 ?? "" }.joined(separator: "|") }
        #expect(Set(tableGrants) == expectedTableGrants)
        // Nothing else ran: the system schema and the admin accounts are all still there.
        let databases = try connection.rows("SHOW DATABASES").rows.compactMap { $0.first ?? nil }
        #expect(databases.contains("mysql"))
        #expect(try connection.rows("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'root'").rows.first?.first == "1")
        try LocalServer.reset(connection)
    }
}

import DBIAMCore
import DBIAMTestSupport
import MariaDB
import Testing
@testable import DBIAMEngine

@Suite(.serialized)
struct StateReaderTests {
    @Test func readsAccountsAndGrantsAtEveryLevel() throws {
        let connection = try resetLocalServer()
        try connection.query("""
            CREATE DATABASE dbiam_test_shop;
            CREATE TABLE dbiam_test_shop.orders (id INT);
            CREATE USER 'reader'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
            GRANT SELECT, SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'reader'@'%';
            GRANT INSERT ON dbiam_test_shop.orders TO 'reader'@'%' WITH GRANT OPTION;
            GRANT PROCESS, BINLOG ADMIN ON *.* TO 'reader'@'%';
            GRANT SELECT ON `app_%`.* TO 'reader'@'%';
            CREATE USER 'legacy'@'10.0.%' IDENTIFIED BY 'password-for-test';
            GRANT ALL PRIVILEGES ON `dbiam\\_test\\_shop`.* TO 'legacy'@'10.0.%'
            """)
        let state = try StateReader.read(from: connection)
        let reader = try #require(state.accounts.first { $0.name == AccountName(user: "reader", host: "%") })
        #expect(reader.usesIAM)
        #expect(reader.sslType == "ANY")
        #expect(reader.grants[.everything] == [Privilege("PROCESS"), Privilege("BINLOG ADMIN")])
        #expect(reader.grants[GrantTarget(database: "dbiam_test_shop", table: nil)] == [Privilege("SELECT"), Privilege("SHOW VIEW")])
        #expect(reader.grants[GrantTarget(database: "dbiam_test_shop", table: "orders")] == [Privilege("INSERT"), .grantOption])
        #expect(reader.grants[GrantTarget(database: "app_%", table: nil, databaseIsPattern: true)] == [Privilege("SELECT")])

        let legacy = try #require(state.accounts.first { $0.name.user == "legacy" })
        #expect(!legacy.usesIAM)
        #expect(legacy.plugin == "mysql_native_password")
        let catalog = PrivilegeCatalog(engine: .mariadb)
        let shop = GrantTarget(database: "dbiam_test_shop", table: nil)
        #expect(catalog.normalized(legacy.grants[shop] ?? [], at: .database) == [.allPrivileges])
        // Password hashes are not part of what dbiam reads.
        let hash = try #require(try connection.rows("SELECT PASSWORD('password-for-test')").rows.first?.first ?? nil)
        let everyAccount = [Bool](repeating: true, count: state.accounts.count)
        let text = state.canonicalText(inFull: everyAccount, byName: everyAccount.map { !$0 })
        #expect(!String(decoding: text, as: UTF8.self).contains(hash))
        #expect(!"\(state)".contains(hash))
    }

    @Test func globalAllPrivilegesReadsBackAsAll() throws {
        let connection = try resetLocalServer()
        try connection.query("CREATE USER 'boss'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'; GRANT ALL ON *.* TO 'boss'@'%'")
        let boss = try #require(try StateReader.read(from: connection).accounts.first { $0.name.user == "boss" })
        #expect(PrivilegeCatalog(engine: .mariadb).normalized(boss.grants[.everything] ?? [], at: .global) == [.allPrivileges])
    }

    @Test func roundTripsDoNotGrowWithAccounts() throws {
        let connection = try resetLocalServer()
        let before = connection.roundTrips
        _ = try StateReader.read(from: connection)
        let few = connection.roundTrips - before

        let creates = (0..<300).map { "CREATE USER 'bulk\($0)'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'" }
        let grants = (0..<300).map { "GRANT SELECT ON `dbiam\\_test\\_\($0)`.* TO 'bulk\($0)'@'%'" }
        try connection.query((creates + grants).joined(separator: ";\n"))
        let middle = connection.roundTrips
        let state = try StateReader.read(from: connection)
        #expect(state.accounts.count >= 300)
        #expect(connection.roundTrips - middle == few)
        #expect(few == 1)
        try LocalServer.reset(connection)
    }
}

/// Needs no server: which MySQL versions have `mysql.global_grants` to read.
@Suite struct GlobalGrantsTableTests {
    @Test(arguments: ["8.0.39", "8.0.32", "8.4.2-commercial", "9.1.0", "10.0.0"])
    func mySQL8AndLaterHaveIt(version: String) {
        #expect(StateReader.hasGlobalGrantsTable(serverVersion: version))
    }

    @Test(arguments: ["5.7.44-log", "5.7.12", "5.6.10", ""])
    func mySQL57AndAuroraMySQL2DoNot(version: String) {
        #expect(!StateReader.hasGlobalGrantsTable(serverVersion: version))
    }
}

import Testing
@testable import DBIAMCore

struct CombinedStatementTests {
    func account(_ user: String) -> AccountName { AccountName(user: user, host: "%") }
    let orders = GrantTarget(database: "orders", table: nil)
    let select: Set<Privilege> = [Privilege("SELECT")]

    @Test func likeStatementsOfAPhaseBecomeOne() {
        let statements: [AccountStatement] = [
            .createUser(account("a"), requireSSL: true),
            .createUser(account("b"), requireSSL: false),
            .createUser(account("c"), requireSSL: true),
            .grant(.account(account("a")), orders, select),
            .grant(.account(account("b")), .everything, [Privilege("PROCESS")]),
            .grant(.account(account("c")), orders, select),
            .revoke(.account(account("d")), orders, select),
            .dropUser(account("e")),
            .dropUser(account("o'f")),
        ]
        let combined = CombinedStatement.combine(statements)
        #expect(combined.map(\.sql) == [
            "CREATE USER 'a'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS', 'c'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "CREATE USER 'b'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
            "GRANT SELECT ON `orders`.* TO 'a'@'%', 'c'@'%'",
            "GRANT PROCESS ON *.* TO 'b'@'%'",
            "REVOKE SELECT ON `orders`.* FROM 'd'@'%'",
            "DROP USER 'e'@'%', 'o''f'@'%'",
        ])
        #expect(combined.map(\.members) == [[0, 2], [1], [3, 5], [4], [6], [7, 8]])
    }

    @Test func phasesAreNeverMixed() {
        let statements: [AccountStatement] = [
            .grant(.account(account("a")), orders, select),
            .revoke(.account(account("a")), .everything, select),
            .grant(.account(account("b")), orders, select),
        ]
        // Not a plan the planner makes, but the applier must keep the order it is given.
        #expect(CombinedStatement.combine(statements).map(\.members) == [[0], [1], [2]])
    }

    @Test func largeGroupsAreSplit() {
        let statements = (0..<5).map { AccountStatement.dropUser(account("u\($0)")) }
        #expect(CombinedStatement.combine(statements, maximumAccounts: 2).map(\.members) == [[0, 1], [2, 3], [4]])
    }

    @Test func satisfiedStatementsAreRecognised() {
        let catalog = PrivilegeCatalog(engine: .mariadb)
        let live = LiveState(accounts: [
            LiveAccount(name: account("a"), plugin: "awsauthenticationplugin", sslType: "ANY", grants: [orders: [.allPrivileges]]),
            LiveAccount(name: account("b"), plugin: "mysql_native_password", sslType: "", grants: [:]),
        ], serverVersion: "")
        #expect(AccountStatement.createUser(account("a"), requireSSL: true).isSatisfied(by: live, catalog: catalog))
        #expect(!AccountStatement.createUser(account("c"), requireSSL: true).isSatisfied(by: live, catalog: catalog))
        #expect(!AccountStatement.setIAMPlugin(account("b")).isSatisfied(by: live, catalog: catalog))
        #expect(AccountStatement.setRequireSSL(account("b"), false).isSatisfied(by: live, catalog: catalog))
        #expect(AccountStatement.grant(.account(account("a")), orders, select).isSatisfied(by: live, catalog: catalog))
        #expect(!AccountStatement.revoke(.account(account("a")), orders, select).isSatisfied(by: live, catalog: catalog))
        #expect(AccountStatement.revoke(.account(account("b")), orders, select).isSatisfied(by: live, catalog: catalog))
        #expect(AccountStatement.dropUser(account("c")).isSatisfied(by: live, catalog: catalog))
        #expect(!AccountStatement.dropUser(account("a")).isSatisfied(by: live, catalog: catalog))
    }
}

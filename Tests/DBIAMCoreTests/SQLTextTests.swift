import Testing
@testable import DBIAMCore

struct SQLTextTests {
    let account = AccountName(user: "ssotest", host: "%")

    @Test func createUserAsAuroraExpects() {
        #expect(AccountStatement.createUser(account, requireSSL: true).sql
            == "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL")
        #expect(AccountStatement.createUser(account, requireSSL: false).sql
            == "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'")
    }

    @Test func alterStatements() {
        #expect(AccountStatement.setIAMPlugin(account).sql == "ALTER USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'")
        #expect(AccountStatement.setRequireSSL(account, true).sql == "ALTER USER 'ssotest'@'%' REQUIRE SSL")
        #expect(AccountStatement.setRequireSSL(account, false).sql == "ALTER USER 'ssotest'@'%' REQUIRE NONE")
        #expect(AccountStatement.dropUser(account).sql == "DROP USER 'ssotest'@'%'")
    }

    @Test func grantAndRevoke() {
        let target = GrantTarget(database: "orders", table: nil)
        #expect(AccountStatement.grant(.account(account), target, [Privilege("SHOW VIEW"), Privilege("SELECT")]).sql
            == "GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'%'")
        #expect(AccountStatement.revoke(.account(account), .everything, [Privilege("PROCESS")]).sql
            == "REVOKE PROCESS ON *.* FROM 'ssotest'@'%'")
        #expect(AccountStatement.grant(.account(account), GrantTarget(database: "orders", table: "items"), [.allPrivileges, .grantOption]).sql
            == "GRANT ALL PRIVILEGES ON `orders`.`items` TO 'ssotest'@'%' WITH GRANT OPTION")
        #expect(AccountStatement.grant(.account(account), target, [.grantOption]).sql
            == "GRANT USAGE ON `orders`.* TO 'ssotest'@'%' WITH GRANT OPTION")
        #expect(AccountStatement.revoke(.account(account), target, [Privilege("SELECT"), .grantOption, .allPrivileges]).sql
            == "REVOKE ALL PRIVILEGES, SELECT, GRANT OPTION ON `orders`.* FROM 'ssotest'@'%'")
    }

    @Test func stringLiteralsEscapeQuotesAndBackslashes() {
        #expect(SQLText.string("o'brien") == "'o''brien'")
        #expect(SQLText.string(#"a\b"#) == #"'a\\b'"#)
        #expect(SQLText.string(#"\'; DROP USER root; --"#) == #"'\\''; DROP USER root; --'"#)
        #expect(SQLText.string("line\nbreak\0") == #"'line\nbreak\0'"#)
        #expect(SQLText.string("ユーザー") == "'ユーザー'")
        #expect(SQLText.account(AccountName(user: "a'b", host: "10.0.%")) == "'a''b'@'10.0.%'")
    }

    @Test func identifiersDoubleBackquotes() {
        #expect(SQLText.identifier("we`ird") == "`we``ird`")
        #expect(SQLText.identifier("データ") == "`データ`")
        #expect(SQLText.identifier("plain") == "`plain`")
        #expect(SQLText.identifier("`") == "````")
    }

    @Test func databaseLevelTargetsEscapeWildcards() {
        // At database level `_` and `%` are wildcards for the server; the manifest means them literally.
        #expect(SQLText.target(GrantTarget(database: "order_items%", table: nil)) == #"`order\_items\%`.*"#)
        #expect(SQLText.target(GrantTarget(database: #"a\b"#, table: nil)) == #"`a\\b`.*"#)
        // At table level the database name is not a pattern.
        #expect(SQLText.target(GrantTarget(database: "order_items", table: "t_1")) == "`order_items`.`t_1`")
        #expect(SQLText.target(GrantTarget(database: "app_%", table: nil, databaseIsPattern: true)) == "`app_%`.*")
        // Escaped byte by byte: the UTF-8 of other characters is left whole.
        #expect(SQLText.databasePattern(literal: "データ_1%é\\") == #"データ\_1\%é\\"#)
        #expect(SQLText.databasePattern(literal: "orders") == "orders")
    }

    @Test func literalDatabasePatternsRoundTrip() {
        for name in ["orders", "order_items", "100%", #"back\slash"#, "_%\\_", "データ_1", ""] {
            #expect(SQLText.literalDatabase(pattern: SQLText.databasePattern(literal: name)) == name)
        }
        #expect(SQLText.literalDatabase(pattern: "app_%") == nil)
        #expect(SQLText.literalDatabase(pattern: #"trailing\"#) == nil)
    }

    @Test func privilegeCanonicalSpelling() {
        #expect(Privilege.canonical("all") == .allPrivileges)
        #expect(Privilege.canonical("show   view") == Privilege("SHOW VIEW"))
        #expect(Privilege.canonical("Binlog Monitor") == Privilege("REPLICATION CLIENT"))
    }
}

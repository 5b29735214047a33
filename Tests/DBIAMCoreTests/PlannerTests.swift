import Testing
@testable import DBIAMCore

struct PlannerTests {
    let manifest = Manifests.valid()
    var orders: Cluster { manifest.clusters[0] }
    let ssotest = AccountName(user: "ssotest", host: "%")
    let oncall = AccountName(user: "oncall_dba", host: "%")
    let ordersDB = GrantTarget(database: "orders", table: nil)

    func iam(_ name: AccountName, ssl: String = "ANY", _ grants: [GrantTarget: Set<Privilege>]) -> LiveAccount {
        LiveAccount(name: name, plugin: "AWSAuthenticationPlugin", sslType: ssl, grants: grants)
    }

    func privileges(_ names: String...) -> Set<Privilege> { Set(names.map(Privilege.init)) }

    /// The live state that matches the base manifest on orders-prod.
    var converged: [LiveAccount] {
        [
            iam(ssotest, [ordersDB: privileges("SELECT", "SHOW VIEW")]),
            iam(oncall, [.everything: privileges("PROCESS", "SELECT", "SHOW DATABASES")]),
        ]
    }

    func plan(_ accounts: [LiveAccount], manifest: Manifest? = nil) -> (actions: [PlannedAction], warnings: [String]) {
        let manifest = manifest ?? self.manifest
        let decision = Planner(manifest: manifest).plan(manifest.clusters[0], live: LiveState(accounts: accounts, serverVersion: "8.0"))
        return (decision.actions, decision.warnings)
    }

    @Test func emptyClusterGetsEveryUserAndGrant() {
        let (actions, warnings) = plan([])
        #expect(actions.map(\.sql) == [
            "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "CREATE USER 'oncall_dba'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'%'",
            "GRANT PROCESS, SELECT, SHOW DATABASES ON *.* TO 'oncall_dba'@'%'",
        ])
        #expect(actions.map(\.effect) == [.add, .add, .add, .add])
        #expect(warnings.isEmpty)
    }

    @Test func statementsRunInTheDocumentedOrder() {
        var manifest = self.manifest
        manifest.clusters[0].prune = true
        let live = [
            LiveAccount(name: ssotest, plugin: "mysql_native_password", sslType: "", grants: [ordersDB: privileges("SELECT", "INSERT")]),
            iam(AccountName(user: "leaver", host: "%"), [:]),
        ]
        let kinds = plan(live, manifest: manifest).actions.map { String($0.sql.prefix(while: { $0 != " " })) }
        // Access is taken away before any is given.
        #expect(kinds == ["REVOKE", "DROP", "CREATE", "ALTER", "ALTER", "GRANT", "GRANT"])
    }

    /// Thousands of users are planned in parts on every core; the actions come out as
    /// one pass in manifest order would make them: kind by kind, users in file order.
    @Test func usersPlannedInPartsKeepTheOrderOfOnePass() {
        let count = 3_500
        var text = Manifests.base.components(separatedBy: "permission_sets:")[0]
        for index in 0..<count {
            text += "  user_\(index):\n    clusters: [orders-prod]\n    grants:\n      - on: db_\(index).*\n        privileges: [SELECT]\n"
        }
        let manifest = Manifests.valid(text)
        // Every third user exists with a password login and a grant to take away, so
        // every part has alters and revokes as well as creates and grants.
        let live = stride(from: 0, to: count, by: 3).map { index in
            LiveAccount(
                name: AccountName(user: "user_\(index)", host: "%"), plugin: "mysql_native_password", sslType: "ANY",
                grants: [GrantTarget(database: "db_\(index)", table: nil): privileges("SELECT", "INSERT")])
        }
        let actions = plan(live, manifest: manifest).actions
        let existing = stride(from: 0, to: count, by: 3).map { "user_\($0)" }
        let new = (0..<count).filter { $0 % 3 != 0 }.map { "user_\($0)" }
        let expected =
            existing.map { "revoke \($0)" } + new.map { "create_user \($0)" }
            + existing.map { "set_iam_plugin \($0)" } + new.map { "grant \($0)" }
        // The base manifest's own users are on the cluster too, with nothing live.
        let planned = actions.map { "\($0.statement.kind.rawValue) \($0.statement.account.user)" }.filter { $0.contains(" user_") }
        #expect(planned == expected)
    }

    /// An action keeps its fields behind one reference; it is still a value: a copy
    /// changed leaves the original as it was, and equal actions hash alike.
    @Test func plannedActionsAreValues() {
        let original = PlannedAction(.dropUser(ssotest), reason: "gone", destructive: true)
        var edited = original
        edited.reason = "reviewed"
        edited.previous = "AWSAuthenticationPlugin"
        #expect(original.reason == "gone" && original.previous == nil && original.destructive)
        #expect(edited.reason == "reviewed" && edited.previous == "AWSAuthenticationPlugin" && edited.sql == original.sql)
        #expect(edited != original)
        edited.reason = "gone"
        edited.previous = nil
        #expect(edited == original)
        #expect(Set([edited, original]).count == 1)
        edited.destructive = false
        #expect(edited != original)
    }

    @Test func convergedClusterHasNoChanges() {
        let (actions, warnings) = plan(converged)
        #expect(actions.isEmpty)
        #expect(warnings.isEmpty)
    }

    @Test func sameGrantInAnotherSpellingIsNoChange() {
        let catalog = PrivilegeCatalog(engine: .auroraMySQL3)
        let allAtDatabase = catalog.allPrivileges(at: .database)
        var manifest = Manifests.valid(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[ALL]"))
        manifest.clusters[0].prune = false
        var live = converged
        live[0].grants = [ordersDB: allAtDatabase.union([.usage])]
        #expect(plan(live, manifest: manifest).actions.isEmpty)
        live[0].grants = [ordersDB: [.allPrivileges]]
        #expect(plan(live, manifest: manifest).actions.isEmpty)
        // Order and case in the manifest do not matter either.
        let reordered = Manifests.valid(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[show view, Select]"))
        #expect(plan(converged, manifest: reordered).actions.isEmpty)
    }

    @Test func exactHoldingsAreSettledWithoutExpandingPrivileges() {
        let grants = manifest.users[0].grants
        #expect(Planner.holdsExactly(grants, [ordersDB: privileges("SELECT", "SHOW VIEW")]))
        #expect(Planner.holdsExactly([], [:]))
        // Anything else goes to the full comparison, which decides on expanded sets.
        #expect(!Planner.holdsExactly(grants, [ordersDB: privileges("SELECT")]))
        #expect(!Planner.holdsExactly(grants, [ordersDB: privileges("SELECT", "SHOW VIEW"), .everything: [.usage]]))
        #expect(!Planner.holdsExactly(grants, [GrantTarget(database: "billing", table: nil): privileges("SELECT", "SHOW VIEW")]))
        #expect(!Planner.holdsExactly(grants, [:]))
    }

    @Test func driftIsRepaired() {
        var live = converged
        live[0].grants[ordersDB] = privileges("SELECT", "INSERT")
        live[1].plugin = "mysql_native_password"
        live[1].sslType = ""
        let actions = plan(live).actions
        #expect(actions.map(\.sql) == [
            "REVOKE INSERT ON `orders`.* FROM 'ssotest'@'%'",
            "ALTER USER 'oncall_dba'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
            "ALTER USER 'oncall_dba'@'%' REQUIRE SSL",
            "GRANT SHOW VIEW ON `orders`.* TO 'ssotest'@'%'",
        ])
        #expect(actions.map(\.destructive) == [true, true, false, false])
        #expect(actions[1].previous == "mysql_native_password")
        #expect(actions[2].previous == "REQUIRE NONE")
    }

    @Test func droppedUserIsCreatedAgain() {
        let actions = plan([converged[1]]).actions
        #expect(actions.map(\.sql) == [
            "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'%'",
        ])
    }

    @Test func grantingAllReplacesAPartialGrant() {
        let manifest = Manifests.valid(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[ALL]"))
        var live = converged
        live[0].grants = [ordersDB: privileges("SELECT")]
        #expect(plan(live, manifest: manifest).actions.map(\.sql) == ["GRANT ALL PRIVILEGES ON `orders`.* TO 'ssotest'@'%'"])
    }

    @Test func narrowingAllRevokesTheRest() {
        var live = converged
        live[0].grants = [ordersDB: [.allPrivileges]]
        let actions = plan(live).actions
        #expect(actions.count == 1)
        guard case .revoke(_, let target, let revoked) = actions[0].statement else {
            Issue.record("expected a revoke, got \(actions[0].sql)")
            return
        }
        #expect(target == ordersDB)
        #expect(revoked == PrivilegeCatalog(engine: .auroraMySQL3).allPrivileges(at: .database).subtracting(privileges("SELECT", "SHOW VIEW")))
    }

    @Test func unmanagedIAMAccountsAreWarnedAboutWhenPruneIsOff() {
        let stray = iam(AccountName(user: "stray", host: "%"), [:])
        let (actions, warnings) = plan(converged + [stray])
        #expect(actions.isEmpty)
        #expect(warnings == ["'stray'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)"])
    }

    @Test func pruneDropsOnlyUnmanagedIAMAccounts() {
        var manifest = self.manifest
        manifest.clusters[0].prune = true
        let live = converged + [
            iam(AccountName(user: "stray", host: "%"), [:]),
            iam(AccountName(user: "ssotest", host: "10.0.%"), [:]),
            iam(AccountName(user: "dbiam_admin", host: "%"), [.everything: [.allPrivileges]]),
            iam(AccountName(user: "rdsadmin", host: "localhost"), [:]),
            iam(AccountName(user: "root", host: "%"), [:]),
            iam(AccountName(user: "mysql.sys", host: "localhost"), [:]),
            LiveAccount(name: AccountName(user: "app", host: "%"), plugin: "mysql_native_password", sslType: "", grants: [:]),
        ]
        let (actions, warnings) = plan(live, manifest: manifest)
        #expect(actions.map(\.sql) == ["DROP USER 'ssotest'@'10.0.%'", "DROP USER 'stray'@'%'"])
        #expect(actions.allSatisfy { $0.destructive })
        #expect(warnings.isEmpty)
    }

    @Test func pluginNamesCompareWithoutCase() {
        var live = converged
        live[0].plugin = "awsauthenticationplugin"
        #expect(plan(live).actions.isEmpty)
    }

    @Test func wildcardDatabaseGrantsOfManagedUsersAreRevoked() {
        var live = converged
        let pattern = GrantTarget(database: "orders_%", table: nil, databaseIsPattern: true)
        live[0].grants[pattern] = privileges("SELECT")
        #expect(plan(live).actions.map(\.sql) == ["REVOKE SELECT ON `orders_%`.* FROM 'ssotest'@'%'"])
    }

    /// The fingerprint's input: what the plan manages in full, what it only names by name,
    /// and nothing else, so that an application's password account never makes a saved
    /// plan stale.
    @Test func dependenciesCoverManagedAccountsInFullAndOtherIAMAccountsByName() {
        let decide = { (accounts: [LiveAccount]) in
            Planner(manifest: manifest).plan(orders, live: LiveState(accounts: accounts, serverVersion: "8.0")).dependencies
        }
        let stray = iam(AccountName(user: "stray", host: "%"), [:])
        let base = decide(converged + [stray])
        let app = LiveAccount(name: AccountName(user: "app", host: "%"), plugin: "mysql_native_password", sslType: "", grants: [ordersDB: privileges("SELECT")])
        #expect(decide(converged + [stray, app]) == base, "an unrelated password account")
        var strayWithGrant = stray
        strayWithGrant.grants = [ordersDB: privileges("SELECT")]
        #expect(decide(converged + [strayWithGrant]) == base, "the plan only names stray: its grants are not its business")
        #expect(decide(converged + [iam(AccountName(user: "stray2", host: "%"), [:])]) != base, "another IAM account the plan names")
        var drifted = converged
        drifted[0].grants[ordersDB] = privileges("SELECT")
        #expect(decide(drifted + [stray]) != base, "a managed account's grants")
        drifted = converged
        drifted[1].sslType = "X509"
        #expect(decide(drifted + [stray]) != base, "a managed account's TLS requirement")
        #expect(decide(converged) != base, "a named account gone")
    }

    /// Names are length-prefixed: no name with a tab or a newline reads as two fields.
    @Test func dependencyTextCannotBeForgedByNames() {
        let decide = { (accounts: [LiveAccount]) in
            Planner(manifest: manifest).plan(orders, live: LiveState(accounts: accounts, serverVersion: "8.0")).dependencies
        }
        let one = decide(converged + [iam(AccountName(user: "a\t1:b", host: "%"), [:])])
        let other = decide(converged + [iam(AccountName(user: "a", host: "b\t1:%"), [:])])
        #expect(one != other)
    }

    /// `orders_db` the name and `orders_db` the pattern are two targets in a fixed order,
    /// so a plan lists their statements the same way in every process.
    @Test func aPatternAndTheNameItSpellsSortTheSameEveryTime() {
        let literal = GrantTarget(database: "orders_db", table: nil)
        let pattern = GrantTarget(database: "orders_db", table: nil, databaseIsPattern: true)
        #expect(literal < pattern && !(pattern < literal))
        var live = converged
        live[0].grants = [literal: privileges("INSERT"), pattern: privileges("DELETE")]
        #expect(plan(live).actions.map(\.sql) == [
            "REVOKE INSERT ON `orders\\_db`.* FROM 'ssotest'@'%'",
            "REVOKE DELETE ON `orders_db`.* FROM 'ssotest'@'%'",
            "GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'%'",
        ])
    }
}

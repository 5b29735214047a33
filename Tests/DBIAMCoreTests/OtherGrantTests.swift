import Testing
@testable import DBIAMCore

/// Roles, default roles, column, routine and proxy grants on a managed account: planned
/// as revokes in both dialects, combined only where the statement allows, saved and read
/// back, and named when a saved plan goes stale.
struct OtherGrantTests {
    let manifest = Manifests.valid()
    var orders: Cluster { manifest.clusters[0] }
    let ssotest = AccountName(user: "ssotest", host: "%")
    let oncall = AccountName(user: "oncall_dba", host: "%")
    let customers = GrantTarget(database: "orders", table: "customers")

    /// Every kind, with names that need quoting.
    var everyKind: [OtherGrant] {
        [
            .role(RoleName(name: "account_admin")),
            .role(RoleName(name: "it's", host: "%")),
            .defaultRoles([RoleName(name: "account_admin")]),
            .defaultRoles([RoleName(name: "a", host: "%"), RoleName(name: "b", host: "10.%")]),
            .columns(customers, Privilege("SELECT"), ["card`no", "secret"]),
            .routine(Routine(type: "FUNCTION", database: "orders", name: "refund"), [Privilege("EXECUTE"), .grantOption]),
            .proxy(AccountName(user: "dbiam_admin", host: "%")),
        ]
    }

    func converged(with others: [OtherGrant] = []) -> [LiveAccount] {
        [
            LiveAccount(name: ssotest, plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [GrantTarget(database: "orders", table: nil): [Privilege("SELECT"), Privilege("SHOW VIEW")]], otherGrants: others),
            LiveAccount(name: oncall, plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [.everything: [Privilege("PROCESS"), Privilege("SELECT"), Privilege("SHOW DATABASES")]]),
        ]
    }

    func plan(_ accounts: [LiveAccount]) -> Planner.Decision {
        Planner(manifest: manifest).plan(orders, live: LiveState(accounts: accounts, serverVersion: "8.0"))
    }

    @Test func everyKindIsRevokedInItsDialect() {
        let actions = plan(converged(with: everyKind)).actions
        #expect(actions.map(\.sql) == [
            "REVOKE SELECT (`card``no`, `secret`) ON `orders`.`customers` FROM 'ssotest'@'%'",
            "SET DEFAULT ROLE NONE TO 'ssotest'@'%'",
            "SET DEFAULT ROLE NONE FOR 'ssotest'@'%'",
            "REVOKE PROXY ON 'dbiam_admin'@'%' FROM 'ssotest'@'%'",
            "REVOKE 'account_admin' FROM 'ssotest'@'%'",
            "REVOKE 'it''s'@'%' FROM 'ssotest'@'%'",
            "REVOKE EXECUTE, GRANT OPTION ON FUNCTION `orders`.`refund` FROM 'ssotest'@'%'",
        ])
        #expect(actions.allSatisfy { $0.effect == .destroy && $0.destructive })
        #expect(actions[4].reason == "'ssotest'@'%' holds role 'account_admin', which the manifest does not grant (a managed account holds exactly the manifest's grants)")
        #expect(SafetyRails.violations(actions, on: orders, manifest: manifest, live: LiveState(accounts: converged(with: everyKind), serverVersion: "8.0")).isEmpty)
    }

    @Test func aConvergedAccountWithAnotherGrantIsNotConverged() {
        #expect(plan(converged()).actions.isEmpty)
        #expect(plan(converged(with: [.proxy(AccountName(user: "root", host: "localhost"))])).actions.map(\.sql) == [
            "REVOKE PROXY ON 'root'@'localhost' FROM 'ssotest'@'%'",
        ])
    }

    /// The fingerprint covers other grants, so a role granted after planning makes the
    /// saved plan stale, and the reason names the role.
    @Test func aRoleGrantedSincePlanningMakesThePlanStale() {
        let before = plan(converged()), after = plan(converged(with: [.role(RoleName(name: "account_admin"))]))
        #expect(before.dependencies != after.dependencies)
        let saved = ClusterPlan(name: "orders-prod", endpoint: "e", port: 3306, liveFingerprint: "a", actions: before.actions)
        let now = ClusterPlan(name: "orders-prod", endpoint: "e", port: 3306, liveFingerprint: "b", actions: after.actions)
        #expect(ClusterPlanCheck(saved: saved, now: now, catalog: PrivilegeCatalog(engine: .auroraMySQL3)) == .stale(["'ssotest'@'%' gained role 'account_admin'"]))
    }

    /// One statement revokes the same grant from many accounts, except MariaDB's SET
    /// DEFAULT ROLE, which names one account.
    @Test func likeRevokesCombineWhereTheStatementAllows() {
        let role = OtherGrant.role(RoleName(name: "r"))
        let mariadbDefault = OtherGrant.defaultRoles([RoleName(name: "r")])
        let mysqlDefault = OtherGrant.defaultRoles([RoleName(name: "r", host: "%")])
        let statements: [AccountStatement] = [ssotest, oncall].flatMap { account in
            [.revokeOther(.account(account), role), .revokeOther(.account(account), mariadbDefault), .revokeOther(.account(account), mysqlDefault)]
        }
        #expect(CombinedStatement.combine(statements).map(\.sql) == [
            "REVOKE 'r' FROM 'ssotest'@'%', 'oncall_dba'@'%'",
            "SET DEFAULT ROLE NONE FOR 'ssotest'@'%'",
            "SET DEFAULT ROLE NONE FOR 'oncall_dba'@'%'",
            "SET DEFAULT ROLE NONE TO 'ssotest'@'%', 'oncall_dba'@'%'",
        ])
    }

    @Test func savedPlansKeepEveryKind() throws {
        let actions = plan(converged(with: everyKind)).actions
        let saved = Plan(
            dbiamVersion: "test", manifest: "m.yaml", manifestDigest: "d", offline: false,
            clusters: [ClusterPlan(name: "orders-prod", endpoint: "e", port: 3306, liveFingerprint: "f", ownedIAMAccounts: 2, actions: actions)],
            policies: [])
        let json = PlanJSONRenderer.render(saved)
        #expect(try PlanJSONRenderer.decode(Array(json.utf8)) == saved)
        #expect(json.contains("\"kind\": \"revoke_other\""))
    }

    /// After apply fails part-way, the applier tells from the live state which revokes
    /// took effect.
    @Test func aRevokeIsSatisfiedOnceTheGrantIsGone() {
        let catalog = PrivilegeCatalog(engine: .auroraMySQL3)
        let role = OtherGrant.role(RoleName(name: "r"))
        let held = LiveState(accounts: converged(with: [role, .defaultRoles([RoleName(name: "r")])]), serverVersion: "8.0")
        let gone = LiveState(accounts: converged(), serverVersion: "8.0")
        for statement in [AccountStatement.revokeOther(.account(ssotest), role), .revokeOther(.account(ssotest), .defaultRoles([RoleName(name: "x")]))] {
            #expect(!statement.isSatisfied(by: held, catalog: catalog))
            #expect(statement.isSatisfied(by: gone, catalog: catalog))
        }
    }

    @Test func unmanagedAccountsAreNeitherOwnedNorDroppedNorNamed() throws {
        var manifest = self.manifest
        manifest.clusters[0].prune = true
        manifest.clusters[0].unmanaged = [UserNamePattern("platform_*")]
        let live = converged() + [
            LiveAccount(name: AccountName(user: "platform_admin", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "", grants: [.everything: [Privilege("CREATE USER")]]),
            LiveAccount(name: AccountName(user: "leaver", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "", grants: [:]),
        ]
        let decision = Planner(manifest: manifest).plan(manifest.clusters[0], live: LiveState(accounts: live, serverVersion: "8.0"))
        #expect(decision.actions.map(\.sql) == ["DROP USER 'leaver'@'%'"])
        #expect(decision.ownedIAMAccounts == 3)
        #expect(decision.warnings.isEmpty)
        #expect(!String(decoding: decision.dependencies, as: UTF8.self).contains("platform_admin"))
        let drop = PlannedAction(.dropUser(AccountName(user: "platform_admin", host: "%")), reason: "edited")
        #expect(SafetyRails.violations([drop], on: manifest.clusters[0], manifest: manifest, live: LiveState(accounts: live, serverVersion: "8.0"))
            == ["DROP USER 'platform_admin'@'%': it would change an account the manifest leaves unmanaged"])
    }

    @Test(arguments: [
        ("app_*", "app_orders", true), ("app_*", "app_", true), ("app_*", "xapp_orders", false), ("a*b*c", "aXbYc", true),
        ("a*b*c", "aXbY", false), ("r?_*", "ro_x", true), ("r?_*", "r_x", false), ("*", "", true), ("legacy", "Legacy", false),
        ("é?", "éé", true), ("**x", "abx", true),
    ])
    func patternsMatchWholeNames(pattern: String, name: String, matches: Bool) {
        #expect(UserNamePattern(pattern).matches(name) == matches)
    }
}

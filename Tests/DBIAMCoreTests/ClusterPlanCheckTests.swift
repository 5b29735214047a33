import Testing
@testable import DBIAMCore

/// What `dbiam apply` concludes from the saved plan of a cluster and the plan it makes
/// again under the cluster's lock.
struct ClusterPlanCheckTests {
    /// The planner's tests' accounts and names.
    let planner = PlannerTests()
    var manifest: Manifest { planner.manifest }
    var orders: Cluster { planner.orders }
    var ssotest: AccountName { planner.ssotest }
    var oncall: AccountName { planner.oncall }
    var ordersDB: GrantTarget { planner.ordersDB }

    func iam(_ name: AccountName, ssl: String = "ANY", _ grants: [GrantTarget: Set<Privilege>] = [:]) -> LiveAccount {
        planner.iam(name, ssl: ssl, grants)
    }

    func privileges(_ names: String...) -> Set<Privilege> { Set(names.map(Privilege.init)) }

    func plan(_ accounts: [LiveAccount]) -> ClusterPlan {
        Plans.builder(manifest).clusterPlan(orders, reading: .live(LiveState(accounts: accounts, serverVersion: "8.0")))
    }

    func check(saved: [LiveAccount], now: [LiveAccount]) -> ClusterPlanCheck {
        ClusterPlanCheck(saved: plan(saved), now: plan(now), catalog: catalog)
    }

    let catalog = PrivilegeCatalog(engine: .auroraMySQL3)

    /// The cluster as the base manifest wants it, for oncall_dba; ssotest is missing.
    var planned: [LiveAccount] { [iam(oncall, [.everything: privileges("PROCESS", "SELECT", "SHOW DATABASES")])] }

    @Test func theSameAccountsGiveTheSamePlan() {
        #expect(check(saved: planned, now: planned) == .same)
    }

    /// An application's password account appears: not something the plan depends on.
    @Test func unrelatedAccountsDoNotMakeAPlanStale() {
        let app = LiveAccount(name: AccountName(user: "app", host: "%"), plugin: "caching_sha2_password", sslType: "", grants: [ordersDB: privileges("SELECT", "INSERT")])
        #expect(check(saved: planned, now: planned + [app]) == .same)
    }

    @Test func changesAlreadyOnTheClusterAreAlreadyApplied() {
        let applied = planned + [iam(ssotest, [ordersDB: privileges("SELECT", "SHOW VIEW")])]
        #expect(check(saved: planned, now: applied) == .alreadyApplied(newWarnings: []))
        // An IAM account made since is still worth a word.
        let stray = iam(AccountName(user: "stray", host: "%"))
        #expect(check(saved: planned, now: applied + [stray]) == .alreadyApplied(newWarnings: [
            "'stray'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)",
        ]))
    }

    @Test func aPrivilegeGainedSinceThePlanIsNamed() {
        // Gained one the manifest also grants: the saved GRANT no longer needs it.
        let partly = planned + [iam(ssotest, [ordersDB: privileges("SHOW VIEW")])]
        let gained = planned + [iam(ssotest, [ordersDB: privileges("SELECT", "SHOW VIEW", "INSERT")])]
        #expect(check(saved: partly, now: gained) == .stale(["'ssotest'@'%' gained INSERT, SELECT on orders.*"]))
        #expect(check(saved: gained, now: partly) == .stale(["'ssotest'@'%' lost INSERT, SELECT on orders.*"]))
    }

    @Test func accountsCreatedAndDroppedSinceThePlanAreNamed() {
        let withSSOTest = planned + [iam(ssotest, [ordersDB: privileges("SELECT")])]
        #expect(check(saved: [], now: withSSOTest) == .stale(["'oncall_dba'@'%' was created", "'ssotest'@'%' was created"]))
        #expect(check(saved: withSSOTest, now: []) == .stale(["'oncall_dba'@'%' was dropped", "'ssotest'@'%' was dropped"]))
    }

    @Test func aNewIAMAccountOutsideTheManifestIsNamed() {
        let stray = iam(AccountName(user: "stray", host: "%"))
        #expect(check(saved: planned, now: planned + [stray]) == .stale([
            "new: 'stray'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)",
        ]))
    }

    @Test func pluginAndTLSChangesAreNamed() {
        let passwordLogin = [LiveAccount(name: oncall, plugin: "mysql_native_password", sslType: "", grants: [.everything: privileges("PROCESS", "SELECT", "SHOW DATABASES")])]
        let changes = check(saved: planned, now: passwordLogin)
        #expect(changes == .stale([
            "'oncall_dba'@'%' now uses mysql_native_password instead of AWSAuthenticationPlugin",
            "'oncall_dba'@'%' now has REQUIRE NONE instead of the TLS requirement the manifest sets",
        ]))
    }

    /// Revoking SELECT then, everything now: it gained all but SELECT, and lost nothing.
    @Test func privilegesAreComparedWithAllSpelledOut() {
        let extra = planned + [iam(ssotest, [ordersDB: privileges("SELECT", "SHOW VIEW", "INSERT")])]
        let everything = planned + [iam(ssotest, [ordersDB: [.allPrivileges]])]
        guard case .stale(let changes) = check(saved: extra, now: everything) else {
            Issue.record("expected stale")
            return
        }
        #expect(changes.count == 1, "\(changes)")
        #expect(changes.first?.hasPrefix("'ssotest'@'%' gained ALTER, ") == true, "\(changes)")
        #expect(changes.first?.contains("INSERT") == false, "it held INSERT already")
        #expect(check(saved: everything, now: extra) == .stale([changes[0].replacingOccurrences(of: " gained ", with: " lost ")]))
    }

    @Test func aTLSRequirementChangedByHandIsNamed() {
        var x509 = planned
        x509[0].sslType = "X509"
        var specified = planned
        specified[0].sslType = "SPECIFIED"
        #expect(check(saved: x509, now: specified) == .stale(["'oncall_dba'@'%' now has REQUIRE SPECIFIED instead of REQUIRE X509"]))
    }

    /// The accounts it depends on changed, though not what it would run: still stale, as
    /// the fingerprint says, with words for it.
    @Test func aChangeThatLeavesTheStatementsAloneIsStillStale() {
        let saved = plan(planned)
        var now = saved
        now.liveFingerprint = "another"
        #expect(ClusterPlanCheck(saved: saved, now: now, catalog: catalog) == .stale([
            "the accounts the plan manages or names changed, though not in a way that changes its statements",
        ]))
    }

    /// The accounts are exactly as planned, yet the saved plan differs: it was edited.
    @Test func aPlanEditedByHandIsToldApartFromAStaleOne() {
        let now = plan(planned)
        var edited = now
        edited.actions[0] = PlannedAction(.dropUser(AccountName(user: "dbiam_admin", host: "%")), reason: now.actions[0].reason)
        #expect(ClusterPlanCheck(saved: edited, now: now, catalog: catalog) == .edited(
            "statement 1 is DROP USER 'dbiam_admin'@'%', where the manifest and the cluster give CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL"))
        edited = now
        edited.actions[0].reason = "harmless, honest"
        guard case .edited = ClusterPlanCheck(saved: edited, now: now, catalog: catalog) else {
            Issue.record("a changed reason is an edit too")
            return
        }
        edited = now
        edited.actions.removeLast()
        #expect(ClusterPlanCheck(saved: edited, now: now, catalog: catalog) == .edited("it has 1 statement, where the manifest and the cluster give 2"))
        edited = now
        edited.endpoint = "evil.example.com"
        #expect(ClusterPlanCheck(saved: edited, now: now, catalog: catalog) == .edited("it names evil.example.com:3306, not orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306"))
    }
}

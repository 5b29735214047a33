import Testing
@testable import DBIAMCore

struct PlanRendererTests {
    /// A plan with every kind of line: orders-prod drifted, billing-prod unreachable; one
    /// policy file new, one changed, one removed.
    func samplePlan() -> (plan: Plan, run: PlanRun) {
        var manifest = Manifests.valid()
        manifest.clusters[0].prune = true
        let live = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "oncall_dba", host: "%"), plugin: "mysql_native_password", sslType: "",
                grants: [.everything: [Privilege("PROCESS"), Privilege("SELECT"), Privilege("SHOW DATABASES"), Privilege("RELOAD")]]),
            LiveAccount(name: AccountName(user: "leaver", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
            LiveAccount(name: AccountName(user: "dbiam_admin", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [.everything: [.allPrivileges]]),
        ], serverVersion: "8.0.39")
        let plan = Plans.builder(manifest).build(readings: [
            "orders-prod": .live(live),
            "billing-prod": .failed("no answer from billing.c8bjhxz2.us-east-1.rds.amazonaws.com:13306 within 5 s"),
        ])
        return (plan, Plans.run(plan, accountsRead: ["orders-prod": 3], existing: ["DBOncall": "{}\n", "DBRetired": "{}\n"]))
    }

    @Test func textPlanMatchesTheGoldenFile() throws {
        let (plan, run) = samplePlan()
        try Golden.check(PlanTextRenderer(color: false).render(plan, run: run), "plan/sample.txt")
    }

    @Test func jsonPlanMatchesTheGoldenFileAndRoundTrips() throws {
        let plan = samplePlan().plan
        let json = PlanJSONRenderer.render(plan)
        try Golden.check(json, "plan/sample.json")
        #expect(try PlanJSONRenderer.decode(Array(json.utf8)) == plan)
    }

    /// Every key of a saved plan is in snake case, as the statements' keys always were.
    @Test func jsonKeysAreSnakeCase() throws {
        let json = PlanJSONRenderer.render(samplePlan().plan)
        for line in json.split(separator: "\n") {
            guard let key = line.split(separator: "\"").dropFirst().first, line.contains("\" : ") else { continue }
            #expect(key == key.lowercased(), "\(line)")
        }
    }

    @Test func sqlFileMatchesTheGoldenFile() throws {
        let (plan, run) = samplePlan()
        try Golden.check(SQLFileRenderer.render(plan.clusters[0], manifestPath: run.manifestPath, offline: false), "plan/orders-prod.sql")
        #expect(SQLFileRenderer.render(plan.clusters[1], manifestPath: run.manifestPath, offline: false).contains("-- Not planned: no answer from"))
    }

    @Test func summaryCountsLikeTerraform() {
        #expect(samplePlan().plan.summary == Plan.Summary(toAdd: 2, toChange: 2, toDestroy: 2))
    }

    @Test func noChangesSaysSo() {
        let plan = Plans.builder(Manifests.valid()).build(readings: [:])
        #expect(PlanTextRenderer(color: false).summaryLine(plan, run: PlanRun(manifestPath: "m.yaml")) == "No changes. The clusters match the manifest.")
    }

    /// A policy file is not a change dbiam apply makes; the plan says so rather than
    /// "No changes" alone.
    @Test func policyFilesAreReportedButNotCountedAsChanges() {
        let plan = Plans.builder(Manifests.valid()).build(readings: [:])
        let run = Plans.run(plan, existing: ["DBReadOnly": "{}\n"])
        let line = PlanTextRenderer(color: false).summaryLine(plan, run: run)
        #expect(!plan.hasChanges)
        #expect(line == "No changes to apply: the clusters match the manifest. 2 policy files are new, changed or removed; dbiam apply does not deploy policies, so bring IAM in line with them yourself.")
        let text = PlanTextRenderer(color: false).render(plan, run: run)
        #expect(text.contains("policy DBReadOnly  out/manifests/prod.yaml/policies/DBReadOnly.json  (differs from the previous file)\n"))
        #expect(text.contains("policy DBOncall  out/manifests/prod.yaml/policies/DBOncall.json  (new file)\n"))
    }

    @Test func removedPermissionSetsAreListedAsRemovedPolicies() {
        let plan = samplePlan()
        let text = PlanTextRenderer(color: false).render(plan.plan, run: plan.run)
        #expect(text.contains("- policy DBRetired  out/manifests/prod.yaml/policies/DBRetired.json  (removed: the permission set is no longer in the manifest)\n"))
        #expect(plan.run.policyFiles.map(\.status) == [.new, .changed, .removed])
    }

    @Test func colourOnlyWhenAsked() {
        let (plan, run) = samplePlan()
        #expect(!PlanTextRenderer(color: false).render(plan, run: run).contains("\u{1B}["))
        #expect(PlanTextRenderer(color: true).render(plan, run: run).contains("\u{1B}[32m+\u{1B}[0m"))
    }

    @Test func offlinePlansTreatClustersAsEmpty() {
        let plan = Plans.builder(Manifests.valid()).build(readings: ["orders-prod": .offline, "billing-prod": .offline])
        #expect(plan.offline)
        #expect(plan.whyNotApplicable == "it was made with --offline, without reading the clusters")
        #expect(plan.clusters.map { $0.actions.count } == [4, 2])
        #expect(PlanTextRenderer(color: false).render(plan, run: PlanRun(manifestPath: "m.yaml")).contains("offline: planned as if empty"))
    }

    /// An offline plan read nothing, so no reason may say what a cluster holds: each says
    /// what the plan assumed, and so does the SQL file before the first statement.
    @Test func offlineReasonsSayTheClusterWasNotRead() throws {
        let manifest = Manifests.valid(RoleManifestTests.withRoles(RoleManifestTests.ordersRead))
        let plan = Plans.builder(manifest).build(readings: ["orders-prod": .offline, "billing-prod": .offline])
        let reasons = plan.clusters.flatMap(\.actions).map(\.reason)
        #expect(reasons.contains("user ssotest is in the manifest; planned offline, as if the cluster were empty"), "\(reasons)")
        #expect(reasons.contains("role orders_read is in the manifest; planned offline, as if the cluster were empty"), "\(reasons)")
        #expect(reasons.contains("a granted role is active at login only as a default role; planned offline, as if 'ssotest'@'%' had none"), "\(reasons)")
        #expect(!reasons.contains { $0.contains("not on this cluster") || $0.contains(" has NONE") }, "\(reasons)")
        let sql = SQLFileRenderer.render(plan.clusters[0], manifestPath: "m.yaml", offline: true)
        #expect(sql.components(separatedBy: "\n")[1] == "-- Planned offline: nothing was read from this cluster; the statements are those for a cluster without any of the manifest's accounts.")
        // The same manifest planned against a cluster that was read says what it saw.
        let live = Plans.builder(manifest).clusterPlan(manifest.clusters[0], reading: .live(LiveState(accounts: [], serverVersion: "8.0.36")))
        #expect(live.actions.map(\.reason).contains("user ssotest is in the manifest but not on this cluster"))
        #expect(!SQLFileRenderer.render(live, manifestPath: "m.yaml", offline: false).contains("Planned offline"))
    }

    @Test func aFailedClusterMakesThePlanInapplicable() {
        let plan = samplePlan().plan
        #expect(plan.whyNotApplicable == "1 of 2 clusters could not be planned (billing-prod)")
    }
}

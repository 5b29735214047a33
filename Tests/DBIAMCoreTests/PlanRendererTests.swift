import Testing
@testable import DBIAMCore

struct PlanRendererTests {
    /// A plan with every kind of line: orders-prod drifted, billing-prod unreachable.
    func samplePlan() -> Plan {
        var manifest = Manifests.valid()
        manifest.clusters[0].prune = true
        let live = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "oncall_dba", host: "%"), plugin: "mysql_native_password", sslType: "",
                grants: [.everything: [Privilege("PROCESS"), Privilege("SELECT"), Privilege("SHOW DATABASES"), Privilege("RELOAD")]]),
            LiveAccount(name: AccountName(user: "leaver", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
            LiveAccount(name: AccountName(user: "dbiam_admin", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [.everything: [.allPrivileges]]),
        ], serverVersion: "8.0.39")
        let builder = PlanBuilder(manifest: manifest, manifestPath: "manifests/prod.yaml", manifestDigest: "0123abcd")
        return builder.build(
            readings: [
                "orders-prod": .live(live, fingerprint: "f00d"),
                "billing-prod": .failed("no answer from billing.c8bjhxz2.us-east-1.rds.amazonaws.com:13306 within 5 s"),
            ],
            policyPath: { "out/prod/policies/\($0).json" },
            previousPolicies: ["DBOncall": "{}\n"])
    }

    @Test func textPlanMatchesTheGoldenFile() throws {
        try Golden.check(PlanTextRenderer(color: false).render(samplePlan()), "plan/sample.txt")
    }

    @Test func jsonPlanMatchesTheGoldenFileAndRoundTrips() throws {
        let plan = samplePlan()
        let json = try PlanJSONRenderer.render(plan)
        try Golden.check(json, "plan/sample.json")
        #expect(try PlanJSONRenderer.decode(Array(json.utf8)) == plan)
    }

    @Test func sqlFileMatchesTheGoldenFile() throws {
        let plan = samplePlan()
        try Golden.check(SQLFileRenderer.render(plan.clusters[0], manifestPath: plan.manifestPath), "plan/orders-prod.sql")
        #expect(SQLFileRenderer.render(plan.clusters[1], manifestPath: plan.manifestPath).contains("-- Not planned: no answer from"))
    }

    @Test func summaryCountsLikeTerraform() {
        let summary = samplePlan().summary
        #expect(summary == Plan.Summary(toAdd: 2, toChange: 2, toDestroy: 2))
    }

    @Test func noChangesSaysSo() {
        let manifest = Manifests.valid()
        let plan = PlanBuilder(manifest: manifest, manifestPath: "m.yaml", manifestDigest: "x").build(
            readings: [:], policyPath: { $0 }, previousPolicies: [:])
        #expect(PlanTextRenderer(color: false).summaryLine(plan) == "No changes. The clusters match the manifest.")
    }

    @Test func colourOnlyWhenAsked() {
        let plan = samplePlan()
        #expect(!PlanTextRenderer(color: false).render(plan).contains("\u{1B}["))
        #expect(PlanTextRenderer(color: true).render(plan).contains("\u{1B}[32m+\u{1B}[0m"))
    }

    @Test func offlinePlansTreatClustersAsEmpty() {
        let manifest = Manifests.valid()
        let plan = PlanBuilder(manifest: manifest, manifestPath: "m.yaml", manifestDigest: "x").build(
            readings: ["orders-prod": .offline, "billing-prod": .offline], policyPath: { $0 }, previousPolicies: [:])
        #expect(plan.offline)
        #expect(plan.clusters.map { $0.actions.count } == [4, 2])
        #expect(PlanTextRenderer(color: false).render(plan).contains("offline: planned as if empty"))
    }
}

import DBIAMEngine
import DBIAMTestSupport
import Foundation
import Testing

/// `dbiam show PLAN.json`: a saved plan printed as dbiam plan printed it, without
/// connecting anywhere (the plans here are of prod.yaml, whose clusters do not exist).
struct ShowCommandTests {
    static let prodManifest = LocalServer.repositoryRoot.appendingPathComponent("manifests/prod.yaml").path

    /// A folder holding prod.yaml and its offline plan, with what plan printed as JSON.
    func planned() throws -> (dbiam: DBIAMProcess, planJSON: String) {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "prod.yaml")
        let plan = try dbiam.run(["plan", "prod.yaml", "--offline", "--json"])
        #expect(plan.status == 0, "\(plan.output)")
        return (dbiam, plan.stdout)
    }

    @Test func jsonIsWhatPlanPrinted() throws {
        let (dbiam, planJSON) = try planned()
        let show = try dbiam.run(["show", "out/prod.yaml/plan.json", "--json"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout == planJSON)
        #expect(show.stderr.isEmpty, "\(show.stderr)")
        #expect(try dbiam.run(["show", "out/prod.yaml/plan.json", "--format", "json"]).stdout == planJSON)
    }

    /// The clusters as plan prints them; the policy files, which are facts of the run
    /// that saved them, are left out, so the summary counts only the changes.
    @Test func textIsThePlanAsPlanPrintsIt() throws {
        let (dbiam, _) = try planned()
        let plan = try dbiam.run(["plan", "prod.yaml", "--offline"])
        let show = try dbiam.run(["show", "out/prod.yaml/plan.json"])
        #expect(show.status == 0, "\(show.output)")
        let clusters = try #require(show.stdout.components(separatedBy: "\n\nPlan: ").first)
        #expect(clusters.hasPrefix("cluster orders-prod  (orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306, offline: planned as if empty)\n"), "\(show.stdout)")
        #expect(plan.stdout.hasPrefix(clusters + "\n\npolicy DBReadOnly  out/prod.yaml/policies/DBReadOnly.json  (same as the previous file)\n"), "\(plan.stdout)")
        #expect(show.stdout.hasSuffix("\n\nPlan: 16 to add, 0 to change, 0 to destroy.\n"), "\(show.stdout)")
        // From another folder, with the plan named from there.
        var elsewhere = dbiam
        elsewhere.directory = dbiam.directory.appendingPathComponent("home")
        #expect(try elsewhere.run(["show", "../out/prod.yaml/plan.json", "--no-color"]).stdout == show.stdout)
    }

    @Test func markdownIsThePullRequestComment() throws {
        let (dbiam, _) = try planned()
        let show = try dbiam.run(["show", "out/prod.yaml/plan.json", "--format", "markdown"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.stdout.hasPrefix("**Plan:** 16 to add, 0 to change, 0 to destroy.\n\nManifest `prod.yaml`, planned offline"), "\(show.stdout)")
        for cluster in ["orders-prod", "billing-prod", "search-prod"] {
            let sql = try #require(dbiam.read("out/prod.yaml/sql/\(cluster).sql"))
            #expect(show.stdout.contains("```sql\n" + sql + "```\n"), "\(cluster): \(show.stdout)")
        }
    }

    /// Each file that is not a plan dbiam saved, as it is: an error naming it and saying
    /// what to do, exit code 1, nothing on stdout.
    @Test func whatIsNotASavedPlanIsAnError() throws {
        var (dbiam, _) = try planned()
        let saved = try #require(dbiam.read("out/prod.yaml/plan.json"))
        try dbiam.write(saved.replacingOccurrences(of: "user ssotest is in the manifest", with: "user ssotest was approved"), to: "edited.json")
        // Laid out otherwise, with the checksum of that layout.
        let spaced = try #require(saved.components(separatedBy: "\n\"plan\": ").last?.dropLast(2)).replacingOccurrences(of: "\"clusters\": [", with: "\"clusters\":  [")
        try dbiam.write("{\n\"checksum\": \"\(Digest.sha256(spaced))\",\n\(saved.components(separatedBy: "\n")[2])\n\"plan\": \(spaced)}\n", to: "spaced.json")
        try dbiam.write("{\n\"checksum\" : \"00\",\n\"plan\" : {\n  \"clusters\" : [],\n  \"formatVersion\" : 1\n}}\n", to: "old.json")
        try dbiam.write("{\"Version\": \"2012-10-17\", \"Statement\": []}\n", to: "policy.json")
        let cases: [(arguments: [String], error: String)] = [
            (["missing.json"], "there is no saved plan at missing.json; run dbiam plan MANIFEST first."),
            (["out/prod.yaml"], "out/prod.yaml is a folder; give dbiam show the plan in it (dbiam show out/prod.yaml/plan.json)."),
            (["prod.yaml"], "prod.yaml is not a plan saved by dbiam plan; give dbiam show a plan file that dbiam plan wrote."),
            (["policy.json"], "policy.json is not a plan saved by dbiam plan; give dbiam show a plan file that dbiam plan wrote."),
            (["old.json"], "old.json holds a plan of format 1, which this dbiam does not show; run dbiam plan again."),
            (["edited.json", "--json"], "edited.json was changed after dbiam plan wrote it (its checksum does not match); run dbiam plan again rather than editing the plan."),
            (["spaced.json", "--format", "markdown"], "spaced.json was changed after dbiam plan wrote it (it is not laid out as dbiam writes the plan it holds); run dbiam plan again rather than editing the plan."),
        ]
        for (arguments, error) in cases {
            let show = try dbiam.run(["show"] + arguments)
            #expect(show.status == 1, "\(arguments): \(show.output)")
            #expect(show.stderr == "dbiam: error: \(error)\n", "\(arguments): \(show.stderr)")
            #expect(show.stdout.isEmpty, "\(arguments): \(show.stdout)")
        }
        // A plan its reader may not read; root reads anything, so as root without that power.
        chmod(dbiam.directory.appendingPathComponent("out/prod.yaml/plan.json").path, 0o000)
        if getuid() == 0 { dbiam.wrapper = ["/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] }
        let unreadable = try dbiam.run(["show", "out/prod.yaml/plan.json"])
        #expect(unreadable.status == 1)
        #expect(unreadable.stderr == "dbiam: error: cannot read the plan out/prod.yaml/plan.json: it cannot be read (Permission denied); check its permissions.\n", "\(unreadable.stderr)")
    }
}

import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// `dbiam apply --json` against the local server: JSON Lines on stdout, one object per
/// statement as it runs and a summary; failures in words on stderr as ever.
@Suite(.serialized)
final class ApplyJSONTests {
    deinit {
        if let connection = try? LocalServer.connect() { try? LocalServer.reset(connection) }
    }

    /// Each line of stdout as an object; every line must be one.
    func lines(_ stdout: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        #expect(stdout.hasSuffix("\n"), sourceLocation: sourceLocation)
        return try stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not an object: \(line)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyStatementIsAnObjectAndTheSummaryComesLast() throws {
        let (dbiam, _) = try PlanApplyCommandTests.prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(try dbiam.run(["show", "out/local.yaml/plan.json", "--json"]).stdout.utf8)) as? [String: Any])
        let sql = try #require(((planned["clusters"] as? [[String: Any]])?.first?["actions"] as? [[String: Any]])?.compactMap { $0["sql"] as? String })
        let apply = try dbiam.run(["apply", "--json"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stderr.isEmpty, "\(apply.stderr)")
        try JSONOutputTests.expectDBIAMStyle(apply.stdout, "apply --json", lines: true)
        let objects = try lines(apply.stdout)
        #expect(objects.count == 5, "\(apply.stdout)")
        let statements = objects.dropLast()
        #expect(statements.allSatisfy { $0["type"] as? String == "statement" && $0["cluster"] as? String == "local" && $0["outcome"] as? String == "ok" && $0["total"] as? Int == 4 })
        #expect(statements.compactMap { $0["index"] as? Int } == [1, 2, 3, 4])
        #expect(statements.compactMap { $0["sql"] as? String } == sql)
        #expect(statements.allSatisfy { $0["error"] == nil })
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["outcome"] as? String == "applied")
        #expect(summary["plan"] as? String == "out/local.yaml/plan.json")
        #expect(summary["added"] as? Int == 4 && summary["changed"] as? Int == 0 && summary["destroyed"] as? Int == 0)
        let cluster = try #require((summary["clusters"] as? [[String: Any]])?.first)
        #expect(cluster["cluster"] as? String == "local" && cluster["outcome"] as? String == "applied")
        #expect(cluster["ran"] as? Int == 4 && cluster["failed"] as? Int == 0 && cluster["not_run"] as? Int == 0)
        #expect(!apply.output.contains(LocalServer.adminPassword))
        // Once more: already applied, said by the summary alone.
        let again = try dbiam.run(["apply", "--json"])
        #expect(again.status == 0, "\(again.output)")
        let last = try lines(again.stdout)
        #expect(last.count == 1, "\(again.stdout)")
        #expect(last.first?["outcome"] as? String == "already_applied")
        #expect(last.first?["already_applied"] as? [String] == ["local"])
    }

    /// The statement the server refused, and those after it, come when the cluster stops,
    /// each with its outcome; stderr says it in words, as without --json.
    @Test func aFailedStatementAndThoseNotRun() throws {
        let (dbiam, connection) = try PlanApplyCommandTests.prepareAFailingGrant()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let apply = try dbiam.run(["apply", "--json"])
        #expect(apply.status == 1, "\(apply.output)")
        try JSONOutputTests.expectDBIAMStyle(apply.stdout, "apply --json", lines: true)
        let objects = try lines(apply.stdout)
        let outcomes = objects.dropLast().map { "\($0["index"] ?? "?") \($0["outcome"] ?? "?")" }
        #expect(outcomes == ["1 ok", "2 ok", "3 ok", "4 failed", "5 not_run"], "\(apply.stdout)")
        let failed = objects[3]
        #expect(failed["sql"] as? String == "GRANT SELECT ON `dbiam_test_missing`.`orders` TO 'reporter'@'%'")
        #expect((failed["error"] as? String)?.hasPrefix("ERROR 1146 (42S02): ") == true, "\(failed)")
        #expect(failed["may_have_run"] == nil)
        #expect(objects[4]["sql"] as? String == "GRANT PROCESS ON *.* TO 'oncall_dba'@'%'" && objects[4]["error"] == nil)
        let summary = try #require(objects.last)
        #expect(summary["outcome"] as? String == "failed")
        let cluster = try #require((summary["clusters"] as? [[String: Any]])?.first)
        #expect(cluster["outcome"] as? String == "failed" && cluster["ran"] as? Int == 3 && cluster["failed"] as? Int == 1 && cluster["not_run"] as? Int == 1, "\(cluster)")
        #expect((cluster["error"] as? String)?.hasPrefix("ERROR 1146 (42S02): ") == true)
        #expect(apply.stderr.contains("dbiam: error: local: FAILED GRANT SELECT ON `dbiam_test_missing`.`orders` TO 'reporter'@'%': ERROR 1146 (42S02)"), "\(apply.stderr)")
        #expect(apply.stderr.hasSuffix("Apply failed on 1 of 1 cluster; 0 applied completely. Run dbiam plan to see what is left.\n"), "\(apply.stderr)")
    }

    /// A stale plan changes nothing: the summary says it was refused and why.
    @Test func aRefusedPlanIsASummary() throws {
        let (dbiam, connection) = try PlanApplyCommandTests.prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        try connection.query("CREATE USER 'ssotest'@'%' IDENTIFIED BY 'made-by-hand'")
        let apply = try dbiam.run(["apply", "out/local.yaml/plan.json", "--json"])
        #expect(apply.status == 1)
        let objects = try lines(apply.stdout)
        #expect(objects.count == 1, "\(apply.stdout)")
        #expect(objects.first?["outcome"] as? String == "refused")
        let errors = try #require(objects.first?["errors"] as? [String])
        #expect(errors.contains { $0.hasPrefix("cluster local: the saved plan is stale; since it was planned, 'ssotest'@'%' was created.") }, "\(errors)")
        #expect(apply.stderr.contains("dbiam: error: nothing was applied."))
        #expect(!apply.output.contains("made-by-hand") && !apply.output.contains(LocalServer.adminPassword))
    }

    /// With a manifest there is nothing to ask in JSON: --auto-approve is needed, and the
    /// plan is saved, not printed.
    @Test func aManifestNeedsAutoApprove() throws {
        let (dbiam, connection) = try PlanApplyCommandTests.prepare()
        let asked = try dbiam.run(["apply", "local.yaml", "--json"])
        #expect(asked.status == 64)
        #expect(asked.stderr.contains("dbiam: error: --json with a manifest needs --auto-approve"), "\(asked.stderr)")
        #expect(try connection.rows("SELECT User FROM mysql.user WHERE User = 'ssotest'").rows.isEmpty)
        let apply = try dbiam.run(["apply", "local.yaml", "--json", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.output)")
        let objects = try lines(apply.stdout)
        #expect(objects.count == 5 && objects.last?["outcome"] as? String == "applied", "\(apply.stdout)")
        #expect(dbiam.read("out/local.yaml/plan.json") != nil)
        let none = try dbiam.run(["apply", "local.yaml", "--json", "--auto-approve"])
        #expect(none.status == 0, "\(none.output)")
        #expect(try lines(none.stdout).map { $0["outcome"] as? String } == ["no_changes"])
    }
}

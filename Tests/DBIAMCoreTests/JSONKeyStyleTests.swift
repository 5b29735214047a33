import Foundation
import Testing
@testable import DBIAMCore

/// Every key of the JSON dbiam defines is snake_case (`live_fingerprint`, never
/// `liveFingerprint`), and an empty array or object is `[]` or `{}` on one line.
/// SARIF, IAM policy documents and the CloudFormation and Terraform exports keep the
/// keys their own schemas name, so they are not dbiam's to restyle.
struct JSONKeyStyleTests {
    /// Every key of every object in `text`, at any depth.
    static func keys(in text: String) throws -> [String] {
        var keys: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                keys += object.keys
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed))
        return keys
    }

    static func isSnakeCase(_ key: String) -> Bool {
        key.range(of: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", options: .regularExpression) != nil
    }

    /// Checks the keys and the empty arrays and objects of one document.
    static func expectDBIAMStyle(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let keys = try Self.keys(in: text)
        #expect(!keys.isEmpty, "\(what) has no keys to check", sourceLocation: sourceLocation)
        let wrong = Set(keys.filter { !isSnakeCase($0) })
        #expect(wrong.isEmpty, "\(what) has keys that are not snake_case: \(wrong.sorted())", sourceLocation: sourceLocation)
        #expect(text.range(of: #"[\[{][ \t]*\n\s*[\]}]"#, options: .regularExpression) == nil, "\(what) spreads an empty array or object over lines", sourceLocation: sourceLocation)
    }

    /// Plans holding every statement shape of every dialect, every kind of attached
    /// policy, what RDS said, a cluster that failed and clusters chosen with --cluster.
    @Test(arguments: DialectGoldenTests.dialects) func planJSON(_ dialect: DialectGoldenTests.Dialect) throws {
        let manifest = DialectGoldenTests.manifest(dialect)
        let cluster = try #require(manifest.clusters.first)
        // Planned as DialectGoldenTests plans it: the fixture's server is not one a plan
        // would accept as it is (partial revokes off), and every shape is wanted here.
        let decision = Planner(manifest: manifest).plan(cluster, live: DialectGoldenTests.live(dialect))
        #expect(Set(decision.actions.map(\.statement.kind)).count >= 7)
        var planned = ClusterPlan(
            name: cluster.name, endpoint: cluster.endpoint, port: cluster.port, liveFingerprint: "f", ownedIAMAccounts: 3,
            actions: decision.actions, warnings: decision.warnings)
        planned.rds = RDSCheck(cluster: cluster, reading: .otherAccount(credentials: "210987654321"))
        var plan = Plans.builder(manifest).build(readings: [:])
        plan.clusters = [planned, ClusterPlan(name: "down", endpoint: "down.example.com", port: 3306, failure: "no answer within 5 s")]
        plan.selectedClusters = [cluster.name]
        let lives: [LivePolicy] = [.absent, .same, .differs(previous: "{}"), .unreadable("AccessDenied")]
        plan.policies = lives.enumerated().map { index, live in
            PlannedPolicy(permissionSet: "Set\(index)", text: "{}", attachment: index.isMultiple(of: 2) ? .identityCenter : .role(arn: "arn:aws:iam::123456789012:role/r"), live: live)
        } + [PlannedPolicy(permissionSet: "Files", text: "{}")]
        try Self.expectDBIAMStyle(PlanJSONRenderer.render(plan), "the plan of \(dialect.engine)")
    }

    @Test func offlinePlanJSON() throws {
        let plan = Plans.builder(Manifests.valid()).build(readings: ["orders-prod": .offline, "billing-prod": .offline])
        try Self.expectDBIAMStyle(PlanJSONRenderer.render(plan), "an offline plan")
    }

    @Test func lintJSON() throws {
        try Self.expectDBIAMStyle(LintJSONRenderer.render(LintOutputTests.sampleFiles + [LintOutputTests.unreadableFile]), "validate --format json")
        #expect(LintJSONRenderer.render([]) == "[]\n")
    }

    /// A line of JSON Lines (`apply --json`): the same escapes as the files, no line break
    /// inside, whatever the strings hold.
    @Test func oneLineRendering() {
        let value = JSONText.object([
            ("sql", .string("CREATE USER 'a\nb'@'%' -- \u{202E}")), ("empty", .array([])), ("none", .object([])),
            ("nested", .object([("n", .number(1)), ("b", .bool(false)), ("z", .null)])),
        ])
        #expect(value.renderedOnOneLine() == #"{"sql":"CREATE USER 'a\nb'@'%' -- \u202e","empty":[],"none":{},"nested":{"n":1,"b":false,"z":null}}"# + "\n")
        #expect(value.rendered().contains("\n  \"empty\": [],\n"))
    }

    /// The walk itself: it finds a camelCase key at any depth and an empty array over lines.
    @Test func theCheckFindsWhatItLooksFor() throws {
        #expect(try Self.keys(in: #"{"a": [{"liveFingerprint": {"b_c": 1}}]}"#).sorted() == ["a", "b_c", "liveFingerprint"])
        #expect(!Self.isSnakeCase("liveFingerprint") && !Self.isSnakeCase("ruleId") && !Self.isSnakeCase("_x") && !Self.isSnakeCase("a__b"))
        #expect(Self.isSnakeCase("live_fingerprint") && Self.isSnakeCase("format_version") && Self.isSnakeCase("s3"))
        #expect("{\n  \"a\": [\n  ]\n}".range(of: #"[\[{][ \t]*\n\s*[\]}]"#, options: .regularExpression) != nil)
    }
}

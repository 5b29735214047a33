import DBIAMTestSupport
import Foundation
import Testing

/// The JSON dbiam writes, as files and on stdout, walked key by key: every key is
/// snake_case and an empty array or object stays on one line (DBIAMCoreTests'
/// JSONKeyStyleTests checks the renderers over every statement shape; this checks what
/// the commands write). SARIF, policy documents and the IaC exports keep their schemas'
/// keys.
struct JSONOutputTests {
    static let prodManifest = LocalServer.repositoryRoot.appendingPathComponent("manifests/prod.yaml").path

    /// Every key of every object in `text`, at any depth; each line on its own when
    /// `lines` (JSON Lines).
    static func keys(in text: String, lines: Bool = false) throws -> [String] {
        var keys: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                keys += object.keys
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        for document in lines ? text.split(separator: "\n").map(String.init) : [text] {
            walk(try JSONSerialization.jsonObject(with: Data(document.utf8)))
        }
        return keys
    }

    static func expectDBIAMStyle(_ text: String?, _ what: String, lines: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let text = try #require(text, "\(what) was not written", sourceLocation: sourceLocation)
        let keys = try Self.keys(in: text, lines: lines)
        #expect(!keys.isEmpty, "\(what) has no keys to check", sourceLocation: sourceLocation)
        let wrong = Set(keys.filter { $0.range(of: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", options: .regularExpression) == nil })
        #expect(wrong.isEmpty, "\(what) has keys that are not snake_case: \(wrong.sorted())", sourceLocation: sourceLocation)
        #expect(text.range(of: #"[\[{][ \t]*\n\s*[\]}]"#, options: .regularExpression) == nil, "\(what) spreads an empty array or object over lines", sourceLocation: sourceLocation)
    }

    @Test func planFilesAndOutput() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "prod.yaml")
        let plan = try dbiam.run(["plan", "prod.yaml", "--offline", "--json"])
        #expect(plan.status == 0, "\(plan.output)")
        try Self.expectDBIAMStyle(plan.stdout, "plan --json")
        try Self.expectDBIAMStyle(dbiam.read("out/prod.yaml/plan.json"), "plan.json")
        try Self.expectDBIAMStyle(dbiam.read("out/.last-plan"), ".last-plan")
        try Self.expectDBIAMStyle(try dbiam.run(["show", "out/prod.yaml/plan.json", "--json"]).stdout, "show --json")
        // The pointer a failed plan leaves.
        try dbiam.write("version: 1\nclusters: {}\nusers: []\n", to: "broken.yaml")
        #expect(try dbiam.run(["plan", "broken.yaml"]).status == 1)
        let failed = try #require(dbiam.read("out/.last-plan"))
        #expect(failed.contains("\"failed_manifest\""), "\(failed)")
        try Self.expectDBIAMStyle(failed, "the .last-plan of a failed plan")
    }

    @Test func validateJSON() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "prod.yaml")
        try dbiam.write("version: 1\nclusters: {}\nusers: []\n", to: "broken.yaml")
        let result = try dbiam.run(["validate", "--format", "json", "prod.yaml", "broken.yaml", "missing.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\"rule_id\": \"DBIAM002\""), "\(result.stdout)")
        try Self.expectDBIAMStyle(result.stdout, "validate --format json")
    }
}

@testable import DBIAMCore
import Foundation
import Testing

/// The registry, the linter's merging of findings, and the JSON and SARIF outputs.
struct LintOutputTests {
    /// A manifest with findings of three severities, and one that does not parse.
    static var sampleFiles: [LintedFile] {
        var text = LintManifests.granting("SELECT, GRANT OPTION", on: "shop.*")
        text = Manifests.replacing("account: \"123456789012\"\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", with: "account: 123456789012\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", in: text)
        text = LintManifests.addingUser("  orders_app:\n    clusters: [orders-prod]\n    grants:\n      - on: orders.*\n        privileges: [SELECT]\n", to: text)
        text = Manifests.replacing("[ssotest, analyst]", with: "[ssotest, analyst, orders_app]", in: text)
        let broken = "version: 1\nclusters: &anchor\n"
        return [
            LintedFile(path: "manifests/prod.yaml", findings: lint(text)),
            LintedFile(path: "manifests/my staging.yaml", findings: lint(broken)),
        ]
    }

    static func lint(_ text: String) -> [Diagnostic] {
        let result = Manifests.load(text)
        return Linter.lint(result.manifest, loading: result.diagnostics)
    }

    @Test func registryListsEveryRuleOnceInIdOrder() {
        let ids = LintRegistry.descriptors.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids.first == "DBIAM001")
        #expect(LintRegistry.rules.count == 28)
        for rule in LintRegistry.descriptors {
            #expect(rule.id.hasPrefix("DBIAM") && rule.id.count == 8 && rule.id.dropFirst(5).allSatisfy(\.isNumber), "\(rule.id)")
            #expect(rule.name.first?.isUppercase == true && rule.name.allSatisfy { $0.isLetter || $0.isNumber }, "\(rule.name)")
            #expect(!rule.summary.isEmpty && !rule.summary.contains("\n"), "\(rule.id)")
            #expect(rule.help.count > rule.summary.count, "\(rule.id)")
        }
        #expect(Set(LintRegistry.descriptors.map(\.name)).count == ids.count)
        #expect(LintRegistry.descriptor(id: "dbiam204")?.name == "GrantOption")
        #expect(LintRegistry.descriptor(id: "DBIAM999") == nil)
    }

    @Test func loaderProblemsGetTheManifestIdAndStopTheRules() {
        let findings = Self.lint("version: 1\nclusters: &anchor\n")
        #expect(findings.count == 1)
        #expect(findings[0].ruleID == "DBIAM001")
        #expect(findings[0].severity == .error)
        #expect(findings[0].position == SourcePosition(line: 2, column: 11))

        let schema = Self.lint(Manifests.replacing("region: ap-northeast-1\n    resource_id: cluster-B1LL", with: "region: nowhere\n    resource_id: cluster-B1LL", in: LintManifests.clean))
        #expect(schema.map(\.ruleID) == ["DBIAM001"])
    }

    @Test func findingsOfAllRulesComeInFileOrder() {
        let findings = Self.sampleFiles[0].findings
        #expect(findings.map(\.ruleID) == ["DBIAM301", "DBIAM204", "DBIAM211"])
        #expect(findings.map(\.severity) == [.warning, .warning, .note])
        #expect(findings.map(\.position) == findings.map(\.position).sorted())
    }

    @Test func jsonListsEveryFindingWithItsFile() throws {
        let json = LintJSONRenderer.render(Self.sampleFiles)
        try Golden.check(json, "lint/findings.json")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 4)
        #expect(parsed[0]["file"] as? String == "manifests/prod.yaml")
        #expect(parsed[0]["rule_id"] as? String == "DBIAM301")
        #expect(parsed[3]["file"] as? String == "manifests/my staging.yaml")
        #expect(parsed[3]["severity"] as? String == "error")
        #expect(LintJSONRenderer.render([]) == "[]\n")
    }

    static let renderer = LintSARIFRenderer(toolVersion: "0.1.0", informationURI: "https://example.com/dbiam")

    @Test func sarifIsStable() throws {
        try Golden.check(Self.renderer.render(Self.sampleFiles), "lint/findings.sarif")
    }

    @Test func sarifLocatesEachResultAndDescribesEveryRule() throws {
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(Self.renderer.render(Self.sampleFiles).utf8)) as? [String: Any])
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "dbiam")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == LintRegistry.descriptors.map(\.id))
        let grantOption = try #require(rules.first { $0["id"] as? String == "DBIAM204" })
        #expect((grantOption["defaultConfiguration"] as? [String: Any])?["level"] as? String == "warning")

        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 4)
        let second = results[1]
        #expect(second["ruleId"] as? String == "DBIAM204")
        #expect(second["ruleIndex"] as? Int == LintRegistry.descriptors.firstIndex { $0.id == "DBIAM204" })
        let location = try #require((second["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "manifests/prod.yaml")
        let finding = Self.sampleFiles[0].findings[1]
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == finding.position.line)
        #expect((location["region"] as? [String: Any])?["startColumn"] as? Int == finding.position.column)
        let broken = try #require((results[3]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((broken["artifactLocation"] as? [String: Any])?["uri"] as? String == "manifests/my%20staging.yaml")
    }

    /// A manifest that could not be read: a finding on the file with no line, which SARIF
    /// gets without a region (its lines start at 1) and JSON with a null line and column.
    static let unreadableFile = LintedFile(
        path: "manifests/missing.yaml",
        findings: [.error("cannot read the manifest: there is no such file; check the path.", at: .wholeFile, ruleID: LintRegistry.fileRule.id)])

    @Test func aFindingAboutAWholeFileHasNoLine() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(LintJSONRenderer.render([Self.unreadableFile]).utf8)) as? [[String: Any]])
        #expect(json.count == 1)
        #expect(json[0]["file"] as? String == "manifests/missing.yaml")
        #expect(json[0]["line"] is NSNull && json[0]["column"] is NSNull, "\(json[0])")
        #expect(json[0]["rule_id"] as? String == "DBIAM002")

        let sarif = Self.renderer.render(Self.sampleFiles + [Self.unreadableFile])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        let location = try #require((results.last?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "manifests/missing.yaml")
        #expect(location["region"] == nil)
        #expect(results.last?["ruleIndex"] as? Int == 1)
        #expect(try Self.schemaViolations([sarif]).violations == [[]])
    }

    @Test func sarifPathsAreURIReferences() {
        #expect(LintSARIFRenderer.uri(forPath: "manifests/prod.yaml") == "manifests/prod.yaml")
        #expect(LintSARIFRenderer.uri(forPath: "a b/ü#1.yaml") == "a%20b/%C3%BC%231.yaml")
        #expect(LintSARIFRenderer.uri(forPath: "c:prod.yaml") == "c%3Aprod.yaml")
        #expect(LintSARIFRenderer.uri(forPath: "/srv/dbiam/prod.yaml") == "file:///srv/dbiam/prod.yaml")
    }

    // MARK: - the SARIF 2.1.0 schema, checked by Python's jsonschema

    /// Prints one line per schema violation; exits 3 when jsonschema is missing.
    static let schemaValidator = """
        import json, sys
        try:
            import jsonschema
            from jsonschema.validators import validator_for
        except ImportError as error:
            sys.stderr.write(str(error))
            sys.exit(3)
        data = json.load(sys.stdin)
        schema = data["schema"]
        # The class of the draft the schema declares in $schema (draft-04 for SARIF 2.1.0).
        cls = validator_for(schema, default=None)
        if cls is None:
            sys.stderr.write("the schema declares no known JSON Schema draft")
            sys.exit(1)
        cls.check_schema(schema)
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        print(cls.__name__)
        for document in data["documents"]:
            errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
            print(json.dumps(["/".join(map(str, e.absolute_path)) + ": " + e.message for e in errors]))
        """

    /// The validator's name, then the violations of each document.
    static func schemaViolations(_ documents: [String]) throws -> (validator: String, violations: [[String]]) {
        let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sarif-schema-2.1.0.json")
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL))
        let parsed = try documents.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) }
        let input = try JSONSerialization.data(withJSONObject: ["schema": schema, "documents": parsed])
        let output = String(decoding: try Python.run(schemaValidator, input: input), as: UTF8.self)
        let lines = output.split(separator: "\n").map(String.init)
        let violations = try lines.dropFirst().map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) }
        return (lines.first ?? "", violations)
    }

    @Test func sarifFollowsTheSARIF210Schema() throws {
        let valid = Self.renderer.render(Self.sampleFiles)
        let empty = Self.renderer.render([])
        // The same log without its version and with a level SARIF does not know: the
        // validator must catch both, or the check above proves nothing.
        let tampered = valid.replacingOccurrences(of: "\"version\": \"2.1.0\",\n", with: "")
            .replacingOccurrences(of: "\"level\": \"note\"", with: "\"level\": \"info\"")
        #expect(tampered != valid)
        let (validator, violations) = try Self.schemaViolations([valid, empty, tampered])
        #expect(validator == "Draft4Validator")
        #expect(violations.count == 3)
        #expect(violations[0] == [], "\(violations[0])")
        #expect(violations[1] == [], "\(violations[1])")
        #expect(violations[2].contains { $0.contains("'version' is a required property") }, "\(violations[2])")
        #expect(violations[2].contains { $0.contains("'info' is not one of") }, "\(violations[2])")
    }

    /// docs/lint-rules.md is the rules' own text: changing a rule's help without the page
    /// fails here (DBIAM_RECORD_GOLDEN=1 writes the page again).
    @Test func theLintRulesPageIsTheRulesText() throws {
        let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/lint-rules.md")
        let rendered = LintRulesMarkdown.render()
        if ProcessInfo.processInfo.environment["DBIAM_RECORD_GOLDEN"] == "1" {
            try rendered.write(to: page, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOf: page, encoding: .utf8) == rendered, "docs/lint-rules.md differs from the rules; rerun with DBIAM_RECORD_GOLDEN=1")
        for rule in LintRegistry.descriptors { #expect(rendered.contains("## \(rule.id)\n")) }
    }
}

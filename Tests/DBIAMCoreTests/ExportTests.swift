import Foundation
import Testing
@testable import DBIAMCore

/// `dbiam policy --format cloudformation|terraform`: the policy documents as IaC.
struct ExportTests {
    /// The base manifest with a permission set whose name IaC identifiers cannot hold
    /// (and that collides with DBReadOnly once cleaned), and a user whose name holds
    /// IAM's wildcard and variable characters.
    static let manifest = Manifests.base.replacingOccurrences(of: "  oncall_dba:\n", with: "  \"report$*\":\n    clusters: [billing-prod]\n  oncall_dba:\n") + """
          DB.Read+Only:
            users: ["report$*", ssotest]

        """

    static var documents: [PolicyDocument] { PolicyDocument.documents(for: Manifests.valid(manifest)) }

    @Test(arguments: PolicyExportTarget.allCases)
    func cloudFormationMatchesTheGoldenFile(_ target: PolicyExportTarget) throws {
        try Golden.check(CloudFormationTemplate.render(Self.documents, target: target, manifestPath: "manifests/prod.yaml"), "export/\(target.rawValue).cfn.json")
    }

    @Test(arguments: PolicyExportTarget.allCases)
    func terraformMatchesTheGoldenFile(_ target: PolicyExportTarget) throws {
        try Golden.check(TerraformConfiguration.render(Self.documents, target: target), "export/\(target.rawValue).tf.json")
    }

    /// The documents inside are the ones `dbiam policy` writes, not rebuilt.
    @Test func cloudFormationEmbedsTheDocuments() throws {
        for target in PolicyExportTarget.allCases {
            let template = try Self.object(CloudFormationTemplate.render(Self.documents, target: target, manifestPath: "m.yaml"))
            let resources = try #require(template["Resources"] as? [String: [String: Any]])
            #expect(resources.count == Self.documents.count)
            for document in Self.documents {
                let resource = try #require(resources.values.first { ($0["Properties"] as? [String: Any])?[target == .permissionSet ? "Name" : "ManagedPolicyName"] as? String == document.permissionSet })
                let properties = try #require(resource["Properties"] as? [String: Any])
                let embedded = try #require(properties[target == .permissionSet ? "InlinePolicy" : "PolicyDocument"])
                #expect(try Self.canonical(embedded) == Self.canonical(JSONSerialization.jsonObject(with: Data(document.text.utf8))))
            }
        }
        let ids = try #require(try Self.object(CloudFormationTemplate.render(Self.documents, target: .permissionSet, manifestPath: "m"))["Resources"] as? [String: Any]).keys.sorted()
        #expect(ids == ["DBOncallPermissionSet", "DBReadOnlyPermissionSet", "DBReadOnlyPermissionSet2"])
    }

    /// cfn-lint, AWS's own template checker, finds nothing in either template.
    @Test func cloudFormationPassesCfnLint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-cfn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var paths: [String] = []
        for target in PolicyExportTarget.allCases {
            let url = folder.appendingPathComponent("\(target.rawValue).cfn.json")
            try CloudFormationTemplate.render(Self.documents, target: target, manifestPath: "manifests/prod.yaml").write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let script = """
            import json, subprocess, sys
            try:
                import cfnlint
            except ImportError as error:
                print(error, file=sys.stderr)
                sys.exit(3)
            results = {}
            for path in json.load(sys.stdin):
                # What the cfn-lint command runs (cfnlint has no __main__ for python -m).
                command = "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; main()"
                run = subprocess.run([sys.executable, "-c", command, "--format", "parseable", "--", path], capture_output=True, text=True)
                results[path] = {"status": run.returncode, "output": run.stdout + run.stderr}
            print(json.dumps(results))
            """
        let output = try Python.run(script, input: try JSONSerialization.data(withJSONObject: paths))
        let results = try #require(try JSONSerialization.jsonObject(with: output) as? [String: [String: Any]])
        #expect(results.count == 2)
        for (path, result) in results {
            #expect(result["status"] as? Int == 0, "cfn-lint on \(path): \(result["output"] ?? "")")
        }
    }

    /// Terraform's JSON syntax, checked without Terraform: known resource types with
    /// their arguments, names Terraform accepts, every `${…}` a reference that resolves,
    /// and the policy strings exactly the documents once Terraform has read its escapes.
    @Test(arguments: PolicyExportTarget.allCases)
    func terraformIsWhatTerraformReads(_ target: PolicyExportTarget) throws {
        let configuration = try Self.object(TerraformConfiguration.render(Self.documents, target: target))
        #expect(Set(configuration.keys).isSubset(of: ["variable", "resource"]))
        let variables = configuration["variable"] as? [String: [String: Any]] ?? [:]
        for (name, variable) in variables {
            #expect(Self.isTerraformName(name))
            #expect(variable["type"] as? String == "string")
            for validation in variable["validation"] as? [[String: Any]] ?? [] {
                #expect(Set(validation.keys) == ["condition", "error_message"])
                let message = try #require(validation["error_message"] as? String)
                #expect(message.first?.isUppercase == true && message.hasSuffix("."), "Terraform wants a sentence: \(message)")
                #expect((validation["condition"] as? String)?.contains("var.\(name))") == true)
            }
        }
        let resources = try #require(configuration["resource"] as? [String: [String: [String: Any]]])
        let arguments: [String: (required: Set<String>, optional: Set<String>)] = [
            "aws_ssoadmin_permission_set": (["name", "instance_arn"], ["description", "session_duration", "relay_state", "tags"]),
            "aws_ssoadmin_permission_set_inline_policy": (["instance_arn", "permission_set_arn", "inline_policy"], []),
            "aws_iam_policy": (["policy"], ["name", "name_prefix", "description", "path", "tags"]),
        ]
        var declared = Set(variables.keys.map { "var.\($0)" })
        for (type, instances) in resources {
            for name in instances.keys { declared.insert("\(type).\(name).arn") }
        }
        var policies: [String] = []
        for (type, instances) in resources {
            let expected = try #require(arguments[type], "unknown resource type \(type)")
            #expect(instances.count == Self.documents.count)
            for (name, body) in instances {
                #expect(Self.isTerraformName(name), "\(name)")
                #expect(expected.required.isSubset(of: body.keys) && Set(body.keys).isSubset(of: expected.required.union(expected.optional)), "\(type).\(name): \(body.keys.sorted())")
                for value in body.values {
                    let text = try #require(value as? String)
                    let (literal, references) = try Self.readTemplate(text)
                    for reference in references { #expect(declared.contains(reference), "\(type).\(name) refers to \(reference)") }
                    if type == "aws_iam_policy" && body["policy"] as? String == text || type.hasSuffix("inline_policy") && body["inline_policy"] as? String == text {
                        policies.append(literal)
                    }
                }
            }
        }
        #expect(policies.sorted() == Self.documents.map(\.text).sorted())
        #expect(policies.contains { $0.contains("dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/report${$}${*}") })
    }

    @Test func terraformNamesAreCleanedAndUnique() {
        #expect(TerraformConfiguration.resourceName("DB.Read+Only") == "DB_Read_Only")
        #expect(TerraformConfiguration.resourceName("1st-set") == "_1st-set")
        #expect(ExportNames.unique(["a.b", "a_b", "a+b"], TerraformConfiguration.resourceName) == ["a_b", "a_b2", "a_b3"])
    }

    @Test func sizeLimitsDependOnTheTarget() {
        let resources = (0..<100).map { "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/user\($0)" }
        let document = PolicyDocument(permissionSet: "Big", resources: resources, organizationPath: nil, position: SourcePosition(line: 3, column: 3))
        #expect(PolicyExportTarget.permissionSet.problems(document).isEmpty)
        let managed = PolicyExportTarget.managedPolicy.problems(document)
        #expect(managed.count == 1 && managed.first?.severity == .error)
        #expect(managed.first?.message.contains("over the 6,144 IAM allows for a managed policy") == true)
    }

    /// Terraform: a letter or `_` first, then letters, digits, `_` and `-`.
    static func isTerraformName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII && (first.isLetter || first == "_") else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    struct TemplateError: Error { var text: String }

    /// A Terraform template string as Terraform reads it: `$${` and `%%{` are the
    /// literal `${` and `%{`, `${reference}` an interpolation (resources hold no other),
    /// and `%{` a directive, which the export never writes.
    static func readTemplate(_ text: String) throws -> (literal: String, references: [String]) {
        var literal = "", references: [String] = []
        var rest = Substring(text)
        while let character = rest.first {
            if rest.hasPrefix("$${") || rest.hasPrefix("%%{") {
                literal += rest.dropFirst().prefix(2)
                rest = rest.dropFirst(3)
            } else if rest.hasPrefix("${") {
                guard let end = rest.firstIndex(of: "}") else { throw TemplateError(text: text) }
                references.append(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end]))
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("%{") {
                throw TemplateError(text: text)
            } else {
                literal.append(character)
                rest = rest.dropFirst()
            }
        }
        return (literal, references)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }
}

import DBIAMTestSupport
import Foundation
import Testing

/// `dbiam policy --format cloudformation|terraform` and `dbiam plan --format markdown`,
/// run as a user runs them (none of these needs a server).
struct ExportCommandTests {
    static let prodManifest = LocalServer.repositoryRoot.appendingPathComponent("manifests/prod.yaml").path

    func workingCopy() throws -> DBIAMProcess {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "prod.yaml")
        return dbiam
    }

    @Test func cloudFormationIsOneTemplatePerManifest() throws {
        let dbiam = try workingCopy()
        let result = try dbiam.run(["policy", "prod.yaml", "--format", "cloudformation"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "out/prod.yaml/exports/prod.cfn.json\n")
        let template = try Self.object(dbiam.read("out/prod.yaml/exports/prod.cfn.json"))
        let resources = try #require(template["Resources"] as? [String: [String: Any]])
        #expect(Set(resources.keys) == ["DBReadOnlyPermissionSet", "DBOncallPermissionSet", "SearchReadOnlyPermissionSet"])
        #expect(resources.values.allSatisfy { $0["Type"] as? String == "AWS::SSO::PermissionSet" })
        #expect((template["Parameters"] as? [String: Any])?["InstanceArn"] != nil)
        let json = try dbiam.run(["policy", "prod.yaml", "--out", "documents"])
        let readOnly = try #require(dbiam.read("documents/DBReadOnly.json"))
        let inline = (resources["DBReadOnlyPermissionSet"]?["Properties"] as? [String: Any])?["InlinePolicy"]
        #expect(json.status == 0)
        #expect(try Self.canonical(try #require(inline)) == Self.canonical(JSONSerialization.jsonObject(with: Data(readOnly.utf8))))
    }

    /// Every `.json` in policies/ is a permission set's document, so an export there was
    /// taken for the document of a removed permission set `prod.cfn` and removed by the
    /// next plan. Exports have a folder of their own, which plan and policy leave alone.
    @Test func exportsAreKeptApartFromThePolicyDocuments() throws {
        let dbiam = try workingCopy()
        #expect(try dbiam.run(["policy", "prod.yaml", "--format", "cloudformation"]).status == 0)
        let terraform = try dbiam.run(["policy", "prod.yaml", "--format", "terraform"])
        #expect(terraform.stdout == "out/prod.yaml/exports/prod.tf.json\n", "\(terraform.output)")
        let template = try #require(dbiam.read("out/prod.yaml/exports/prod.cfn.json"))
        let plan = try dbiam.run(["plan", "prod.yaml", "--offline"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(!plan.output.contains("prod.cfn") && !plan.output.contains("prod.tf"), "\(plan.output)")
        let documents = try dbiam.run(["policy", "prod.yaml"])
        #expect(!documents.output.contains("removed"), "\(documents.output)")
        #expect(dbiam.read("out/prod.yaml/exports/prod.cfn.json") == template)
        #expect(dbiam.read("out/prod.yaml/exports/prod.tf.json") != nil)
        let policies = try FileManager.default.contentsOfDirectory(atPath: dbiam.directory.appendingPathComponent("out/prod.yaml/policies").path)
        #expect(Set(policies) == ["DBReadOnly.json", "DBOncall.json", "SearchReadOnly.json"])
    }

    @Test func terraformManagedPoliciesGoWhereOutSays() throws {
        let dbiam = try workingCopy()
        let result = try dbiam.run(["policy", "prod.yaml", "--format", "terraform", "--target", "managed-policy", "--out", "iac"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "iac/prod.tf.json\n")
        let configuration = try Self.object(dbiam.read("iac/prod.tf.json"))
        let policies = try #require((configuration["resource"] as? [String: Any])?["aws_iam_policy"] as? [String: [String: Any]])
        #expect(Set(policies.keys) == ["DBReadOnly", "DBOncall", "SearchReadOnly"])
        #expect(configuration["variable"] == nil)
    }

    @Test func targetNeedsAnIaCFormat() throws {
        let result = try DBIAMProcess().run(["policy", Self.prodManifest, "--target", "managed-policy"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--target managed-policy chooses what --format cloudformation or terraform writes"), "\(result.stderr)")
        let unknown = try DBIAMProcess().run(["policy", Self.prodManifest, "--format", "cloudformation", "--target", "role"])
        #expect(unknown.status == 64)
    }

    /// 60 users on one permission set: over the managed-policy size, well under the
    /// inline one. A managed policy is refused and nothing is written; a permission set
    /// takes it without the managed-policy warning.
    @Test func managedPolicyTargetEnforcesItsSizeLimit() throws {
        let dbiam = try DBIAMProcess()
        let users = (0..<60).map { "  user_with_a_rather_long_name_\($0):\n    clusters: [orders]\n" }.joined()
        let names = (0..<60).map { "user_with_a_rather_long_name_\($0)" }.joined(separator: ", ")
        try dbiam.write("""
            version: 1
            clusters:
              orders:
                account: "123456789012"
                region: ap-northeast-1
                resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ
                endpoint: orders.example.com
                engine: aurora-mysql-3
                tls_ca: ca.pem
                admin:
                  user: admin
                  password_env: ADMIN_PASSWORD
            users:
            \(users)
            permission_sets:
              Many:
                users: [\(names)]

            """, to: "many.yaml")
        let managed = try dbiam.run(["policy", "many.yaml", "--format", "cloudformation", "--target", "managed-policy", "--out", "m"])
        #expect(managed.status == 1)
        #expect(managed.stderr.contains("many.yaml:"), "\(managed.stderr)")
        #expect(managed.stderr.contains(": error: the policy of permission set 'Many' has"))
        #expect(dbiam.read("m/many.cfn.json") == nil)
        let inline = try dbiam.run(["policy", "many.yaml", "--format", "terraform", "--out", "p"])
        #expect(inline.status == 0, "\(inline.output)")
        #expect(inline.stderr.isEmpty)
        #expect(dbiam.read("p/many.tf.json") != nil)
    }

    @Test func offlinePlanPrintsAMarkdownComment() throws {
        let dbiam = try workingCopy()
        let result = try dbiam.run(["plan", "prod.yaml", "--offline", "--format", "markdown"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.hasPrefix("**Plan:** "))
        #expect(result.stdout.contains("Manifest `prod.yaml`, planned offline"))
        #expect(result.stdout.contains("| `orders-prod` | `orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306` | offline |"))
        let sql = try #require(dbiam.read("out/prod.yaml/sql/orders-prod.sql"))
        #expect(result.stdout.contains("```sql\n" + sql + "```\n"))
        #expect(result.stdout.contains("**`DBReadOnly`** `out/prod.yaml/policies/DBReadOnly.json` (new file)\n\n```json\n"))
        let again = try dbiam.run(["plan", "prod.yaml", "--offline", "--format", "markdown"])
        #expect(again.stdout.contains("**`DBReadOnly`** `out/prod.yaml/policies/DBReadOnly.json` (same as the previous file)\n"))
    }

    @Test func jsonFlagIsFormatJSON() throws {
        // Two working copies: the second plan in one would find the policies saved.
        let dbiam = try workingCopy()
        let flag = try dbiam.run(["plan", "prod.yaml", "--offline", "--json"])
        let option = try workingCopy().run(["plan", "prod.yaml", "--offline", "--format", "json"])
        #expect(flag.status == 0 && option.status == 0)
        #expect(flag.stdout == option.stdout)
        #expect(flag.stdout.hasPrefix("{\n"))
        let both = try dbiam.run(["plan", "prod.yaml", "--offline", "--json", "--format", "json"])
        #expect(both.status == 0)
        let clash = try dbiam.run(["plan", "prod.yaml", "--offline", "--json", "--format", "markdown"])
        #expect(clash.status == 64)
        #expect(clash.stderr.contains("--json means --format json; give one of them, not --json with --format markdown."))
    }

    static func object(_ text: String?) throws -> [String: Any] {
        let text = try #require(text, "the file was not written")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
    }
}

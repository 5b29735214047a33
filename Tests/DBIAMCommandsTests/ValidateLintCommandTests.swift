import DBIAMTestSupport
import Foundation
import Testing

/// `dbiam validate` with lint rules: output formats, --strict and --explain, run as a
/// user runs them.
struct ValidateLintCommandTests {
    /// A valid manifest whose one lint finding is a warning (DBIAM209) on line 16,
    /// column 18, plus `extra` appended to the user.
    static func manifest(userExtra extra: String = "    require_ssl: false\n") -> String {
        """
        version: 1
        clusters:
          orders-prod:
            account: "123456789012"
            region: ap-northeast-1
            resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ
            endpoint: orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
            engine: aurora-mysql-3
            tls_ca: ~/global-bundle.pem
            admin:
              user: dbiam_admin
              iam: true
        users:
          ssotest:
            clusters: [orders-prod]
        \(extra)    grants:
              - on: orders.*
                privileges: [SELECT]
        permission_sets:
          DBReadOnly:
            users: [ssotest]

        """
    }

    /// A working folder whose HOME holds the ~/global-bundle.pem the manifests name:
    /// validate checks that every tls_ca can be read.
    static func dbiamWithCABundle() throws -> DBIAMProcess {
        let dbiam = try DBIAMProcess()
        try dbiam.write(String(contentsOfFile: LocalServer.caFile, encoding: .utf8), to: "home/global-bundle.pem")
        return dbiam
    }

    @Test func exampleManifestsPassAndProdHasNoWarnings() throws {
        let dbiam = try Self.dbiamWithCABundle()
        let both = try dbiam.run(["validate", ValidatePolicyCommandTests.prodManifest, ValidatePolicyCommandTests.localManifest])
        #expect(both.status == 0, "\(both.output)")
        // prod.yaml is reviewed as the example of a good manifest: notes at most.
        let strict = try dbiam.run(["validate", "--strict", ValidatePolicyCommandTests.prodManifest])
        #expect(strict.status == 0, "\(strict.output)")
        #expect(!strict.stderr.contains(": warning: ") && !strict.stderr.contains(": error: "), "\(strict.stderr)")
    }

    @Test func textFormatPrintsFindingsWithRuleIdsAndASummary() throws {
        let dbiam = try Self.dbiamWithCABundle()
        try dbiam.write(Self.manifest(), to: "m.yaml")
        let result = try dbiam.run(["validate", "m.yaml"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr == "m.yaml:16:18: warning: user 'ssotest' has require_ssl: false, so its IAM token may travel in cleartext; remove it (the default is true). [DBIAM209]\n")
        #expect(result.stdout == "m.yaml: ok (1 cluster, 1 user, 1 permission set, 1 warning)\n")
    }

    @Test func strictFailsOnWarningsButNotOnNotes() throws {
        let dbiam = try Self.dbiamWithCABundle()
        try dbiam.write(Self.manifest(), to: "warning.yaml")
        try dbiam.write(Self.manifest(userExtra: ""), to: "clean.yaml")
        try dbiam.write(Self.manifest(userExtra: "").replacingOccurrences(of: "[SELECT]", with: "[PROCESS]").replacingOccurrences(of: "orders.*", with: "\"*.*\""), to: "note.yaml")

        #expect(try dbiam.run(["validate", "warning.yaml"]).status == 0)
        let strict = try dbiam.run(["validate", "--strict", "warning.yaml"])
        #expect(strict.status == 1)
        #expect(strict.stdout == "warning.yaml: failed (1 cluster, 1 user, 1 permission set, 1 warning)\n")

        let clean = try dbiam.run(["validate", "--strict", "clean.yaml"])
        #expect(clean.status == 0)
        #expect(clean.output == "clean.yaml: ok (1 cluster, 1 user, 1 permission set)\n")

        let note = try dbiam.run(["validate", "--strict", "note.yaml"])
        #expect(note.status == 0, "\(note.output)")
        #expect(note.stderr.contains(": note: ") && note.stderr.contains("[DBIAM206]"), "\(note.stderr)")
    }

    @Test func lintErrorsFail() throws {
        let dbiam = try Self.dbiamWithCABundle()
        // An OU path without a final `/` or `*` matches nobody: DBIAM105, an error.
        let text = Self.manifest(userExtra: "")
            .replacingOccurrences(of: "version: 1\n", with: "version: 1\norganization:\n  id: o-a1b2c3d4e5\n  paths:\n    prod: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111\n")
            .replacingOccurrences(of: "    users: [ssotest]\n", with: "    users: [ssotest]\n    org_path: prod\n")
        try dbiam.write(text, to: "m.yaml")
        let result = try dbiam.run(["validate", "m.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("m.yaml:5:5: error: organization path 'prod'"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("[DBIAM105]\n"))
        #expect(result.stdout == "m.yaml: failed (1 cluster, 1 user, 1 permission set, 1 error)\n")
    }

    @Test func jsonFormatPrintsOneArrayOnStdout() throws {
        let dbiam = try Self.dbiamWithCABundle()
        try dbiam.write(Self.manifest(), to: "m.yaml")
        try dbiam.write("version: 1\nclusters: &anchor\n", to: "broken.yaml")
        let result = try dbiam.run(["validate", "--format", "json", "m.yaml", "broken.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(findings.count == 2)
        #expect(findings[0]["file"] as? String == "m.yaml")
        #expect(findings[0]["line"] as? Int == 16)
        #expect(findings[0]["column"] as? Int == 18)
        #expect(findings[0]["severity"] as? String == "warning")
        #expect(findings[0]["rule_id"] as? String == "DBIAM209")
        #expect((findings[0]["message"] as? String)?.hasPrefix("user 'ssotest' has require_ssl: false") == true)
        #expect(findings[1]["file"] as? String == "broken.yaml")
        #expect(findings[1]["rule_id"] as? String == "DBIAM001")
        #expect(findings[1]["severity"] as? String == "error")
    }

    @Test func sarifFormatLocatesFindingsInTheManifest() throws {
        let dbiam = try Self.dbiamWithCABundle()
        try dbiam.write(Self.manifest(), to: "manifests/m.yaml")
        let result = try dbiam.run(["validate", "--format", "sarif", "manifests/m.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "dbiam")
        #expect(driver["version"] as? String == "0.1.0")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 1)
        #expect(results[0]["ruleId"] as? String == "DBIAM209")
        #expect(results[0]["level"] as? String == "warning")
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "manifests/m.yaml")
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 16)
        #expect((location["region"] as? [String: Any])?["startColumn"] as? Int == 18)

        let strict = try dbiam.run(["validate", "--format", "sarif", "--strict", "manifests/m.yaml"])
        #expect(strict.status == 1)
        #expect(strict.stdout == result.stdout)
    }

    /// `validate a.yaml missing.yaml c.yaml`: every file is checked, the missing one is an
    /// error naming it, and the exit code comes after all of them; JSON and SARIF stay
    /// whole documents with the missing file as a finding on that file.
    @Test func aMissingManifestIsAnErrorAndTheOthersAreStillChecked() throws {
        let dbiam = try Self.dbiamWithCABundle()
        try dbiam.write(Self.manifest(), to: "a.yaml")
        try dbiam.write(Self.manifest(), to: "c.yaml")
        let text = try dbiam.run(["validate", "a.yaml", "missing.yaml", "c.yaml"])
        #expect(text.status == 1)
        #expect(text.stdout == "a.yaml: ok (1 cluster, 1 user, 1 permission set, 1 warning)\nmissing.yaml: failed (1 error)\nc.yaml: ok (1 cluster, 1 user, 1 permission set, 1 warning)\n", "\(text.stdout)")
        #expect(text.stderr.contains("dbiam: error: cannot read manifest missing.yaml: there is no such file; check the path.\n"), "\(text.stderr)")
        #expect(text.stderr.contains("c.yaml:16:18: warning: "), "\(text.stderr)")

        let json = try dbiam.run(["validate", "--format", "json", "a.yaml", "missing.yaml", "c.yaml"])
        #expect(json.status == 1)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json.output)")
        #expect(findings.map { $0["file"] as? String } == ["a.yaml", "missing.yaml", "c.yaml"])
        #expect(findings[1]["rule_id"] as? String == "DBIAM002")
        #expect(findings[1]["severity"] as? String == "error")
        #expect(findings[1]["message"] as? String == "cannot read the manifest: there is no such file; check the path.")

        let sarif = try dbiam.run(["validate", "--format", "sarif", "a.yaml", "missing.yaml", "c.yaml"])
        #expect(sarif.status == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any], "\(sarif.output)")
        let results = try #require((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results[1]["ruleId"] as? String == "DBIAM002")
        let location = try #require((results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["artifactLocation"] as? [String: Any])?["uri"] as? String == "missing.yaml")
    }

    /// A tls_ca that cannot be read is an error at its line that names the file: the
    /// core reads no files, so validate's command layer looks.
    @Test func aTLSCAFileThatCannotBeReadIsAnError() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(Self.manifest(userExtra: ""), to: "m.yaml")
        let missing = try dbiam.run(["validate", "m.yaml"])
        #expect(missing.status == 1)
        let home = dbiam.directory.appendingPathComponent("home/global-bundle.pem").path
        #expect(missing.stderr == "m.yaml:9:13: error: cluster 'orders-prod': the CA bundle ~/global-bundle.pem (tls_ca, \(home)) cannot be read: there is no such file; download the RDS CA bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) to that path, or correct tls_ca. [DBIAM002]\n", "\(missing.stderr)")
        #expect(missing.stdout.hasPrefix("m.yaml: failed ("), "\(missing.stdout)")

        try FileManager.default.createDirectory(at: dbiam.directory.appendingPathComponent("certs"), withIntermediateDirectories: true)
        try dbiam.write(Self.manifest(userExtra: "").replacingOccurrences(of: "~/global-bundle.pem", with: "certs"), to: "m.yaml")
        let folder = try dbiam.run(["validate", "--format", "json", "m.yaml"])
        #expect(folder.status == 1)
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(folder.stdout.utf8)) as? [[String: Any]], "\(folder.output)")
        #expect(findings.count == 1)
        #expect(findings.first?["rule_id"] as? String == "DBIAM002")
        #expect(findings.first?["line"] as? Int == 9)
        #expect((findings.first?["message"] as? String)?.contains("the CA bundle certs (tls_ca, \(dbiam.directory.appendingPathComponent("certs").path)) cannot be read: it is a directory, not a file;") == true, "\(findings)")
    }

    @Test func explainPrintsTheRulesHelp() throws {
        let dbiam = try DBIAMProcess()
        let result = try dbiam.run(["validate", "--explain", "DBIAM209"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("DBIAM209 RequireSSLDisabled (warning)\n`require_ssl: false` on a user or in defaults.\n\nAn IAM login sends its token"), "\(result.stdout)")
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(try dbiam.run(["validate", "--explain", "dbiam001"]).stdout.hasPrefix("DBIAM001 InvalidManifest (error)\n"))
    }

    @Test func explainOfAnUnknownIdListsTheIds() throws {
        let result = try DBIAMProcess().run(["validate", "--explain", "DBIAM999"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--explain DBIAM999: no rule has that id. The rule ids are DBIAM001, DBIAM002, DBIAM101,"), "\(result.stderr)")
        #expect(result.stderr.contains("DBIAM306."))
        let withManifest = try DBIAMProcess().run(["validate", "--explain", "DBIAM101", "m.yaml"])
        #expect(withManifest.status == 64)
        #expect(withManifest.stderr.contains("--explain prints a rule's help and checks no manifest"))
    }

    @Test func unknownFormatIsAUsageError() throws {
        let result = try DBIAMProcess().run(["validate", "--format", "xml", "m.yaml"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("text"), "\(result.stderr)")
    }
}

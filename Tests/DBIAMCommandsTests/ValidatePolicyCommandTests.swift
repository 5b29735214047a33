import DBIAMTestSupport
import Foundation
import Testing

/// `dbiam validate` and `dbiam policy`, run as a user runs them.
struct ValidatePolicyCommandTests {
    static let prodManifest = LocalServer.repositoryRoot.appendingPathComponent("manifests/prod.yaml").path
    static let localManifest = LocalServer.repositoryRoot.appendingPathComponent("manifests/local.yaml").path

    @Test func exampleManifestsAreValid() throws {
        let result = try ValidateLintCommandTests.dbiamWithCABundle().run(["validate", Self.prodManifest, Self.localManifest])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("prod.yaml: ok (3 clusters, 4 users, 3 permission sets"))
        #expect(result.stdout.contains("local.yaml: ok (1 cluster, 2 users, 2 permission sets"))
    }

    @Test func brokenManifestListsEveryProblemWithPosition() throws {
        let dbiam = try DBIAMProcess()
        let broken = """
            version: 1
            clusters:
              orders:
                account: "1234"
                region: ap-northeast-1
                resource_id: orders
                endpoint: orders.example.com
                engine: aurora-mysql-3
                tls_ca: ca.pem
                admin:
                  user: admin
                  password_env: ADMIN_PASSWORD
            users:
              alice:
                clusters: [order]
                hots: "%"

            """
        let path = try dbiam.write(broken, to: "broken.yaml")
        let result = try dbiam.run(["validate", "broken.yaml"])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("broken.yaml:") }.count == 4, "\(result.stderr)")
        #expect(lines.contains { $0.hasPrefix("broken.yaml:4:14: error: account '1234' must be exactly 12 digits") })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:6:18: error: resource_id 'orders' looks like a cluster name") })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:15:16: error: user 'alice' clusters names cluster 'order'") })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:16:5: error: unknown key 'hots' in user 'alice'. Did you mean 'host'?") })
        _ = path
    }

    @Test func syntaxErrorsArePositioned() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write("version: 1\nclusters: &anchor\n", to: "anchor.yaml")
        let result = try dbiam.run(["validate", "anchor.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("anchor.yaml:2:11: error: "), "\(result.stderr)")
    }

    @Test func missingFileIsAClearError() throws {
        let result = try DBIAMProcess().run(["validate", "nope.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("dbiam: error: cannot read manifest nope.yaml: there is no such file; check the path."), "\(result.stderr)")
    }

    /// A folder given as the manifest is said to be a folder, not an unreadable file.
    @Test func aDirectoryGivenAsTheManifestIsSaidToBeOne() throws {
        let dbiam = try DBIAMProcess()
        try FileManager.default.createDirectory(at: dbiam.directory.appendingPathComponent("manifests"), withIntermediateDirectories: true)
        for command in ["validate", "plan", "policy"] {
            let result = try dbiam.run([command, "manifests"])
            #expect(result.status == 1, "\(command): \(result.output)")
            #expect(result.stderr.contains("dbiam: error: cannot read manifest manifests: it is a directory, not a file; give the manifest file in it."), "\(command): \(result.stderr)")
        }
    }

    @Test func badUsageExits64() throws {
        let result = try DBIAMProcess().run(["plan"])
        #expect(result.status == 64)
        for value in ["0", "-1"] {
            let parallelism = try DBIAMProcess().run(["plan", Self.prodManifest, "--parallelism", value])
            #expect(parallelism.status == 64)
            #expect(parallelism.stderr.contains("--parallelism needs a positive whole number, such as 8 (how many clusters to work on at once), not \(value)."), "\(parallelism.stderr)")
        }
        // A negative number is a value to refuse, not a flag that leaves the option without one.
        for (arguments, message) in [
            (["plan", Self.prodManifest, "--timeout", "-5"], "--timeout must be from 1 to 86400 seconds."),
            (["doctor", Self.prodManifest, "--connect-timeout", "-1"], "--connect-timeout must be from 1 to 600 seconds."),
            (["token", "--hostname", "h", "--username", "u", "--port", "-3306"], "--port must be from 1 to 65535."),
        ] {
            let result = try DBIAMProcess().run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message) && !result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func policyWritesOneDocumentPerPermissionSet() throws {
        let dbiam = try DBIAMProcess()
        let result = try dbiam.run(["policy", Self.prodManifest, "--out", "policies"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "policies/DBReadOnly.json\npolicies/DBOncall.json\npolicies/SearchReadOnly.json\n")
        let readOnly = try #require(dbiam.read("policies/DBReadOnly.json"))
        #expect(readOnly.contains("arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/ssotest"))
        #expect(readOnly.contains("arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-B1LL1NGPR0DXXXXXXXXXXXXXXX/analyst"))
        #expect(readOnly.hasSuffix("}\n"))
        let again = try dbiam.run(["policy", Self.prodManifest, "--out", "again"])
        #expect(again.status == 0)
        for name in ["DBReadOnly", "DBOncall", "SearchReadOnly"] {
            #expect(dbiam.read("policies/\(name).json") == dbiam.read("again/\(name).json"))
        }
    }

    @Test func policyDefaultsToTheOutputFolder() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: Self.prodManifest, encoding: .utf8), to: "prod.yaml")
        let result = try dbiam.run(["policy", "prod.yaml"])
        #expect(result.status == 0)
        #expect(dbiam.read("out/prod.yaml/policies/DBOncall.json") != nil)
    }

    @Test func oversizedPolicyIsAnErrorAndNothingIsWritten() throws {
        let dbiam = try DBIAMProcess()
        let clusters = (0..<400).map { index in
            """
              c\(index):
                account: "123456789012"
                region: ap-northeast-1
                resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUV\(String(format: "%04d", index))
                endpoint: c\(index).example.com
                engine: aurora-mysql-3
                tls_ca: ca.pem
                admin:
                  user: admin
                  password_env: ADMIN_PASSWORD
            """
        }.joined(separator: "\n")
        let manifest = """
            version: 1
            clusters:
            \(clusters)
            users:
              everywhere:
                clusters: ["*"]
            permission_sets:
              Everything:
                users: [everywhere]

            """
        try dbiam.write(manifest, to: "big.yaml")
        let result = try dbiam.run(["policy", "big.yaml", "--out", "p"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: the policy of permission set 'Everything' has"), "\(result.stderr)")
        #expect(dbiam.read("p/Everything.json") == nil)
    }
}

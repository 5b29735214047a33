import DBIAMTestSupport
import Foundation
import Testing

/// `-` as the manifest: read from standard input, out files under `out/stdin/`, and
/// paths in it relative to the working directory.
@Suite(.serialized)
struct StandardInputTests {
    static let permissionSets = "permission_sets:\n  DBReadOnly:\n    users: [ssotest]\n"

    /// A manifest for the local server whose CA bundle is `certs/ca.pem` of the working
    /// directory, which holds a copy: the manifest has no folder of its own.
    func prepare() throws -> (DBIAMProcess, manifest: String) {
        let dbiam = try DBIAMProcess()
        try dbiam.write(try String(contentsOfFile: LocalServer.caFile, encoding: .utf8), to: "certs/ca.pem")
        let manifest = LocalServer.manifestText(users: PlanApplyCommandTests.users, permissionSets: Self.permissionSets)
            .replacingOccurrences(of: "tls_ca: \(LocalServer.caFile)", with: "tls_ca: certs/ca.pem")
        return (dbiam, manifest)
    }

    @Test func validateReadsStandardInputAndNamesIt() throws {
        let (dbiam, manifest) = try prepare()
        let valid = try dbiam.run(["validate", "-"], stdin: manifest)
        #expect(valid.status == 0, "\(valid.output)")
        #expect(valid.stdout == "<stdin>: ok (1 cluster, 2 users, 1 permission set, 1 warning, 2 notes)\n", "\(valid.stdout)")
        let broken = try dbiam.run(["validate", "-"], stdin: "version: 1\nclusters: {}\nusers:\n  a b: {}\n")
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("<stdin>:4:3: error: "), "\(broken.stderr)")
        let sarif = try dbiam.run(["validate", "--format", "sarif", "-"], stdin: manifest)
        #expect(sarif.stdout.contains("\"uri\": \"%3Cstdin%3E\""), "\(sarif.stdout)")
        let twice = try dbiam.run(["validate", "-", "-"], stdin: manifest)
        #expect(twice.status == 64)
        #expect(twice.stderr.hasPrefix("dbiam: error: - reads a manifest from standard input, which holds one; give - once.\n"), "\(twice.stderr)")
    }

    /// On a terminal, `-` would wait for a manifest typed in: it says how to send one.
    @Test func aTerminalOnStandardInputIsRefused() throws {
        let dbiam = try DBIAMProcess()
        let (status, text) = try dbiam.runOnTerminal("validate -")
        #expect(status == 1, "\(text)")
        #expect(text.contains("dbiam: error: cannot read manifest <stdin>: standard input is a terminal; send the manifest to it, as in - < manifests/prod.yaml"), "\(text)")
    }

    @Test func planSavesUnderOutStdinAndApplyReadsTheSameManifestAgain() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let (dbiam, manifest) = try prepare()
        let plan = try dbiam.run(["plan", "-"], stdin: manifest)
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stdout.contains("+ user  'ssotest'@'%'"), "the CA bundle was found in the working directory: \(plan.output)")
        #expect(plan.stdout.contains("policy DBReadOnly  out/stdin/policies/DBReadOnly.json  (new file)"), "\(plan.stdout)")
        #expect(plan.stdout.hasSuffix("Saved the plan to out/stdin/plan.json: dbiam apply out/stdin/plan.json, with the same manifest on standard input\n"), "\(plan.stdout)")
        #expect(dbiam.read("out/stdin/sql/local.sql")?.contains("from <stdin>") == true)
        #expect(dbiam.read("out/stdin/plan.json") != nil)

        let other = try dbiam.run(["apply", "out/stdin/plan.json"], stdin: manifest.replacingOccurrences(of: "PROCESS", with: "PROCESS, SELECT"))
        #expect(other.status == 1)
        #expect(other.stderr.contains("dbiam: error: the saved plan is stale: <stdin> changed since it was planned; run dbiam plan - again. Nothing was changed."), "\(other.stderr)")
        #expect(try connection.rows("SELECT User FROM mysql.user WHERE User = 'ssotest'").rows.isEmpty)

        let apply = try dbiam.run(["apply", "out/stdin/plan.json"], stdin: manifest)
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.hasPrefix("Applying out/stdin/plan.json, the plan of <stdin>: 4 to add"), "\(apply.stdout)")
        #expect(apply.stdout.contains("Apply complete! 4 added"), "\(apply.stdout)")
        // The last plan, as `dbiam apply` finds it, is the same one.
        let again = try dbiam.run(["apply"], stdin: manifest)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.stdout.contains("The plan is already applied"), "\(again.stdout)")

        // A second manifest on standard input shares the folder: it is one input.
        let changed = manifest.replacingOccurrences(of: "PROCESS", with: "PROCESS, SELECT")
        let planAndApply = try dbiam.run(["apply", "-", "--auto-approve"], stdin: changed)
        #expect(planAndApply.status == 0, "\(planAndApply.output)")
        #expect(planAndApply.stdout.contains("Apply complete! 1 added, 0 changed, 0 destroyed"), "\(planAndApply.stdout)")
        #expect(try dbiam.run(["plan", "-", "--detailed-exitcode"], stdin: changed).status == 0)
        try LocalServer.reset(connection)
    }

    @Test func policyAndTokenTakeStandardInput() throws {
        var (dbiam, manifest) = try prepare()
        let policy = try dbiam.run(["policy", "-"], stdin: manifest)
        #expect(policy.status == 0, "\(policy.output)")
        #expect(policy.stdout == "out/stdin/policies/DBReadOnly.json\n", "\(policy.stdout)")
        let template = try dbiam.run(["policy", "-", "--format", "cloudformation"], stdin: manifest)
        #expect(template.stdout == "out/stdin/exports/stdin.cfn.json\n", "\(template.output)")
        #expect(dbiam.read("out/stdin/exports/stdin.cfn.json")?.contains("the databases of <stdin>") == true)

        dbiam.useTestCredentials()
        dbiam.environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let token = try dbiam.run(["token", "-", "--cluster", "local", "--user", "ssotest"], stdin: manifest)
        #expect(token.status == 0, "\(token.output)")
        #expect(token.stdout.hasPrefix("\(LocalServer.host):\(LocalServer.port)/?Action=connect&DBUser=ssotest&"), "\(token.stdout)")
        let unknown = try dbiam.run(["token", "-", "--cluster", "nowhere", "--user", "ssotest"], stdin: manifest)
        #expect(unknown.stderr.hasPrefix("dbiam: error: --cluster nowhere: <stdin> has no cluster of that name; it has local.\n"), "\(unknown.stderr)")
    }
}

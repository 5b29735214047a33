import DBIAMCore
import DBIAMEngine
import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// The plan/apply contract of cli.md, as a user and as an attacker try it against the
/// local server: apply runs what review saw and nothing passes silently.
@Suite(.serialized)
final class ApplyContractTests {
    static let users = PlanApplyCommandTests.users
    static let permissionSets = PlanApplyCommandTests.permissionSets

    /// The accounts a test made are not left for the next user of the server (`make demo`
    /// prunes every IAM account its manifest does not list).
    deinit {
        if let connection = try? LocalServer.connect() { try? LocalServer.reset(connection) }
    }

    func prepare(users: String = ApplyContractTests.users, permissionSets: String = ApplyContractTests.permissionSets) throws -> (DBIAMProcess, Connection) {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: users, permissionSets: permissionSets), to: "local.yaml")
        return (dbiam, connection)
    }

    func exists(_ user: String, _ connection: Connection) throws -> Bool {
        try connection.rows("SELECT COUNT(*) FROM mysql.global_priv WHERE User = \(SQLText.string(user))").rows.first?.first == "1"
    }

    // MARK: - Saved plans edited by hand

    /// The plan inside a saved plan file, as dbiam wrote it.
    func savedPlan(_ dbiam: DBIAMProcess, _ name: String = "out/local.yaml/plan.json") throws -> Plan {
        let text = try #require(dbiam.read(name))
        let json = try #require(text.components(separatedBy: "\"plan\": ").last?.dropLast(2))
        return try PlanJSONRenderer.decode(Array(json.utf8))
    }

    /// Writes `planJSON` as a saved plan with a correct checksum: what an attacker who
    /// read dbiam's source would do.
    func forge(_ planJSON: String, _ dbiam: DBIAMProcess, _ name: String = "out/local.yaml/plan.json") throws {
        let manifest = JSONText.string(try PlanJSONRenderer.decode(Array(planJSON.utf8)).manifest).rendered().dropLast()
        try dbiam.write("{\n\"checksum\": \"\(Digest.sha256(planJSON))\",\n\"manifest\": \(manifest),\n\"plan\": \(planJSON)}\n", to: name)
    }

    @Test func statementEditedWithItsChecksumRecomputedIsRefused() throws {
        let (dbiam, connection) = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        var plan = try savedPlan(dbiam)
        #expect(plan.clusters[0].actions[0].sql.hasPrefix("CREATE USER 'ssotest'@'%'"))
        let original = plan.clusters[0].actions[0]
        plan.clusters[0].actions[0] = PlannedAction(.dropUser(AccountName(user: LocalServer.adminUser, host: "%")), reason: original.reason, destructive: original.destructive)
        try forge(PlanJSONRenderer.render(plan), dbiam)
        for arguments in [["apply"], ["apply", "--allow-mass-drop"], ["apply", "out/local.yaml/plan.json", "--allow-mass-drop"]] {
            let apply = try dbiam.run(arguments)
            #expect(apply.status == 1, "\(arguments): \(apply.output)")
            #expect(apply.stderr.contains("nothing was applied.") || apply.stderr.contains("Nothing was changed."), "\(apply.stderr)")
        }
        let deep = try dbiam.run(["apply", "--allow-mass-drop"])
        #expect(deep.stderr.contains(
            "the plan does not match what dbiam plans from the same manifest and the same accounts (statement 1 is DROP USER 'dbiam_admin'@'%', where the manifest and the cluster give CREATE USER 'ssotest'@'%'"),
            "\(deep.stderr)")
        #expect(try exists(LocalServer.adminUser, connection))
        #expect(try !exists("ssotest", connection))
    }

    /// Every other way to change the file: what reviewers read (`sql`), a reason, the
    /// layout, a field outside the clusters; with and without the checksum recomputed.
    @Test func anyOtherEditIsRefused() throws {
        let (dbiam, connection) = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let original = try #require(dbiam.read("out/local.yaml/plan.json"))
        let planJSON = PlanJSONRenderer.render(try savedPlan(dbiam))
        var reason = try savedPlan(dbiam)
        reason.clusters[0].actions[1].reason = "reviewed by the security team"
        var fingerprint = try savedPlan(dbiam)
        fingerprint.clusters[0].liveFingerprint = String(repeating: "0", count: 64)
        var endpoint = try savedPlan(dbiam)
        endpoint.clusters[0].endpoint = "evil.example.com"
        var emptied = try savedPlan(dbiam)
        emptied.clusters[0].actions = []
        var duplicated = try savedPlan(dbiam)
        duplicated.clusters.append(duplicated.clusters[0])
        var policies = try savedPlan(dbiam)
        policies.policies[0].text = policies.policies[0].text.replacingOccurrences(of: "/ssotest", with: "/*")
        let edits: [(what: String, text: String, says: String)] = [
            ("sql only, checksum kept", original.replacingOccurrences(of: "\"sql\": \"CREATE USER 'ssotest'", with: "\"sql\": \"CREATE USER 'ssoTEST'"), "its checksum does not match"),
            ("sql only", "", "not laid out as dbiam writes the plan it holds"),
            ("manifest at the head", original.replacingOccurrences(of: "\n\"manifest\": \"../../local.yaml\",\n", with: "\n\"manifest\": \"../../other.yaml\",\n"), "not laid out as dbiam writes the plan it holds"),
            ("spaces", "", "not laid out as dbiam writes the plan it holds"),
            ("reason", PlanJSONRenderer.render(reason), "the reason or flags of statement 2"),
            ("fingerprint", PlanJSONRenderer.render(fingerprint), "the saved plan is stale"),
            ("endpoint", PlanJSONRenderer.render(endpoint), "it names cluster local at evil.example.com:\(LocalServer.port), not where the manifest says"),
            ("policies", PlanJSONRenderer.render(policies), "its policies differ"),
            ("a cluster twice", PlanJSONRenderer.render(duplicated), "its clusters (local, local) are not the manifest's, once each and in its order"),
            ("statements taken out", PlanJSONRenderer.render(emptied), "it has 0 statements, where the manifest and the cluster give 4"),
        ]
        for edit in edits {
            switch edit.what {
            case "sql only, checksum kept", "manifest at the head": try dbiam.write(edit.text, to: "out/local.yaml/plan.json")
            case "sql only": try forge(planJSON.replacingOccurrences(of: "\"sql\": \"CREATE USER 'ssotest'", with: "\"sql\": \"CREATE USER 'ssoTEST'"), dbiam)
            case "spaces": try forge(planJSON.replacingOccurrences(of: "\"clusters\": [", with: "\"clusters\":  ["), dbiam)
            default: try forge(edit.text, dbiam)
            }
            let apply = try dbiam.run(["apply"])
            #expect(apply.status == 1, "\(edit.what): \(apply.output)")
            #expect(apply.stderr.contains(edit.says), "\(edit.what): \(apply.stderr)")
        }
        #expect(try !exists("ssotest", connection))
        // The file as dbiam wrote it still applies.
        try dbiam.write(original, to: "out/local.yaml/plan.json")
        #expect(try dbiam.run(["apply"]).status == 0)
    }

    /// A plan saved by an earlier dbiam, in the format before this contract.
    @Test func aPlanOfAnEarlierFormatIsRefused() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write("{\n\"checksum\" : \"00\",\n\"plan\" : {\n  \"clusters\" : [],\n  \"formatVersion\" : 1,\n  \"manifestPath\" : \"local.yaml\"\n}}\n", to: "old.json")
        let apply = try dbiam.run(["apply", "old.json"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("old.json holds a plan of format 1, which this dbiam does not apply; run dbiam plan again."), "\(apply.stderr)")
        let missing = try dbiam.run(["apply", "missing.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("there is no saved plan at missing.json"), "\(missing.stderr)")
    }

    // MARK: - Plans that failed

    @Test func aPlanWithAnUnreadableClusterCannotBeApplied() throws {
        let (dbiam, connection) = try prepare()
        let text = LocalServer.manifestWithAnUnreachableCluster(port: try ClosedPort.reserve())
        try dbiam.write(text, to: "two.yaml")
        let plan = try dbiam.run(["plan", "two.yaml"])
        #expect(plan.status == 1)
        #expect(plan.stdout.contains("\nSaved the plan to out/two.yaml/plan.json for review; it cannot be applied: 1 of 2 clusters could not be planned (down).\n"), "\(plan.stdout)")
        for arguments in [["apply"], ["apply", "out/two.yaml/plan.json"]] {
            let apply = try dbiam.run(arguments)
            #expect(apply.status == 1, "\(apply.output)")
            #expect(apply.stderr.contains("out/two.yaml/plan.json cannot be applied: 1 of 2 clusters could not be planned (down)"), "\(apply.stderr)")
            #expect(!apply.stdout.contains("Apply complete"))
        }
        let planAndApply = try dbiam.run(["apply", "two.yaml", "--auto-approve"])
        #expect(planAndApply.status == 1)
        #expect(planAndApply.stderr.contains("this plan cannot be applied: 1 of 2 clusters could not be planned (down); nothing was applied."), "\(planAndApply.stderr)")
        #expect(try !exists("ssotest", connection))
    }

    /// A cluster that was read at plan time and is unreachable at apply time: none of
    /// the plan's clusters is changed, the reachable one included.
    @Test func aClusterUnreachableAtApplyTimeStopsEveryCluster() throws {
        let (dbiam, connection) = try prepare()
        let proxy = try TCPProxy()
        defer { proxy.cut() }
        let second = """
              behind-proxy:
                account: "\(LocalServer.account)"
                region: \(LocalServer.region)
                resource_id: cluster-PROXIEDPROXIEDPROXIED00000
                endpoint: \(LocalServer.host)
                port: \(proxy.port)
                engine: mariadb
                tls_ca: \(LocalServer.caFile)
                admin:
                  user: \(LocalServer.adminUser)
                  password_env: DBIAM_LOCAL_ADMIN_PASSWORD
            users:
            """
        let users = "  dbiam_test_direct:\n    clusters: [local]\n  dbiam_test_behind:\n    clusters: [behind-proxy]\n"
        try dbiam.write(LocalServer.manifestText(users: users).replacingOccurrences(of: "users:", with: second), to: "pair.yaml")
        #expect(try dbiam.run(["plan", "pair.yaml"]).status == 0)
        proxy.cut()
        let apply = try dbiam.run(["apply", "--connect-timeout", "2"])
        #expect(apply.status == 1, "\(apply.output)")
        #expect(apply.stderr.contains("dbiam: error: cluster behind-proxy: cannot connect to \(LocalServer.host):\(proxy.port)"), "\(apply.stderr)")
        #expect(apply.stderr.contains("dbiam: error: nothing was applied."))
        #expect(try !exists("dbiam_test_direct", connection))
        #expect(try !exists("dbiam_test_behind", connection))
    }

    /// A manifest with errors saves nothing; apply says the last plan failed rather than
    /// applying an older plan of another manifest.
    @Test func aManifestWithErrorsSavesNoPlanAndApplySaysSo() throws {
        let (dbiam, connection) = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        try dbiam.write(LocalServer.manifestText(users: Self.users.replacingOccurrences(of: "[PROCESS]", with: "[PROCES]")), to: "broken.yaml")
        let broken = try dbiam.run(["plan", "broken.yaml"])
        #expect(broken.status == 1)
        #expect(dbiam.read("out/broken.yaml/plan.json") == nil)
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("the last dbiam plan, of broken.yaml, saved no plan: it could not be read or has errors (dbiam validate broken.yaml lists them)"), "\(apply.stderr)")
        #expect(try !exists("ssotest", connection))
        // The other manifest's plan is still there, by its name.
        #expect(try dbiam.run(["apply", "out/local.yaml/plan.json"]).status == 0)
        #expect(try exists("ssotest", connection))
    }

    // MARK: - Staleness

    @Test func anUnrelatedAccountBetweenPlanAndApplyChangesNothing() throws {
        let (dbiam, connection) = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        try connection.query("CREATE USER 'dbiam_test_app'@'%' IDENTIFIED BY 'application-password'; GRANT SELECT ON *.* TO 'dbiam_test_app'@'%'")
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Apply complete! 4 added, 0 changed, 0 destroyed on 1 cluster."))
    }

    @Test func aStalePlanNamesWhatChangedAndChangesNothing() throws {
        let (dbiam, connection) = try prepare()
        try connection.query("""
            CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
            GRANT SELECT ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'
            """)
        #expect(try dbiam.run(["plan", "local.yaml"]).stdout.contains("  + grant SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'\n"))
        try connection.query("GRANT INSERT ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'; CREATE USER 'stray'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'")
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains(
            "cluster local: the saved plan is stale; since it was planned, 'ssotest'@'%' gained INSERT on dbiam_test_shop.*; new: 'stray'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone). Run dbiam plan again and review the new plan."),
            "\(apply.stderr)")
        #expect(try !exists("oncall_dba", connection))
        let grants = try connection.rows("SHOW GRANTS FOR 'ssotest'@'%'").rows.compactMap { $0.first ?? nil }
        #expect(!grants.contains { $0.contains("SHOW VIEW") })
    }

    @Test func anAppliedPlanAppliedAgainIsAlreadyApplied() throws {
        let (dbiam, _) = try prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        #expect(try dbiam.run(["apply"]).status == 0)
        for arguments in [["apply"], ["apply", "out/local.yaml/plan.json"]] {
            let again = try dbiam.run(arguments)
            #expect(again.status == 0, "\(again.output)")
            #expect(again.stdout.hasSuffix("The plan is already applied: local holds what it planned. Nothing was changed.\n"), "\(again.stdout)")
        }
    }

    // MARK: - Naming the plan

    /// Paths in the plan are relative to it: it applies from another folder, with a
    /// manifest whose tls_ca is relative too.
    @Test func aSavedPlanAppliesFromAnyDirectory() throws {
        let (dbiam, connection) = try prepare()
        try dbiam.write(String(contentsOfFile: LocalServer.caFile, encoding: .utf8), to: "tls/ca.pem")
        try dbiam.write(
            LocalServer.manifestText(users: Self.users).replacingOccurrences(of: "tls_ca: \(LocalServer.caFile)", with: "tls_ca: ../tls/ca.pem"),
            to: "manifests/team.yaml")
        let plan = try dbiam.run(["plan", "./manifests/team.yaml"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stdout.hasSuffix("\nSaved the plan to out/manifests/team.yaml/plan.json: dbiam apply out/manifests/team.yaml/plan.json\n"), "\(plan.stdout)")
        #expect(try #require(dbiam.read("out/manifests/team.yaml/sql/local.sql")).hasPrefix("-- dbiam: cluster local (127.0.0.1:\(LocalServer.port)), from manifests/team.yaml\n"))
        var elsewhere = dbiam
        elsewhere.directory = dbiam.directory.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere.directory, withIntermediateDirectories: true)
        let planPath = dbiam.directory.appendingPathComponent("out/manifests/team.yaml/plan.json").path
        let apply = try elsewhere.run(["apply", planPath])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.hasPrefix("Applying \(planPath), the plan of ../manifests/team.yaml: 4 to add, 0 to change, 0 to destroy.\n"), "\(apply.stdout)")
        #expect(try exists("ssotest", connection))
        // Through a symbolic link to the plan's folder, the manifest is found where the
        // file system puts it.
        try FileManager.default.createSymbolicLink(
            atPath: elsewhere.directory.appendingPathComponent("link").path,
            withDestinationPath: dbiam.directory.appendingPathComponent("out/manifests/team.yaml").path)
        let linked = try elsewhere.run(["apply", "link/plan.json"])
        #expect(linked.status == 0, "\(linked.output)")
        #expect(linked.stdout.contains("The plan is already applied"), "\(linked.stdout)")
    }

    /// Two manifests named alike in two folders keep their files and plans apart.
    @Test func manifestsWithTheSameNameNeverShareTheirFiles() throws {
        let (dbiam, connection) = try prepare()
        try dbiam.write(LocalServer.manifestText(users: "  dbiam_test_a:\n    clusters: [local]\n"), to: "a/prod.yaml")
        try dbiam.write(LocalServer.manifestText(users: "  dbiam_test_b:\n    clusters: [local]\n"), to: "b/prod.yaml")
        #expect(try dbiam.run(["plan", "a/prod.yaml"]).status == 0)
        #expect(try dbiam.run(["plan", "b/prod.yaml"]).status == 0)
        #expect(dbiam.read("out/a/prod.yaml/sql/local.sql")?.contains("'dbiam_test_a'@'%'") == true)
        #expect(dbiam.read("out/b/prod.yaml/sql/local.sql")?.contains("'dbiam_test_b'@'%'") == true)
        let apply = try dbiam.run(["apply"])
        #expect(apply.stdout.hasPrefix("Applying out/b/prod.yaml/plan.json, the plan of b/prod.yaml: 1 to add"), "\(apply.stdout)")
        #expect(try exists("dbiam_test_b", connection) && !exists("dbiam_test_a", connection))
        // a's plan names every IAM account on the cluster: b's new one makes it stale.
        let stale = try dbiam.run(["apply", "out/a/prod.yaml/plan.json"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("new: 'dbiam_test_b'@'%' uses AWSAuthenticationPlugin but is not in the manifest"), "\(stale.stderr)")
        #expect(try dbiam.run(["plan", "a/prod.yaml"]).status == 0)
        #expect(try dbiam.run(["apply", "out/a/prod.yaml/plan.json"]).status == 0)
        #expect(try exists("dbiam_test_a", connection))
        // prod.yml beside prod.yaml has a folder of its own.
        try dbiam.write(LocalServer.manifestText(users: "  dbiam_test_c:\n    clusters: [local]\n"), to: "a/prod.yml")
        #expect(try dbiam.run(["plan", "a/prod.yml"]).status == 0)
        #expect(dbiam.read("out/a/prod.yml/sql/local.sql")?.contains("'dbiam_test_c'@'%'") == true)
        #expect(dbiam.read("out/a/prod.yaml/sql/local.sql")?.contains("'dbiam_test_a'@'%'") == true)
        // Outside the working directory `..` becomes `_up`: a folder really named so is
        // told apart from it, and refused rather than overwritten.
        var inside = dbiam
        inside.directory = dbiam.directory.appendingPathComponent("work")
        try inside.write(LocalServer.manifestText(users: "  dbiam_test_d:\n    clusters: [local]\n"), to: "_up/a/prod.yaml")
        #expect(try inside.run(["plan", "../a/prod.yaml"]).status == 0)
        #expect(inside.read("out/_up/a/prod.yaml/sql/local.sql")?.contains(", from ../a/prod.yaml\n") == true)
        let clash = try inside.run(["plan", "_up/a/prod.yaml"])
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("dbiam: error: out/_up/a/prod.yaml holds the plan of ../a/prod.yaml, not of _up/a/prod.yaml; give this manifest another --out-dir."), "\(clash.stderr)")
        #expect(inside.read("out/_up/a/prod.yaml/sql/local.sql")?.contains(", from ../a/prod.yaml\n") == true)
    }

    // MARK: - Policy files

    @Test func aRemovedPermissionSetRemovesItsPolicyFile() throws {
        let both = Self.permissionSets + "\n  DBOncall:\n    users: [oncall_dba]\n"
        let (dbiam, _) = try prepare(permissionSets: both)
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        #expect(dbiam.read("out/local.yaml/policies/DBOncall.json") != nil)
        try dbiam.write(LocalServer.manifestText(users: Self.users, permissionSets: Self.permissionSets), to: "local.yaml")
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.stdout.contains("\n- policy DBOncall  out/local.yaml/policies/DBOncall.json  (removed: the permission set is no longer in the manifest)\n"), "\(plan.stdout)")
        #expect(dbiam.read("out/local.yaml/policies/DBOncall.json") == nil)
        #expect(dbiam.read("out/local.yaml/policies/DBReadOnly.json") != nil)
    }

    /// A cluster gone from the manifest takes its SQL file with it, and saying so does not
    /// get into the JSON plan on stdout.
    @Test func aRemovedClusterRemovesItsSQLFile() throws {
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestWithAnUnreachableCluster(port: 1), to: "two.yaml")
        #expect(try dbiam.run(["plan", "two.yaml", "--offline"]).status == 0)
        #expect(dbiam.read("out/two.yaml/sql/down.sql") != nil)
        try dbiam.write(LocalServer.manifestText(users: "  ssotest:\n    clusters: [\"*\"]\n"), to: "two.yaml")
        let plan = try dbiam.run(["plan", "two.yaml", "--offline", "--json"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) is [String: Any])
        #expect(plan.stderr.contains("dbiam: removed out/two.yaml/sql/down.sql: cluster down is no longer in the manifest."), "\(plan.stderr)")
        #expect(dbiam.read("out/two.yaml/sql/down.sql") == nil)
        #expect(dbiam.read("out/two.yaml/sql/local.sql") != nil)
    }

    /// Without AWS, a policy is a file to deploy: plan says where it is and whether it
    /// differs from the previous file, and does not count it as a change to apply.
    @Test func aPolicyOnlyChangeIsReportedButIsNoChangeToApply() throws {
        let (dbiam, _) = try prepare()
        #expect(try dbiam.run(["apply", "local.yaml", "--auto-approve"]).status == 0)
        let again = try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("policy DBReadOnly  out/local.yaml/policies/DBReadOnly.json  (same as the previous file)\n"))
        #expect(again.stdout.contains("\nNo changes. The clusters match the manifest.\n"))
        let more = Self.permissionSets + "\n  DBOncall:\n    users: [oncall_dba]\n"
        try dbiam.write(LocalServer.manifestText(users: Self.users, permissionSets: more), to: "local.yaml")
        let policyOnly = try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"])
        #expect(policyOnly.status == 0, "\(policyOnly.output)")
        #expect(policyOnly.stdout.contains("policy DBOncall  out/local.yaml/policies/DBOncall.json  (new file)\n"))
        #expect(policyOnly.stdout.contains("\nNo changes to apply: the clusters match the manifest. 1 policy file is new, changed or removed; dbiam apply does not deploy policies, so bring IAM in line with it yourself.\n"), "\(policyOnly.stdout)")
    }

    // MARK: - Validation as validate does it

    /// A lint error (an organization path that matches nobody, DBIAM105) fails every
    /// command that writes policies or changes clusters, with validate's own message, and
    /// nothing is written.
    @Test func aLintErrorFailsEveryCommandExactlyAsValidate() throws {
        let (dbiam, connection) = try prepare()
        let text = LocalServer.manifestText(users: Self.users, permissionSets: Self.permissionSets + "\n    org_path: engineers\n")
            .replacingOccurrences(of: "clusters:\n  local:", with: "organization:\n  id: o-localstandin\n  paths:\n    engineers: o-localstandin/r-loc1/ou-loc1-engineer\nclusters:\n  local:")
        try dbiam.write(text, to: "orgs.yaml")
        let validate = try dbiam.run(["validate", "orgs.yaml"])
        #expect(validate.status == 1)
        let finding = try #require(validate.stderr.split(separator: "\n").first { $0.contains("[DBIAM105]") }.map(String.init), "\(validate.stderr)")
        #expect(finding.hasPrefix("orgs.yaml:5:5: error: organization path 'engineers'"))
        for arguments in [["plan", "orgs.yaml"], ["plan", "orgs.yaml", "--offline"], ["policy", "orgs.yaml"], ["apply", "orgs.yaml", "--auto-approve"]] {
            let result = try dbiam.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.stderr.contains(finding + "\n"), "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("dbiam: error: orgs.yaml has 1 problem; fix it and run dbiam again."))
        }
        #expect(!FileManager.default.fileExists(atPath: dbiam.directory.appendingPathComponent("out/orgs.yaml").path))
        #expect(try !exists("ssotest", connection))
    }

    /// IAM Identity Center takes at most 10,240 characters other than white space in a
    /// permission set's inline policy, whatever its length with them.
    @Test func aPolicyOverTheInlineNonWhitespaceLimitFailsPlanAndPolicy() throws {
        let dbiam = try DBIAMProcess()
        let names = (0..<120).map { "dbiam_test_user_\($0)" }
        let users = names.map { "  \($0):\n    clusters: [local]\n" }.joined()
        try dbiam.write(LocalServer.manifestText(users: users, permissionSets: "permission_sets:\n  Wide:\n    users: [\(names.joined(separator: ", "))]\n"), to: "wide.yaml")
        for arguments in [["plan", "wide.yaml", "--offline"], ["plan", "wide.yaml"], ["policy", "wide.yaml"]] {
            let result = try dbiam.run(arguments)
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.stderr.contains(" characters other than white space, over the 10,240 IAM Identity Center allows for a permission set's inline policy;"), "\(result.stderr)")
            #expect(result.stderr.contains("[DBIAM102]"))
        }
        #expect(dbiam.read("out/wide.yaml/policies/Wide.json") == nil)
    }
}

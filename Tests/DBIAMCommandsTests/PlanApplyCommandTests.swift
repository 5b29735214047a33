import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// `dbiam plan` and `dbiam apply` against the local server, as a user runs them.
@Suite(.serialized)
struct PlanApplyCommandTests {
    static let users = """
          ssotest:
            clusters: [local]
            grants:
              - on: dbiam_test_shop.*
                privileges: [SELECT, SHOW VIEW]
          oncall_dba:
            clusters: ["*"]
            grants:
              - on: "*.*"
                privileges: [PROCESS]
        """
    static let permissionSets = """
        permission_sets:
          DBReadOnly:
            users: [ssotest]
        """

    /// A working folder holding `local.yaml`, on a server without test accounts.
    static func prepare(users: String = Self.users) throws -> (DBIAMProcess, Connection) {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: users, permissionSets: Self.permissionSets), to: "local.yaml")
        return (dbiam, connection)
    }

    /// A plan that revokes a privilege granted by hand, then grants on a table that does
    /// not exist: the GRANT fails after the REVOKE has run.
    static func prepareAFailingGrant() throws -> (DBIAMProcess, Connection) {
        let users = """
              reporter:
                clusters: [local]
                grants:
                  - on: dbiam_test_missing.orders
                    privileges: [SELECT]
            """ + "\n" + Self.users
        let (dbiam, connection) = try prepare(users: users)
        try connection.query("""
            CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
            GRANT SELECT, SHOW VIEW, INSERT ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'
            """)
        return (dbiam, connection)
    }

    /// plan ends its process without freeing what it built, but closes its connections
    /// first: the server counts (and logs) one dropped without a goodbye as aborted.
    @Test func planClosesItsConnectionsAsTheServerExpects() throws {
        let (dbiam, connection) = try Self.prepare()
        func abortedClients() throws -> String? {
            try connection.rows("SHOW GLOBAL STATUS LIKE 'Aborted_clients'").rows.first?[1] ?? nil
        }
        let before = try abortedClients()
        for _ in 0..<3 {
            let plan = try dbiam.run(["plan", "local.yaml"])
            #expect(plan.status == 0, "\(plan.output)")
        }
        #expect(try abortedClients() == before)
    }

    /// A reader endpoint refuses changes, but not always to dbiam's admin (MariaDB lets
    /// SUPER write on a read-only server): plan says so before any statement.
    @Test func aReadOnlyServerIsAReaderEndpointError() throws {
        let (dbiam, connection) = try Self.prepare()
        try connection.query("SET GLOBAL read_only = ON")
        defer { _ = try? connection.query("SET GLOBAL read_only = OFF") }
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.status == 1)
        #expect(plan.stdout.contains("error: \(LocalServer.host) is a reader endpoint (the server is read-only and refuses CREATE USER and GRANT)"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("CREATE USER 'ssotest'"))
        let apply = try dbiam.run(["apply", "local.yaml", "--auto-approve"])
        #expect(apply.status == 1)
        let accounts = try connection.rows("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'ssotest'").rows
        #expect(accounts.map(Array.init) == [["0"]])
    }

    @Test func planApplyPlanConverges() throws {
        let (dbiam, _) = try Self.prepare()
        let before = try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"])
        #expect(before.status == 2, "\(before.output)")
        #expect(before.stdout.contains("cluster local  (127.0.0.1:\(LocalServer.port), "))
        #expect(before.stdout.contains("  + user  'ssotest'@'%'  IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL\n"))
        #expect(before.stdout.contains("  + grant SELECT, SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'ssotest'@'%'\n"))
        #expect(before.stdout.contains("policy DBReadOnly  out/local.yaml/policies/DBReadOnly.json  (new file)\n"))
        #expect(before.stdout.contains("\nPlan: 4 to add, 0 to change, 0 to destroy. 1 policy file is new, changed or removed; dbiam apply does not deploy policies, so bring IAM in line with it yourself.\n"))
        #expect(before.stdout.hasSuffix("\nSaved the plan to out/local.yaml/plan.json: dbiam apply out/local.yaml/plan.json\n"))
        let sql = try #require(dbiam.read("out/local.yaml/sql/local.sql"))
        #expect(sql.contains("-- user ssotest is in the manifest but not on this cluster\nCREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;\n"))
        #expect(dbiam.read("out/local.yaml/policies/DBReadOnly.json")?.contains("dbuser:cluster-LOCALAURORASTANDIN00000000/ssotest") == true)

        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.hasPrefix("Applying out/local.yaml/plan.json, the plan of local.yaml: 4 to add, 0 to change, 0 to destroy.\n"))
        #expect(apply.stdout.contains("local: [1/4] CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL ok\n"))
        #expect(apply.stdout.contains("Apply complete! 4 added, 0 changed, 0 destroyed on 1 cluster."))

        let after = try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"])
        #expect(after.status == 0, "\(after.output)")
        #expect(after.stdout.contains("No changes. The clusters match the manifest."))
        #expect(after.stdout.contains("policy DBReadOnly  out/local.yaml/policies/DBReadOnly.json  (same as the previous file)\n"))
        #expect(after.stdout.hasSuffix("\nSaved the plan to out/local.yaml/plan.json; it has no changes to apply.\n"))
        let noop = try dbiam.run(["apply"])
        #expect(noop.status == 0)
        #expect(noop.stdout.contains("The plan has no changes to apply, and the clusters still match it.\n"))
    }

    @Test func savedFilesAreTheSameBytesForTheSameInput() throws {
        let (dbiam, _) = try Self.prepare()
        // The first plan finds the policy new; from the second on the input is the same.
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let second = (dbiam.read("out/local.yaml/sql/local.sql"), dbiam.read("out/local.yaml/plan.json"), dbiam.read("out/local.yaml/policies/DBReadOnly.json"))
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        #expect(dbiam.read("out/local.yaml/sql/local.sql") == second.0)
        #expect(dbiam.read("out/local.yaml/plan.json") == second.1)
        #expect(dbiam.read("out/local.yaml/policies/DBReadOnly.json") == second.2)
    }

    @Test func jsonPlanIsPrinted() throws {
        let (dbiam, _) = try Self.prepare()
        let result = try dbiam.run(["plan", "local.yaml", "--json"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let clusters = json?["clusters"] as? [[String: Any]]
        #expect((clusters?.first?["actions"] as? [[String: Any]])?.count == 4)
        #expect((clusters?.first?["actions"] as? [[String: Any]])?.first?["sql"] as? String
            == "CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL")
    }

    @Test func stalePlanIsRefusedAndNothingChanges() throws {
        let (dbiam, connection) = try Self.prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        try connection.query("CREATE USER 'ssotest'@'%' IDENTIFIED BY 'made-by-hand'")
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("cluster local: the saved plan is stale; since it was planned, 'ssotest'@'%' was created. Run dbiam plan again"), "\(apply.stderr)")
        #expect(apply.stderr.contains("nothing was applied."))
        let users = try connection.rows("SELECT User FROM mysql.user WHERE User = 'oncall_dba'").rows
        #expect(users.isEmpty)
    }

    @Test func changedManifestIsRefused() throws {
        let (dbiam, connection) = try Self.prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        try dbiam.write(LocalServer.manifestText(users: Self.users, permissionSets: Self.permissionSets) + "\n# edited\n", to: "local.yaml")
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("the saved plan is stale: local.yaml changed since it was planned"))
        #expect(try connection.rows("SELECT User FROM mysql.user WHERE User = 'ssotest'").rows.isEmpty)
    }

    @Test func planEditedByHandIsRefused() throws {
        let (dbiam, connection) = try Self.prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let plan = try #require(dbiam.read("out/local.yaml/plan.json"))
        try dbiam.write(plan.replacingOccurrences(of: "SHOW VIEW", with: "ALL PRIVILEGES"), to: "out/local.yaml/plan.json")
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("was changed after dbiam plan wrote it (its checksum does not match)"))
        #expect(try connection.rows("SELECT User FROM mysql.user WHERE User = 'ssotest'").rows.isEmpty)
    }

    @Test func applyWithManifestNeedsATerminalOrAutoApprove() throws {
        let (dbiam, connection) = try Self.prepare()
        let refused = try dbiam.run(["apply", "local.yaml"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("there is no terminal to ask on"))
        #expect(try connection.rows("SELECT User FROM mysql.user WHERE User = 'ssotest'").rows.isEmpty)

        let approved = try dbiam.run(["apply", "local.yaml", "--auto-approve"])
        #expect(approved.status == 0, "\(approved.output)")
        #expect(approved.stdout.contains("Apply complete! 4 added"))
        #expect(try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"]).status == 0)
    }

    @Test func applyFailsAtOnceWhileAnotherApplyHoldsTheLock() throws {
        let (dbiam, connection) = try Self.prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        // This connection plays a dbiam apply that is still running.
        #expect(try connection.rows("SELECT GET_LOCK('dbiam.apply.cluster-LOCALAURORASTANDIN00000000', 0)").rows.first?.first == "1")
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("another dbiam apply is running on this cluster"), "\(apply.stderr)")
        #expect(try connection.rows("SELECT User FROM mysql.user WHERE User = 'ssotest'").rows.isEmpty)
        try connection.query("DO RELEASE_LOCK('dbiam.apply.cluster-LOCALAURORASTANDIN00000000')")
        #expect(try dbiam.run(["apply"]).status == 0)
    }

    /// Access is taken away first, so a GRANT that fails cannot keep a REVOKE from
    /// running; the failure says what ran and what did not, on stdout and stderr.
    @Test func failedGrantComesAfterTheRevokesAndIsReported() throws {
        let (dbiam, connection) = try Self.prepareAFailingGrant()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        let failedLine = "local: FAILED GRANT SELECT ON `dbiam_test_missing`.`orders` TO 'reporter'@'%': ERROR 1146 (42S02)"
        let summary = """
            cluster local: 3 of 5 statements ran; 1 failed (ERROR 1146 (42S02): Table 'dbiam_test_missing.orders' doesn't exist); 1 did not run.
              failed: GRANT SELECT ON `dbiam_test_missing`.`orders` TO 'reporter'@'%'
              did not run: GRANT PROCESS ON *.* TO 'oncall_dba'@'%'
            Apply failed on 1 of 1 cluster; 0 applied completely. Run dbiam plan to see what is left.

            """
        for stream in [apply.stdout, apply.stderr] {
            #expect(stream.contains(failedLine), "\(stream)")
            #expect(stream.hasSuffix(summary), "\(stream)")
        }
        #expect(apply.stdout.contains("local: [1/5] REVOKE INSERT ON `dbiam\\_test\\_shop`.* FROM 'ssotest'@'%' ok\n"))
        let grants = try connection.rows("SHOW GRANTS FOR 'ssotest'@'%'").rows.compactMap { $0.first ?? nil }
        #expect(!grants.contains { $0.contains("INSERT") }, "\(grants)")
        let left = try dbiam.run(["plan", "local.yaml"])
        #expect(left.stdout.contains("  + grant SELECT ON `dbiam_test_missing`.`orders` TO 'reporter'@'%'\n"))
        #expect(left.stdout.contains("  + grant PROCESS ON *.* TO 'oncall_dba'@'%'\n"))
        #expect(left.stdout.contains("Plan: 2 to add, 0 to change, 0 to destroy."))
    }

    @Test func unreachableClusterIsAnErrorAndTheOthersArePlanned() throws {
        let (dbiam, _) = try Self.prepare()
        let closedPort = try ClosedPort.reserve()
        let text = LocalServer.manifestWithAnUnreachableCluster(port: closedPort)
        try dbiam.write(text, to: "two.yaml")
        let result = try dbiam.run(["plan", "two.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("  + user  'ssotest'@'%'"))
        #expect(result.stdout.contains("cluster down  (127.0.0.1:\(closedPort))\n  error: cannot connect to 127.0.0.1:\(closedPort)"), "\(result.stdout)")
        #expect(result.stderr.contains("1 of 2 clusters could not be planned"))
    }

    /// The clusters are read while the users are decoded; an error in the users still
    /// stops the plan before anything is printed or saved, and dbiam exits cleanly with
    /// a read under way (several runs, since the read may be at any step then).
    @Test func manifestErrorAfterTheClustersStopsThePlan() throws {
        let (dbiam, _) = try Self.prepare(users: Self.users.replacingOccurrences(of: "[PROCESS]", with: "[PROCES]"))
        for _ in 0..<8 {
            let result = try dbiam.run(["plan", "local.yaml"])
            #expect(result.status == 1, "\(result.output)")
            #expect(result.stderr.contains("local.yaml:"), "\(result.output)")
            #expect(result.stderr.contains("'PROCES' is not a privilege of mariadb."))
            #expect(!result.stdout.contains("Plan:"))
        }
        #expect(dbiam.read("out/local.yaml/plan.json") == nil)
        #expect(dbiam.read("out/local.yaml/sql/local.sql") == nil)
    }

    /// `tls_ca` relative to the manifest's folder, run from another folder, as
    /// manifests/local.yaml is used.
    @Test func relativeTLSCAIsFoundNextToTheManifest() throws {
        let (dbiam, _) = try Self.prepare()
        try dbiam.write(String(contentsOfFile: LocalServer.caFile, encoding: .utf8), to: "tls/ca.pem")
        let text = LocalServer.manifestText(users: Self.users).replacingOccurrences(of: "tls_ca: \(LocalServer.caFile)", with: "tls_ca: ../tls/ca.pem")
        #expect(text.contains("tls_ca: ../tls/ca.pem"))
        try dbiam.write(text, to: "manifests/relative.yaml")
        let result = try dbiam.run(["plan", "manifests/relative.yaml", "--detailed-exitcode"])
        #expect(result.status == 2, "\(result.output)")
    }

    /// A folder that cannot be made: the plan is printed all the same, then an error that
    /// names the folder and the system's reason, not a Foundation error domain.
    @Test func anUnwritableOutDirectoryIsNamed() throws {
        let (dbiam, _) = try Self.prepare()
        try dbiam.write("not a folder\n", to: "blocked")
        let result = try dbiam.run(["plan", "local.yaml", "--out-dir", "blocked"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("+ user  'ssotest'@'%'") && result.stdout.contains("Plan: "), "\(result.stdout)")
        #expect(!result.stdout.contains("Saved the plan"), "\(result.stdout)")
        #expect(result.stderr.hasSuffix("dbiam: error: cannot write blocked: Not a directory; make the folder writable or choose another with --out-dir. The plan was not saved.\n"), "\(result.stderr)")
        #expect(!result.stderr.contains("NSCocoaErrorDomain"))
    }

    /// An out directory without write permission (EACCES, Foundation's Code=513): the
    /// plan, then the path and the reason. Root writes anywhere, so as root dbiam runs
    /// without the capability that lets it (setpriv drops it from the bounding set).
    @Test func anOutDirectoryWithoutWritePermissionIsNamedAfterThePlan() throws {
        var (dbiam, _) = try Self.prepare()
        let folder = dbiam.directory.appendingPathComponent("readonly").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o555])
        if getuid() == 0 { dbiam.wrapper = ["/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] }
        for arguments in [["plan", "local.yaml"], ["plan", "local.yaml", "--json"], ["apply", "local.yaml", "--auto-approve"]] {
            let result = try dbiam.run(arguments + ["--out-dir", "readonly"])
            #expect(result.status == 1, "\(arguments): \(result.output)")
            #expect(result.stdout.contains("ssotest"), "\(arguments): \(result.stdout)")
            #expect(result.stderr.contains("dbiam: error: cannot write readonly/local.yaml: Permission denied; make the folder writable or choose another with --out-dir. The plan was not saved."), "\(arguments): \(result.stderr)")
            #expect(!result.output.contains("NSCocoaErrorDomain") && !result.output.contains("Apply complete"), "\(arguments): \(result.output)")
        }
        // Nothing was applied.
        #expect(try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"]).status == 2)
    }

    /// A CA bundle that is not there: plan names it before connecting, instead of
    /// libmariadb's "TLS/SSL error: No such file or directory (2)".
    @Test func aMissingCABundleIsNamedBeforeConnecting() throws {
        let (dbiam, _) = try Self.prepare()
        let text = LocalServer.manifestText(users: Self.users).replacingOccurrences(of: "tls_ca: \(LocalServer.caFile)", with: "tls_ca: certs/missing-ca.pem")
        try dbiam.write(text, to: "local.yaml")
        let result = try dbiam.run(["plan", "local.yaml"])
        #expect(result.status == 1)
        let path = dbiam.directory.appendingPathComponent("certs/missing-ca.pem").path
        #expect(result.stdout.contains("error: the CA bundle certs/missing-ca.pem (tls_ca, \(path)) cannot be read: there is no such file, so dbiam did not connect; download the RDS CA bundle"), "\(result.stdout)")
        #expect(!result.output.contains("TLS/SSL error"), "\(result.output)")
    }

    @Test func missingAdminPasswordVariableIsExplained() throws {
        var (dbiam, _) = try Self.prepare()
        dbiam.environment["DBIAM_LOCAL_ADMIN_PASSWORD"] = nil
        let result = try dbiam.run(["plan", "local.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("error: the admin password of cluster local is read from the environment variable DBIAM_LOCAL_ADMIN_PASSWORD, which is not set"))
    }

    @Test func emptyAdminPasswordVariableIsSaidToBeEmpty() throws {
        var (dbiam, _) = try Self.prepare()
        dbiam.environment["DBIAM_LOCAL_ADMIN_PASSWORD"] = ""
        let result = try dbiam.run(["plan", "local.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("error: the admin password of cluster local is read from the environment variable DBIAM_LOCAL_ADMIN_PASSWORD, which is empty; set it to the password"), "\(result.stdout)")
    }

    @Test func offlinePlanShowsEverythingAndCannotBeApplied() throws {
        let (dbiam, _) = try Self.prepare()
        let plan = try dbiam.run(["plan", "local.yaml", "--offline"])
        #expect(plan.status == 0)
        #expect(plan.stdout.contains("offline: planned as if empty"))
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("was made with --offline"))
    }

    @Test func adminPasswordNeverAppearsInOutputOrFiles() throws {
        let (dbiam, connection) = try Self.prepare()
        try connection.query("CREATE USER 'stray'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'")
        var outputs = try dbiam.run(["plan", "local.yaml", "--json"]).output
        outputs += try dbiam.run(["plan", "local.yaml"]).output
        outputs += try dbiam.run(["apply"]).output
        let written = dbiam.writtenFiles().filter { !$0.path.hasSuffix("local.yaml") }.map(\.content)
        for text in [outputs] + written {
            #expect(!text.contains(LocalServer.adminPassword))
        }
    }
}

extension PlanApplyCommandTests {
    @Test func droppingMostIAMUsersNeedsAllowMassDrop() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        // dbiam_iam_admin is an IAM account too: 4 owned accounts, the manifest keeps 1.
        try connection.query("""
            CREATE USER 'keep'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
            CREATE USER 'leaver1'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
            CREATE USER 'leaver2'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'
            """)
        let dbiam = try DBIAMProcess()
        try dbiam.write(LocalServer.manifestText(users: "  keep:\n    clusters: [local]\n    require_ssl: false\n", prune: true), to: "prune.yaml")
        let plan = try dbiam.run(["plan", "prune.yaml"])
        #expect(plan.stderr.contains("warning: cluster local: the plan drops 3 of its 4 IAM users (75%), more than --max-drop-percent 50 allows"), "\(plan.stderr)")
        let refused = try dbiam.run(["apply"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("run dbiam apply again with --allow-mass-drop"))
        #expect(try connection.rows("SELECT COUNT(*) FROM mysql.global_priv WHERE User LIKE 'leaver%'").rows.first?.first == "2")
        let allowed = try dbiam.run(["apply", "--allow-mass-drop"])
        #expect(allowed.status == 0, "\(allowed.output)")
        #expect(try connection.rows("SELECT COUNT(*) FROM mysql.global_priv WHERE User LIKE 'leaver%'").rows.first?.first == "0")
        try LocalServer.reset(connection)
    }
}

import AWSAPI
import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// The AWS half with `dbiam plan` and `dbiam apply` as a user runs them: the local
/// Aurora stand-in for the database, the local AWS stand-in (moto, seeded by
/// aws-standin/) for RDS, IAM Identity Center and IAM, over HTTP.
@Suite(.serialized)
struct AWSPlanApplyTests {
    static let instance = "arn:aws:sso:::instance/ssoins-localstandin0000"
    static let readOnlySet = "arn:aws:sso:::permissionSet/ssoins-localstandin0000/ps-dbreadonly000000"
    static let role = "arn:aws:iam::012345678901:role/dbiam-local-bastion"

    static let users = """
          ssotest:
            clusters: [local]
            grants:
              - on: dbiam_test_shop.*
                privileges: [SELECT]
          oncall_dba:
            clusters: [local]
            grants:
              - on: "*.*"
                privileges: [PROCESS]
        """
    static let permissionSets = """
        permission_sets:
          DBReadOnly:
            users: [ssotest]
            attach: identity_center
          DBOncall:
            users: [oncall_dba]
            attach:
              role: \(role)
        """

    static func manifest(users: String = users, resourceID: String = "cluster-LOCALAURORASTANDIN00000000") -> String {
        LocalServer.manifestText(users: users, permissionSets: permissionSets)
            .replacingOccurrences(of: "version: 1\n", with: "version: 1\naws:\n  identity_center:\n    instance_arn: \(instance)\n    region: us-east-1\n")
            .replacingOccurrences(of: "cluster-LOCALAURORASTANDIN00000000", with: resourceID)
    }

    var client: AWSClient {
        AWSClient(region: "us-east-1", credentials: .fixed(LocalAWS.credentials), endpoints: AWSEndpointResolver(environment: LocalAWS.clientEnvironment))
    }

    /// Both servers, no test accounts, no attached policies; dbiam with the stand-ins' keys.
    func prepare(_ manifest: String = manifest()) async throws -> DBIAMProcess {
        try LocalAWS.requireRunning()
        try LocalServer.reset(try LocalServer.connect())
        _ = try? await client.identityCenter.deleteInlinePolicy(instanceARN: Self.instance, permissionSetARN: Self.readOnlySet)
        _ = try? await client.iam.deleteRolePolicy(roleName: "dbiam-local-bastion", policyName: "dbiam-DBOncall")
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials()
        dbiam.environment["AWS_ENDPOINT_URL"] = LocalAWS.endpoint
        try dbiam.write(manifest, to: "local.yaml")
        return dbiam
    }

    func readOnlyPolicy() async throws -> String? {
        try await client.identityCenter.getInlinePolicy(instanceARN: Self.instance, permissionSetARN: Self.readOnlySet)
    }

    @Test func planShowsApplyWritesBothHalvesThenNoChanges() async throws {
        let dbiam = try await prepare()
        let plan = try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"])
        #expect(plan.status == 2, "\(plan.output)")
        #expect(plan.stdout.contains("+ policy DBReadOnly  Identity Center permission set DBReadOnly\n"), "\(plan.stdout)")
        #expect(plan.stdout.contains("+ policy DBOncall  inline policy dbiam-DBOncall of role \(Self.role)\n"))
        #expect(plan.stdout.contains("Plan: 6 to add, 0 to change, 0 to destroy."))
        #expect(try await readOnlyPolicy() == nil, "plan writes nothing to AWS")

        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("policy DBReadOnly: Identity Center permission set DBReadOnly: inline policy written and provisioned"))
        // Access to a new account only once the account exists.
        let created = try #require(apply.stdout.range(of: "CREATE USER 'ssotest'"))
        let written = try #require(apply.stdout.range(of: "policy DBReadOnly:"))
        #expect(created.lowerBound < written.lowerBound)
        let live = try #require(try await readOnlyPolicy())
        #expect(live.contains("dbuser:cluster-LOCALAURORASTANDIN00000000/ssotest"))
        let role = try await client.iam.getRolePolicy(roleName: "dbiam-local-bastion", policyName: "dbiam-DBOncall")
        #expect(role.contains("/oncall_dba\""))

        let again = try dbiam.run(["plan", "local.yaml", "--detailed-exitcode"])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.stdout.contains("= policy DBReadOnly  Identity Center permission set DBReadOnly  (unchanged)"))
    }

    /// The widening policy of a cluster whose database changes failed is not sent.
    @Test func aFailingClusterLeavesItsWideningPolicyUnsent() async throws {
        let users = Self.users.replacingOccurrences(of: "dbiam_test_shop.*", with: "dbiam_test_missing.orders")
        let dbiam = try await prepare(Self.manifest(users: users))
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1, "\(apply.output)")
        #expect(apply.stderr.contains("policy DBReadOnly: not widened to local, whose changes failed"), "\(apply.stderr)")
        #expect(!apply.stdout.contains("policy DBReadOnly: Identity Center"))
        #expect(try await readOnlyPolicy() == nil)
    }

    /// With --json each policy write is an object, after the statements it waits for; a
    /// policy not widened is in the summary.
    @Test func policyWritesAreObjectsWithJSON() async throws {
        let dbiam = try await prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let apply = try dbiam.run(["apply", "--json"])
        #expect(apply.status == 0, "\(apply.output)")
        try JSONOutputTests.expectDBIAMStyle(apply.stdout, "apply --json with policies", lines: true)
        let objects = try apply.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let policies = objects.filter { $0["type"] as? String == "policy" }
        #expect(policies.compactMap { $0["permission_set"] as? String }.sorted() == ["DBOncall", "DBReadOnly"], "\(apply.stdout)")
        #expect(policies.allSatisfy { $0["outcome"] as? String == "ok" && $0["step"] as? String == "after_database" })
        #expect(policies.contains { $0["result"] as? String == "Identity Center permission set DBReadOnly: inline policy written and provisioned" })
        let lastStatement = try #require(objects.lastIndex { $0["type"] as? String == "statement" })
        #expect(objects.firstIndex { $0["type"] as? String == "policy" }.map { $0 > lastStatement } == true)
        #expect(objects.last?["policies_written"] as? Int == 2)

        let users = Self.users.replacingOccurrences(of: "dbiam_test_shop.*", with: "dbiam_test_missing.orders")
        let failing = try await prepare(Self.manifest(users: users))
        #expect(try failing.run(["plan", "local.yaml"]).status == 0)
        let failed = try failing.run(["apply", "--json"])
        #expect(failed.status == 1, "\(failed.output)")
        let lastLine = try #require(failed.stdout.split(separator: "\n").last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        #expect(summary["outcome"] as? String == "failed")
        let notWidened = try #require(summary["not_widened"] as? [[String: Any]])
        #expect(notWidened.contains { $0["permission_set"] as? String == "DBReadOnly" && $0["clusters"] as? [String] == ["local"] }, "\(summary)")
        #expect(failed.stderr.contains("policy DBReadOnly: not widened to local, whose changes failed"), "\(failed.stderr)")
    }

    @Test func iamAuthenticationOffFailsThePlanWithTheFix() async throws {
        let dbiam = try await prepare(Self.manifest(resourceID: "cluster-LOCALAURORANOIAM0000000000"))
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("aws rds modify-db-cluster --db-cluster-identifier local-aurora-noiam --enable-iam-database-authentication --apply-immediately"), "\(plan.stderr)")
        #expect(plan.stdout.contains("it cannot be applied: RDS shows that local cannot work as the manifest says"))
        #expect(try dbiam.run(["apply"]).status == 1)
        #expect(try await readOnlyPolicy() == nil)
    }

    @Test func aPolicyChangedOnAWSAfterThePlanIsRefused() async throws {
        let dbiam = try await prepare()
        #expect(try dbiam.run(["plan", "local.yaml"]).status == 0)
        let other = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"*"}]}"#
        try await client.identityCenter.putInlinePolicy(instanceARN: Self.instance, permissionSetARN: Self.readOnlySet, document: other)
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("permission set DBReadOnly: its policy on AWS (Identity Center permission set DBReadOnly) changed since the plan was made"), "\(apply.stderr)")
        #expect(try await readOnlyPolicy() == other, "nothing was written")
        let accounts = try LocalServer.connect().rows("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'ssotest'").rows
        #expect(accounts.map(Array.init) == [["0"]], "the database was not changed either")
    }

    /// The doctor checks the AWS half first: the credentials' account, IAM
    /// authentication on the cluster, and whether the attached policy names the user.
    @Test func doctorExplainsTheAWSHalf() async throws {
        var dbiam = try await prepare()
        let before = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(before.status == 1)
        #expect(before.stdout.contains("  ok      AWS credentials: account 012345678901"), "\(before.stdout)")
        #expect(before.stdout.contains("  ok      RDS: IAM database authentication: on for local-aurora (cluster-LOCALAURORASTANDIN00000000)"))
        #expect(before.stdout.contains("  FAILED  policy of Identity Center permission set DBReadOnly: there is no such policy"))
        #expect(try dbiam.run(["apply", "local.yaml", "--auto-approve"]).status == 0)
        let after = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(after.stdout.contains("  ok      policy of Identity Center permission set DBReadOnly: allows rds-db:connect on arn:aws:rds-db:ap-northeast-1:012345678901:dbuser:cluster-LOCALAURORASTANDIN00000000/ssotest"), "\(after.stdout)")
        #expect(after.status == 0, "\(after.output)")
        dbiam.environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let offline = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(offline.stdout.contains("  note    AWS credentials: AWS could not be asked"), "\(offline.stdout)")
        #expect(!offline.stdout.contains("RDS:"))
    }

    /// dbiam creates no permission sets and no roles: a missing one fails the plan at
    /// its line of the manifest.
    @Test func aMissingPermissionSetOrRoleFailsThePlanAtItsLine() async throws {
        let text = Self.manifest()
            .replacingOccurrences(of: "  DBReadOnly:\n", with: "  DBNoSuch:\n")
            .replacingOccurrences(of: "dbiam-local-bastion", with: "dbiam-no-such-role")
        let dbiam = try await prepare(text)
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.status == 1)
        let lines = text.components(separatedBy: "\n")
        let line = try #require(lines.firstIndex { $0.hasSuffix("attach: identity_center") })
        let column = lines[line].count - "identity_center".count + 1
        #expect(plan.stderr.contains("local.yaml:\(line + 1):\(column): error: permission set DBNoSuch: IAM Identity Center instance \(Self.instance) has no permission set named DBNoSuch; dbiam does not create permission sets"), "\(plan.stderr)")
        #expect(plan.stderr.contains("error: permission set DBOncall: the role arn:aws:iam::012345678901:role/dbiam-no-such-role does not exist"), "\(plan.stderr)")
        #expect(plan.stdout.contains("it cannot be applied: the policies of DBNoSuch, DBOncall could not be read"))
    }

    /// Credentials of another account cannot read the cluster's RDS: its checks are
    /// skipped with a note, and the plan goes on.
    @Test func credentialsOfAnotherAccountSkipTheRDSChecks() async throws {
        var dbiam = try await prepare()
        dbiam.useTestCredentials(("AKIAOTHERACCOUNT0001", "other-account-secret-0001-not-an-aws-secret"))
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stderr.contains("note: RDS checks of cluster local skipped: the AWS credentials are for account 999988887777, not 012345678901"), "\(plan.stderr)")
    }

    @Test func awsOutOfReachFailsThePlan() async throws {
        var dbiam = try await prepare()
        dbiam.environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let plan = try dbiam.run(["plan", "local.yaml", "--timeout", "5"])
        #expect(plan.status == 1)
        #expect(plan.stderr.contains("error: cannot check cluster local on RDS: STS GetCallerIdentity could not reach http://127.0.0.1:1/"), "\(plan.stderr)")
        #expect(plan.stdout.contains("it cannot be applied"))
    }

    @Test func noAWSReadsNothingOfAWS() async throws {
        var dbiam = try await prepare()
        dbiam.environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let plan = try dbiam.run(["plan", "local.yaml", "--no-aws"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(!plan.stdout.contains("+ policy"))
        #expect(try dbiam.run(["plan", "local.yaml", "--offline", "--aws"]).stderr.contains("give --aws or --offline, not both"))
    }
}

/// `dbiam discover` against the local AWS stand-in.
struct DiscoverCommandTests {
    @Test func listsTheAccountsClustersWithTheirResourceIds() throws {
        try LocalAWS.requireRunning()
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials()
        dbiam.environment["AWS_ENDPOINT_URL"] = LocalAWS.endpoint
        let all = try dbiam.run(["discover", "--region", "ap-northeast-1"])
        #expect(all.status == 0, "\(all.output)")
        #expect(all.stdout.contains("  local-aurora:  # IAM database authentication: on\n"))
        #expect(all.stdout.contains("    resource_id: cluster-LOCALAURORASTANDIN00000000\n"))
        #expect(all.stdout.contains("aws rds modify-db-cluster --db-cluster-identifier local-aurora-noiam --enable-iam-database-authentication"))
        let mysql = try dbiam.run(["discover", "--region", "ap-northeast-1", "--engine", "mysql"])
        #expect(mysql.stdout.contains("  local-mysql:") && !mysql.stdout.contains("local-aurora"))
        let bad = try dbiam.run(["discover", "--region", "tokyo"])
        #expect(bad.status == 64 && bad.stderr.contains("--region 'tokyo' is not an AWS region name"))
        dbiam.environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let unreachable = try dbiam.run(["discover", "--region", "ap-northeast-1", "--timeout", "2"])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("could not reach http://127.0.0.1:1/"), "\(unreachable.stderr)")
    }
}

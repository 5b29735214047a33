import DBIAMTestSupport
import Foundation
import Testing

/// `-v/--verbose`: every round trip to a cluster and every AWS call on stderr with its
/// time, on every command that talks to a server or AWS, and never a secret.
@Suite(.serialized)
struct VerboseTests {
    static let users = "  ssotest:\n    clusters: [local]\n    grants:\n      - on: dbiam_test_shop.*\n        privileges: [SELECT]\n"

    /// `line` (a regular expression, from the start of a line) appears in `text`.
    func hasLine(_ text: String, _ line: String) -> Bool {
        text.range(of: "(^|\n)" + line + "\n", options: .regularExpression) != nil
    }

    static let milliseconds = #"[0-9]+(\.[0-9])? ms"#

    @Test func everyRoundTripAndAWSCallIsTimedAndNoSecretShows() throws {
        try LocalAWS.requireRunning()
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let port = LocalServer.port, ms = Self.milliseconds
        // moto takes any secret key and session token; the server checks tokens, so the
        // IAM admin's run signs with the stand-in's test key.
        let secretKey = "verbose-secret-key-\(UUID().uuidString)", sessionToken = "verbose-session-token-\(UUID().uuidString)"
        var dbiam = try DBIAMProcess()
        dbiam.environment["AWS_ACCESS_KEY_ID"] = LocalServer.testKey.id
        dbiam.environment["AWS_SECRET_ACCESS_KEY"] = secretKey
        dbiam.environment["AWS_SESSION_TOKEN"] = sessionToken
        dbiam.environment["AWS_ENDPOINT_URL"] = LocalAWS.endpoint
        try dbiam.write(LocalServer.manifestText(users: Self.users), to: "local.yaml")
        try dbiam.write(LocalServer.manifestText(users: Self.users, iamAdmin: true), to: "iam.yaml")

        let quiet = try dbiam.run(["plan", "local.yaml", "--aws"])
        #expect(quiet.status == 0, "\(quiet.output)")
        #expect(!quiet.stderr.contains("round trip") && !quiet.stderr.contains("dbiam: AWS"), "only with -v: \(quiet.stderr)")

        let plan = try dbiam.run(["plan", "local.yaml", "--aws", "-v"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(hasLine(plan.stderr, "dbiam: cluster local: log in to 127\\.0\\.0\\.1:\(port) as dbiam_admin: \(ms)"), "\(plan.stderr)")
        #expect(hasLine(plan.stderr, "dbiam: cluster local: round trip 1 \\(read the grant tables\\): \(ms)"), "\(plan.stderr)")
        #expect(hasLine(plan.stderr, "dbiam: AWS sts GetCallerIdentity \\(ap-northeast-1\\): 200 in \(ms)"), "\(plan.stderr)")
        #expect(hasLine(plan.stderr, "dbiam: AWS rds DescribeDBClusters \\(ap-northeast-1\\): 200 in \(ms)"), "\(plan.stderr)")

        let apply = try dbiam.run(["apply", "--verbose"])
        #expect(apply.status == 0, "\(apply.output)")
        for purpose in ["take the apply lock", "read the grant tables under the apply lock", "apply 2 statements", "release the apply lock"] {
            #expect(hasLine(apply.stderr, "dbiam: cluster local: round trip [0-9]+ \\(\(purpose)\\): \(ms)"), "\(purpose): \(apply.stderr)")
        }
        #expect(hasLine(apply.stderr, "dbiam: AWS rds DescribeDBInstances \\(ap-northeast-1\\): 200 in \(ms)"), "\(apply.stderr)")

        let importing = try dbiam.run(["import", "local.yaml", "--cluster", "local", "-v"])
        #expect(importing.status == 0, "\(importing.output)")
        #expect(hasLine(importing.stderr, "dbiam: cluster local: round trip 1 \\(read the grant tables\\): \(ms)"), "\(importing.stderr)")

        let discover = try dbiam.run(["discover", "--region", "ap-northeast-1", "-v"])
        #expect(discover.status == 0, "\(discover.output)")
        #expect(hasLine(discover.stderr, "dbiam: AWS rds DescribeDBClusters \\(ap-northeast-1\\): 200 in \(ms)"), "\(discover.stderr)")

        let token = try dbiam.run(["token", "local.yaml", "--cluster", "local", "--user", "ssotest", "-v"])
        #expect(token.status == 0, "\(token.output)")
        #expect(hasLine(token.stderr, "dbiam: AWS sts GetCallerIdentity \\(ap-northeast-1\\): 200 in \(ms)"), "\(token.stderr)")

        // A server that refuses a round trip: the failure is timed too.
        let unreachable = try ClosedPort.reserve()
        try dbiam.write(LocalServer.manifestWithAnUnreachableCluster(port: unreachable), to: "down.yaml")
        let down = try dbiam.run(["plan", "down.yaml", "-v", "--cluster", "down"])
        #expect(down.status == 1)
        #expect(hasLine(down.stderr, "dbiam: cluster down: log in to 127\\.0\\.0\\.1:\(unreachable) as dbiam_admin: failed after \(ms)"), "\(down.stderr)")

        var iam = dbiam
        iam.environment["AWS_SECRET_ACCESS_KEY"] = LocalServer.testKey.secret
        iam.environment["AWS_SESSION_TOKEN"] = nil
        let iamPlan = try iam.run(["plan", "iam.yaml", "-v"])
        #expect(iamPlan.status == 0, "\(iamPlan.output)")
        #expect(hasLine(iamPlan.stderr, "dbiam: cluster local: log in to 127\\.0\\.0\\.1:\(port) as dbiam_iam_admin: \(ms)"), "\(iamPlan.stderr)")
        let doctor = try iam.run(["doctor", "iam.yaml", "--cluster", "local", "-v"])
        #expect(hasLine(doctor.stderr, "dbiam: cluster local: log in to 127\\.0\\.0\\.1:\(port) as dbiam_iam_admin: \(ms)"), "\(doctor.stderr)")
        #expect(hasLine(doctor.stderr, "dbiam: AWS sts GetCallerIdentity \\(ap-northeast-1\\): 200 in \(ms)"), "\(doctor.stderr)")
        let connect = try iam.run(["connect", "iam.yaml", "--cluster", "local", "--user", "ssotest", "-v", "--", "-e", "SELECT 1"])
        #expect(connect.status == 0, "\(connect.output)")
        #expect(hasLine(connect.stderr, "dbiam: AWS sts GetCallerIdentity \\(ap-northeast-1\\): 200 in \(ms)"), "\(connect.stderr)")

        // `dbiam token` prints its token on stdout by design (its capture file is left out
        // with the others, whose text is searched as each run's output); all else is searched.
        let files = dbiam.writtenFiles().filter { !$0.path.contains("/.capture-") && !$0.path.hasSuffix(".yaml") }
        let shown = [plan, apply, importing, discover, down, iamPlan, doctor, connect].map(\.output) + [token.stderr] + files.map(\.content)
        #expect(files.contains { $0.path.hasSuffix("/plan.json") })
        for text in shown {
            for secret in [secretKey, sessionToken, LocalServer.testKey.secret, LocalServer.adminPassword] {
                #expect(!text.contains(secret), "a secret leaked: \(text.prefix(300))")
            }
            for signed in ["X-Amz-Signature", "X-Amz-Security-Token", "Signature=", "Authorization", "AWS4-HMAC-SHA256", "Credential="] {
                #expect(!text.contains(signed), "\(signed) shown: \(text.prefix(300))")
            }
        }
        try LocalServer.reset(connection)
    }
}

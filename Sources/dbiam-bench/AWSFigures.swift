import AWSAPI
import AWSAuth
import Foundation

/// The AWS half of a plan: 20 clusters and 20 permission sets attached to IAM Identity
/// Center, on the local AWS stand-in (moto), against the same plan with `--no-aws`; and
/// how many AWS calls that plan makes, counted in the stand-in's request log, against
/// one per cluster and per set (a plan that looked every set up one by one would make
/// a number of calls that grows with the square of the sets).
enum AWSFigures {
    static let clusterCount = 20
    static let setCount = 20
    static let instanceARN = "arn:aws:sso:::instance/ssoins-localstandin0000"
    /// The AWS stand-in's test key (any key works with moto).
    static let credentials = AWSCredentials(
        accessKeyID: "AKIALOCALTEST0000001", secretAccessKey: "local-test-secret-0001-not-an-aws-secret", source: "dbiam-bench")

    static func measure(_ run: BenchRun) async throws(BenchError) -> [Figure] {
        guard let endpoint = run.environment["AWS_ENDPOINT_URL"], let port = URLComponents(string: endpoint)?.port else {
            throw .failed("the AWS figures need the local AWS stand-in: run make bench, which starts it (AWS_ENDPOINT_URL is not set)")
        }
        // aws-standin/config.sh: the stand-in logs each request it answers here.
        let requestLog = ".local/aws/moto-\(port).log"
        let client = AWSClient(
            region: "ap-northeast-1", credentials: .fixed(credentials),
            endpoints: AWSEndpointResolver(environment: ["AWS_ENDPOINT_URL": endpoint]))
        run.progress("aws: \(clusterCount) clusters and \(setCount) permission sets on the AWS stand-in, \(run.runs) runs")
        let made: Made
        do throws(AWSError) {
            made = try await make(client)
        } catch {
            throw .failed("could not prepare the AWS stand-in: \(error)")
        }
        do {
            let figures = try measure(made, run, requestLog: requestLog)
            await remove(made, client)
            return figures
        } catch {
            await remove(made, client)
            throw error
        }
    }

    private static func measure(_ made: Made, _ run: BenchRun, requestLog: String) throws(BenchError) -> [Figure] {
        // Each cluster at a port of its own, without delay: one host and port is one server
        // to the RDS check, and 127.0.0.1:33306 is the stand-in's local-aurora.
        let proxy = try LatencyProxy.start(run, listeners: made.clusters.count, oneWayDelayMilliseconds: 0)
        defer { proxy.stop(run) }
        let file = try run.write(manifest(made, ports: proxy.ports, run), to: "aws-\(clusterCount).yaml")
        var environment = run.environment
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        var withAWS: [Double] = [], withoutAWS: [Double] = []
        var calls = 0
        for index in 0..<run.runs {
            let before = requests(in: requestLog)
            withAWS.append(try plan(file, ["--aws"], environment, run, log: "aws-plan-\(index)"))
            calls = requests(in: requestLog) - before
            guard calls > 0 else { throw .failed("the AWS stand-in logged no request of dbiam plan --aws; is \(requestLog) its log?") }
            withoutAWS.append(try plan(file, ["--no-aws"], environment, run, log: "aws-noaws-\(index)"))
        }
        let method = "median of \(run.runs)"
        return [
            Figure(
                "plan \(clusterCount) clusters + \(setCount) attached sets vs --no-aws", reference: "the same plan without AWS", unit: .seconds,
                dbiam: Timing.median(withAWS), reference: Timing.median(withoutAWS), method: method),
            Figure(
                "AWS calls of that plan vs clusters + sets", reference: "one call per cluster and per set", unit: .roundTrips,
                dbiam: Double(calls), reference: Double(clusterCount + setCount), method: "counted in the stand-in's log", detail: true),
        ]
    }

    struct Made {
        var clusters: [(name: String, resourceID: String)]
        var permissionSets: [(name: String, arn: String)]
    }

    private struct CreatedPermissionSet: Decodable {
        struct Set: Decodable { var PermissionSetArn: String }
        var PermissionSet: Set
    }

    private static func make(_ client: AWSClient) async throws(AWSError) -> Made {
        var made = Made(clusters: [], permissionSets: [])
        for index in 1...clusterCount {
            let name = "bench-aws-\(pad(index, 2))"
            _ = try await client.query(.rds, action: "CreateDBCluster", parameters: [
                ("DBClusterIdentifier", name), ("Engine", "aurora-mysql"), ("EngineVersion", "8.0.mysql_aurora.3.08.2"),
                ("MasterUsername", "admin"), ("MasterUserPassword", "bench-password-1"), ("EnableIAMDatabaseAuthentication", "true"),
            ])
            guard let cluster = try await client.rds.describeDBClusters(identifier: name).first else { continue }
            made.clusters.append((name, cluster.resourceID))
        }
        let center = client.inRegion("us-east-1")
        for index in 1...setCount {
            let name = "BenchSet\(pad(index, 2))"
            let created = try await center.json(
                .ssoAdmin, operation: "CreatePermissionSet", input: ["InstanceArn": instanceARN, "Name": name], as: CreatedPermissionSet.self)
            made.permissionSets.append((name, created.PermissionSet.PermissionSetArn))
        }
        return made
    }

    private static func remove(_ made: Made, _ client: AWSClient) async {
        for cluster in made.clusters {
            _ = try? await client.query(.rds, action: "DeleteDBCluster", parameters: [("DBClusterIdentifier", cluster.name), ("SkipFinalSnapshot", "true")])
        }
        let center = client.inRegion("us-east-1")
        for set in made.permissionSets {
            _ = try? await center.json(
                .ssoAdmin, operation: "DeletePermissionSet", input: ["InstanceArn": instanceARN, "PermissionSetArn": set.arn], as: CreatedNothing.self)
        }
    }

    private struct CreatedNothing: Decodable {}

    private static func manifest(_ made: Made, ports: [Int], _ run: BenchRun) -> String {
        let options = run.server.options
        var text = "# Generated by dbiam-bench.\nversion: 1\naws:\n  identity_center:\n    instance_arn: \(instanceARN)\n    region: us-east-1\n\nclusters:\n"
        for (cluster, port) in zip(made.clusters, ports) {
            text += """
                  \(cluster.name):
                    account: "012345678901"
                    region: ap-northeast-1
                    resource_id: \(cluster.resourceID)
                    endpoint: \(options.host)
                    port: \(port)
                    engine: mariadb
                    tls_ca: \(run.caFile)
                    admin:
                      user: dbiam_admin
                      password_env: DBIAM_LOCAL_ADMIN_PASSWORD

                """
        }
        text += "\nusers:\n"
        for (index, cluster) in made.clusters.enumerated() {
            text += "  \(BenchServer.userPrefix)a\(pad(index + 1, 2)):\n    clusters: [\(cluster.name)]\n    grants: []\n"
        }
        text += "\npermission_sets:\n"
        for (index, set) in made.permissionSets.enumerated() {
            text += "  \(set.name):\n    users: [\(BenchServer.userPrefix)a\(pad(index % made.clusters.count + 1, 2))]\n    attach: identity_center\n"
        }
        return text
    }

    private static func plan(_ file: String, _ flags: [String], _ environment: [String: String], _ run: BenchRun, log: String) throws(BenchError) -> Double {
        let child = ChildProcess(
            executable: run.programs.dbiam, arguments: ["plan", file, "--out-dir", run.path("out-aws")] + flags, environment: environment,
            output: run.path("\(log).out"), errors: run.path("\(log).err"))
        return try run.measure(child, what: "dbiam plan \(flags.joined(separator: " ")) of \(clusterCount) clusters").seconds
    }

    /// The requests the stand-in has logged (one line each).
    private static func requests(in log: String) -> Int {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").count { $0.contains("\"POST /") || $0.contains("\"GET /") }
    }
}

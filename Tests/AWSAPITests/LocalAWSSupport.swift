import AWSAPI
import AWSAuth
import DBIAMTestSupport
import Foundation

/// Clients of the local AWS stand-in, and the calls that create what the tests read.
/// The seeding operations are here, not in AWSAPI: dbiam itself never creates them.
enum Stand {
    /// A client of the stand-in; fails the test (never skips it) when moto is not running.
    static func client(region: String = LocalAWS.region, timeout: Duration = .seconds(20)) throws -> AWSClient {
        try LocalAWS.requireRunning()
        return AWSClient(
            region: region, credentials: .fixed(LocalAWS.credentials),
            endpoints: AWSEndpointResolver(environment: LocalAWS.clientEnvironment), timeout: timeout)
    }

    /// An Aurora MySQL cluster with IAM database authentication on; returns its identifier.
    @discardableResult
    static func createCluster(_ client: AWSClient, name: String, iamAuthentication: Bool = true) async throws -> String {
        _ = try await client.query(
            .rds, action: "CreateDBCluster",
            parameters: [
                ("DBClusterIdentifier", name), ("Engine", "aurora-mysql"), ("EngineVersion", "8.0.mysql_aurora.3.05.2"),
                ("MasterUsername", "admin"), ("MasterUserPassword", "local-password-0001"),
                ("EnableIAMDatabaseAuthentication", iamAuthentication ? "true" : "false"),
            ])
        return name
    }

    static func createInstance(_ client: AWSClient, name: String, cluster: String) async throws {
        _ = try await client.query(
            .rds, action: "CreateDBInstance",
            parameters: [
                ("DBInstanceIdentifier", name), ("DBInstanceClass", "db.r6g.large"), ("Engine", "aurora-mysql"),
                ("DBClusterIdentifier", cluster),
            ])
    }

    static func createRole(_ client: AWSClient, name: String) async throws {
        let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#
        _ = try await client.query(.iam, action: "CreateRole", parameters: [("RoleName", name), ("AssumeRolePolicyDocument", trust)])
    }

    /// moto's one Identity Center instance.
    static func instanceARN(_ client: AWSClient) async throws -> String {
        let instances = try await client.identityCenter.listInstances()
        guard let instance = instances.first else { throw StandInGap(problem: "moto lists no Identity Center instance") }
        return instance.instanceARN
    }

    /// A permission set; returns its ARN.
    static func createPermissionSet(_ client: AWSClient, instanceARN: String, name: String) async throws -> String {
        struct Input: Encodable {
            var InstanceArn: String
            var Name: String
            var Description = "made by AWSAPITests"
        }
        struct Answer: Decodable {
            struct Created: Decodable { var PermissionSetArn: String }
            var PermissionSet: Created
        }
        return try await client.json(
            .ssoAdmin, operation: "CreatePermissionSet", input: Input(InstanceArn: instanceARN, Name: name), as: Answer.self
        ).PermissionSet.PermissionSetArn
    }

    struct StandInGap: Error, CustomStringConvertible {
        var problem: String
        var description: String { problem }
    }
}

/// A policy document that names `user` on `resource`, as dbiam writes them.
func connectPolicy(user: String, resource: String = "cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0") -> String {
    """
    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect",\
    "Resource":"arn:aws:rds-db:ap-northeast-1:012345678901:dbuser:\(resource)/\(user)"}]}
    """
}

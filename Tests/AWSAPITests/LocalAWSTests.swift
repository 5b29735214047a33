import AWSAPI
import AWSAuth
import DBIAMTestSupport
import Foundation
import Testing

/// The operations against moto's server over HTTP, each test making what it reads.
@Suite struct STSAndOrganizationsTests {
    @Test func callerIdentityIsTheStandInsAccount() async throws {
        let identity = try await Stand.client().sts.getCallerIdentity()
        #expect(identity.account == LocalAWS.account)
        #expect(identity.arn.hasPrefix("arn:aws:"))
        #expect(identity.arn.contains(LocalAWS.account))
        #expect(!identity.userID.isEmpty)
    }

    @Test func describeOrganizationAfterOneIsCreated() async throws {
        let client = try Stand.client(region: "us-east-1")
        struct Input: Encodable { var FeatureSet = "ALL" }
        struct Ignored: Decodable {}
        do {
            _ = try await client.json(.organizations, operation: "CreateOrganization", input: Input(), as: Ignored.self)
        } catch {
            // An earlier run may have made it; moto keeps one organization per account.
            guard error.code == "AlreadyInOrganizationException" else { throw error }
        }
        let organization = try await client.organizations.describeOrganization()
        #expect(organization.id.hasPrefix("o-"))
        #expect(organization.arn.contains(organization.id))
        #expect(organization.managementAccountID == LocalAWS.account)
    }
}

@Suite struct RDSTests {
    @Test func clusterAndInstanceFieldsAreRead() async throws {
        let client = try Stand.client()
        let name = LocalAWS.uniqueName("awsapi-cluster")
        try await Stand.createCluster(client, name: name)
        try await Stand.createInstance(client, name: name + "-1", cluster: name)

        let cluster = try #require(try await client.rds.describeDBClusters(identifier: name).first)
        #expect(cluster.identifier == name)
        #expect(cluster.resourceID.hasPrefix("cluster-"))
        #expect(cluster.engine == "aurora-mysql")
        #expect(cluster.engineVersion == "8.0.mysql_aurora.3.05.2")
        #expect(cluster.endpoint?.hasPrefix(name + ".cluster-") == true)
        #expect(cluster.readerEndpoint?.hasPrefix(name + ".cluster-ro-") == true)
        #expect(cluster.port == 3306)
        #expect(cluster.iamDatabaseAuthenticationEnabled)
        #expect(cluster.members == [DBCluster.Member(instanceIdentifier: name + "-1", isWriter: true)])

        let instance = try #require(try await client.rds.describeDBInstances(identifier: name + "-1").first)
        #expect(instance.identifier == name + "-1")
        #expect(instance.resourceID.hasPrefix("db-"))
        #expect(instance.engine == "aurora-mysql")
        #expect(instance.clusterIdentifier == name)
        #expect(instance.endpointAddress?.hasPrefix(name + "-1.") == true)
        #expect(instance.endpointPort == 3306)

        // Found by resource id, the way dbiam looks clusters up.
        #expect(try await client.rds.cluster(resourceID: cluster.resourceID) == cluster)
        // moto gives every instance the same DbiResourceId, so only the id can be checked here.
        #expect(try await client.rds.instance(resourceID: instance.resourceID)?.resourceID == instance.resourceID)
        #expect(try await client.rds.instance(resourceID: "db-NOSUCHRESOURCEID00000000000") == nil)
        #expect(try await client.rds.cluster(resourceID: "cluster-NOSUCHRESOURCEID000000000") == nil)
    }

    @Test func iamAuthenticationOffIsReported() async throws {
        let client = try Stand.client()
        let name = try await Stand.createCluster(client, name: LocalAWS.uniqueName("awsapi-noiam"), iamAuthentication: false)
        let cluster = try #require(try await client.rds.describeDBClusters(identifier: name).first)
        #expect(!cluster.iamDatabaseAuthenticationEnabled)
    }

    @Test func everyPageIsRead() async throws {
        let client = try Stand.client()
        let prefix = LocalAWS.uniqueName("awsapi-page")
        var names: [String] = []
        for index in 0..<5 {
            names.append(try await Stand.createCluster(client, name: "\(prefix)-\(index)"))
        }
        // moto takes page sizes below AWS's minimum of 20, so five clusters span three pages.
        let listed = try await client.rds.describeDBClusters(pageSize: 2).map(\.identifier)
        #expect(Set(names).isSubset(of: Set(listed)))
        #expect(Set(listed).count == listed.count, "no cluster is listed twice")
        let last = try #require(try await client.rds.describeDBClusters(identifier: names[4]).first)
        #expect(try await client.rds.cluster(resourceID: last.resourceID, pageSize: 2)?.identifier == names[4])
    }

    @Test func aMissingClusterIsDBClusterNotFoundFault() async throws {
        let client = try Stand.client()
        let error = await #expect(throws: AWSError.self) {
            try await client.rds.describeDBClusters(identifier: LocalAWS.uniqueName("awsapi-missing"))
        }
        #expect(error?.code == "DBClusterNotFoundFault")
        #expect(error?.service == .rds)
        #expect(error?.httpStatus == 404)
        #expect(error?.attempts == 1, "a 404 is not retried")
    }
}

@Suite struct IAMTests {
    @Test func roleInlinePolicyRoundTrips() async throws {
        let client = try Stand.client()
        let role = LocalAWS.uniqueName("awsapi-role")
        try await Stand.createRole(client, name: role)
        // Characters the URL encoding and the form encoding must both carry.
        let document = connectPolicy(user: "app user+ü%20~/")
        try await client.iam.putRolePolicy(roleName: role, policyName: "dbiam-BastionRole", document: document)

        let read = try await client.iam.getRolePolicy(roleName: role, policyName: "dbiam-BastionRole")
        let expected = try JSONSerialization.jsonObject(with: Data(document.utf8)) as? NSDictionary
        let actual = try JSONSerialization.jsonObject(with: Data(read.utf8)) as? NSDictionary
        #expect(actual == expected)

        try await client.iam.deleteRolePolicy(roleName: role, policyName: "dbiam-BastionRole")
        let gone = await #expect(throws: AWSError.self) {
            try await client.iam.getRolePolicy(roleName: role, policyName: "dbiam-BastionRole")
        }
        #expect(gone?.code == "NoSuchEntity")
    }

    @Test func aMissingRoleIsNoSuchEntityNamingIAMAndTheOperation() async throws {
        let client = try Stand.client()
        let error = await #expect(throws: AWSError.self) {
            try await client.iam.getRolePolicy(roleName: LocalAWS.uniqueName("awsapi-norole"), policyName: "dbiam-X")
        }
        #expect(error?.service == .iam)
        #expect(error?.operation == "GetRolePolicy")
        #expect(error?.code == "NoSuchEntity")
        #expect(error?.httpStatus == 404)
        #expect(error?.requestID?.isEmpty == false)
        #expect(error?.description.hasPrefix("IAM GetRolePolicy failed at \(LocalAWS.endpoint)/: NoSuchEntity (HTTP 404)") == true)
    }
}

@Suite struct IdentityCenterTests {
    @Test func permissionSetInlinePolicyRoundTripsAndProvisions() async throws {
        let client = try Stand.client(region: "us-east-1")
        let instance = try await Stand.instanceARN(client)
        let name = LocalAWS.uniqueName("DBRead")
        let arn = try await Stand.createPermissionSet(client, instanceARN: instance, name: name)

        #expect(try await client.identityCenter.listPermissionSets(instanceARN: instance).contains(arn))
        let described = try await client.identityCenter.describePermissionSet(instanceARN: instance, permissionSetARN: arn)
        #expect(described == PermissionSet(arn: arn, name: name, description: "made by AWSAPITests"))
        #expect(try await client.identityCenter.permissionSet(named: name, instanceARN: instance) == described)
        #expect(try await client.identityCenter.permissionSet(named: name + "-none", instanceARN: instance) == nil)

        #expect(try await client.identityCenter.getInlinePolicy(instanceARN: instance, permissionSetARN: arn) == nil)
        let document = connectPolicy(user: "jürgen")
        try await client.identityCenter.putInlinePolicy(instanceARN: instance, permissionSetARN: arn, document: document)
        #expect(try await client.identityCenter.getInlinePolicy(instanceARN: instance, permissionSetARN: arn) == document)

        // moto has no DescribePermissionSetProvisioningStatus; TransportTests follow the polling.
        let status = try await client.identityCenter.provisionPermissionSet(instanceARN: instance, permissionSetARN: arn)
        #expect(!status.requestID.isEmpty)
        #expect(["IN_PROGRESS", "SUCCEEDED"].contains(status.status))

        try await client.identityCenter.deleteInlinePolicy(instanceARN: instance, permissionSetARN: arn)
        #expect(try await client.identityCenter.getInlinePolicy(instanceARN: instance, permissionSetARN: arn) == nil)
    }

    @Test func listingReadsEveryPage() async throws {
        let client = try Stand.client(region: "us-east-1")
        let instance = try await Stand.instanceARN(client)
        var made: [String] = []
        for index in 0..<3 {
            made.append(try await Stand.createPermissionSet(client, instanceARN: instance, name: LocalAWS.uniqueName("Page\(index)")))
        }
        let listed = try await client.identityCenter.listPermissionSets(instanceARN: instance, pageSize: 1)
        #expect(Set(made).isSubset(of: Set(listed)))
        #expect(Set(listed).count == listed.count)
    }

    @Test func aBadPermissionSetARNIsAnErrorNamingIdentityCenter() async throws {
        let client = try Stand.client(region: "us-east-1")
        let instance = try await Stand.instanceARN(client)
        let missing = instance.replacingOccurrences(of: ":instance/", with: ":permissionSet/") + "/ps-0000000000000000"
        let error = await #expect(throws: AWSError.self) {
            try await client.identityCenter.describePermissionSet(instanceARN: instance, permissionSetARN: missing)
        }
        #expect(error?.service == .ssoAdmin)
        #expect(error?.operation == "DescribePermissionSet")
        #expect(error?.code == "ResourceNotFoundException")
        #expect(error?.description.hasPrefix("IAM Identity Center DescribePermissionSet failed") == true)
    }
}

/// The stand-in behind TLS and a proxy, as AWS is reached from a corporate network:
/// the client trusts the authority AWS_CA_BUNDLE or the profile's `ca_bundle` names and
/// tunnels through HTTPS_PROXY.
@Suite struct TLSAndProxyTests {
    static let certificates = Result { try TestCertificates() }

    func standInBehindTLS() throws -> ScriptServer {
        try LocalAWS.requireRunning()
        let certificate = try Self.certificates.get().localhost
        let target = try #require(URLComponents(string: LocalAWS.endpoint))
        return try ScriptServer(
            script: "http_test_server.py",
            arguments: ["--mode", "forward", "--cert", certificate.certificate, "--key", certificate.key,
                        "--target", "\(target.host ?? "127.0.0.1"):\(target.port ?? 45130)"])
    }

    func environment(endpointPort: Int, _ extra: [String: String]) -> [String: String] {
        LocalAWS.clientEnvironment.merging(extra) { $1 }.merging([
            "AWS_ENDPOINT_URL": "https://localhost:\(endpointPort)",
            "AWS_ACCESS_KEY_ID": LocalAWS.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": LocalAWS.credentials.secretAccessKey,
        ]) { $1 }
    }

    @Test func callsTunnelThroughTheProxyToAServerTheBundleVouchesFor() async throws {
        let standIn = try standInBehindTLS()
        let proxy = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "proxy"])
        let client = try AWSClient.configured(
            region: LocalAWS.region,
            environment: environment(endpointPort: standIn.port, [
                "AWS_CA_BUNDLE": try Self.certificates.get().caFile, "HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)",
            ]))
        let identity = try await client.sts.getCallerIdentity()
        #expect(identity.account == LocalAWS.account)
        _ = try await client.rds.describeDBClusters()
        // moto closes every connection, so each call opens its own tunnel.
        #expect(proxy.recordedLines == Array(repeating: "CONNECT localhost:\(standIn.port) HTTP/1.1 auth=None", count: 2))
    }

    @Test func theProfilesCABundleIsTrustedAndWithoutOneNothingIsSent() async throws {
        let standIn = try standInBehindTLS()
        let folder = try Self.certificates.get().folder
        let config = folder.appendingPathComponent("config-\(UUID().uuidString)")
        try "[default]\nca_bundle = \(try Self.certificates.get().caFile)\n".write(to: config, atomically: true, encoding: .utf8)
        let viaProfile = try AWSClient.configured(
            region: LocalAWS.region, environment: environment(endpointPort: standIn.port, ["AWS_CONFIG_FILE": config.path]))
        #expect(try await viaProfile.sts.getCallerIdentity().account == LocalAWS.account)

        let untrusting = try AWSClient.configured(region: LocalAWS.region, environment: environment(endpointPort: standIn.port, [:]))
        let error = await #expect(throws: AWSError.self) { try await untrusting.sts.getCallerIdentity() }
        #expect(error?.attempts == 1, "a certificate that is not trusted is not retried")
        #expect(error?.description.contains("TLS certificate of localhost is not trusted") == true, "\(String(describing: error))")
        #expect(error?.description.contains("AWS_CA_BUNDLE") == true)
    }
}

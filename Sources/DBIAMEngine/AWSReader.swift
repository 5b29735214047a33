import AWSAPI
import DBIAMCore

/// Reads the AWS half a plan depends on: what RDS lists in each cluster's account and
/// region, and the inline policies of the permission sets with `attach`. Calls run in
/// parallel, each bounded by the clients' timeout; a failure becomes a reading that
/// says why, for the core to decide on (`RDSCheck`, `LivePolicy`).
public struct AWSReader: Sendable {
    /// A client for a region, with the credentials of a profile (nil: the default chain).
    public var client: @Sendable (_ region: String, _ profile: String?) throws(AWSConfigurationError) -> AWSClient
    /// The profile of the command line (`--profile`), for clusters without `aws_profile`.
    public var defaultProfile: String?

    public init(
        defaultProfile: String?, client: @escaping @Sendable (_ region: String, _ profile: String?) throws(AWSConfigurationError) -> AWSClient
    ) {
        self.defaultProfile = defaultProfile
        self.client = client
    }

    /// Clients as the AWS CLI makes them for `--profile`: credentials from the chain,
    /// endpoints from AWS_ENDPOINT_URL* and the profile, each call within `timeout`;
    /// `trace` hears of every attempt (`-v`).
    public static func configured(
        defaultProfile: String?, timeout: Duration, trace: (@Sendable (AWSCallAttempt) -> Void)? = nil
    ) -> AWSReader {
        AWSReader(defaultProfile: defaultProfile) { region, profile throws(AWSConfigurationError) in
            var client = try AWSClient.configured(region: region, profile: profile, timeout: timeout)
            client.trace = trace
            return client
        }
    }

    public func read(_ manifest: Manifest, clusters: [Cluster]) async -> AWSState {
        async let rds = readRDS(clusters)
        async let policies = readPolicies(manifest)
        return AWSState(clusters: await rds, policies: await policies)
    }

    // MARK: - RDS

    /// One caller identity per profile and one listing per profile and region, however
    /// many clusters share them.
    private func readRDS(_ clusters: [Cluster]) async -> [String: RDSReading] {
        struct Place: Hashable {
            var profile: String?
            var region: String
        }
        var places: [Place] = []
        for cluster in clusters {
            let place = Place(profile: cluster.awsProfile ?? defaultProfile, region: cluster.region)
            if !places.contains(place) { places.append(place) }
        }
        let listings = await withTaskGroup(of: (Place, Result<(String, [RDSResource]), AWSError>).self) { group in
            for place in places {
                group.addTask { (place, await self.list(region: place.region, profile: place.profile)) }
            }
            var listings: [Place: Result<(String, [RDSResource]), AWSError>] = [:]
            for await (place, result) in group { listings[place] = result }
            return listings
        }
        var readings: [String: RDSReading] = [:]
        for cluster in clusters {
            switch listings[Place(profile: cluster.awsProfile ?? defaultProfile, region: cluster.region)] {
            case .success(let (account, resources))?:
                readings[cluster.name] = account == cluster.account ? .listed(resources) : .otherAccount(credentials: account)
            case .failure(let error)?:
                readings[cluster.name] = .failed("\(error)")
            case nil:
                readings[cluster.name] = .failed("RDS was not read")
            }
        }
        return readings
    }

    /// The account of the credentials and every cluster and stand-alone instance of the
    /// region: what `dbiam discover` shows.
    public func discover(region: String, profile: String?) async throws(AWSError) -> (account: String, resources: [RDSResource]) {
        try await list(region: region, profile: profile).get()
    }

    /// The account of the credentials and every cluster and stand-alone instance of the
    /// region, as the core's `RDSResource`.
    private func list(region: String, profile: String?) async -> Result<(String, [RDSResource]), AWSError> {
        do throws(AWSError) {
            let client = try PolicyTarget.client(self, region: region, profile: profile, service: .rds)
            let account = try await client.sts.getCallerIdentity().account
            return .success((account, try await resources(of: client)))
        } catch {
            return .failure(error)
        }
    }

    /// Every cluster and stand-alone instance the client's region lists, for a caller whose
    /// account is known already.
    public func resources(region: String, profile: String?) async throws(AWSError) -> [RDSResource] {
        try await resources(of: PolicyTarget.client(self, region: region, profile: profile, service: .rds))
    }

    private func resources(of client: AWSClient) async throws(AWSError) -> [RDSResource] {
        let clusters = try await client.rds.describeDBClusters()
        let instances = try await client.rds.describeDBInstances()
        return Self.resources(clusters: clusters, instances: instances)
    }

    static func resources(clusters: [DBCluster], instances: [DBInstance]) -> [RDSResource] {
        let addresses = Dictionary(instances.compactMap { instance in instance.endpointAddress.map { (instance.identifier, $0) } }, uniquingKeysWith: { first, _ in first })
        var resources = clusters.map { cluster in
            let writers = cluster.members.filter(\.isWriter).compactMap { addresses[$0.instanceIdentifier] }
            let readers = cluster.members.filter { !$0.isWriter }.compactMap { addresses[$0.instanceIdentifier] }
            return RDSResource(
                kind: .cluster, identifier: cluster.identifier, resourceID: cluster.resourceID, engine: cluster.engine,
                engineVersion: cluster.engineVersion, iamDatabaseAuthentication: cluster.iamDatabaseAuthenticationEnabled,
                writerEndpoints: [cluster.endpoint].compactMap { $0 } + writers,
                readerEndpoints: [cluster.readerEndpoint].compactMap { $0 } + readers, port: cluster.port)
        }
        // Aurora's instances log in with the cluster's resource id: only stand-alone ones are resources of their own.
        for instance in instances where instance.clusterIdentifier == nil {
            resources.append(RDSResource(
                kind: .instance, identifier: instance.identifier, resourceID: instance.resourceID, engine: instance.engine,
                engineVersion: instance.engineVersion, iamDatabaseAuthentication: instance.iamDatabaseAuthenticationEnabled,
                writerEndpoints: [instance.endpointAddress].compactMap { $0 }, port: instance.endpointPort))
        }
        return resources
    }

    // MARK: - Policies

    /// Permission sets are found by name once for all of them (one list, one describe
    /// each, a few at a time), not once per set: that would be quadratic in calls.
    private func readPolicies(_ manifest: Manifest) async -> [String: PolicyReading] {
        let attached = manifest.permissionSets.filter { $0.attachment != .none }
        guard !attached.isEmpty else { return [:] }
        var arns: Result<[String: String], AWSError>?
        if attached.contains(where: { $0.attachment == .identityCenter }) {
            do throws(AWSError) {
                arns = .success(try await permissionSetARNs(manifest))
            } catch {
                arns = .failure(error)
            }
        }
        let found = arns
        return await withTaskGroup(of: (String, PolicyReading).self) { group in
            for permissionSet in attached {
                group.addTask { (permissionSet.name, await self.readPolicy(permissionSet, manifest: manifest, permissionSetARNs: found)) }
            }
            var readings: [String: PolicyReading] = [:]
            for await (name, reading) in group { readings[name] = reading }
            return readings
        }
    }

    /// The ARNs of the instance's permission sets, by name.
    private func permissionSetARNs(_ manifest: Manifest) async throws(AWSError) -> [String: String] {
        guard let center = manifest.aws.identityCenter else { return [:] }
        let client = try PolicyTarget.client(self, region: center.region, profile: manifest.aws.profile, service: .ssoAdmin)
        let all = try await client.identityCenter.listPermissionSets(instanceARN: center.instanceARN)
        var byName: [String: String] = [:]
        for start in stride(from: 0, to: all.count, by: Self.describesAtOnce) {
            let chunk = all[start..<min(start + Self.describesAtOnce, all.count)]
            let described = await withTaskGroup(of: Result<AWSAPI.PermissionSet, AWSError>.self) { group in
                for arn in chunk {
                    group.addTask {
                        do throws(AWSError) {
                            return .success(try await client.identityCenter.describePermissionSet(instanceARN: center.instanceARN, permissionSetARN: arn))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var results: [Result<AWSAPI.PermissionSet, AWSError>] = []
                for await result in group { results.append(result) }
                return results
            }
            for result in described { byName[try result.get().name] = try result.get().arn }
        }
        return byName
    }

    /// Identity Center's API allows about 20 calls a second: a few at a time stays under it.
    private static let describesAtOnce = 8

    /// The inline policy of one permission set with `attach`, as AWS holds it.
    /// `permissionSetARNs`: the instance's permission sets by name, when already found.
    public func readPolicy(
        _ permissionSet: DBIAMCore.PermissionSet, manifest: Manifest, permissionSetARNs: Result<[String: String], AWSError>? = nil
    ) async -> PolicyReading {
        do throws(AWSError) {
            switch permissionSet.attachment {
            case .none:
                return .document(nil)
            case .identityCenter:
                guard let center = manifest.aws.identityCenter else { return .failed("the manifest names no Identity Center instance") }
                let client = try PolicyTarget.client(self, region: center.region, profile: manifest.aws.profile, service: .ssoAdmin)
                let arn: String? = if let permissionSetARNs {
                    try permissionSetARNs.get()[permissionSet.name]
                } else {
                    try await client.identityCenter.permissionSet(named: permissionSet.name, instanceARN: center.instanceARN)?.arn
                }
                guard let arn else {
                    return .missingTarget(PolicyTarget.missingPermissionSet(permissionSet.name, instanceARN: center.instanceARN))
                }
                return .document(try await client.identityCenter.getInlinePolicy(instanceARN: center.instanceARN, permissionSetARN: arn))
            case .role(let arn):
                let client = try PolicyTarget.client(self, region: PolicyTarget.iamRegion(manifest), profile: manifest.aws.profile, service: .iam)
                let policyName = PolicyAttachment.rolePolicyName(of: permissionSet.name)
                do throws(AWSError) {
                    return .document(try await client.iam.getRolePolicy(roleName: IAMAPI.roleName(fromARN: arn) ?? arn, policyName: policyName))
                } catch where error.code == "NoSuchEntity" {
                    // The same code for a missing role and a missing policy; the message tells them apart.
                    if error.message?.contains("role policy") == true || error.message?.contains(policyName) == true { return .document(nil) }
                    return .missingTarget("the role \(arn) does not exist (\(error.message ?? "NoSuchEntity")); dbiam does not create roles: create it or correct attach.role")
                }
            }
        } catch {
            return .failed("\(error)")
        }
    }
}

/// Where attached policies go, shared by reading and writing them.
enum PolicyTarget {
    static func client(_ reader: AWSReader, region: String, profile: String?, service: AWSService) throws(AWSError) -> AWSClient {
        do throws(AWSConfigurationError) {
            return try reader.client(region, profile)
        } catch {
            throw AWSError(service: service, operation: "configuration", endpoint: nil, attempts: 0, reason: .configuration(error))
        }
    }

    /// IAM is global: any region of the manifest's partition reaches it.
    static func iamRegion(_ manifest: Manifest) -> String {
        manifest.clusters.first?.region ?? "us-east-1"
    }

    static func missingPermissionSet(_ name: String, instanceARN: String) -> String {
        "IAM Identity Center instance \(instanceARN) has no permission set named \(name); dbiam does not create permission sets: create it (aws sso-admin create-permission-set --instance-arn \(instanceARN) --name \(name)) or correct the name"
    }
}

/// What RDS says about one cluster of the manifest: the traps of the field that live on
/// the AWS side, found before anyone logs in. Pure: the engine reads, this decides.
public struct RDSCheck: Sendable, Hashable, Decodable {
    /// The cluster cannot work as the manifest says: the plan is not applied.
    public var errors: [String] = []
    public var warnings: [String] = []
    /// A check skipped, and why.
    public var notes: [String] = []

    public var isEmpty: Bool { errors.isEmpty && warnings.isEmpty && notes.isEmpty }

    public init(cluster: Cluster, reading: RDSReading) {
        switch reading {
        case .failed(let reason):
            errors.append("cannot check cluster \(cluster.name) on RDS: \(reason)")
        case .otherAccount(let account):
            notes.append("RDS checks of cluster \(cluster.name) skipped: the AWS credentials are for account \(account), not \(cluster.account); give the cluster an aws_profile of its account to check it")
        case .listed(let resources):
            check(cluster, against: resources)
        }
    }

    private mutating func check(_ cluster: Cluster, against resources: [RDSResource]) {
        let place = "account \(cluster.account), \(cluster.region)"
        let atEndpoint = resources.first { $0.serves(cluster) }
        guard let resource = resources.first(where: { $0.resourceID == cluster.resourceID }) else {
            var message = "no DB cluster or instance in \(place) has the resource id \(cluster.resourceID) of cluster \(cluster.name)"
            if let named = resources.first(where: { $0.identifier == cluster.resourceID || $0.identifier == cluster.name }) {
                message += "; \(named.kind.rawValue) \(named.identifier) has \(named.resourceID)"
            } else if let atEndpoint {
                message += "; its endpoint belongs to \(atEndpoint.kind.rawValue) \(atEndpoint.identifier), whose resource id is \(atEndpoint.resourceID)"
            } else {
                message += "; find the id with: aws rds describe-db-clusters --region \(cluster.region) --query \"DBClusters[*].[DBClusterIdentifier,DbClusterResourceId]\""
            }
            errors.append(message + ". A policy with the wrong resource id allows no login.")
            return
        }
        if !resource.serves(cluster), let atEndpoint {
            errors.append("cluster \(cluster.name)'s resource id \(cluster.resourceID) is \(resource.kind.rawValue) \(resource.identifier)'s, but its endpoint \(cluster.endpoint) is \(atEndpoint.kind.rawValue) \(atEndpoint.identifier)'s (resource id \(atEndpoint.resourceID)): the policy would allow logins to another database than the one dbiam changes. Use one cluster's resource id and endpoint.")
        }
        if !resource.iamDatabaseAuthentication {
            let command = resource.kind == .cluster
                ? "aws rds modify-db-cluster --db-cluster-identifier \(resource.identifier) --enable-iam-database-authentication --apply-immediately"
                : "aws rds modify-db-instance --db-instance-identifier \(resource.identifier) --enable-iam-database-authentication --apply-immediately"
            errors.append("IAM database authentication is off for \(resource.kind.rawValue) \(resource.identifier) (cluster \(cluster.name)), so every token login is refused; dbiam does not change clusters, so turn it on with: \(command) --region \(cluster.region)")
        }
        if resource.readerEndpoints.contains(cluster.endpoint) && !resource.writerEndpoints.contains(cluster.endpoint) {
            warnings.append("the endpoint \(cluster.endpoint) of cluster \(cluster.name) is a reader, which cannot run CREATE USER or GRANT; use the writer endpoint \(resource.writerEndpoints.first ?? "of the cluster")")
        } else if !resource.serves(cluster) && atEndpoint == nil {
            warnings.append("the endpoint \(cluster.endpoint) of cluster \(cluster.name) is neither the writer endpoint of \(resource.kind.rawValue) \(resource.identifier) (\(resource.writerEndpoints.first ?? "none")) nor one of its instances'; make sure it reaches the writer")
        }
        if let expected = cluster.engine.rdsEngine, !expected.matches(engine: resource.engine, version: resource.engineVersion) {
            warnings.append("cluster \(cluster.name) says engine \(cluster.engine.rawValue), but \(resource.kind.rawValue) \(resource.identifier) runs \(resource.engine) \(resource.engineVersion); privilege names and user-name limits follow `engine:`, so correct it")
        }
    }
}

extension RDSResource {
    /// Whether the manifest's endpoint and port reach this cluster or instance.
    func serves(_ cluster: Cluster) -> Bool {
        (writerEndpoints.contains(cluster.endpoint) || readerEndpoints.contains(cluster.endpoint)) && (port == nil || port == cluster.port)
    }
}

extension Engine {
    /// How RDS names this engine: its `Engine` and the start of its `EngineVersion`.
    struct RDSEngine {
        var name: String
        /// Major versions, such as `8.0` (Aurora MySQL 3 reports `8.0.mysql_aurora.3…`).
        var versionPrefixes: [String]

        func matches(engine: String, version: String) -> Bool {
            engine == name && (versionPrefixes.isEmpty || versionPrefixes.contains { version.hasPrefix($0) })
        }
    }

    var rdsEngine: RDSEngine? {
        switch self {
        case .auroraMySQL3: RDSEngine(name: "aurora-mysql", versionPrefixes: ["8.0"])
        case .auroraMySQL2: RDSEngine(name: "aurora-mysql", versionPrefixes: ["5.7"])
        case .mysql80: RDSEngine(name: "mysql", versionPrefixes: ["8.0"])
        case .mysql57: RDSEngine(name: "mysql", versionPrefixes: ["5.7"])
        case .mariadb: RDSEngine(name: "mariadb", versionPrefixes: [])
        }
    }
}

/// What the AWS side holds, as the planner needs it: read by the engine, decided on by
/// the core. By cluster name and by permission set name.
public struct AWSState: Sendable, Hashable {
    public var clusters: [String: RDSReading]
    /// The policies of permission sets with `attach`.
    public var policies: [String: PolicyReading]

    public init(clusters: [String: RDSReading] = [:], policies: [String: PolicyReading] = [:]) {
        self.clusters = clusters
        self.policies = policies
    }
}

/// What reading the inline policy of one permission set (or role) gave.
public enum PolicyReading: Sendable, Hashable {
    /// The document as AWS returns it (URL-decoded), or nil when there is none.
    case document(String?)
    /// The permission set or role is not there, in words with what to do: dbiam does
    /// not create them.
    case missingTarget(String)
    case failed(String)
}

/// A DB cluster or DB instance as RDS describes it.
public struct RDSResource: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case cluster, instance
    }

    public var kind: Kind
    /// `DBClusterIdentifier` or `DBInstanceIdentifier`.
    public var identifier: String
    /// `DbClusterResourceId` or `DbiResourceId`.
    public var resourceID: String
    /// `aurora-mysql`, `mysql`, `mariadb`, …
    public var engine: String
    public var engineVersion: String
    public var iamDatabaseAuthentication: Bool
    /// Host names that take writes: a cluster's endpoint and its writer instance's, an
    /// instance's own.
    public var writerEndpoints: [String]
    /// A cluster's reader endpoint and the endpoints of its reader instances.
    public var readerEndpoints: [String]
    public var port: Int?

    public init(
        kind: Kind, identifier: String, resourceID: String, engine: String, engineVersion: String, iamDatabaseAuthentication: Bool,
        writerEndpoints: [String], readerEndpoints: [String] = [], port: Int? = nil
    ) {
        self.kind = kind
        self.identifier = identifier
        self.resourceID = resourceID
        self.engine = engine
        self.engineVersion = engineVersion
        self.iamDatabaseAuthentication = iamDatabaseAuthentication
        self.writerEndpoints = writerEndpoints
        self.readerEndpoints = readerEndpoints
        self.port = port
    }
}

/// What reading RDS for one cluster of the manifest gave.
public enum RDSReading: Sendable, Hashable {
    /// Every DB cluster and instance of the cluster's account and region: the check finds
    /// the manifest's by resource id itself (and names the one it was mistaken for).
    case listed([RDSResource])
    /// The credentials belong to another account: RDS of the cluster's account cannot be
    /// read with them, so its checks are skipped.
    case otherAccount(credentials: String)
    /// RDS could not be read: why, and what to do.
    case failed(String)
}

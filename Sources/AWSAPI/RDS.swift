/// An Aurora cluster as DescribeDBClusters shows it.
public struct DBCluster: Sendable, Equatable {
    public init(
        identifier: String, resourceID: String, engine: String, engineVersion: String, endpoint: String? = nil,
        readerEndpoint: String? = nil, port: Int? = nil, iamDatabaseAuthenticationEnabled: Bool, members: [Member]
    ) {
        self.identifier = identifier
        self.resourceID = resourceID
        self.engine = engine
        self.engineVersion = engineVersion
        self.endpoint = endpoint
        self.readerEndpoint = readerEndpoint
        self.port = port
        self.iamDatabaseAuthenticationEnabled = iamDatabaseAuthenticationEnabled
        self.members = members
    }

    public var identifier: String
    /// `cluster-…`, what rds-db:connect ARNs name.
    public var resourceID: String
    public var engine: String
    public var engineVersion: String
    /// The writer endpoint.
    public var endpoint: String?
    public var readerEndpoint: String?
    public var port: Int?
    public var iamDatabaseAuthenticationEnabled: Bool
    public var members: [Member]

    public struct Member: Sendable, Equatable {
        public init(instanceIdentifier: String, isWriter: Bool) {
            self.instanceIdentifier = instanceIdentifier
            self.isWriter = isWriter
        }

        public var instanceIdentifier: String
        public var isWriter: Bool
    }
}

/// A DB instance (of a cluster or on its own) as DescribeDBInstances shows it.
public struct DBInstance: Sendable, Equatable {
    public init(
        identifier: String, resourceID: String, engine: String, engineVersion: String, endpointAddress: String? = nil,
        endpointPort: Int? = nil, iamDatabaseAuthenticationEnabled: Bool, clusterIdentifier: String? = nil
    ) {
        self.identifier = identifier
        self.resourceID = resourceID
        self.engine = engine
        self.engineVersion = engineVersion
        self.endpointAddress = endpointAddress
        self.endpointPort = endpointPort
        self.iamDatabaseAuthenticationEnabled = iamDatabaseAuthenticationEnabled
        self.clusterIdentifier = clusterIdentifier
    }

    public var identifier: String
    /// `db-…`, what rds-db:connect ARNs name for an instance outside a cluster.
    public var resourceID: String
    public var engine: String
    public var engineVersion: String
    public var endpointAddress: String?
    public var endpointPort: Int?
    public var iamDatabaseAuthenticationEnabled: Bool
    /// The cluster the instance belongs to, if any.
    public var clusterIdentifier: String?
}

extension AWSClient {
    public var rds: RDSAPI { RDSAPI(client: self) }
}

/// The RDS operations dbiam needs. Lookups by resource id list and match here, because
/// the `db-cluster-resource-id` filter is not understood everywhere (moto rejects it).
public struct RDSAPI: Sendable {
    let client: AWSClient

    /// Every cluster of the region (or the one named), all pages read. `pageSize` is
    /// MaxRecords (20 to 100); nil leaves it to AWS (100).
    public func describeDBClusters(identifier: String? = nil, pageSize: Int? = nil) async throws(AWSError) -> [DBCluster] {
        try await pages(action: "DescribeDBClusters", identifier: ("DBClusterIdentifier", identifier), pageSize: pageSize) {
            $0.child("DBClusters")?.children("DBCluster").map(Self.cluster) ?? []
        }
    }

    public func describeDBInstances(identifier: String? = nil, pageSize: Int? = nil) async throws(AWSError) -> [DBInstance] {
        try await pages(action: "DescribeDBInstances", identifier: ("DBInstanceIdentifier", identifier), pageSize: pageSize) {
            $0.child("DBInstances")?.children("DBInstance").map(Self.instance) ?? []
        }
    }

    /// The cluster whose DbClusterResourceId is `resourceID`; nil when the region has none.
    public func cluster(resourceID: String, pageSize: Int? = nil) async throws(AWSError) -> DBCluster? {
        try await describeDBClusters(pageSize: pageSize).first { $0.resourceID == resourceID }
    }

    /// The instance whose DbiResourceId is `resourceID`; nil when the region has none.
    public func instance(resourceID: String, pageSize: Int? = nil) async throws(AWSError) -> DBInstance? {
        try await describeDBInstances(pageSize: pageSize).first { $0.resourceID == resourceID }
    }

    private func pages<Item>(
        action: String, identifier: (name: String, value: String?), pageSize: Int?, items: (XMLTree) -> [Item]
    ) async throws(AWSError) -> [Item] {
        var all: [Item] = []
        var marker: String?
        repeat {
            var parameters: [(String, String)] = []
            if let value = identifier.value { parameters.append((identifier.name, value)) }
            if let pageSize { parameters.append(("MaxRecords", String(pageSize))) }
            if let marker { parameters.append(("Marker", marker)) }
            let result = try await client.query(.rds, action: action, parameters: parameters)
            all += items(result)
            marker = result.string("Marker").flatMap { $0.isEmpty ? nil : $0 }
        } while marker != nil
        return all
    }

    private static func cluster(_ element: XMLTree) -> DBCluster {
        DBCluster(
            identifier: element.string("DBClusterIdentifier") ?? "",
            resourceID: element.string("DbClusterResourceId") ?? "",
            engine: element.string("Engine") ?? "",
            engineVersion: element.string("EngineVersion") ?? "",
            endpoint: element.string("Endpoint"),
            readerEndpoint: element.string("ReaderEndpoint"),
            port: element.string("Port").flatMap { Int($0) },
            iamDatabaseAuthenticationEnabled: element.string("IAMDatabaseAuthenticationEnabled") == "true",
            members: element.child("DBClusterMembers")?.children("DBClusterMember").map {
                DBCluster.Member(
                    instanceIdentifier: $0.string("DBInstanceIdentifier") ?? "", isWriter: $0.string("IsClusterWriter") == "true")
            } ?? [])
    }

    private static func instance(_ element: XMLTree) -> DBInstance {
        DBInstance(
            identifier: element.string("DBInstanceIdentifier") ?? "",
            resourceID: element.string("DbiResourceId") ?? "",
            engine: element.string("Engine") ?? "",
            engineVersion: element.string("EngineVersion") ?? "",
            endpointAddress: element.child("Endpoint")?.string("Address"),
            endpointPort: element.child("Endpoint")?.string("Port").flatMap { Int($0) },
            iamDatabaseAuthenticationEnabled: element.string("IAMDatabaseAuthenticationEnabled") == "true",
            clusterIdentifier: element.string("DBClusterIdentifier"))
    }
}

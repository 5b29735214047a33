/// The IAM policy of one permission set: `rds-db:connect` on every (cluster, user)
/// pair it covers.
public struct PolicyDocument: Sendable, Hashable {
    public let permissionSet: String
    /// Sorted, without duplicates.
    public let resources: [String]
    /// The OU path pattern of the PrincipalOrgPaths condition, when the set names one.
    public let organizationPath: String?
    public let position: SourcePosition
    /// The document as written to `policies/<permission set>.json`. Rendered once, as the
    /// size checks, lint rules and every output read it.
    public let text: String
    /// `text` measured against IAM's limits.
    public let size: PolicyLimits.Size

    public static let statementID = "DBIAMConnect"

    public init(permissionSet: String, resources: [String], organizationPath: String?, position: SourcePosition) {
        self.permissionSet = permissionSet
        self.resources = resources
        self.organizationPath = organizationPath
        self.position = position
        text = Self.json(resources: resources, organizationPath: organizationPath).rendered()
        size = PolicyLimits.Size(of: text)
    }

    /// The document of a permission set whose policy allows `connections`.
    init(_ permissionSet: PermissionSet, connections: [PermissionSetReach.Connection], organization: Organization?) {
        var resources: [String] = []
        resources.reserveCapacity(connections.count * (1 + permissionSet.proxies.count))
        for connection in connections {
            let cluster = connection.cluster
            resources.append(cluster.connectARN(user: connection.userName))
            for proxy in permissionSet.proxies { resources.append(cluster.connectARN(user: connection.userName, through: proxy)) }
        }
        // Sorted by bytes, then byte-equal neighbours dropped: cheaper than hashing every
        // ARN into a set, and two user names that differ in bytes stay two ARNs.
        resources.sort(by: UTF8Bytes.precede)
        var unique: [String] = []
        unique.reserveCapacity(resources.count)
        for resource in resources where unique.last.map({ !UTF8Bytes.equal($0, resource) }) ?? true { unique.append(resource) }
        self.init(
            permissionSet: permissionSet.name,
            resources: unique,
            organizationPath: permissionSet.orgPath.flatMap { organization?.path(named: $0)?.pattern },
            position: permissionSet.position)
    }

    public var json: JSONText { Self.json(resources: resources, organizationPath: organizationPath) }

    private static func json(resources: [String], organizationPath: String?) -> JSONText {
        var statement: [(String, JSONText)] = [
            ("Sid", .string(Self.statementID)),
            ("Effect", .string("Allow")),
            ("Action", .array([.string("rds-db:connect")])),
            ("Resource", .array(resources.map(JSONText.string))),
        ]
        if let organizationPath {
            statement.append(
                ("Condition", .object([("ForAnyValue:StringLike", .object([("aws:PrincipalOrgPaths", .array([.string(organizationPath)]))]))])))
        }
        return .object([("Version", .string("2012-10-17")), ("Statement", .array([.object(statement)]))])
    }

    /// The documents of every permission set, in manifest order.
    public static func documents(for manifest: Manifest) -> [PolicyDocument] {
        let reach = PermissionSetReach(manifest)
        return manifest.permissionSets.map {
            PolicyDocument($0, connections: reach.connections(of: $0), organization: manifest.organization)
        }
    }
}

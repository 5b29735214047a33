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
        text = Self.text(resources: resources, organizationPath: organizationPath)
        size = PolicyLimits.Size(of: text)
    }

    /// The document of a permission set whose policy allows `connections`.
    init(_ permissionSet: PermissionSet, connections: [PermissionSetReach.Connection], organization: Organization?) {
        var resources: [String] = []
        resources.reserveCapacity(connections.count * (1 + permissionSet.proxies.count))
        // The ARNs of a cluster's users differ only in the user: each cluster's beginnings
        // (direct, then through each proxy) are made once, not once per user.
        var prefixes: [Int: [String]] = [:]
        for connection in connections {
            let clusterPrefixes = prefixes[connection.clusterIndex] ?? {
                let cluster = connection.cluster
                let made = [cluster.connectARNPrefix()] + permissionSet.proxies.map { cluster.connectARNPrefix(through: $0) }
                prefixes[connection.clusterIndex] = made
                return made
            }()
            let user = IAMPolicyText.literal(connection.userName)
            for prefix in clusterPrefixes { resources.append(prefix + user) }
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

    /// `json` rendered, written straight into bytes: a manifest of a thousand
    /// permission sets makes a thousand documents, and the tree of each would be built
    /// only to be written once.
    private static func text(resources: [String], organizationPath: String?) -> String {
        var writer = JSONWriter(capacity: 256 + resources.reduce(0) { $0 + $1.utf8.count + 8 })
        writer.beginObject()
        writer.member("Version", "2012-10-17")
        writer.key("Statement")
        writer.beginArray()
        writer.element()
        writer.beginObject()
        writer.member("Sid", Self.statementID)
        writer.member("Effect", "Allow")
        writer.key("Action")
        writer.strings(["rds-db:connect"])
        writer.key("Resource")
        writer.strings(resources)
        if let organizationPath {
            writer.key("Condition")
            writer.beginObject()
            writer.key("ForAnyValue:StringLike")
            writer.beginObject()
            writer.key("aws:PrincipalOrgPaths")
            writer.strings([organizationPath])
            writer.endObject()
            writer.endObject()
        }
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.finishedText()
    }

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

/// The IAM policy of one permission set: `rds-db:connect` on every (cluster, user)
/// pair it covers.
public struct PolicyDocument: Sendable, Hashable {
    public var permissionSet: String
    /// Sorted, without duplicates.
    public var resources: [String]
    /// The OU path pattern of the PrincipalOrgPaths condition, when the set names one.
    public var organizationPath: String?
    public var position: SourcePosition

    public static let statementID = "DBIAMConnect"

    public var json: JSONText {
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

    /// The document as written to `policies/<permission set>.json`.
    public var text: String { json.rendered() }

    /// The documents of every permission set, in manifest order.
    public static func documents(for manifest: Manifest) -> [PolicyDocument] {
        let reach = PermissionSetReach(manifest)
        return manifest.permissionSets.map { permissionSet in
            let resources = Set(reach.connections(of: permissionSet).map { $0.cluster.connectARN(user: $0.user.name) })
            return PolicyDocument(
                permissionSet: permissionSet.name,
                resources: resources.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) },
                organizationPath: permissionSet.orgPath.flatMap { manifest.organization?.path(named: $0)?.pattern },
                position: permissionSet.position)
        }
    }
}

/// DBIAM108: a database user nobody can get a token for.
public struct UserWithoutPermissionSet: LintRule {
    public init() {}

    public let id = "DBIAM108"
    public let name = "UserWithoutPermissionSet"
    public let severity = Diagnostic.Severity.warning
    public let summary = "No permission set lets anyone log in as a user, on all or some of its clusters."
    public let help = """
        An IAM database user only works with a policy that allows `rds-db:connect` on \
        `dbuser:RESOURCE_ID/USER`, and dbiam writes those policies from the permission sets. \
        A user that no permission set names (or whose permission sets are limited to other \
        clusters) is still created on its clusters with its grants, but no token can log in \
        as it there: an account that exists, holds privileges and that nobody uses or \
        reviews.

        Add the user to a permission set that reaches those clusters, remove the clusters \
        from the user, or remove the user.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        var reached: [String: ClusterPositions] = [:]
        reached.reserveCapacity(manifest.users.count)
        for permissionSet in manifest.permissionSets {
            for connection in context.connections(of: permissionSet) {
                reached[connection.userName, default: ClusterPositions()].insert(connection.clusterIndex)
            }
        }
        var findings: [Diagnostic] = []
        for user in manifest.users {
            guard let clusters = reached[user.name] else {
                findings.append(finding(
                    "no permission set lets anyone log in as user '\(user.name)'; add it to a permission set's users, or remove it.",
                    at: user.position))
                continue
            }
            for (position, cluster) in manifest.clusters.enumerated() where user.isOn(cluster.name) && !clusters.contains(position) {
                findings.append(finding(
                    "no permission set lets anyone log in as user '\(user.name)' on cluster '\(cluster.name)'; add the cluster to a permission set of the user, or remove it from the user's clusters.",
                    at: user.fields["clusters"] ?? user.position))
            }
        }
        return findings
    }
}

/// The clusters a user is reached on, by their position among the manifest's clusters:
/// bits for the first 64, the handful of clusters nearly every manifest has, so that
/// thousands of users need no list each.
private struct ClusterPositions {
    private var first64: UInt64 = 0
    private var beyond: [Int] = []

    mutating func insert(_ position: Int) {
        if position < 64 {
            first64 |= 1 << UInt64(position)
        } else if !beyond.contains(position) {
            beyond.append(position)
        }
    }

    func contains(_ position: Int) -> Bool {
        position < 64 ? first64 & (1 << UInt64(position)) != 0 : beyond.contains(position)
    }
}

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
        // The clusters each user is reached on, as a short list: most users are on one or
        // two clusters, where a list beats a set, and thousands of users each need one.
        var reached: [String: [String]] = [:]
        for permissionSet in manifest.permissionSets {
            for connection in context.connections(of: permissionSet) {
                let cluster = connection.cluster.name
                reached[connection.userName, default: []].appendIfAbsent(cluster)
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
            for cluster in manifest.clusters where user.isOn(cluster.name) && !clusters.contains(cluster.name) {
                findings.append(finding(
                    "no permission set lets anyone log in as user '\(user.name)' on cluster '\(cluster.name)'; add the cluster to a permission set of the user, or remove it from the user's clusters.",
                    at: user.fields["clusters"] ?? user.position))
            }
        }
        return findings
    }
}

extension Array where Element: Equatable {
    fileprivate mutating func appendIfAbsent(_ element: Element) {
        if !contains(element) { append(element) }
    }
}

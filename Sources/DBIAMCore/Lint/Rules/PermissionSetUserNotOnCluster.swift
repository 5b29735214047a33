/// DBIAM107: a permission set that names a cluster one of its users is not on.
public struct PermissionSetUserNotOnCluster: LintRule {
    public init() {}

    public let id = "DBIAM107"
    public let name = "PermissionSetUserNotOnCluster"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A permission set names a cluster that one of its users is not on."
    public let help = """
        A permission set's `clusters:` limits its policy to those clusters, and its policy \
        covers each of its users only on the clusters that user is on. When a named cluster \
        is not among a user's `clusters`, the pair is silently left out of the policy: the \
        user does not exist on that cluster, and nobody can log in as it there through this \
        permission set. The usual cause is a cluster added to the permission set but not to \
        the user, or a typo-level mix-up of two users.

        Add the cluster to the user's `clusters`, or remove it from the permission set's \
        `clusters` (or the user from its `users`) if the pair was never meant.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.permissionSets.flatMap { permissionSet -> [Diagnostic] in
            guard let clusterNames = permissionSet.clusters else { return [] }
            let position = permissionSet.fields["clusters"] ?? permissionSet.position
            return permissionSet.users.flatMap { userName -> [Diagnostic] in
                guard let on = context.clusters(ofUserNamed: userName) else { return [] }
                return clusterNames.filter { !on.includes($0) }.map { clusterName in
                    finding(
                        "permission set '\(permissionSet.name)' names cluster '\(clusterName)', but its user '\(userName)' is not on it, so its policy leaves that pair out; add '\(clusterName)' to the user's clusters or drop it from the permission set.",
                        at: position)
                }
            }
        }
    }
}

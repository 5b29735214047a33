/// DBIAM304: pruning a cluster that the manifest gives no users.
public struct PruneWithoutUsers: LintRule {
    public init() {}

    public let id = "DBIAM304"
    public let name = "PruneWithoutUsers"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A cluster is pruned but no user is on it, so every IAM user there would be dropped."
    public let help = """
        With `prune: true` dbiam drops every AWSAuthenticationPlugin account on the cluster \
        that the manifest does not put there. When no user lists the cluster (and none has \
        `clusters: ["*"]`), that is every IAM account on it: the next `dbiam apply` locks \
        out everyone who logs in with IAM. It usually means the users' `clusters` lists \
        miss this cluster, or `defaults.prune: true` reaches a cluster that was added \
        before its users.

        Put the cluster in its users' `clusters`, or set `prune: false` on it.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.clusters.compactMap { cluster in
            guard cluster.prune, !context.clustersWithUsers.contains(cluster.name) else { return nil }
            let position = cluster.fields["prune"] ?? manifest.defaults.fields["prune"] ?? cluster.position
            return finding(
                "cluster '\(cluster.name)' is pruned but no user is on it, so dbiam apply would drop every IAM user there; add it to its users' clusters or set prune: false.",
                at: position)
        }
    }
}

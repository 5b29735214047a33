/// DBIAM305: a cluster no user is on.
public struct UnusedCluster: LintRule {
    public init() {}

    public let id = "DBIAM305"
    public let name = "UnusedCluster"
    public let severity = Diagnostic.Severity.note
    public let summary = "No user is on a cluster."
    public let help = """
        A cluster that no user lists (and that no `clusters: ["*"]` user reaches) gets no \
        IAM users and appears in no policy; dbiam still connects to it at every plan. It is \
        usually a cluster whose users were forgotten, or one that was retired and can be \
        removed from the manifest. (A pruned cluster without users is DBIAM304.)
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.clusters.compactMap { cluster in
            guard !cluster.prune, !context.clustersWithUsers.contains(cluster.name) else { return nil }
            return finding(
                "no user is on cluster '\(cluster.name)'; add it to its users' clusters, or remove it from the manifest.",
                at: cluster.position)
        }
    }
}

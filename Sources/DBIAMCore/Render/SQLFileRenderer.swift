/// `out/<stem>/sql/<cluster>.sql`: the statements of one cluster in execution order,
/// each under a comment saying why. Nothing in it depends on the time or the machine,
/// so the same manifest and live state give the same bytes.
public enum SQLFileRenderer {
    /// - Parameter offline: the plan read nothing (`--offline`), which the file says
    ///   before any statement, as the reasons say it of each.
    public static func render(_ cluster: ClusterPlan, manifestPath: String, offline: Bool) -> String {
        var text = "-- dbiam: cluster \(cluster.name) (\(cluster.endpoint):\(cluster.port)), from \(manifestPath)\n"
        if offline {
            text += "-- Planned offline: nothing was read from this cluster; the statements are those for a cluster without any of the manifest's accounts.\n"
        }
        if let failure = cluster.failure {
            return text + "-- Not planned: \(failure)\n"
        }
        if cluster.actions.isEmpty {
            return text + "-- No changes.\n"
        }
        text += "-- \(cluster.actions.count) \(cluster.actions.count == 1 ? "statement" : "statements"), run in this order by `dbiam apply`,\n"
        text += "-- which sends statements of the same shape together (CREATE USER a …, b …).\n"
        for action in cluster.actions {
            text += "\n-- \(action.reason)\(action.destructive ? " [destructive]" : "")\n\(action.sql);\n"
        }
        return text
    }
}

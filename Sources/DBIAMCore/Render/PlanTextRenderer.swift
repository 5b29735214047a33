/// The Terraform-like plan people read in a terminal.
public struct PlanTextRenderer: Sendable {
    /// ANSI colours; the command layer turns them on only on a terminal without NO_COLOR.
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ plan: Plan) -> String {
        var output = ""
        for (index, cluster) in plan.clusters.enumerated() {
            if index > 0 { output += "\n" }
            output += header(cluster, offline: plan.offline) + "\n"
            if let failure = cluster.failure {
                output += "  " + paint("error:", .red) + " " + failure + "\n"
                continue
            }
            for action in cluster.actions { output += "  " + line(action) + "\n" }
            for warning in cluster.warnings { output += "  " + paint("!", .yellow) + " " + warning + "\n" }
            if cluster.actions.isEmpty && cluster.warnings.isEmpty { output += "  no changes\n" }
        }
        if !plan.policies.isEmpty { output += "\n" }
        for policy in plan.policies {
            output += "policy \(policy.permissionSet)  \(policy.path)  (\(policy.status.rawValue))\n"
        }
        output += "\n" + summaryLine(plan) + "\n"
        return output
    }

    public func summaryLine(_ plan: Plan) -> String {
        let summary = plan.summary
        if summary.isEmpty {
            return plan.failedClusters.isEmpty
                ? "No changes. The clusters match the manifest."
                : "No changes on the clusters that could be read; \(plan.failedClusters.count) could not be planned."
        }
        return paint("Plan:", .bold) + " \(summary.toAdd) to add, \(summary.toChange) to change, \(summary.toDestroy) to destroy."
    }

    private func header(_ cluster: ClusterPlan, offline: Bool) -> String {
        var details = "\(cluster.endpoint):\(cluster.port)"
        if offline {
            details += ", offline: planned as if empty"
        } else if let read = cluster.accountsRead {
            details += ", \(read) \(read == 1 ? "account" : "accounts") read"
        }
        return paint("cluster \(cluster.name)", .bold) + "  (\(details))"
    }

    /// One action: symbol, object, then the statement or the change in words.
    public func line(_ action: PlannedAction) -> String {
        let account = action.statement.account
        switch action.statement {
        case .createUser(_, let requireSSL):
            return paint("+", .green) + " user  \(account)  \(AccountStatement.identifiedWithIAM)" + (requireSSL ? " " + AccountStatement.requireClause(true) : "")
        case .setIAMPlugin:
            return paint("~", .yellow) + " user  \(account)  plugin \(action.previous ?? "?") -> \(AccountStatement.pluginName) (password login stops working)"
        case .setRequireSSL(_, let required):
            return paint("~", .yellow) + " user  \(account)  \(action.previous ?? "?") -> \(AccountStatement.requireClause(required))"
        case .grant:
            return paint("+", .green) + " " + lowercasedKeyword(action.sql)
        case .revoke:
            return paint("-", .red) + " " + lowercasedKeyword(action.sql)
        case .dropUser:
            return paint("-", .red) + " user  \(account)  (prune)"
        }
    }

    /// `GRANT SELECT ON …` shown as `grant SELECT ON …`, like the other plan lines.
    private func lowercasedKeyword(_ sql: String) -> String {
        guard let space = sql.firstIndex(of: " ") else { return sql }
        return sql[..<space].lowercased() + sql[space...]
    }

    enum Style: String {
        case red = "31", green = "32", yellow = "33", bold = "1"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

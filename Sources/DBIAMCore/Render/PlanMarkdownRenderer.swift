/// The plan as a pull-request comment (GitHub-flavoured Markdown): the summary line, a
/// table of the clusters, each cluster's SQL as `dbiam apply` will run it, and each
/// policy file new (in full), changed (as a diff against the file it replaced),
/// unchanged or removed. Nothing in it depends on the time or the machine.
public enum PlanMarkdownRenderer {
    public static func render(_ plan: Plan, run: PlanRun) -> String {
        var output = summaryLine(plan, run: run) + "\n\n"
        output += "Manifest \(MarkdownText.code(run.manifestPath))"
        output += plan.offline
            ? ", planned offline: every cluster was taken as empty, so this shows all the SQL the manifest makes. An offline plan cannot be applied.\n"
            : ".\n"
        if !plan.clusters.isEmpty {
            output += "\n" + clusterTable(plan, run: run)
        }
        for cluster in plan.clusters {
            output += "\n" + clusterSection(cluster, manifestPath: run.manifestPath, offline: plan.offline)
        }
        let attached = plan.policies.filter { $0.live != nil }
        if !attached.isEmpty {
            output += "\n### Attached policies\n\n`dbiam apply` writes these to AWS.\n"
            for policy in attached { output += "\n" + attachedPolicySection(policy) }
        }
        if !run.policyFiles.isEmpty {
            output += "\n### Policies\n\nPolicy files are written for review; `dbiam apply` "
                + (attached.isEmpty ? "does not deploy them.\n" : "deploys only those with `attach`.\n")
            for file in run.policyFiles {
                output += "\n" + policySection(file)
            }
        }
        return output
    }

    /// The text plan's last line, with its first words (to the first `.`, `:` or `;`) in bold.
    static func summaryLine(_ plan: Plan, run: PlanRun) -> String {
        let line = PlanTextRenderer(color: false).summaryLine(plan, run: run)
        let lead = "Plan:"
        if line.hasPrefix(lead) { return "**\(lead)**" + line.dropFirst(lead.count) }
        guard let end = line.firstIndex(where: { $0 == "." || $0 == ";" || $0 == ":" }) else { return line }
        return "**\(line[...end])**" + line[line.index(after: end)...]
    }

    private static func clusterTable(_ plan: Plan, run: PlanRun) -> String {
        var table = "| cluster | endpoint | accounts read | add | change | destroy | warnings | error |\n"
        table += "|---|---|--:|--:|--:|--:|--:|---|\n"
        for cluster in plan.clusters {
            let read: String = if plan.offline {
                "offline"
            } else if let count = run.accountsRead[cluster.name] {
                String(count)
            } else {
                "–"
            }
            let cells = [
                MarkdownText.code(cluster.name), MarkdownText.code("\(cluster.endpoint):\(cluster.port)"), read,
                String(cluster.actions.count { $0.effect == .add }), String(cluster.actions.count { $0.effect == .change }),
                String(cluster.actions.count { $0.effect == .destroy }), String(cluster.warnings.count + (cluster.rds?.warnings.count ?? 0)),
                ([cluster.failure].compactMap { $0 } + (cluster.rds?.errors ?? [])).map(MarkdownText.escaped).joined(separator: " "),
            ]
            table += "| " + cells.map(MarkdownText.tableCell).joined(separator: " | ") + " |\n"
        }
        return table
    }

    private static func clusterSection(_ cluster: ClusterPlan, manifestPath: String, offline: Bool) -> String {
        var section = "### Cluster \(MarkdownText.code(cluster.name))\n\n"
        for error in cluster.rds?.errors ?? [] { section += "**Error:** \(MarkdownText.escaped(error))\n\n" }
        if let failure = cluster.failure {
            return section + "**Error:** \(MarkdownText.escaped(failure))\n"
        }
        if cluster.actions.isEmpty {
            section += "No changes.\n"
        } else {
            // A review, not a file to run: names read from a server show their hidden characters.
            let sql = NameRules.printable(SQLFileRenderer.render(cluster, manifestPath: manifestPath, offline: offline), keepingLineFeeds: true)
            section += MarkdownText.fenced(sql, language: "sql")
        }
        let warnings = cluster.warnings + (cluster.rds?.warnings ?? []) + (cluster.rds?.notes ?? []).map { "note: \($0)" }
        if !warnings.isEmpty {
            section += "\n**Warnings**\n\n"
            for warning in warnings { section += "- \(MarkdownText.escaped(warning))\n" }
        }
        return section
    }

    private static func attachedPolicySection(_ policy: PlannedPolicy) -> String {
        let heading = "**\(MarkdownText.code(policy.permissionSet))** \(MarkdownText.escaped(policy.attachment.target(of: policy.permissionSet)))"
        switch policy.live {
        case .unreadable(let problem)?: return heading + ": **Error:** \(MarkdownText.escaped(problem))\n"
        case .same?: return heading + " (unchanged)\n"
        default: return heading + "\n\n" + MarkdownText.fenced(policy.liveDiff ?? "", language: "diff")
        }
    }

    private static func policySection(_ file: PolicyFile) -> String {
        let heading = "**\(MarkdownText.code(file.permissionSet))** \(MarkdownText.code(file.path)) (\(file.status.description))\n"
        switch file.status {
        case .unchanged, .removed:
            return heading
        case .new:
            return heading + "\n" + MarkdownText.fenced(file.text ?? "", language: "json")
        case .changed:
            let diff = UnifiedDiff.render(
                old: file.previousText ?? "", new: file.text ?? "", oldLabel: "\(file.path) (previous file)", newLabel: "\(file.path) (this plan)")
            return heading + "\n" + MarkdownText.fenced(diff, language: "diff")
        }
    }
}

/// The Terraform-like plan people read in a terminal.
public struct PlanTextRenderer: Sendable {
    /// ANSI colours; the command layer turns them on only on a terminal without NO_COLOR.
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ plan: Plan, run: PlanRun) -> String {
        var output = ""
        for (index, cluster) in plan.clusters.enumerated() {
            if index > 0 { output += "\n" }
            output += header(cluster, offline: plan.offline, accountsRead: run.accountsRead[cluster.name]) + "\n"
            for error in cluster.rds?.errors ?? [] { output += "  " + paint("error:", .red) + " " + error + "\n" }
            if let failure = cluster.failure {
                output += "  " + paint("error:", .red) + " " + failure + "\n"
                continue
            }
            for action in cluster.actions { output += "  " + line(action) + "\n" }
            for warning in cluster.warnings + (cluster.rds?.warnings ?? []) { output += "  " + paint("!", .yellow) + " " + warning + "\n" }
            for note in cluster.rds?.notes ?? [] { output += "  note: " + note + "\n" }
            if cluster.actions.isEmpty && cluster.warnings.isEmpty && cluster.rds?.isEmpty != false { output += "  no changes\n" }
        }
        if !run.policyFiles.isEmpty { output += "\n" }
        for file in run.policyFiles { output += policyLine(file) + "\n" }
        let attached = plan.policies.filter { $0.live != nil }
        if !attached.isEmpty { output += "\n" }
        for policy in attached { output += attachedPolicyLines(policy) }
        output += "\n" + summaryLine(plan, run: run) + "\n"
        return output
    }

    /// Where a policy file was written (or which was removed), against the file before.
    public func policyLine(_ file: PolicyFile) -> String {
        let line = "policy \(file.permissionSet)  \(file.path)  (\(file.status.description))"
        return file.status == .removed ? paint("-", .red) + " " + line : line
    }

    /// An attached policy against AWS: `+`, `~` with the diff, `=` or the error.
    func attachedPolicyLines(_ policy: PlannedPolicy) -> String {
        let target = policy.attachment.target(of: policy.permissionSet)
        switch policy.live {
        case .absent?, .differs?:
            let symbol = policy.live == .absent ? paint("+", .green) : paint("~", .yellow)
            let diff = (policy.liveDiff ?? "").split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 + "\n" }
            return "\(symbol) policy \(policy.permissionSet)  \(target)\n" + diff.joined()
        case .same?:
            return "= policy \(policy.permissionSet)  \(target)  (unchanged)\n"
        case .unreadable(let problem)?:
            return paint("error:", .red) + " policy \(policy.permissionSet)  \(target): \(problem)\n"
        case nil:
            return ""
        }
    }

    /// The last line: the counts Terraform prints (attached policies included), and the
    /// policy files of sets without `attach`, which dbiam apply leaves to the reader.
    public func summaryLine(_ plan: Plan, run: PlanRun) -> String {
        let summary = plan.summary
        let attached = Set(plan.policies.filter { $0.attachment != .none }.map(\.permissionSet))
        let files = run.changedPolicyFiles.count { !attached.contains($0.permissionSet) }
        let filesNote = files == 0 ? "" :
            "\(files) policy \(files == 1 ? "file is" : "files are") new, changed or removed; dbiam apply does not deploy policies, so bring IAM in line with \(files == 1 ? "it" : "them") yourself."
        if !summary.isEmpty {
            return paint("Plan:", .bold) + " \(summary.counts)." + (filesNote.isEmpty ? "" : " " + filesNote)
        }
        if !plan.failedClusters.isEmpty {
            return "No changes on the clusters that could be read; \(plan.failedClusters.count) could not be planned."
                + (filesNote.isEmpty ? "" : " " + filesNote)
        }
        return filesNote.isEmpty
            ? "No changes. The clusters match the manifest."
            : "No changes to apply: the clusters match the manifest. " + filesNote
    }

    private func header(_ cluster: ClusterPlan, offline: Bool, accountsRead: Int?) -> String {
        var details = "\(cluster.endpoint):\(cluster.port)"
        if offline {
            details += ", offline: planned as if empty"
        } else if let read = accountsRead {
            details += ", \(read) \(read == 1 ? "account" : "accounts") read"
        }
        return paint("cluster \(cluster.name)", .bold) + "  (\(details))"
    }

    /// One action: symbol, object, then the statement or the change in words.
    public func line(_ action: PlannedAction) -> String {
        let account = action.statement.account
        if case .role(let role) = action.statement.grantee, let change = roleChange(action.statement) {
            return paint("~", .yellow) + " role  \(role)  " + change
        }
        switch action.statement {
        case .createUser(_, let requireSSL):
            return paint("+", .green) + " user  \(account)  \(AccountStatement.identifiedWithIAM)" + (requireSSL ? " " + AccountStatement.requireClause(true) : "")
        case .setIAMPlugin:
            return paint("~", .yellow) + " user  \(account)  plugin \(action.previous ?? "?") -> \(AccountStatement.pluginName) (password login stops working)"
        case .setRequireSSL(_, let required):
            return paint("~", .yellow) + " user  \(account)  \(action.previous ?? "?") -> \(AccountStatement.requireClause(required))"
        case .grant:
            return paint("+", .green) + " " + lowercasedKeyword(action.printableSQL)
        case .revoke, .revokeOther:
            return paint("-", .red) + " " + lowercasedKeyword(action.printableSQL)
        case .dropUser:
            return paint("-", .red) + " user  \(account)  (prune)"
        case .createRole(let role):
            return paint("+", .green) + " role  \(role)"
        case .grantRole, .liftPartialRevoke:
            return paint("+", .green) + " " + lowercasedKeyword(action.printableSQL)
        case .setDefaultRoles(_, let roles):
            return paint("~", .yellow) + " user  \(account)  default roles \(action.previous ?? "?") -> \(roles.map(\.description).joined(separator: ", "))"
        case .partialRevoke:
            return paint("-", .red) + " " + lowercasedKeyword(action.printableSQL) + "  (partial revoke)"
        }
    }

    /// A change to a role's privileges, in words: `+ SELECT ON shop.*`, `- role 'x'`.
    private func roleChange(_ statement: AccountStatement) -> String? {
        switch statement {
        case .grant(_, let target, let privileges): paint("+", .green) + " " + NameRules.printable("\(AccountStatement.privilegeList(privileges)) ON \(target)")
        case .revoke(_, let target, let privileges): paint("-", .red) + " " + NameRules.printable("\(AccountStatement.privilegeList(privileges)) ON \(target)")
        case .revokeOther(_, let other): paint("-", .red) + " \(other)"
        default: nil
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

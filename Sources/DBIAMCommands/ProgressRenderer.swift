import DBIAMCore
import DBIAMEngine

/// The lines `dbiam apply` prints while it works, and its closing summary.
enum ProgressRenderer {
    static func line(_ event: ApplyProgress) -> String {
        if let error = event.error {
            return "\(event.cluster): FAILED \(event.action.printableSQL): \(error)\n"
        }
        return "\(event.cluster): [\(event.count)/\(event.total)] \(event.action.printableSQL) ok\n"
    }

    /// How many statements of each kind a summary lists before it only counts them.
    static let listed = 10

    /// The summary after the clusters were applied: per cluster that did not finish, what
    /// ran, what failed and what did not run; then the totals. `isFailure` when a cluster
    /// failed or was interrupted: then it goes to stderr as well.
    /// - Parameters:
    ///   - plans: the plans applied, by cluster name, for the statements' SQL.
    ///   - alreadyApplied: clusters whose plan was already on them, so not applied again.
    static func summary(_ outcomes: [ApplyOutcome], plans: [String: ClusterPlan], alreadyApplied: [String]) -> (text: String, isFailure: Bool) {
        var text = "\n"
        var failed = 0, interrupted = 0
        for outcome in outcomes where !outcome.succeeded {
            let actions = plans[outcome.cluster]?.actions ?? []
            if let failure = outcome.failure {
                failed += 1
                text += "cluster \(outcome.cluster): \(outcome.ran.count) of \(outcome.total.counted("statement")) ran; "
                text += failure.verified
                    ? "\(failure.actions.count) failed (\(failure.error)); "
                    : "\(failure.actions.count) failed or may have run (\(failure.error)): the connection was lost before dbiam could check; "
                text += "\(outcome.notRun.count) did not run.\n"
                text += list(failure.verified ? "failed" : "failed or may have run", failure.actions, of: actions)
            } else {
                interrupted += 1
                text += "cluster \(outcome.cluster): interrupted: \(outcome.ran.count) of \(outcome.total.counted("statement")) ran; \(outcome.notRun.count) did not run.\n"
            }
            text += list("did not run", outcome.notRun, of: actions)
        }
        let applied = outcomes.count - failed - interrupted
        let summary = Plan.Summary(outcomes.filter(\.succeeded).flatMap { plans[$0.cluster]?.actions ?? [] })
        let already = alreadyApplied.isEmpty ? "" : " Already applied before: \(alreadyApplied.joined(separator: ", "))."
        if failed == 0 && interrupted == 0 {
            text += "Apply complete! \(summary.toAdd) added, \(summary.toChange) changed, \(summary.toDestroy) destroyed on \(applied.counted("cluster")).\(already)\n"
            return (text, false)
        }
        let ran = outcomes.reduce(0) { $0 + $1.ran.count }, notRun = outcomes.reduce(0) { $0 + $1.notRun.count }
        if failed > 0 {
            text += "Apply failed on \(failed) of \(outcomes.count.counted("cluster"))"
            if interrupted > 0 { text += " and was interrupted on \(interrupted)" }
            text += "; \(applied) applied completely."
        } else {
            text += "Apply interrupted: \(ran.counted("statement")) ran, \(notRun) did not run; \(applied) of \(outcomes.count.counted("cluster")) applied completely."
        }
        text += already + " Run dbiam plan to see what is left.\n"
        return (text, true)
    }

    /// `  did not run: SQL` for the first statements of `indices`, then how many more.
    private static func list(_ label: String, _ indices: [Int], of actions: [PlannedAction]) -> String {
        var text = ""
        for index in indices.prefix(listed) where actions.indices.contains(index) {
            text += "  \(label): \(actions[index].printableSQL)\n"
        }
        if indices.count > listed { text += "  … and \(indices.count - listed) more\n" }
        return text
    }
}

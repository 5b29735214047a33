import DBIAMCore
import DBIAMEngine

/// The lines `dbiam apply` prints while it works, and its closing summary.
enum ProgressRenderer {
    static func line(_ event: ApplyProgress) -> String {
        let position = "[\(event.index + 1)/\(event.total)]"
        if let error = event.error {
            return "\(event.cluster): \(position) \(event.action.sql) FAILED: \(error)\n"
        }
        return "\(event.cluster): \(position) \(event.action.sql) ok\n"
    }

    static func summary(_ outcomes: [ApplyOutcome], plan: Plan) -> String {
        var text = "\n"
        var failed = 0
        for outcome in outcomes where !outcome.succeeded {
            failed += 1
            let notRun = outcome.total - outcome.completed - (outcome.failure == nil ? 0 : 1)
            text += "cluster \(outcome.cluster): \(outcome.completed) of \(outcome.total) statements ran"
            if let failure = outcome.failure {
                text += "; statement \(failure.index + 1) failed (\(failure.error))"
            }
            text += "; \(notRun) did not run. Run dbiam plan to see what is left.\n"
        }
        let applied = outcomes.count - failed
        if failed == 0 {
            let summary = plan.summary
            text += "Apply complete! \(summary.toAdd) added, \(summary.toChange) changed, \(summary.toDestroy) destroyed on \(applied) \(applied == 1 ? "cluster" : "clusters").\n"
        } else {
            text += "Apply failed on \(failed) of \(outcomes.count) clusters; \(applied) applied completely.\n"
        }
        return text
    }
}

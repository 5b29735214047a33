import DBIAMCore
import DBIAMEngine

/// The lines `dbiam apply` prints while it works, and its closing summary.
enum ProgressRenderer {
    static func line(_ event: ApplyProgress) -> String {
        if let error = event.error {
            return "\(event.cluster): FAILED \(event.action.sql): \(error)\n"
        }
        return "\(event.cluster): [\(event.count)/\(event.total)] \(event.action.sql) ok\n"
    }

    static func summary(_ outcomes: [ApplyOutcome], plan: Plan) -> String {
        var text = "\n"
        var failed = 0
        for outcome in outcomes {
            guard let failure = outcome.failure else { continue }
            failed += 1
            text += "cluster \(outcome.cluster): \(outcome.ran.count) of \(outcome.total) statements ran; "
            if failure.verified {
                text += "\(failure.actions.count) failed (\(failure.error))"
            } else {
                text += "\(failure.actions.count) failed or may have run (\(failure.error)): the connection was lost before dbiam could check"
            }
            text += "; \(outcome.notRun.count) did not run. Run dbiam plan to see what is left.\n"
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

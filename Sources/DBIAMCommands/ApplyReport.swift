import AWSAPI
import DBIAMCore
import DBIAMEngine
import Synchronization

/// What `dbiam apply` says on stdout while it works and when it ends: lines for people,
/// or with `--json` JSON Lines for scripts (`ApplyJSONRenderer`), which then hold all
/// of stdout. Failures are said in words on stderr either way, as every failure is; in
/// text they are on stdout too, in their place.
final class ApplyReport: Sendable {
    /// When an attached policy is written: access is taken away before the database
    /// changes, and given to new accounts after them.
    enum PolicyStep: String, Sendable {
        case beforeDatabase = "before_database"
        case afterDatabase = "after_database"

        var words: String { self == .beforeDatabase ? "before the database" : "after the database" }
    }

    let json: Bool
    /// The saved plan applied, which the JSON summary names.
    let planPath: String

    /// What the JSON summary says, gathered as the apply goes.
    private struct Facts {
        /// Set when the apply ended without running its statements (refused, nothing to do).
        var outcome: String?
        var outcomes: [ApplyOutcome] = []
        var plans: [String: ClusterPlan] = [:]
        var alreadyApplied: [String] = []
        var policiesWritten = 0
        var notWidened: [(permissionSet: String, clusters: [String])] = []
        var errors: [String] = []
    }

    private let facts = Mutex(Facts())

    init(json: Bool, planPath: String) {
        self.json = json
        self.planPath = planPath
    }

    /// A statement that ran or failed, as the applier reports it, clusters in parallel.
    func statement(_ event: ApplyProgress) {
        let line = ProgressRenderer.line(event)
        if event.error != nil {
            // In JSON the failed statement's object comes with its cluster's end, when
            // dbiam knows whether the server could be asked about it.
            if json { Terminal.writeError(Terminal.errorPrefix + line) } else { Terminal.report(line, errorPrefix: Terminal.errorPrefix) }
        } else if json {
            Terminal.write(ApplyJSONRenderer.statement(cluster: event.cluster, index: event.index, total: event.total, action: event.action, outcome: .ok))
        } else {
            Terminal.write(line)
        }
    }

    /// A cluster's apply ended: in JSON, the statements that failed or did not run.
    func clusterEnded(_ outcome: ApplyOutcome, actions: [PlannedAction]) {
        if json { Terminal.write(ApplyJSONRenderer.unfinished(outcome, actions: actions)) }
    }

    /// Every cluster was applied, or stopped: the summary in words (on stderr too when
    /// one failed or was interrupted), which JSON keeps for its own summary.
    func databaseEnded(_ outcomes: [ApplyOutcome], plans: [String: ClusterPlan], alreadyApplied: [String]) {
        let (summary, isFailure) = ProgressRenderer.summary(outcomes, plans: plans, alreadyApplied: alreadyApplied)
        if json {
            if isFailure { Terminal.writeError(summary) }
            facts.withLock { $0.outcomes = outcomes; $0.plans = plans; $0.alreadyApplied = alreadyApplied }
        } else if isFailure {
            Terminal.report(summary)
        } else {
            Terminal.write(summary)
        }
    }

    func policyWritten(_ write: PolicyRollout.Write, result: String, step: PolicyStep) {
        if json {
            Terminal.write(ApplyJSONRenderer.policy(write, step: step, outcome: .ok, result: result))
            facts.withLock { $0.policiesWritten += 1 }
        } else {
            Terminal.write("policy \(write.permissionSet): \(result)\n")
        }
    }

    /// A write that failed, and the writes after it, which are not made.
    func policyFailed(_ write: PolicyRollout.Write, error: AWSError, rest: ArraySlice<PolicyRollout.Write>, step: PolicyStep) {
        let message = "policy \(write.permissionSet): \(error)"
        Terminal.error(message)
        if !rest.isEmpty { Terminal.error("not written \(step.words): \(rest.map(\.permissionSet).joined(separator: ", ")).") }
        guard json else { return }
        Terminal.write(ApplyJSONRenderer.policy(write, step: step, outcome: .failed, error: "\(error)") + notWritten(rest, step: step))
        facts.withLock { $0.errors.append(message) }
    }

    /// Writes not made because the apply was interrupted.
    func policiesInterrupted(_ rest: ArraySlice<PolicyRollout.Write>, step: PolicyStep) {
        let line = "policies not written \(step.words) (interrupted): \(rest.map(\.permissionSet).joined(separator: ", "))\n"
        if json {
            Terminal.writeError(Terminal.errorPrefix + line)
            Terminal.write(notWritten(rest, step: step))
        } else {
            Terminal.report(line, errorPrefix: Terminal.errorPrefix)
        }
    }

    private func notWritten(_ writes: ArraySlice<PolicyRollout.Write>, step: PolicyStep) -> String {
        writes.map { ApplyJSONRenderer.policy($0, step: step, outcome: .notRun) }.joined()
    }

    /// A policy left without the connections to accounts on clusters whose changes failed.
    func notWidened(_ permissionSet: String, clusters: [String]) {
        let line = "policy \(permissionSet): not widened to \(clusters.joined(separator: ", ")), whose changes failed; run dbiam plan again once the error is fixed.\n"
        if json {
            Terminal.writeError(Terminal.errorPrefix + line)
            facts.withLock { $0.notWidened.append((permissionSet, clusters)) }
        } else {
            Terminal.report(line, errorPrefix: Terminal.errorPrefix)
        }
    }

    /// The count of attached policies written, after the last (JSON: in the summary).
    func policiesWritten(_ count: Int) {
        if !json && count > 0 { Terminal.write("\(count.counted("attached policy", plural: "attached policies")) written to AWS.\n") }
    }

    func interruptedBeforeChanges() {
        let line = "Apply interrupted before any change; nothing was applied.\n"
        if json { Terminal.writeError(line) } else { Terminal.report(line) }
    }

    /// The clusters or policies cannot be applied: every reason, and nothing changed.
    func refused(_ problems: [String]) {
        for problem in problems { Terminal.error(problem.hasSuffix(".") ? problem : problem + ".") }
        Terminal.error("nothing was applied.")
        facts.withLock { $0.outcome = "refused"; $0.errors = problems }
    }

    /// Nothing to run: no changes, or the clusters hold them already.
    func nothingToApply(alreadyApplied: [String]) {
        facts.withLock { $0.outcome = alreadyApplied.isEmpty ? "no_changes" : "already_applied"; $0.alreadyApplied = alreadyApplied }
        guard !json else { return }
        Terminal.write(alreadyApplied.isEmpty
            ? "The plan has no changes to apply, and the clusters still match it.\n"
            : "The plan is already applied: \(alreadyApplied.joined(separator: ", ")) \(alreadyApplied.count == 1 ? "holds" : "hold") what it planned. Nothing was changed.\n")
    }

    /// The end: in JSON, the summary. `outcome` is how the apply ended, unless it ended
    /// without running (refused, nothing to apply), which it says itself.
    func finish(_ outcome: String) {
        guard json else { return }
        let facts = facts.withLock { $0 }
        Terminal.write(ApplyJSONRenderer.summary(
            outcome: facts.outcome ?? outcome, plan: planPath, outcomes: facts.outcomes, plans: facts.plans, alreadyApplied: facts.alreadyApplied,
            policiesWritten: facts.policiesWritten, notWidened: facts.notWidened, errors: facts.errors))
    }
}

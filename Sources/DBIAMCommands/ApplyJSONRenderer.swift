import DBIAMCore
import DBIAMEngine

/// `dbiam apply --json`: JSON Lines, one object per line with `type` first and
/// snake_case keys. A `statement` object for each planned statement as it runs (and,
/// when its cluster stops, for each that failed or did not run), a `policy` object for
/// each attached policy write, and one `summary` object at the end. Statements carry
/// their SQL, which holds no secret (IAM accounts have none); errors are the server's
/// and AWS's messages as dbiam prints them, with secrets already withheld.
enum ApplyJSONRenderer {
    enum Outcome: String {
        case ok, failed
        case notRun = "not_run"
    }

    /// Statement `index` (from 0) of a cluster's plan, written from 1, as it stands in
    /// the SQL file. `mayHaveRun`: it failed with the connection lost, so the server
    /// could not be asked whether it took effect.
    static func statement(
        cluster: String, index: Int, total: Int, action: PlannedAction, outcome: Outcome, error: String? = nil, mayHaveRun: Bool = false
    ) -> String {
        var members: [(String, JSONText)] = [
            ("type", .string("statement")), ("cluster", .string(cluster)), ("index", .number(index + 1)), ("total", .number(total)),
            ("sql", .string(action.sql)), ("outcome", .string(outcome.rawValue)),
        ]
        if let error { members.append(("error", .string(error))) }
        if mayHaveRun { members.append(("may_have_run", .bool(true))) }
        return JSONText.object(members).renderedOnOneLine()
    }

    /// The statements of a cluster that stopped: those that failed, then those not run.
    static func unfinished(_ outcome: ApplyOutcome, actions: [PlannedAction]) -> String {
        var lines = ""
        if let failure = outcome.failure {
            for index in failure.actions where actions.indices.contains(index) {
                lines += statement(
                    cluster: outcome.cluster, index: index, total: outcome.total, action: actions[index], outcome: .failed,
                    error: "\(failure.error)", mayHaveRun: !failure.verified)
            }
        }
        for index in outcome.notRun where actions.indices.contains(index) {
            lines += statement(cluster: outcome.cluster, index: index, total: outcome.total, action: actions[index], outcome: .notRun)
        }
        return lines
    }

    /// A write of an attached policy, `step` before or after the database changes.
    static func policy(
        _ write: PolicyRollout.Write, step: ApplyReport.PolicyStep, outcome: Outcome, result: String? = nil, error: String? = nil
    ) -> String {
        var members: [(String, JSONText)] = [
            ("type", .string("policy")), ("permission_set", .string(write.permissionSet)),
            ("target", .string(write.attachment.target(of: write.permissionSet))), ("step", .string(step.rawValue)),
            ("outcome", .string(outcome.rawValue)),
        ]
        if let result { members.append(("result", .string(result))) }
        if let error { members.append(("error", .string(error))) }
        return JSONText.object(members).renderedOnOneLine()
    }

    /// What the apply did, at its end.
    /// - Parameters:
    ///   - outcome: `applied`, `failed`, `interrupted`, `refused`, `no_changes` or `already_applied`.
    ///   - plans: the cluster plans applied, by name, for the counts.
    static func summary(
        outcome: String, plan: String, outcomes: [ApplyOutcome], plans: [String: ClusterPlan], alreadyApplied: [String],
        policiesWritten: Int, notWidened: [(permissionSet: String, clusters: [String])], errors: [String]
    ) -> String {
        let counts = Plan.Summary(outcomes.filter(\.succeeded).flatMap { plans[$0.cluster]?.actions ?? [] })
        let clusters: [JSONText] = outcomes.map { outcome in
            var members: [(String, JSONText)] = [
                ("cluster", .string(outcome.cluster)),
                ("outcome", .string(outcome.succeeded ? "applied" : outcome.failure != nil ? "failed" : "interrupted")),
                ("total", .number(outcome.total)), ("ran", .number(outcome.ran.count)),
                ("failed", .number(outcome.failure?.actions.count ?? 0)), ("not_run", .number(outcome.notRun.count)),
            ]
            if let failure = outcome.failure {
                members.append(("error", .string("\(failure.error)")))
                if !failure.verified { members.append(("may_have_run", .bool(true))) }
            }
            return .object(members)
        }
        return JSONText.object([
            ("type", .string("summary")), ("outcome", .string(outcome)), ("plan", .string(plan)),
            ("added", .number(counts.toAdd)), ("changed", .number(counts.toChange)), ("destroyed", .number(counts.toDestroy)),
            ("clusters", .array(clusters)), ("already_applied", .array(alreadyApplied.map(JSONText.string))),
            ("policies_written", .number(policiesWritten)),
            ("not_widened", .array(notWidened.map { .object([("permission_set", .string($0.permissionSet)), ("clusters", .array($0.clusters.map(JSONText.string)))]) })),
            ("errors", .array(errors.map(JSONText.string))),
        ]).renderedOnOneLine()
    }
}

import AWSAPI
import DBIAMCore
import DBIAMEngine
import FoundationEssentials
import MariaDB

/// How `dbiam apply` changes clusters, for a saved plan and for a plan it has just made.
/// Every cluster of the plan is read again (under its lock when it has changes), planned
/// again from the manifest, and applied only when that plan is the plan given: the
/// statements run are always the ones planned here, never ones taken from a file. If any
/// cluster cannot be applied, none is.
struct Applying {
    var file: ManifestFile
    /// Builds each cluster's plan again, as plan built the plan given.
    var builder: PlanBuilder
    var options: ClusterOptions
    var allowMassDrop: Bool
    var lockTimeout: LockTimeout
    /// Reads the AWS half again when the plan read it, and writes attached policies.
    var aws: AWSReader
    /// Where progress and results go: text, or JSON Lines with --json.
    var report: ApplyReport

    /// Applies `plan` on the open `sessions`, with Ctrl-C and SIGTERM caught; exits 1 when
    /// anything was refused or failed, 130 or 143 when interrupted.
    func run(_ plan: Plan, sessions: [Fleet.Reading]) async throws {
        let (ending, signal) = try await Interruption.run { await self.apply(plan, sessions: sessions) }
        report.finish(ending.rawValue)
        switch ending {
        case .done: return
        case .failed: throw ExitCodes.failure
        case .interrupted: throw signal.map(Interruption.exitCode) ?? ExitCodes.failure
        }
    }

    /// How the apply ended, in the words of the JSON summary.
    private enum Ending: String, Sendable {
        case done = "applied", failed, interrupted
    }

    /// One cluster read again (under its lock when it has changes): the state to plan
    /// again from, or why it could not be read.
    private struct Locked: Sendable {
        var saved: ClusterPlan
        var definition: Cluster?
        var session: ClusterSession?
        var state: LiveState?
        var problem: String?

        var holdsLock: Bool { state != nil && !saved.actions.isEmpty }
    }

    /// A cluster to apply: the plan made now, which equals the saved one, under its lock.
    private struct Ready: Sendable {
        var plan: ClusterPlan
        var definition: Cluster
        var session: ClusterSession
    }

    /// Every cluster of the plan is read again, those without changes too: a plan whose
    /// changes were taken out of the file is as edited as one with changes put in.
    private func apply(_ plan: Plan, sessions: [Fleet.Reading]) async -> Ending {
        // The AWS half is read again as the plan read it, while the clusters are locked and read.
        let readsAWS = plan.clusters.contains { $0.rds != nil } || plan.policies.contains { $0.live != nil }
        let definitions = plan.clusters.compactMap { file.manifest.cluster(named: $0.name) }
        let manifest = file.manifest, reader = aws
        async let awsState: AWSState? = readsAWS ? reader.read(manifest, clusters: definitions) : nil
        let locked = await lockAndRead(plan.clusters, sessions: sessions)
        let state = await awsState
        if Task.isCancelled {
            await Self.release(locked)
            report.interruptedBeforeChanges()
            return .interrupted
        }
        var (problems, alreadyApplied, ready) = check(locked, aws: state)
        let (policyProblems, policies) = checkPolicies(plan, aws: state)
        problems += policyProblems
        if !problems.isEmpty {
            await Self.release(locked)
            report.refused(problems)
            return .failed
        }
        await Self.release(locked.filter { cluster in !ready.contains { $0.plan.name == cluster.saved.name } })
        var current = plan
        current.policies = policies
        let rollout = PolicyRollout(plan: current, manifest: manifest)
        let before = rollout.beforeDatabase
        guard !ready.isEmpty || !before.isEmpty || !rollout.afterDatabase(succeeded: Set(plan.clusters.map(\.name))).isEmpty else {
            report.nothingToApply(alreadyApplied: alreadyApplied.map(\.saved.name))
            return .done
        }
        // 1. Policies that do not wait for the database: narrowings first.
        if !(await writePolicies(before, step: .beforeDatabase)) {
            for cluster in ready { await cluster.session.releaseApplyLock() }
            Terminal.error("the clusters were not changed.")
            return .failed
        }
        // 2. The database.
        var ending = Ending.done
        var failed = Set<String>()
        if !ready.isEmpty {
            let (databaseEnding, outcomes) = await execute(ready, alreadyApplied: alreadyApplied.map(\.saved.name))
            ending = databaseEnding
            failed = Set(outcomes.filter { !$0.succeeded }.map(\.cluster))
        }
        if ending == .interrupted { return .interrupted }
        // 3. Access to the accounts just made, on the clusters whose changes all succeeded.
        let succeeded = Set(plan.clusters.map(\.name)).subtracting(failed)
        for (permissionSet, clusters) in rollout.waitingFor where clusters.contains(where: failed.contains) {
            report.notWidened(permissionSet, clusters: clusters.filter(failed.contains))
        }
        let after = rollout.afterDatabase(succeeded: succeeded)
        if !(await writePolicies(after, step: .afterDatabase)) { return .failed }
        report.policiesWritten(before.count + after.count)
        return ending
    }

    /// The attached policies of the plan against what AWS holds now: a policy whose
    /// plan was made against another live document is stale; one that AWS holds
    /// already is left alone. Returns the problems and the policies to roll out.
    private func checkPolicies(_ plan: Plan, aws state: AWSState?) -> (problems: [String], policies: [PlannedPolicy]) {
        guard let state else { return ([], plan.policies) }
        let now = builder.build(readings: [:], documents: file.policyDocuments, aws: state).policies
        var problems: [String] = []
        var policies: [PlannedPolicy] = []
        for (saved, current) in zip(plan.policies, now) {
            switch (saved.live, current.live) {
            case (let before, let after) where before == after:
                policies.append(saved)
            case (.absent?, .same?), (.differs?, .same?):
                policies.append(current)
            case (_, .unreadable(let problem)?):
                problems.append("permission set \(saved.permissionSet): \(problem)")
            default:
                problems.append("permission set \(saved.permissionSet): its policy on AWS (\(saved.attachment.target(of: saved.permissionSet))) changed since the plan was made. Run dbiam plan again and review the new plan")
            }
        }
        return (problems, policies)
    }

    /// Writes policies one after another with a progress line each; false after the
    /// first failure, which is reported with what was not written.
    private func writePolicies(_ writes: [PolicyRollout.Write], step: ApplyReport.PolicyStep) async -> Bool {
        let writer = PolicyWriter(reader: aws)
        for (index, write) in writes.enumerated() {
            if Task.isCancelled {
                report.policiesInterrupted(writes[index...], step: step)
                return false
            }
            do throws(AWSError) {
                report.policyWritten(write, result: try await writer.write(write, manifest: file.manifest), step: step)
            } catch {
                report.policyFailed(write, error: error, rest: writes[(index + 1)...], step: step)
                return false
            }
        }
        return true
    }

    /// Takes the lock of every cluster with changes and reads every cluster, in parallel,
    /// before any is changed. After the first Ctrl-C, clusters not yet started are not.
    private func lockAndRead(_ work: [ClusterPlan], sessions: [Fleet.Reading]) async -> [Locked] {
        let definitions = Dictionary(file.manifest.clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let sessionsByName = Dictionary(sessions.map { ($0.cluster, $0) }, uniquingKeysWith: { first, _ in first })
        return await Fleet.forEach(work, parallelism: options.parallelism) { saved -> Locked in
            var locked = Locked(saved: saved, definition: definitions[saved.name], session: sessionsByName[saved.name]?.session)
            guard !Task.isCancelled else { return locked }
            guard let definition = locked.definition, let session = locked.session else {
                locked.problem = "cluster \(saved.name): \(sessionsByName[saved.name]?.failure ?? "the manifest has no such cluster")"
                return locked
            }
            if saved.actions.isEmpty {
                // Nothing will change there: read it to check the plan, without the lock.
                do throws(MariaDBError) {
                    locked.state = try await session.readState()
                } catch {
                    locked.problem = "cluster \(saved.name): \(error)"
                }
            } else {
                let wait = lockTimeout
                do throws(ApplyError) {
                    locked.state = try await session.lockAndRead(ApplyLock(resourceID: definition.resourceID), patience: wait.duration) { holder in
                        Terminal.writeError("dbiam: cluster \(saved.name): another dbiam apply holds its lock (connection \(holder)); waiting up to \(wait.text) for it to finish…\n")
                    }
                } catch {
                    locked.problem = "cluster \(saved.name): \(Self.explain(error, lockTimeout: wait))"
                }
            }
            return locked
        }
    }

    private static func release(_ clusters: [Locked]) async {
        for cluster in clusters where cluster.holdsLock { await cluster.session?.releaseApplyLock() }
    }

    /// Plans every locked cluster again and sorts them: why one cannot be applied, which
    /// hold the plan's changes already, and which to apply with the plan made now.
    private func check(_ locked: [Locked], aws: AWSState?) -> (problems: [String], alreadyApplied: [Locked], ready: [Ready]) {
        var problems: [String] = [], alreadyApplied: [Locked] = [], ready: [Ready] = []
        for cluster in locked {
            guard let state = cluster.state, let definition = cluster.definition, let session = cluster.session else {
                problems.append(cluster.problem ?? "cluster \(cluster.saved.name): not read")
                continue
            }
            let now = builder.clusterPlan(definition, reading: .live(state), rds: aws?.clusters[definition.name])
            if let failure = now.failure {
                problems.append("cluster \(definition.name): \(failure)")
                continue
            }
            switch ClusterPlanCheck(saved: cluster.saved, now: now, catalog: PrivilegeCatalog(engine: definition.engine)) {
            case .same where now.actions.isEmpty:
                continue
            case .same:
                let violations = SafetyRails.violations(now.actions, on: definition, manifest: file.manifest, live: state)
                if let drop = allowMassDrop ? nil : now.massDrop(maximumShare: options.maximumDropShare) {
                    problems.append("\(options.describe(drop)); if that is intended, run dbiam apply again with --allow-mass-drop")
                } else if !violations.isEmpty {
                    problems.append("cluster \(definition.name): dbiam refuses to run its own plan, which breaks its safety rules: \(violations.joined(separator: "; ")); please report this as a bug")
                } else {
                    ready.append(Ready(plan: now, definition: definition, session: session))
                }
            case .alreadyApplied(let newWarnings):
                alreadyApplied.append(cluster)
                for warning in newWarnings { Terminal.warning("cluster \(definition.name): \(warning)") }
            case .stale(let changes):
                let shown = changes.prefix(8).joined(separator: "; ") + (changes.count > 8 ? "; and \(changes.count - 8) more" : "")
                problems.append("cluster \(definition.name): the saved plan is stale; since it was planned, \(shown). Run dbiam plan again and review the new plan")
            case .edited(let difference):
                problems.append("cluster \(definition.name): the plan does not match what dbiam plans from the same manifest and the same accounts (\(difference)); it was changed after dbiam plan made it. Run dbiam plan again rather than editing the plan")
            }
        }
        return (problems, alreadyApplied, ready)
    }

    /// Runs the plans made now, clusters in parallel, with a line per statement and a
    /// summary, which goes to stderr too when a cluster failed or was interrupted.
    private func execute(_ ready: [Ready], alreadyApplied: [String]) async -> (Ending, [ApplyOutcome]) {
        let report = self.report
        let outcomes = await Fleet.forEach(ready, parallelism: options.parallelism) { cluster in
            let outcome = await cluster.session.apply(cluster.plan.actions, cluster: cluster.plan.name, engine: cluster.definition.engine) { event in
                report.statement(event)
            }
            report.clusterEnded(outcome, actions: cluster.plan.actions)
            return outcome
        }
        let plans = Dictionary(ready.map { ($0.plan.name, $0.plan) }, uniquingKeysWith: { first, _ in first })
        report.databaseEnded(outcomes, plans: plans, alreadyApplied: alreadyApplied)
        if outcomes.contains(where: \.interrupted) { return (.interrupted, outcomes) }
        return (outcomes.allSatisfy(\.succeeded) ? .done : .failed, outcomes)
    }

    static func explain(_ error: ApplyError, lockTimeout: LockTimeout) -> String {
        switch error {
        case .locked(let connection) where lockTimeout.seconds == 0:
            "another dbiam apply is running on this cluster (its connection \(connection) holds dbiam's apply lock); wait for it to finish, then run dbiam plan again, or let apply wait for it with --lock-timeout (such as 2m)"
        case .locked(let connection):
            "another dbiam apply is running on this cluster (its connection \(connection) holds dbiam's apply lock) and did not finish within --lock-timeout \(lockTimeout.text); wait for it to finish, then run dbiam plan again"
        case .database(let error):
            "\(error)"
        }
    }
}

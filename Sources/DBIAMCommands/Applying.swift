import DBIAMCore
import DBIAMEngine
import Foundation
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

    /// Applies `plan` on the open `sessions`, with Ctrl-C and SIGTERM caught; exits 1 when
    /// anything was refused or failed, 130 or 143 when interrupted.
    func run(_ plan: Plan, sessions: [Fleet.Reading]) async throws {
        let (ending, signal) = try await Interruption.run { await self.apply(plan, sessions: sessions) }
        switch ending {
        case .done: return
        case .failed: throw ExitCodes.failure
        case .interrupted: throw signal.map(Interruption.exitCode) ?? ExitCodes.failure
        }
    }

    private enum Ending: Sendable {
        case done, failed, interrupted
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
        let locked = await lockAndRead(plan.clusters, sessions: sessions)
        if Task.isCancelled {
            await Self.release(locked)
            Terminal.report("Apply interrupted before any change; nothing was applied.\n")
            return .interrupted
        }
        let (problems, alreadyApplied, ready) = check(locked)
        if !problems.isEmpty {
            await Self.release(locked)
            for problem in problems { Terminal.error(problem.hasSuffix(".") ? problem : problem + ".") }
            Terminal.error("nothing was applied.")
            return .failed
        }
        await Self.release(locked.filter { cluster in !ready.contains { $0.plan.name == cluster.saved.name } })
        guard !ready.isEmpty else {
            let names = alreadyApplied.map(\.saved.name).joined(separator: ", ")
            Terminal.write(alreadyApplied.isEmpty
                ? "The plan has no changes to apply, and the clusters still match it.\n"
                : "The plan is already applied: \(names) \(alreadyApplied.count == 1 ? "holds" : "hold") what it planned. Nothing was changed.\n")
            return .done
        }
        return await execute(ready, alreadyApplied: alreadyApplied.map(\.saved.name))
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
                do throws(ApplyError) {
                    locked.state = try await session.lockAndRead(ApplyLock(resourceID: definition.resourceID))
                } catch {
                    locked.problem = "cluster \(saved.name): \(Self.explain(error))"
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
    private func check(_ locked: [Locked]) -> (problems: [String], alreadyApplied: [Locked], ready: [Ready]) {
        var problems: [String] = [], alreadyApplied: [Locked] = [], ready: [Ready] = []
        for cluster in locked {
            guard let state = cluster.state, let definition = cluster.definition, let session = cluster.session else {
                problems.append(cluster.problem ?? "cluster \(cluster.saved.name): not read")
                continue
            }
            let now = builder.clusterPlan(definition, reading: .live(state))
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
    private func execute(_ ready: [Ready], alreadyApplied: [String]) async -> Ending {
        let outcomes = await Fleet.forEach(ready, parallelism: options.parallelism) { cluster in
            await cluster.session.apply(cluster.plan.actions, cluster: cluster.plan.name, engine: cluster.definition.engine) { event in
                let line = ProgressRenderer.line(event)
                if event.error == nil { Terminal.write(line) } else { Terminal.report(line, errorPrefix: "dbiam: error: ") }
            }
        }
        let plans = Dictionary(ready.map { ($0.plan.name, $0.plan) }, uniquingKeysWith: { first, _ in first })
        let (summary, isFailure) = ProgressRenderer.summary(outcomes, plans: plans, alreadyApplied: alreadyApplied)
        if isFailure { Terminal.report(summary) } else { Terminal.write(summary) }
        if outcomes.contains(where: \.interrupted) { return .interrupted }
        return outcomes.allSatisfy(\.succeeded) ? .done : .failed
    }

    static func explain(_ error: ApplyError) -> String {
        switch error {
        case .locked(let connection):
            "another dbiam apply is running on this cluster (its connection \(connection) holds dbiam's apply lock); wait for it to finish, then run dbiam plan again"
        case .database(let error):
            "\(error)"
        }
    }
}

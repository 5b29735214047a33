import ArgumentParser
import DBIAMCore
import DBIAMEngine
import Foundation

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the saved plan, or plan a manifest anew and apply it after asking.",
        discussion: """
            With no argument, applies the plan the last `dbiam plan` saved, without asking \
            (reviewing that plan was the approval), after checking that neither the clusters \
            nor the manifest changed since. With a manifest, plans anew, prints the plan and \
            asks before applying (--auto-approve skips the question).
            """
    )

    @Argument(help: "A manifest to plan and apply now; without it, the saved plan is applied.")
    var manifest: String?

    @Option(help: ArgumentHelp("The saved plan to apply (default: the last one dbiam plan saved).", valueName: "file"))
    var plan: String?

    @Flag(name: .customLong("auto-approve"), help: "Apply without asking.")
    var autoApprove = false

    @Flag(name: .customLong("allow-mass-drop"), help: "Apply a plan that drops more of a cluster's IAM users than --max-drop-percent allows.")
    var allowMassDrop = false

    @OptionGroup var clusterOptions: ClusterOptions

    func validate() throws {
        if manifest != nil && plan != nil {
            throw ValidationError("--plan applies a saved plan; give either a manifest or --plan, not both.")
        }
        if manifest == nil && !clusterOptions.clusters.isEmpty {
            throw ValidationError("--cluster limits planning; a saved plan already holds the clusters it was made for.")
        }
    }

    func run() async throws {
        if let manifest {
            try await planAndApply(manifest)
        } else {
            try await applySaved()
        }
    }

    private func planAndApply(_ path: String) async throws {
        let planning = try await Planning.load(path, options: clusterOptions, offline: false)
        let (plan, readings) = try await planning.makePlan()
        try planning.save(plan, json: try PlanJSONRenderer.render(plan))
        Terminal.write(PlanTextRenderer(color: Terminal.useColor).render(plan))
        if !plan.failedClusters.isEmpty {
            Terminal.error("\(plan.failedClusters.count) of \(plan.clusters.count) clusters could not be planned; nothing was applied.")
            throw ExitCodes.failure
        }
        guard plan.hasChanges else { return }
        try refuseMassDrops(plan)
        if !autoApprove {
            guard Terminal.stdinIsTerminal else {
                Terminal.error("apply needs a confirmation, and there is no terminal to ask on; review the plan and run dbiam apply --auto-approve, or apply the saved plan with dbiam apply.")
                throw ExitCodes.failure
            }
            guard Terminal.confirm("\nApply these changes? [y/N]") else {
                Terminal.write("Apply cancelled; nothing was changed.\n")
                throw ExitCodes.failure
            }
        }
        try await execute(plan, definitions: planning.file.manifest.clusters, sessions: readings)
    }

    private func applySaved() async throws {
        let planPath = try plan ?? savedPlanPath()
        let saved = try SavedPlan.load(planPath)
        if saved.offline {
            Terminal.error("\(planPath) was made with --offline, without reading the clusters, and cannot be applied; run dbiam plan \(saved.manifestPath) without --offline.")
            throw ExitCodes.failure
        }
        let file = try ManifestFile.load(saved.manifestPath)
        if file.digest != saved.manifestDigest {
            Terminal.error("the saved plan is stale: \(saved.manifestPath) changed since it was planned; run dbiam plan \(saved.manifestPath) again. Nothing was changed.")
            throw ExitCodes.failure
        }
        guard saved.hasChanges else {
            Terminal.write("No changes. The clusters matched the manifest when it was planned.\n")
            return
        }
        try refuseMassDrops(saved)
        var options = clusterOptions
        options.clusters = saved.clusters.filter { !$0.actions.isEmpty }.map(\.name)
        let planning = Planning(file: file, options: options)
        let clusters = try planning.selectedClusters()
        let sessions = await Fleet.connect(clusters, login: planning.login(), parallelism: options.parallelism)
        try await execute(saved, definitions: file.manifest.clusters, sessions: sessions)
    }

    private func savedPlanPath() throws -> String {
        let pointer = OutputLayout.lastPlanPointer(root: clusterOptions.outDirectory)
        guard let path = OutputFiles.read(pointer)?.trimmingCharacters(in: .whitespacesAndNewlines), !path.isEmpty else {
            Terminal.error("there is no saved plan in \(clusterOptions.outDirectory)/; run dbiam plan MANIFEST first, or give dbiam apply a manifest.")
            throw ExitCodes.failure
        }
        return path
    }

    /// Locks and re-checks every cluster that has changes, then applies them in
    /// parallel. If any cluster is locked, stale or unreachable, nothing is applied.
    /// `definitions`: the manifest's clusters, for their resource ids (the lock) and engines.
    private func execute(_ plan: Plan, definitions: [Cluster], sessions: [Fleet.Reading]) async throws {
        let work = plan.clusters.filter { !$0.actions.isEmpty }
        let sessionsByName = Dictionary(sessions.map { ($0.cluster, $0) }, uniquingKeysWith: { first, _ in first })
        let definitionsByName = Dictionary(definitions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Every cluster is locked and re-read (in parallel) before any is changed.
        let checks = await Fleet.forEach(work, parallelism: clusterOptions.parallelism) { cluster -> (ClusterPlan, (ClusterSession, Cluster)?, String?) in
            guard let session = sessionsByName[cluster.name]?.session, let definition = definitionsByName[cluster.name] else {
                return (cluster, nil, "cluster \(cluster.name): \(sessionsByName[cluster.name]?.failure ?? "not connected")")
            }
            do throws(ApplyError) {
                try await session.prepareApply(lock: ApplyLock(resourceID: definition.resourceID), expectedFingerprint: cluster.liveFingerprint)
                return (cluster, (session, definition), nil)
            } catch {
                return (cluster, nil, "cluster \(cluster.name): \(Self.explain(error))")
            }
        }
        let problems = checks.compactMap(\.2)
        let prepared = checks.compactMap { check in check.1.map { (check.0, $0.0, $0.1) } }
        if !problems.isEmpty {
            for (_, session, _) in prepared { await session.releaseApplyLock() }
            for problem in problems { Terminal.error(problem) }
            Terminal.error("nothing was applied.")
            throw ExitCodes.failure
        }

        // The policy documents are not written here: dbiam plan saved them with the plan.
        let outcomes = await Fleet.forEach(prepared, parallelism: clusterOptions.parallelism) { cluster, session, definition in
            await session.apply(cluster.actions, cluster: cluster.name, engine: definition.engine) { event in
                Terminal.write(ProgressRenderer.line(event))
            }
        }
        Terminal.write(ProgressRenderer.summary(outcomes, plan: plan))
        if outcomes.contains(where: { !$0.succeeded }) { throw ExitCodes.failure }
    }

    /// A plan that drops most of a cluster's IAM users is more often a broken manifest
    /// than an intent; it needs --allow-mass-drop.
    private func refuseMassDrops(_ plan: Plan) throws {
        let massDrops = allowMassDrop ? [] : clusterOptions.massDrops(in: plan)
        guard !massDrops.isEmpty else { return }
        for drop in massDrops {
            Terminal.error("\(clusterOptions.describe(drop)); if that is intended, run dbiam apply again with --allow-mass-drop.")
        }
        Terminal.error("nothing was applied.")
        throw ExitCodes.failure
    }

    static func explain(_ error: ApplyError) -> String {
        switch error {
        case .locked(let connection):
            "another dbiam apply is running on this cluster (its connection \(connection) holds dbiam's apply lock); wait for it to finish, then run dbiam plan again"
        case .stale:
            "the saved plan is stale: the cluster changed since it was planned; run dbiam plan again"
        case .database(let error):
            "\(error)"
        }
    }
}

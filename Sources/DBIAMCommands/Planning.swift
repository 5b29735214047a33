import ArgumentParser
import DBIAMCore
import DBIAMEngine
import FoundationEssentials
import MariaDB

/// The part of `plan` that `apply MANIFEST` repeats: read the clusters, build the plan,
/// save the files.
struct Planning {
    var file: ManifestFile
    var options: ClusterOptions
    /// The reads `load` started while the manifest was still being decoded; nil with
    /// `--offline`, which plans as if every cluster held none of the manifest's users.
    private var startedReads: Task<[Fleet.Reading], Never>?

    /// For work on the clusters other than planning (applying a saved plan).
    init(file: ManifestFile, options: ClusterOptions) {
        self.file = file
        self.options = options
    }

    /// Loads and lints the manifest and, unless `offline`, starts reading its clusters as
    /// soon as they are decoded and valid: the logins, the servers' work and the transfer
    /// of the grant tables then overlap the decoding of the users, most of a large
    /// manifest. When the rest of the manifest has errors, the reads are abandoned unused
    /// (they only read).
    static func load(_ path: String, options: ClusterOptions, offline: Bool) async throws -> Planning {
        var reads: Task<[Fleet.Reading], Never>?
        let file: ManifestFile
        // While the clusters are read, the server and the reads have the second core;
        // once they are done, they help decode the users.
        let helper = offline ? nil : SharedParts()
        do {
            // Offline, nothing is read: the users may have every core.
            file = try ManifestFile.load(path, lint: true, inParallel: offline, sharedWith: helper) { clusters in
                // An unknown --cluster is a usage error for makePlan to report; nothing to read.
                guard !offline, options.clusters.allSatisfy({ name in clusters.contains { $0.name == name } }) else { return }
                let selected = selection(of: clusters, options: options)
                let login = login(options: options, manifestPath: path)
                let wait = ClusterWait.onTerminal()
                reads = Task {
                    let readings = await Fleet.read(selected, login: login, parallelism: options.parallelism, progress: wait?.update)
                    wait?.finish()
                    helper?.help()
                    return readings
                }
            }
        } catch {
            // Exiting while a read is still logging in tears the TLS library down under
            // it (a crash), so the reads, bounded by their timeouts, end first.
            _ = await reads?.value
            throw error
        }
        var planning = Planning(file: file, options: options)
        planning.startedReads = reads
        return planning
    }

    /// Lets go of the connections the reads opened, so that each closes as a server
    /// expects, saying goodbye (one dropped without it is logged as an aborted
    /// connection): for a command that ends the process without freeing the rest.
    mutating func closeConnections(of readings: inout [Fleet.Reading]) {
        startedReads = nil
        for index in readings.indices { readings[index].session = nil }
    }

    var layout: OutputLayout { OutputLayout(root: options.outDirectory, manifestPath: file.path) }

    /// The manifest's clusters named by `--cluster`, or all; an unknown name is a usage error.
    func selectedClusters() throws -> [Cluster] {
        for name in options.clusters { _ = try file.cluster(named: name) }
        return Self.selection(of: file.manifest.clusters, options: options)
    }

    private static func selection(of clusters: [Cluster], options: ClusterOptions) -> [Cluster] {
        options.clusters.isEmpty ? clusters : clusters.filter { options.clusters.contains($0.name) }
    }

    func login() -> ClusterLogin { Self.login(options: options, manifestPath: file.path) }

    /// Whether the plan reads the AWS half: `--aws`, `--no-aws`, or what the manifest asks.
    func readsAWS(offline: Bool) -> Bool {
        !offline && (options.aws ?? file.manifest.usesAWS)
    }

    /// Reads AWS with the clients the AWS CLI would make: credentials from the chain,
    /// endpoints from AWS_ENDPOINT_URL* and the profile, each call within `--timeout`.
    func awsReader() -> AWSReader {
        let timeout = Duration.seconds(options.timeout)
        return AWSReader.configured(defaultProfile: options.profile, timeout: timeout, trace: options.verboseOptions.awsCalls)
    }

    private static func login(options: ClusterOptions, manifestPath: String) -> ClusterLogin {
        IAMTokens(profile: options.profile).clusterLogin(
            connectTimeout: options.connectTimeout, statementTimeout: options.timeout, resolvePath: { ManifestFile.resolve($0, nextTo: manifestPath) },
            trace: options.verboseOptions.roundTrips)
    }

    /// How this manifest's plan is built, by plan and again by apply. `planFolder`: where
    /// the plan is saved, which its reference to the manifest is relative to.
    func builder(planFolder: String) -> PlanBuilder {
        PlanBuilder(
            manifest: file.manifest, dbiamVersion: DBIAM.configuration.version,
            manifestReference: file.isStandardInput
                ? file.path : FilePaths.relative(FilePaths.physical(file.path), from: FilePaths.physical(planFolder)),
            manifestDigest: file.digest, digest: { Digest.sha256($0) })
    }

    /// Builds the plan from the reads `load` started (or none, offline), with the policy
    /// documents the lint rules made while the reads were under way.
    func makePlan() async throws -> (plan: Plan, readings: [Fleet.Reading]) {
        let clusters = try selectedClusters()
        var readings: [Fleet.Reading] = []
        var byName: [String: ClusterReading] = [:]
        let manifest = file.manifest
        let reader = awsReader()
        async let aws: AWSState? = readsAWS(offline: startedReads == nil) ? reader.read(manifest, clusters: clusters) : nil
        if let startedReads {
            readings = await startedReads.value
            for reading in readings { byName[reading.cluster] = reading.asClusterReading }
        } else {
            for cluster in clusters { byName[cluster.name] = .offline }
        }
        let plan = builder(planFolder: layout.folder).build(readings: byName, documents: file.policyDocuments, aws: await aws)
        return (plan, readings)
    }

    /// Writes the SQL of every planned cluster, the policy documents, the plan (given
    /// encoded, so it is encoded once) and the pointer `dbiam apply` follows; removes
    /// the SQL files of clusters the manifest no longer has and the policy files of its
    /// permission sets that are gone. Returns what the run saw besides the plan, for
    /// printing it, and why the files could not be written when they could not: the plan
    /// is printed all the same, for the caller to report the failure after it.
    func save(_ plan: Plan, encoded: SavedPlan.Encoded, readings: [Fleet.Reading]) throws -> (run: PlanRun, unsaved: OutputFiles.Failure?) {
        let prepared = try prepareSave(plan, readings: readings)
        return (prepared.run, finishSave(prepared, encoded: encoded))
    }

    /// `save` in two steps, so that a caller can encode a large plan's JSON while the rest
    /// is made and printed: everything but the plan file, then the writing.
    struct PreparedSave {
        var run: PlanRun
        var changes: [OutputFiles.Change]
        var removedClusters: [String]
        var manifest: String
    }

    func prepareSave(_ plan: Plan, readings: [Fleet.Reading]) throws -> PreparedSave {
        let layout = self.layout
        try layout.refuseAnotherManifest(file)
        var existing: [String: String] = [:]
        for name in OutputFiles.names(in: layout.policiesFolder, withExtension: "json") {
            existing[name] = OutputFiles.read(layout.policyPath(permissionSet: name))
        }
        let policyFiles = PolicyFile.changes(planned: plan.policies, existing: existing, path: layout.policyPath)
        // A cluster left out with --cluster keeps its file; one gone from the manifest does not.
        let defined = Set(file.manifest.clusters.map(\.name))
        let removedClusters = OutputFiles.names(in: layout.sqlFolder, withExtension: "sql").filter { !defined.contains($0) }
        var changes = removedClusters.map { OutputFiles.Change.remove(layout.sqlPath(cluster: $0)) }
        for cluster in plan.clusters {
            changes.append(.write(SQLFileRenderer.render(cluster, manifestPath: file.reviewPath, offline: plan.offline), to: layout.sqlPath(cluster: cluster.name)))
        }
        for policyFile in policyFiles {
            switch policyFile.status {
            case .new, .changed: changes.append(.write(policyFile.text ?? "", to: policyFile.path))
            case .removed: changes.append(.remove(policyFile.path))
            case .unchanged: break
            }
        }
        var accountsRead: [String: Int] = [:]
        for reading in readings { accountsRead[reading.cluster] = reading.state?.accounts.count }
        let run = PlanRun(manifestPath: file.reviewPath, accountsRead: accountsRead, policyFiles: policyFiles)
        return PreparedSave(run: run, changes: changes, removedClusters: removedClusters, manifest: plan.manifest)
    }

    func finishSave(_ prepared: PreparedSave, encoded: SavedPlan.Encoded) -> OutputFiles.Failure? {
        let layout = self.layout
        var changes = prepared.changes
        // The saved plan is for apply, not for review: only its owner reads it.
        changes.append(.writeParts(SavedPlan.parts(encoded, manifest: prepared.manifest), to: layout.planPath, mode: 0o600))
        changes.append(LastPlan.saved(layout.planPath, root: options.outDirectory).change(root: options.outDirectory))
        do {
            try OutputFiles(root: options.outDirectory).apply(changes)
        } catch {
            return error
        }
        for name in prepared.removedClusters {
            // On stderr: stdout may be the plan as JSON.
            Terminal.writeError("dbiam: removed \(layout.sqlPath(cluster: name)): cluster \(name) is no longer in the manifest.\n")
        }
        return nil
    }

    /// After the plan was printed: the files that could not be written, and what to do.
    /// Nothing else is written (a refused link leaves every file as it was); an older
    /// plan left in place is still checked against the manifest by `dbiam apply`.
    func reportUnsaved(_ failure: OutputFiles.Failure) -> ExitCode {
        Terminal.error(failure.message(otherwise: "make the folder writable or choose another with --out-dir.") + " The plan was not saved.")
        return ExitCodes.failure
    }

    /// The plan's warnings, which its text shows, on stderr too, and the mass drops apply
    /// will refuse.
    func warn(about plan: Plan) {
        // What AWS says is about a line of the manifest: said as the compilers say it.
        let manifest = file.manifest
        for cluster in plan.clusters {
            let line = manifest.cluster(named: cluster.name)?.position ?? SourcePosition(line: 1, column: 1)
            for error in cluster.rds?.errors ?? [] { Terminal.writeError(Diagnostic.error(error, at: line).formatted(file: file.displayPath) + "\n") }
            for warning in cluster.warnings { Terminal.warning("cluster \(cluster.name): \(warning)") }
            for warning in cluster.rds?.warnings ?? [] { Terminal.writeError(Diagnostic.warning(warning, at: line).formatted(file: file.displayPath) + "\n") }
            for note in cluster.rds?.notes ?? [] { Terminal.writeError(Diagnostic(.note, note, at: line).formatted(file: file.displayPath) + "\n") }
        }
        for policy in plan.policies {
            guard case .unreadable(let problem)? = policy.live, let set = manifest.permissionSets.first(where: { $0.name == policy.permissionSet }) else { continue }
            let line = set.fields["attach"] ?? set.position
            Terminal.writeError(Diagnostic.error("permission set \(policy.permissionSet): \(problem)", at: line).formatted(file: file.displayPath) + "\n")
        }
        for drop in options.massDrops(in: plan) {
            Terminal.warning("\(options.describe(drop)); dbiam apply refuses it without --allow-mass-drop.")
        }
    }

    /// Records that this manifest's plan failed, so that `dbiam apply` says so instead of
    /// applying an older plan.
    static func recordFailure(of manifest: String, because failure: String, options: ClusterOptions) {
        try? LastPlan.failed(ManifestFile.name(of: FilePaths.display(manifest)), because: failure).write(root: options.outDirectory)
    }
}

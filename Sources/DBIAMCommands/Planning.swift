import DBIAMCore
import DBIAMEngine
import Foundation
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

    /// Loads the manifest and, unless `offline`, starts reading its clusters as soon as
    /// they are decoded and valid: the logins, the servers' work and the transfer of the
    /// grant tables then overlap the decoding of the users, most of a large manifest.
    /// When the rest of the manifest has errors, the reads are abandoned unused (they
    /// only read).
    static func load(_ path: String, options: ClusterOptions, offline: Bool) async throws -> Planning {
        var reads: Task<[Fleet.Reading], Never>?
        let file: ManifestFile
        do {
            file = try ManifestFile.load(path) { clusters in
                // An unknown --cluster is a usage error for makePlan to report; nothing to read.
                guard !offline, options.clusters.allSatisfy({ name in clusters.contains { $0.name == name } }) else { return }
                let selected = selection(of: clusters, options: options)
                let login = login(options: options, manifestPath: path)
                reads = Task { await Fleet.read(selected, login: login, parallelism: options.parallelism) }
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

    var layout: OutputLayout { OutputLayout(root: options.outDirectory, stem: file.stem) }

    /// The manifest's clusters named by `--cluster`, or all; an unknown name is a usage error.
    func selectedClusters() throws -> [Cluster] {
        for name in options.clusters { _ = try file.cluster(named: name) }
        return Self.selection(of: file.manifest.clusters, options: options)
    }

    private static func selection(of clusters: [Cluster], options: ClusterOptions) -> [Cluster] {
        options.clusters.isEmpty ? clusters : clusters.filter { options.clusters.contains($0.name) }
    }

    func login() -> ClusterLogin { Self.login(options: options, manifestPath: file.path) }

    private static func login(options: ClusterOptions, manifestPath: String) -> ClusterLogin {
        IAMTokens(profile: options.profile).clusterLogin(
            connectTimeout: options.connectTimeout, statementTimeout: options.timeout, resolvePath: { ManifestFile.resolve($0, nextTo: manifestPath) })
    }

    /// Builds the plan from the reads `load` started (or none, offline). The policies,
    /// which need no cluster, are made while the reads are under way.
    func makePlan() async throws -> (plan: Plan, readings: [Fleet.Reading]) {
        let clusters = try selectedClusters()
        let layout = self.layout
        var previous: [String: String] = [:]
        for permissionSet in file.manifest.permissionSets {
            previous[permissionSet.name] = OutputFiles.read(layout.policyPath(permissionSet: permissionSet.name))
        }
        let builder = PlanBuilder(manifest: file.manifest, manifestPath: file.path, manifestDigest: file.digest)
        let policies = builder.policies(policyPath: { layout.policyPath(permissionSet: $0) }, previousPolicies: previous)

        var readings: [Fleet.Reading] = []
        var byName: [String: ClusterReading] = [:]
        if let startedReads {
            readings = await startedReads.value
            for reading in readings { byName[reading.cluster] = reading.asClusterReading }
        } else {
            for cluster in clusters { byName[cluster.name] = .offline }
        }
        let plan = builder.build(readings: byName, policies: policies)
        return (plan, readings)
    }

    /// Writes the SQL of every planned cluster, the policy documents, the plan (given
    /// with its JSON, so it is encoded once), and the pointer `dbiam apply` follows.
    func save(_ plan: Plan, json: String) throws {
        for cluster in plan.clusters {
            try OutputFiles.write(SQLFileRenderer.render(cluster, manifestPath: plan.manifestPath), to: layout.sqlPath(cluster: cluster.name))
        }
        for policy in plan.policies where policy.status != .unchanged {
            try OutputFiles.write(policy.text, to: policy.path)
        }
        try OutputFiles.write(SavedPlan.text(planJSON: json), to: layout.planPath)
        try OutputFiles.write(layout.planPath + "\n", to: OutputLayout.lastPlanPointer(root: options.outDirectory))
    }
}

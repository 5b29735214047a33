import DBIAMCore
import DBIAMEngine
import Foundation
import MariaDB

/// The part of `plan` that `apply MANIFEST` repeats: read the clusters, build the plan,
/// save the files.
struct Planning {
    var file: ManifestFile
    var options: ClusterOptions

    var layout: OutputLayout { OutputLayout(root: options.outDirectory, stem: file.stem) }

    /// The manifest's clusters named by `--cluster`, or all; an unknown name is a usage error.
    func selectedClusters() throws -> [Cluster] {
        guard !options.clusters.isEmpty else { return file.manifest.clusters }
        let known = file.manifest.clusters.map(\.name)
        for name in options.clusters where !known.contains(name) {
            Terminal.error("--cluster \(name): \(file.path) has no cluster of that name; it has \(known.joined(separator: ", ")).")
            throw ExitCodes.usage
        }
        return file.manifest.clusters.filter { options.clusters.contains($0.name) }
    }

    func login() -> ClusterLogin {
        let file = self.file
        let tokens = IAMTokens(profile: options.profile)
        return ClusterLogin(
            connectTimeout: options.connectTimeout, readTimeout: options.timeout, writeTimeout: options.timeout,
            environment: ProcessInfo.processInfo.environment,
            resolvePath: { file.resolve($0) }, iamToken: { try await tokens.token(cluster: $0, user: $0.admin.user) })
    }

    /// Reads every selected cluster (or none, offline) and builds the plan.
    func makePlan(offline: Bool) async throws -> (plan: Plan, readings: [Fleet.Reading]) {
        let clusters = try selectedClusters()
        var readings: [Fleet.Reading] = []
        var byName: [String: ClusterReading] = [:]
        if offline {
            for cluster in clusters { byName[cluster.name] = .offline }
        } else {
            readings = await Fleet.read(clusters, login: login(), parallelism: options.parallelism)
            for reading in readings { byName[reading.cluster] = reading.asClusterReading }
        }
        let layout = self.layout
        var previous: [String: String] = [:]
        for permissionSet in file.manifest.permissionSets {
            previous[permissionSet.name] = OutputFiles.read(layout.policyPath(permissionSet: permissionSet.name))
        }
        let builder = PlanBuilder(manifest: file.manifest, manifestPath: file.path, manifestDigest: file.digest)
        let plan = builder.build(readings: byName, policyPath: { layout.policyPath(permissionSet: $0) }, previousPolicies: previous)
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

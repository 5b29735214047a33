/// What reading one cluster gave, as the planner needs it.
public enum ClusterReading: Sendable {
    case live(LiveState)
    case failed(String)
    /// `--offline`: planned as if the cluster held none of the manifest's users.
    case offline
}

/// Puts a whole plan together: one `ClusterPlan` per cluster, in manifest order, and
/// the policy documents. `dbiam plan` builds the plan it saves with it, and `dbiam
/// apply` builds each cluster's plan again from what it reads under its lock.
public struct PlanBuilder: Sendable {
    public var manifest: Manifest
    public var dbiamVersion: String
    /// The manifest as the saved plan names it (relative to the plan's folder).
    public var manifestReference: String
    public var manifestDigest: String
    /// SHA-256 in lower-case hex, for the fingerprints: given by the caller, as the core
    /// does no cryptography.
    public var digest: @Sendable ([UInt8]) -> String

    public init(
        manifest: Manifest, dbiamVersion: String, manifestReference: String, manifestDigest: String,
        digest: @escaping @Sendable ([UInt8]) -> String
    ) {
        self.manifest = manifest
        self.dbiamVersion = dbiamVersion
        self.manifestReference = manifestReference
        self.manifestDigest = manifestDigest
        self.digest = digest
    }

    /// - Parameters:
    ///   - readings: by cluster name; a cluster without a reading is left out (`--cluster`).
    ///   - documents: the policy documents, when the caller made them already (they depend
    ///     on the manifest alone, so they can be made while the clusters are read).
    ///   - aws: what AWS holds, when the plan reads it (see `Manifest.usesAWS`).
    public func build(readings: [String: ClusterReading], documents: [PolicyDocument]? = nil, aws: AWSState? = nil) -> Plan {
        var offline = false
        var clusters: [ClusterPlan] = []
        for cluster in manifest.clusters {
            guard let reading = readings[cluster.name] else { continue }
            if case .offline = reading { offline = true }
            clusters.append(clusterPlan(cluster, reading: reading, rds: aws?.clusters[cluster.name]))
        }
        let attachments = Dictionary(manifest.permissionSets.map { ($0.name, $0.attachment) }, uniquingKeysWith: { first, _ in first })
        let policies = (documents ?? PolicyDocument.documents(for: manifest)).map { document in
            let attachment = attachments[document.permissionSet] ?? .none
            let live = attachment == .none ? nil : aws?.policies[document.permissionSet].map { LivePolicy(planned: document.text, reading: $0) }
            return PlannedPolicy(permissionSet: document.permissionSet, text: document.text, attachment: attachment, live: live)
        }
        let names = clusters.map(\.name)
        return Plan(
            dbiamVersion: dbiamVersion, manifest: manifestReference, manifestDigest: manifestDigest, offline: offline,
            clusters: clusters, selectedClusters: names.count == manifest.clusters.count ? nil : names, policies: policies)
    }

    /// What in `plan` differs from what the manifest alone gives (everything but what the
    /// clusters' accounts give): its manifest, its policies, which clusters it holds, in
    /// which order, and where they are. Nil when nothing does. `documents`: as for `build`.
    public func differenceFromManifest(_ plan: Plan, documents: [PolicyDocument]? = nil) -> String? {
        if plan.manifest != manifestReference { return "it names the manifest \(plan.manifest), not \(manifestReference)" }
        if plan.manifestDigest != manifestDigest { return "its manifest digest differs" }
        // What AWS holds (`live`) is read again by apply, not derived from the manifest.
        func manifestPart(_ policies: [PlannedPolicy]) -> [PlannedPolicy] { policies.map { PlannedPolicy(permissionSet: $0.permissionSet, text: $0.text, attachment: $0.attachment) } }
        if manifestPart(plan.policies) != build(readings: [:], documents: documents).policies { return "its policies differ from the manifest's" }
        let names = plan.clusters.map(\.name), all = manifest.clusters.map(\.name)
        if let selected = plan.selectedClusters, selected.count >= all.count || selected != all.filter(Set(selected).contains) {
            return "its clusters chosen with --cluster (\(selected.joined(separator: ", "))) are not some of the manifest's, once each and in its order"
        }
        if names != plan.selectedClusters ?? all {
            return "its clusters (\(names.joined(separator: ", "))) are not \(plan.selectedClusters == nil ? "the manifest's" : "the ones chosen with --cluster"), once each and in its order"
        }
        for saved in plan.clusters {
            guard let cluster = manifest.cluster(named: saved.name), saved.endpoint == cluster.endpoint, saved.port == cluster.port else {
                return "it names cluster \(saved.name) at \(saved.endpoint):\(saved.port), not where the manifest says"
            }
        }
        return nil
    }

    /// A read-only server refuses every change (error 1290): said before any statement,
    /// with the writer endpoint when RDS or the endpoint's name gives it.
    static func readerFailure(_ cluster: Cluster, rds: RDSReading?) -> String {
        var writer: String?
        if case .listed(let resources)? = rds {
            writer = resources.first { $0.readerEndpoints.contains(cluster.endpoint) }?.writerEndpoints.first
        }
        if writer == nil, cluster.endpoint.contains(".cluster-ro-") {
            writer = cluster.endpoint.replacing(".cluster-ro-", with: ".cluster-")
        }
        let advice = writer.map { "use the cluster (writer) endpoint \($0)" } ?? "use the cluster's writer endpoint (aws rds describe-db-clusters --query \"DBClusters[*].Endpoint\")"
        return "\(cluster.endpoint) is a reader endpoint (the server is read-only and refuses CREATE USER and GRANT); \(advice)"
    }

    /// One cluster's plan from what reading it gave, and from what RDS says of it when
    /// the plan reads AWS.
    public func clusterPlan(_ cluster: Cluster, reading: ClusterReading, rds: RDSReading? = nil) -> ClusterPlan {
        var plan = ClusterPlan(name: cluster.name, endpoint: cluster.endpoint, port: cluster.port)
        plan.rds = rds.map { RDSCheck(cluster: cluster, reading: $0) }
        switch reading {
        case .live(let state) where state.readOnly:
            plan.failure = Self.readerFailure(cluster, rds: rds)
        case .live(let state):
            let planner = Planner(manifest: manifest)
            if let problem = planner.whyNotPlannable(cluster, live: state) {
                plan.failure = problem
                break
            }
            let decision = planner.plan(cluster, live: state)
            plan.actions = decision.actions
            plan.warnings = decision.warnings
            plan.ownedIAMAccounts = decision.ownedIAMAccounts
            plan.liveFingerprint = digest(decision.dependencies)
        case .failed(let reason):
            plan.failure = reason
        case .offline:
            let decision = Planner(manifest: manifest).plan(cluster, live: .empty, offline: true)
            plan.actions = decision.actions
            plan.warnings = decision.warnings
        }
        return plan
    }
}

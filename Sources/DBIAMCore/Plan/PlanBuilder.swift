/// What reading one cluster gave, as the planner needs it.
public enum ClusterReading: Sendable {
    case live(LiveState, fingerprint: String)
    case failed(String)
    /// `--offline`: planned as if the cluster held none of the manifest's users.
    case offline
}

/// Puts a whole plan together: one `ClusterPlan` per cluster, in manifest order, and
/// the policy documents next to the ones already written.
public struct PlanBuilder: Sendable {
    public var manifest: Manifest
    public var manifestPath: String
    public var manifestDigest: String

    public init(manifest: Manifest, manifestPath: String, manifestDigest: String) {
        self.manifest = manifest
        self.manifestPath = manifestPath
        self.manifestDigest = manifestDigest
    }

    /// - Parameters:
    ///   - readings: by cluster name; a cluster without a reading is left out (`--cluster`).
    ///   - policyPath: where the document of a permission set is written.
    ///   - previousPolicies: the documents already on disk, by permission set.
    public func build(
        readings: [String: ClusterReading], policyPath: (String) -> String, previousPolicies: [String: String]
    ) -> Plan {
        build(readings: readings, policies: policies(policyPath: policyPath, previousPolicies: previousPolicies))
    }

    /// The plan from readings and the policies made beforehand: the policies depend on
    /// the manifest alone, so a caller can make them while the clusters are being read.
    public func build(readings: [String: ClusterReading], policies: [PolicyChange]) -> Plan {
        let planner = Planner(manifest: manifest)
        var offline = false
        var clusters: [ClusterPlan] = []
        for cluster in manifest.clusters {
            guard let reading = readings[cluster.name] else { continue }
            var plan = ClusterPlan(
                name: cluster.name, endpoint: cluster.endpoint, port: cluster.port, accountsRead: nil,
                liveFingerprint: nil, actions: [], warnings: [])
            switch reading {
            case .live(let state, let fingerprint):
                (plan.actions, plan.warnings) = planner.plan(cluster, live: state)
                plan.accountsRead = state.accounts.count
                plan.liveFingerprint = fingerprint
                plan.iamAccountsRead = state.accounts.count { Planner.owns($0, on: cluster) }
            case .failed(let reason):
                plan.failure = reason
            case .offline:
                offline = true
                (plan.actions, plan.warnings) = planner.plan(cluster, live: .empty)
            }
            clusters.append(plan)
        }
        return Plan(manifestPath: manifestPath, manifestDigest: manifestDigest, offline: offline, clusters: clusters, policies: policies)
    }

    /// Every permission set's document, new, changed or unchanged against the one on disk.
    public func policies(policyPath: (String) -> String, previousPolicies: [String: String]) -> [PolicyChange] {
        PolicyDocument.documents(for: manifest).map { document in
            let text = document.text
            let previous = previousPolicies[document.permissionSet]
            let status: PolicyChange.Status = previous == nil ? .new : previous == text ? .unchanged : .changed
            return PolicyChange(
                permissionSet: document.permissionSet, path: policyPath(document.permissionSet), status: status,
                previousText: status == .changed ? previous : nil, text: text)
        }
    }
}

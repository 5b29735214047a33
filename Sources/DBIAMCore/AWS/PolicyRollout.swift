/// In which order apply writes the attached policies around the database changes, so
/// that nobody ever holds a permission for an account that does not exist, and access
/// is taken away before anything is dropped (aws.md, "What apply writes"):
///
/// 1. before the database: each changed policy without the connections to accounts
///    this plan creates (a narrowing, and whatever else does not wait for the database);
/// 2. the database changes;
/// 3. after the database: the connections to the created accounts, on the clusters whose
///    changes all succeeded.
///
/// Pure: it decides from the plan and the manifest; the engine writes.
public struct PolicyRollout: Sendable {
    /// One write of one permission set's policy.
    public struct Write: Sendable, Hashable {
        public enum Change: Sendable, Hashable {
            case put(String)
            /// The set allows nothing yet (or any more): no policy at all, as an empty
            /// `Resource` list is not a valid document.
            case delete
        }

        public var permissionSet: String
        public var attachment: PolicyAttachment
        public var change: Change
    }

    private struct Pending {
        var policy: PlannedPolicy
        var permissionSet: PermissionSet
        /// The connections to accounts that exist before apply.
        var existing: [PermissionSetReach.Connection]
        /// Those to accounts this plan creates.
        var created: [PermissionSetReach.Connection]
    }

    private let manifest: Manifest
    private let pending: [Pending]

    public init(plan: Plan, manifest: Manifest) {
        self.manifest = manifest
        let reach = PermissionSetReach(manifest)
        var created = Set<[String]>()
        for cluster in plan.clusters {
            for action in cluster.actions {
                if case .createUser(let account, _) = action.statement { created.insert([cluster.name, account.user]) }
            }
        }
        let sets = Dictionary(manifest.permissionSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        pending = plan.policies.compactMap { policy in
            guard policy.attachment != .none, let permissionSet = sets[policy.permissionSet] else { return nil }
            switch policy.live {
            case .absent?, .differs?: break
            case .same?, .unreadable?, nil: return nil
            }
            let connections = reach.connections(of: permissionSet)
            let isCreated = { (connection: PermissionSetReach.Connection) in created.contains([connection.cluster.name, connection.userName]) }
            return Pending(
                policy: policy, permissionSet: permissionSet, existing: connections.filter { !isCreated($0) },
                created: connections.filter(isCreated))
        }
    }

    /// Step 1: what to write before the database changes.
    public var beforeDatabase: [Write] {
        pending.compactMap { item in
            let change = document(item, item.existing)
            switch (change, item.policy.live) {
            case (.delete, .absent?): return nil
            case (.put(let text), .differs(let previous)?) where Self.sameValue(text, previous): return nil
            default: return Write(permissionSet: item.policy.permissionSet, attachment: item.policy.attachment, change: change)
            }
        }
    }

    /// Step 3: what to write once the database changes are done, given the clusters
    /// whose changes all succeeded.
    public func afterDatabase(succeeded clusters: Set<String>) -> [Write] {
        pending.compactMap { item in
            let added = item.created.filter { clusters.contains($0.cluster.name) }
            guard !added.isEmpty else { return nil }
            return Write(permissionSet: item.policy.permissionSet, attachment: item.policy.attachment, change: document(item, item.existing + added))
        }
    }

    /// The clusters whose failure holds back a permission set's step 3, by set.
    public var waitingFor: [String: [String]] {
        var waiting: [String: [String]] = [:]
        for item in pending where !item.created.isEmpty {
            var names: [String] = []
            for connection in item.created where !names.contains(connection.cluster.name) { names.append(connection.cluster.name) }
            waiting[item.policy.permissionSet] = names
        }
        return waiting
    }

    private func document(_ item: Pending, _ connections: [PermissionSetReach.Connection]) -> Write.Change {
        guard !connections.isEmpty else { return .delete }
        let text = PolicyDocument(item.permissionSet, connections: connections, organization: manifest.organization).text
        return .put(text)
    }

    /// Whether two documents are the same JSON value.
    private static func sameValue(_ lhs: String, _ rhs: String) -> Bool {
        guard let left = JSONText(parsing: lhs), let right = JSONText(parsing: rhs) else { return lhs == rhs }
        return left.canonical == right.canonical
    }
}

/// Which (user, cluster) pairs each permission set lets its principals connect as: each of
/// its users on each cluster it names (by default every cluster) that the user is on.
/// The policy documents and the lint rules both read it, so they never disagree.
public struct PermissionSetReach: Sendable {
    public struct Connection: Sendable, Hashable {
        public var user: User
        public var cluster: Cluster
    }

    private let clusters: [Cluster]
    private let clustersByName: [String: Cluster]
    private let users: [User]
    /// Positions in `users`: a copy of a user retains all its strings and lists.
    private let userPositions: [String: Int]

    /// Indexes the manifest once, so that asking for every permission set stays linear.
    public init(_ manifest: Manifest) {
        clusters = manifest.clusters
        clustersByName = Dictionary(manifest.clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let users = manifest.users
        self.users = users
        userPositions = Dictionary(users.indices.map { (users[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// In the order of the permission set's users, then of its clusters (or the manifest's).
    public func connections(of permissionSet: PermissionSet) -> [Connection] {
        let candidates = permissionSet.clusters.map { $0.compactMap { clustersByName[$0] } } ?? clusters
        return permissionSet.users.compactMap { userPositions[$0].map { users[$0] } }.flatMap { user in
            candidates.filter { user.isOn($0.name) }.map { Connection(user: user, cluster: $0) }
        }
    }
}

/// Which (user, cluster) pairs each permission set lets its principals connect as: each of
/// its users on each cluster it names (by default every cluster) that the user is on.
/// The policy documents, the lint rules and the manifest's validation all read it, so they
/// never disagree.
public struct PermissionSetReach: Sendable {
    public struct Connection: Sendable, Hashable {
        public var user: User
        public var cluster: Cluster
    }

    /// Every cluster's name, in manifest order: what a permission set without `clusters:` names.
    private let clusterNames: [String]
    private let clustersByName: [String: Cluster]
    private let users: [User]
    /// Positions in `users`: a copy of a user retains all its strings and lists.
    private let userPositions: [String: Int]

    public init(_ manifest: Manifest) {
        self.init(clusters: manifest.clusters, users: manifest.users)
    }

    /// Indexes the clusters and users once, so that asking for every permission set stays
    /// linear. While a manifest is decoded, `clusters` and `users` are the ones without errors.
    init(clusters: [Cluster], users: [User]) {
        clusterNames = clusters.map(\.name)
        clustersByName = Dictionary(clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.users = users
        userPositions = Dictionary(users.indices.map { (users[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// In the order of the permission set's users, then of its clusters (or the manifest's).
    public func connections(of permissionSet: PermissionSet) -> [Connection] {
        pairs(of: permissionSet).compactMap { user, clusterName in
            clustersByName[clusterName].map { Connection(user: user, cluster: $0) }
        }
    }

    /// Whether `name` is one of the users: the manifest's validation leaves out a user with
    /// an error.
    func includesUser(named name: String) -> Bool {
        userPositions[name] != nil
    }

    /// Whether the permission set reaches any cluster, by name: a cluster it names that has
    /// an error of its own (and so is not among the clusters) still counts, so that the
    /// manifest's validation blames that cluster only once.
    func reachesAnyCluster(_ permissionSet: PermissionSet) -> Bool {
        !pairs(of: permissionSet).isEmpty
    }

    /// The definition `connections` and `reachesAnyCluster` share, on cluster names.
    private func pairs(of permissionSet: PermissionSet) -> [(user: User, clusterName: String)] {
        let candidates = permissionSet.clusters ?? clusterNames
        return permissionSet.users.compactMap { userPositions[$0].map { users[$0] } }.flatMap { user in
            candidates.filter(user.isOn).map { (user: user, clusterName: $0) }
        }
    }
}

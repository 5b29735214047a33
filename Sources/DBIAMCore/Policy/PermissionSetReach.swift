/// Which (user, cluster) pairs each permission set lets its principals connect as: each of
/// its users on each cluster it names (by default every cluster) that the user is on.
/// The policy documents, the lint rules and the manifest's validation all read it, so they
/// never disagree.
public struct PermissionSetReach: Sendable {
    /// One user on one cluster. It names the user and points into the clusters rather
    /// than holding copies: a manifest of ten thousand users has as many connections, and
    /// a copy of a cluster retains all its strings and lists.
    public struct Connection: Sendable, Hashable {
        public let userName: String
        private let clusters: [Cluster]
        /// Where its cluster is in the manifest's valid clusters.
        let clusterIndex: Int

        init(userName: String, clusters: [Cluster], clusterIndex: Int) {
            self.userName = userName
            self.clusters = clusters
            self.clusterIndex = clusterIndex
        }

        public var cluster: Cluster { clusters[clusterIndex] }

        public static func == (lhs: Connection, rhs: Connection) -> Bool {
            lhs.userName == rhs.userName && lhs.cluster.name == rhs.cluster.name
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(userName)
            hasher.combine(clusters[clusterIndex].name)
        }
    }

    private let clusters: [Cluster]
    private let clusterPositions: [String: Int]
    /// Each user's clusters, by user name: all that a connection needs of a user.
    private let userClusters: [String: User.Clusters]

    public init(_ manifest: Manifest) {
        self.init(clusters: manifest.clusters, users: manifest.users)
    }

    /// Indexes the clusters and users once, so that asking for every permission set stays
    /// linear. While a manifest is decoded, `clusters` and `users` are the ones without errors.
    init(clusters: [Cluster], users: [User]) {
        self.clusters = clusters
        clusterPositions = Dictionary(clusters.indices.map { (clusters[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        userClusters = Dictionary(users.map { ($0.name, $0.clusters) }, uniquingKeysWith: { first, _ in first })
    }

    /// In the order of the permission set's users, then of its clusters (or the manifest's).
    public func connections(of permissionSet: PermissionSet) -> [Connection] {
        var connections: [Connection] = []
        connections.reserveCapacity(permissionSet.users.count)
        forEachPair(of: permissionSet) { user, clusterIndex in
            connections.append(Connection(userName: user, clusters: clusters, clusterIndex: clusterIndex))
        }
        return connections
    }

    /// The clusters of the user with this name, when it is one of the users.
    public func clusters(ofUserNamed name: String) -> User.Clusters? {
        userClusters[name]
    }

    /// Whether `name` is one of the users: the manifest's validation leaves out a user with
    /// an error.
    func includesUser(named name: String) -> Bool {
        userClusters[name] != nil
    }

    /// Whether the permission set reaches any cluster, by name: a cluster it names that has
    /// an error of its own (and so is not among the clusters) still counts, so that the
    /// manifest's validation blames that cluster only once.
    func reachesAnyCluster(_ permissionSet: PermissionSet) -> Bool {
        permissionSet.users.contains { name in
            guard let on = userClusters[name] else { return false }
            guard let named = permissionSet.clusters else { return true }
            return named.contains(where: on.includes)
        }
    }

    /// The definition `connections` and `reachesAnyCluster` share: each user of the set
    /// with each cluster it reaches, by position in `clusters`.
    private func forEachPair(of permissionSet: PermissionSet, _ body: (String, Int) -> Void) {
        for name in permissionSet.users {
            guard let on = userClusters[name] else { continue }
            if let named = permissionSet.clusters {
                for cluster in named where on.includes(cluster) {
                    if let index = clusterPositions[cluster] { body(name, index) }
                }
                continue
            }
            switch on {
            case .all:
                for index in clusters.indices { body(name, index) }
            case .named(let names) where names.count == 1:
                if let index = clusterPositions[names[0]] { body(name, index) }
            case .named(let names):
                for index in names.compactMap({ clusterPositions[$0] }).sorted() { body(name, index) }
            }
        }
    }
}

/// What several rules need about a manifest, worked out once per run, each part when a
/// rule first asks for it: `plan` runs the error rules only, which on most manifests
/// read neither the grants nor the users' clusters.
public struct LintContext: Sendable {
    /// The IAM policy document of every permission set, in manifest order.
    public let documents: [PolicyDocument]
    /// Every grant with the user or role that holds it, in file order (users first).
    /// Made once: a dozen rules read every grant, and the holder is a few fields rather
    /// than the whole user, whose copy would retain all its strings and lists.
    public var grants: [(holder: GrantHolder, grant: Grant)] { grantIndex.value.grants }
    private let grantIndex: OnceValue<GrantIndex>
    /// Who reaches what: also the users' clusters by name, for rules that follow a
    /// permission set's user names on large manifests.
    private let reach: OnceValue<PermissionSetReach>
    /// Names of the clusters at least one user is on (a user on `["*"]` is on every one).
    public let clustersWithUsers: Set<String>
    /// The (user, cluster) pairs of each permission set, by permission set name.
    private let connectionsByPermissionSet: [String: [PermissionSetReach.Connection]]

    public init(_ manifest: Manifest) {
        let reach = OnceValue { PermissionSetReach(manifest) }
        let sets = manifest.permissionSets
        // Each set's document is its own: a manifest of a thousand sets makes them on every core.
        let ranges = Parallel.ranges(sets.count, parts: sets.count / 200)
        // Without sets nothing asks who reaches what: the users' clusters are not gathered.
        let made: [([PermissionSetReach.Connection], PolicyDocument)] = sets.isEmpty ? [] : Parallel.map(ranges.count) { part in
            sets[ranges[part]].map { set in
                let connections = reach.value.connections(of: set)
                return (connections, PolicyDocument(set, connections: connections, organization: manifest.organization))
            }
        }.flatMap { $0 }
        documents = made.map(\.1)
        connectionsByPermissionSet = Dictionary(zip(sets.map(\.name), made.map(\.0)), uniquingKeysWith: { first, _ in first })
        grantIndex = OnceValue { GrantIndex(manifest) }
        self.reach = reach
        clustersWithUsers = Self.clustersWithUsers(manifest)
    }

    /// Every grant with its holder, and where the grants that hold each privilege are.
    private struct GrantIndex: Sendable {
        var grants: [(holder: GrantHolder, grant: Grant)] = []
        /// Positions in `grants`, in file order. Most rules look for privileges that few
        /// grants hold: they read those grants only, not every grant of 10,000 users.
        var positionsByPrivilege: [Privilege: [Int]] = [:]

        init(_ manifest: Manifest) {
            grants.reserveCapacity(manifest.users.count)
            for user in manifest.users {
                let holder = GrantHolder(name: user.name, isRole: false, clusters: user.clusters)
                for grant in user.grants { grants.append((holder, grant)) }
            }
            for role in manifest.roles {
                let holder = GrantHolder(name: role.name, isRole: true, clusters: role.clusters)
                for grant in role.grants { grants.append((holder, grant)) }
            }
            for (position, (_, grant)) in grants.enumerated() {
                for privilege in grant.privileges { positionsByPrivilege[privilege, default: []].append(position) }
            }
        }
    }

    /// The grants that hold a privilege that `isIncluded`, as written (ALL is not
    /// spelled out), in file order.
    public func grants(holding isIncluded: (Privilege) -> Bool) -> [(holder: GrantHolder, grant: Grant)] {
        let index = grantIndex.value
        var positions: [Int] = []
        var privileges = 0
        for (privilege, found) in index.positionsByPrivilege where isIncluded(privilege) {
            positions += found
            privileges += 1
        }
        // One privilege's positions are in order already; a grant may hold several.
        if privileges > 1 { positions = Set(positions).sorted() }
        return positions.map { index.grants[$0] }
    }

    /// The (user, cluster) pairs a permission set's policy allows, as `PermissionSetReach` says.
    public func connections(of permissionSet: PermissionSet) -> [PermissionSetReach.Connection] {
        connectionsByPermissionSet[permissionSet.name] ?? []
    }

    /// The clusters of the user with this name, as the manifest lists them.
    public func clusters(ofUserNamed name: String) -> User.Clusters? {
        reach.value.clusters(ofUserNamed: name)
    }

    /// The clusters a user is on, in manifest order.
    public func clusters(of user: User, in manifest: Manifest) -> [Cluster] {
        manifest.clusters.filter { user.isOn($0.name) }
    }

    private static func clustersWithUsers(_ manifest: Manifest) -> Set<String> {
        let all = Set(manifest.clusters.map(\.name))
        var names = Set<String>()
        for user in manifest.users {
            switch user.clusters {
            case .all: return all
            case .named(let userClusters): names.formUnion(userClusters)
            }
            // Every cluster has a user: the other thousands of users change nothing.
            if names.count == all.count && names == all { return all }
        }
        return names
    }
}

/// Who holds a grant: a user, or a role (whose grants reach every user given it).
public struct GrantHolder: Sendable, CustomStringConvertible {
    public let name: String
    public let isRole: Bool
    public let clusters: User.Clusters

    public func isOn(_ clusterName: String) -> Bool {
        clusters.includes(clusterName)
    }

    /// `user 'name'` or `role 'name'`, as findings name it.
    public var description: String {
        isRole ? "role '\(name)'" : "user '\(name)'"
    }
}

/// What several rules need about a manifest, worked out once per run.
public struct LintContext: Sendable {
    /// The IAM policy document of every permission set, in manifest order.
    public let documents: [PolicyDocument]
    /// Every grant with the user or role that holds it, in file order (users first).
    /// Made once: a dozen rules read every grant, and the holder is a few fields rather
    /// than the whole user, whose copy would retain all its strings and lists.
    public let grants: [(holder: GrantHolder, grant: Grant)]
    /// Where in `grants` the grants that hold each privilege are, in file order. Most
    /// rules look for privileges that few grants hold: they read those grants only, not
    /// every grant of 10,000 users.
    private let grantPositionsByPrivilege: [Privilege: [Int]]
    /// Who reaches what: also the users' clusters by name, for rules that follow a
    /// permission set's user names on large manifests.
    private let reach: PermissionSetReach
    /// Names of the clusters at least one user is on (a user on `["*"]` is on every one).
    public let clustersWithUsers: Set<String>
    /// The (user, cluster) pairs of each permission set, by permission set name.
    private let connectionsByPermissionSet: [String: [PermissionSetReach.Connection]]

    public init(_ manifest: Manifest) {
        let reach = PermissionSetReach(manifest)
        let sets = manifest.permissionSets
        // Each set's document is its own: a manifest of a thousand sets makes them on every
        // core, and the grants and their index are made alongside, as one more part.
        let ranges = Parallel.ranges(sets.count, parts: sets.count / 200)
        let parts = Parallel.map(ranges.count + 1) { part -> Part in
            guard part < ranges.count else {
                let (grants, byPrivilege) = Self.grants(of: manifest)
                return .grants(grants, byPrivilege: byPrivilege)
            }
            return .documents(sets[ranges[part]].map { set in
                let connections = reach.connections(of: set)
                return (connections, PolicyDocument(set, connections: connections, organization: manifest.organization))
            })
        }
        var made: [([PermissionSetReach.Connection], PolicyDocument)] = []
        made.reserveCapacity(sets.count)
        var grants: [(holder: GrantHolder, grant: Grant)] = []
        var positions: [Privilege: [Int]] = [:]
        for part in parts {
            switch part {
            case .documents(let documents): made += documents
            case .grants(let all, let byPrivilege): (grants, positions) = (all, byPrivilege)
            }
        }
        documents = made.map(\.1)
        connectionsByPermissionSet = Dictionary(zip(sets.map(\.name), made.map(\.0)), uniquingKeysWith: { first, _ in first })
        self.grants = grants
        grantPositionsByPrivilege = positions
        self.reach = reach
        clustersWithUsers = Self.clustersWithUsers(manifest)
    }

    /// What a part of `init` makes.
    private enum Part: Sendable {
        case documents([([PermissionSetReach.Connection], PolicyDocument)])
        case grants([(holder: GrantHolder, grant: Grant)], byPrivilege: [Privilege: [Int]])
    }

    /// Every grant with its holder, and where the grants holding each privilege are.
    private static func grants(of manifest: Manifest) -> ([(holder: GrantHolder, grant: Grant)], byPrivilege: [Privilege: [Int]]) {
        var grants: [(holder: GrantHolder, grant: Grant)] = []
        grants.reserveCapacity(manifest.users.count)
        for user in manifest.users {
            let holder = GrantHolder(name: user.name, isRole: false, clusters: user.clusters)
            for grant in user.grants { grants.append((holder, grant)) }
        }
        for role in manifest.roles {
            let holder = GrantHolder(name: role.name, isRole: true, clusters: role.clusters)
            for grant in role.grants { grants.append((holder, grant)) }
        }
        var positions: [Privilege: [Int]] = [:]
        for (position, (_, grant)) in grants.enumerated() {
            for privilege in grant.privileges { positions[privilege, default: []].append(position) }
        }
        return (grants, positions)
    }

    /// The grants that hold a privilege that `isIncluded`, as written (ALL is not
    /// spelled out), in file order.
    public func grants(holding isIncluded: (Privilege) -> Bool) -> [(holder: GrantHolder, grant: Grant)] {
        var positions: [Int] = []
        var privileges = 0
        for (privilege, found) in grantPositionsByPrivilege where isIncluded(privilege) {
            positions += found
            privileges += 1
        }
        // One privilege's positions are in order already; a grant may hold several.
        if privileges > 1 { positions = Set(positions).sorted() }
        return positions.map { grants[$0] }
    }

    /// The (user, cluster) pairs a permission set's policy allows, as `PermissionSetReach` says.
    public func connections(of permissionSet: PermissionSet) -> [PermissionSetReach.Connection] {
        connectionsByPermissionSet[permissionSet.name] ?? []
    }

    /// The clusters of the user with this name, as the manifest lists them.
    public func clusters(ofUserNamed name: String) -> User.Clusters? {
        reach.clusters(ofUserNamed: name)
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

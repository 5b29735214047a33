/// What several rules need about a manifest, worked out once per run.
public struct LintContext: Sendable {
    /// The IAM policy document of every permission set, in manifest order.
    public let documents: [PolicyDocument]
    private let users: [User]
    private let roles: [Role]
    /// Every grant with the user or role that holds it, in file order (users first).
    /// Made as the rules ask, not kept: a large manifest holds tens of thousands.
    public var grants: some Sequence<(holder: GrantHolder, grant: Grant)> {
        let userGrants = users.lazy.flatMap { user in user.grants.lazy.map { (holder: GrantHolder.user(user), grant: $0) } }
        let roleGrants = roles.lazy.flatMap { role in role.grants.lazy.map { (holder: GrantHolder.role(role), grant: $0) } }
        return [AnySequence(userGrants), AnySequence(roleGrants)].lazy.joined()
    }
    /// Users by name, for rules that follow a permission set's user names on large manifests.
    public let usersByName: [String: User]
    /// Names of the clusters at least one user is on (a user on `["*"]` is on every one).
    public let clustersWithUsers: Set<String>
    /// The (user, cluster) pairs of each permission set, by permission set name.
    private let connectionsByPermissionSet: [String: [PermissionSetReach.Connection]]

    public init(_ manifest: Manifest) {
        let reach = PermissionSetReach(manifest)
        let connections = manifest.permissionSets.map { reach.connections(of: $0) }
        documents = zip(manifest.permissionSets, connections).map {
            PolicyDocument($0, connections: $1, organization: manifest.organization)
        }
        connectionsByPermissionSet = Dictionary(
            zip(manifest.permissionSets.map(\.name), connections), uniquingKeysWith: { first, _ in first })
        users = manifest.users
        roles = manifest.roles
        usersByName = Dictionary(manifest.users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        clustersWithUsers = Self.clustersWithUsers(manifest)
    }

    /// The (user, cluster) pairs a permission set's policy allows, as `PermissionSetReach` says.
    public func connections(of permissionSet: PermissionSet) -> [PermissionSetReach.Connection] {
        connectionsByPermissionSet[permissionSet.name] ?? []
    }

    /// The clusters a user is on, in manifest order.
    public func clusters(of user: User, in manifest: Manifest) -> [Cluster] {
        manifest.clusters.filter { user.isOn($0.name) }
    }

    private static func clustersWithUsers(_ manifest: Manifest) -> Set<String> {
        var names = Set<String>()
        for user in manifest.users {
            switch user.clusters {
            case .all: return Set(manifest.clusters.map(\.name))
            case .named(let userClusters): names.formUnion(userClusters)
            }
        }
        return names
    }
}

/// Who holds a grant: a user, or a role (whose grants reach every user given it).
public enum GrantHolder: Sendable, CustomStringConvertible {
    case user(User)
    case role(Role)

    public var name: String {
        switch self {
        case .user(let user): user.name
        case .role(let role): role.name
        }
    }

    public func isOn(_ clusterName: String) -> Bool {
        switch self {
        case .user(let user): user.isOn(clusterName)
        case .role(let role): role.isOn(clusterName)
        }
    }

    /// `user 'name'` or `role 'name'`, as findings name it.
    public var description: String {
        switch self {
        case .user(let user): "user '\(user.name)'"
        case .role(let role): "role '\(role.name)'"
        }
    }
}

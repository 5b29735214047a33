/// What several rules need about a manifest, worked out once per run.
public struct LintContext: Sendable {
    /// The (user, cluster) pairs each permission set reaches, as its policy allows them.
    public let reach: PermissionSetReach
    /// The IAM policy document of every permission set, in manifest order.
    public let documents: [PolicyDocument]
    /// Every grant with the user it belongs to, in file order.
    public let grants: [(user: User, grant: Grant)]
    /// Users by name, for rules that follow a permission set's user names on large manifests.
    public let usersByName: [String: User]

    public init(_ manifest: Manifest) {
        reach = PermissionSetReach(manifest)
        documents = PolicyDocument.documents(for: manifest)
        grants = manifest.users.flatMap { user in user.grants.map { (user: user, grant: $0) } }
        usersByName = Dictionary(manifest.users.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The clusters a user is on, in manifest order.
    public func clusters(of user: User, in manifest: Manifest) -> [Cluster] {
        manifest.clusters.filter { user.isOn($0.name) }
    }
}

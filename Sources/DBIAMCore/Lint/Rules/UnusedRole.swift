/// DBIAM306: a role no user is given.
public struct UnusedRole: LintRule {
    public init() {}

    public let id = "DBIAM306"
    public let name = "UnusedRole"
    public let severity = Diagnostic.Severity.note
    public let summary = "No user is given a role."
    public let help = """
        A role under `roles:` that no user lists in its `roles:` is still created on its \
        clusters and kept in line with its grants, but nobody holds its privileges: it is \
        usually a role whose users were forgotten, or a typo in a user's `roles:` that \
        named another role. dbiam never drops a role, so removing it from the manifest \
        leaves it on the clusters; drop it there by hand once no one needs it.

        Give the role to the users that need it, or remove it from the manifest.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        guard !manifest.roles.isEmpty else { return [] }
        let given = Set(manifest.users.flatMap(\.roles))
        return manifest.roles.filter { !given.contains($0.name) }.map { role in
            finding("no user is given role '\(role.name)'; add it to the roles of the users that need it, or remove it from the manifest.", at: role.position)
        }
    }
}

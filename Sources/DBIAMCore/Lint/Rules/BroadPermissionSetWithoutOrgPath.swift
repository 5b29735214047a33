/// DBIAM101: the how-to's advice that a wide resource is too broad unless bound to
/// AWS Organizations, applied to what a permission set reaches.
public struct BroadPermissionSetWithoutOrgPath: LintRule {
    public init() {}

    public let id = "DBIAM101"
    public let name = "BroadPermissionSetWithoutOrgPath"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A permission set reaches every cluster, or clusters in several AWS accounts, without an org_path."
    public let help = """
        A permission set whose user is on `clusters: ["*"]` (and that does not limit itself \
        with `clusters:`) reaches every cluster of the manifest, including every cluster \
        added later; a permission set whose clusters live in several AWS accounts is a \
        cross-account grant. Such a policy is the counterpart of a wildcard resource \
        (`arn:aws:rds-db:*:*:dbuser:*/USER`), which is too broad unless it is bound to AWS \
        Organizations.

        When the manifest defines an `organization`, give the permission set an `org_path`: \
        its policy then carries a `ForAnyValue:StringLike` condition on \
        `aws:PrincipalOrgPaths`, so it only works for principals in accounts under that OU. \
        A copy of the permission set or of its policy in an account outside the OU (a \
        sandbox, a vendor's account) allows nothing. Alternatively, limit the permission set \
        to the clusters it needs with `clusters: [...]`.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        guard manifest.organization != nil else { return [] }
        return manifest.permissionSets.compactMap { permissionSet in
            guard permissionSet.orgPath == nil else { return nil }
            let everywhere = permissionSet.clusters == nil
                ? permissionSet.users.first { context.clusters(ofUserNamed: $0) == .all } : nil
            if let everywhere {
                return finding(
                    "permission set '\(permissionSet.name)' reaches every cluster (its user '\(everywhere)' is on [\"*\"]) without an org_path; add `org_path:` with one of organization.paths, or limit it with `clusters:`.",
                    at: permissionSet.position)
            }
            var accounts: [String] = []
            for connection in context.connections(of: permissionSet) where !accounts.contains(connection.cluster.account) {
                accounts.append(connection.cluster.account)
            }
            guard accounts.count > 1 else { return nil }
            return finding(
                "permission set '\(permissionSet.name)' reaches clusters in \(accounts.count) AWS accounts (\(accounts.joined(separator: ", "))) without an org_path; add `org_path:` with one of organization.paths.",
                at: permissionSet.position)
        }
    }
}

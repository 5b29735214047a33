/// DBIAM105: an OU path pattern that no principal's `aws:PrincipalOrgPaths` value can match.
public struct OrgPathMatchesNoPrincipal: LintRule {
    public init() {}

    public let id = "DBIAM105"
    public let name = "OrgPathMatchesNoPrincipal"
    public let severity = Diagnostic.Severity.error
    public let summary = "An organization path ends in neither `/` nor `*`, so it matches no principal."
    public let help = """
        The value of `aws:PrincipalOrgPaths` for a principal is the path of its account's OU \
        and always ends in a slash: `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`. The condition \
        dbiam writes compares with `StringLike`, so a pattern that ends without `/` or `*` \
        (`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111`) equals no such value: every permission set \
        with this `org_path` gets a policy that allows nothing, and its logins fail with \
        error 1045.

        End the path in `/*` to match the OU and every OU under it, or in `/` to match only \
        accounts directly in that OU.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        (manifest.organization?.paths ?? []).compactMap { path in
            guard !path.pattern.hasSuffix("/"), !path.pattern.hasSuffix("*") else { return nil }
            return finding(
                "organization path '\(path.name)' (\(path.pattern)) ends in neither `/` nor `*`, so it matches no principal and policies using it allow nothing; write \(path.pattern)/* to match that OU and the OUs under it.",
                at: path.position)
        }
    }
}

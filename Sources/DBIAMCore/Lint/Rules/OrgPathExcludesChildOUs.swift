/// DBIAM106: an OU path that matches only accounts directly in the OU.
public struct OrgPathExcludesChildOUs: LintRule {
    public init() {}

    public let id = "DBIAM106"
    public let name = "OrgPathExcludesChildOUs"
    public let severity = Diagnostic.Severity.note
    public let summary = "An organization path ends in `/`, so it leaves out accounts in OUs under that OU."
    public let help = """
        A pattern such as `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/` matches principals whose \
        account sits directly in that OU, and no account in an OU nested under it. That is \
        sometimes intended; more often the OU was meant as a whole, and the first account \
        moved into a child OU (say, a new `prod/payments` OU) silently loses access.

        End the path in `/*` to include the nested OUs; keep the `/` if only the OU's own \
        accounts should have access.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        (manifest.organization?.paths ?? []).compactMap { path in
            guard path.pattern.hasSuffix("/") else { return nil }
            return finding(
                "organization path '\(path.name)' ends in `/`: it matches accounts directly in that OU but none in the OUs under it; write \(path.pattern)* to include them.",
                at: path.position)
        }
    }
}

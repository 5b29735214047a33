/// DBIAM204: a user that can pass its privileges on.
public struct GrantOption: LintRule {
    public init() {}

    public let id = "DBIAM204"
    public let name = "GrantOption"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user is granted GRANT OPTION."
    public let help = """
        `GRANT OPTION` (written `WITH GRANT OPTION` in SQL) lets the user give the \
        privileges it holds at that level to any other account, including accounts that \
        dbiam does not manage and that no review sees. The manifest stops being the source \
        of truth for who can do what: privileges spread outside it, and removing them from \
        the user later does not remove what it handed on.

        Remove `GRANT OPTION`; give other people their privileges through the manifest.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: { $0 == .grantOption }).compactMap { user, grant in
            guard grant.privileges.contains(.grantOption) else { return nil }
            return finding(
                "\(user) is granted GRANT OPTION on \(grant.target), so it can hand its privileges to accounts outside the manifest; remove it and grant through the manifest.",
                at: grant.position(of: .grantOption))
        }
    }
}

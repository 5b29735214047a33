/// DBIAM210: an account that can log in and do nothing.
public struct UserWithoutGrants: LintRule {
    public init() {}

    public let id = "DBIAM210"
    public let name = "UserWithoutGrants"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user has no grants and no roles."
    public let help = """
        A user without `grants:` or `roles:` is created with USAGE only: it can log in, and then sees \
        no database and can change nothing. That is almost always a forgotten `grants:` \
        section (or one indented under the wrong key); and an account with nothing to do \
        is one more login to watch.

        Add the grants the user needs, or remove the user.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.users.filter { $0.grants.isEmpty && $0.roles.isEmpty }.map { user in
            finding(
                "user '\(user.name)' has no grants and no roles, so it can log in but do nothing; add grants or roles, or remove the user.",
                at: user.fields["grants"] ?? user.position)
        }
    }
}

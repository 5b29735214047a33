/// DBIAM102: `PolicyLimits`' error, with an id.
public struct PolicyOverInlineLimit: LintRule {
    public init() {}

    public let id = "DBIAM102"
    public let name = "PolicyOverInlineLimit"
    public let severity = Diagnostic.Severity.error
    public let summary = "A permission set's policy is longer than the 32,768 characters IAM allows for a permission set's inline policy."
    public let help = """
        IAM Identity Center accepts an inline policy of at most 32,768 characters on a \
        permission set. dbiam writes one `rds-db:connect` resource per (cluster, user) pair \
        the permission set reaches, so a permission set with many users on many clusters \
        outgrows the limit, and IAM refuses the whole document: nobody gets access.

        Split the users over several permission sets, or limit the permission set to the \
        clusters it needs with `clusters: [...]`.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.documents.filter(\.size.isOverInline).map {
            finding(PolicyLimits.overInlineMessage($0), at: $0.position)
        }
    }
}

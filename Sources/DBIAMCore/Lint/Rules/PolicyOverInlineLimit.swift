/// DBIAM102: `PolicyLimits`' error, with an id.
public struct PolicyOverInlineLimit: LintRule {
    public init() {}

    public let id = "DBIAM102"
    public let name = "PolicyOverInlineLimit"
    public let severity = Diagnostic.Severity.error
    public let summary = "A permission set's policy is over the 32,768 characters, or the 10,240 characters other than white space, IAM Identity Center allows for a permission set's inline policy."
    public let help = """
        IAM Identity Center accepts an inline policy on a permission set of at most 32,768 \
        characters and at most 10,240 characters other than white space; a document must \
        fit both, and the second is usually the one reached first. dbiam writes one \
        `rds-db:connect` resource per (cluster, user) pair the permission set reaches, so \
        a permission set with many users on many clusters outgrows the limits, and IAM \
        refuses the whole document: nobody gets access. Both limits count the document as \
        dbiam writes it, where a character outside tab, line feed, carriage return and \
        U+0020 to U+00FF is a six-character `\\uXXXX` escape.

        Split the users over several permission sets, or limit the permission set to the \
        clusters it needs with `clusters: [...]`.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.documents.filter(\.size.isOverInline).map {
            finding(PolicyLimits.overInlineMessage($0), at: $0.position)
        }
    }
}

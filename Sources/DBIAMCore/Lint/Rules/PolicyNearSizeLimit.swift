/// DBIAM104: a policy document close to one of IAM's size limits.
public struct PolicyNearSizeLimit: LintRule {
    public init() {}

    public let id = "DBIAM104"
    public let name = "PolicyNearSizeLimit"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A permission set's policy is above 90% of an IAM size limit."
    public let help = """
        IAM Identity Center limits a permission set's inline policy to 32,768 characters and \
        to 10,240 characters other than white space, and IAM limits a managed policy to \
        6,144 characters other than white space. A document above 90% of a limit still \
        works, but a few more users or clusters will push it over, and IAM then refuses the \
        whole document at the next deployment.

        Plan the split now: several permission sets with fewer users each, or `clusters: \
        [...]` to limit a permission set to the clusters it needs.
        """

    /// The share of a limit above which a document is near it, in percent.
    static let threshold = 90

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.documents.flatMap { document -> [Diagnostic] in
            // Over an inline limit, the document is DBIAM102's error and already over the
            // managed limit; nearing another limit adds nothing to that.
            guard !document.size.isOverInline else { return [] }
            let inline = "IAM Identity Center allows for a permission set's inline policy"
            let measures = [
                (document.size.characters, PolicyLimits.permissionSetInline, "characters", inline),
                (document.size.nonWhitespace, PolicyLimits.permissionSetInlineNonWhitespace, "characters other than white space", inline),
                (document.size.nonWhitespace, PolicyLimits.managedPolicy, "characters other than white space", "IAM allows for a managed policy"),
            ]
            return measures.compactMap { count, limit, unit, allowance in
                guard count * 100 > limit * Self.threshold, count <= limit else { return nil }
                return finding(
                    "the policy of permission set '\(document.permissionSet)' has \(PolicyLimits.grouped(count)) \(unit), of the \(PolicyLimits.grouped(limit)) \(allowance); split its users over several permission sets before it grows past the limit.",
                    at: document.position)
            }
        }
    }
}

/// DBIAM104: a policy document close to one of IAM's size limits.
public struct PolicyNearSizeLimit: LintRule {
    public init() {}

    public let id = "DBIAM104"
    public let name = "PolicyNearSizeLimit"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A permission set's policy is above 90% of an IAM size limit."
    public let help = """
        IAM limits a permission set's inline policy to 32,768 characters and a managed \
        policy to 6,144 characters other than white space. A document above 90% of a limit \
        still works, but a few more users or clusters will push it over, and IAM then \
        refuses the whole document at the next deployment.

        Plan the split now: several permission sets with fewer users each, or `clusters: \
        [...]` to limit a permission set to the clusters it needs.
        """

    /// The share of a limit above which a document is near it, in percent.
    static let threshold = 90

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.documents.flatMap { document -> [Diagnostic] in
            let measures = [
                (document.size.characters, PolicyLimits.permissionSetInline, "characters, of the", "a permission set's inline policy"),
                (document.size.nonWhitespace, PolicyLimits.managedPolicy, "characters other than white space, of the", "a managed policy"),
            ]
            return measures.compactMap { count, limit, unit, kind in
                guard count * 100 > limit * Self.threshold, count <= limit else { return nil }
                return finding(
                    "the policy of permission set '\(document.permissionSet)' has \(count) \(unit) \(limit) IAM allows for \(kind); split its users over several permission sets before it grows past the limit.",
                    at: document.position)
            }
        }
    }
}

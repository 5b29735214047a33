/// DBIAM103: `PolicyLimits`' warning, with an id.
public struct PolicyOverManagedLimit: LintRule {
    public init() {}

    public let id = "DBIAM103"
    public let name = "PolicyOverManagedLimit"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A permission set's policy has more than the 6,144 non-white-space characters IAM allows for a managed policy."
    public let help = """
        A customer managed policy may hold at most 6,144 characters other than white space. \
        The document may still fit a permission set's inline policy (32,768 characters, \
        10,240 other than white space), but it cannot be created as a managed policy, nor \
        attached to an IAM role as one.

        If the document is used inline, this is only a reminder; to use it as a managed \
        policy, split the users over several permission sets or limit the clusters with \
        `clusters: [...]`.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.documents.filter(\.size.isOverManaged).map {
            finding(PolicyLimits.overManagedMessage($0), at: $0.position)
        }
    }
}

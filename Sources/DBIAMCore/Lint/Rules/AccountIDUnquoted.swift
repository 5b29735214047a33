/// DBIAM301: an account id that other YAML tools read as a number.
public struct AccountIDUnquoted: LintRule {
    public init() {}

    public let id = "DBIAM301"
    public let name = "AccountIDUnquoted"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A cluster's account id is written without quotes."
    public let help = """
        dbiam reads every value as text, so `account: 012345678901` keeps its leading zero \
        here. Other tools that read the same manifest do not: YAML 1.2 parsers (yq, \
        js-yaml, Go's yaml) read it as the number 12345678901 and drop the zero, YAML 1.1 \
        parsers (PyYAML) read digits 0-7 after a leading zero as an octal number, and JSON \
        or Terraform built from their output then holds a wrong account id. ARNs made from \
        it name another account, and policies silently allow nothing.

        Quote the account id: `account: "012345678901"`.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.clusters.filter { !$0.accountIsQuoted }.map { cluster in
            finding(
                "cluster '\(cluster.name)' writes its account id without quotes; other YAML tools read it as a number and may drop leading zeros; write account: \"\(cluster.account)\".",
                at: cluster.fields["account"] ?? cluster.position)
        }
    }
}

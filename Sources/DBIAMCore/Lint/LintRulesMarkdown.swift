/// The reference of every lint rule, as `docs/lint-rules.md` holds it: made from the
/// rules' own summaries and help (written as Markdown already), the text `dbiam validate --explain ID` prints, so the
/// page and the command never disagree (a test compares them).
public enum LintRulesMarkdown {
    public static func render() -> String {
        var text = """
            # Lint rules

            `dbiam validate` runs every rule below; `plan`, `apply` and `policy` refuse a
            manifest with an error. `dbiam validate --explain ID` prints one rule's text.
            This page is made from the same text (`LintRulesMarkdown`), and a test keeps it so.

            | id | name | severity | catches |
            |---|---|---|---|

            """
        for rule in LintRegistry.descriptors {
            text += "| [\(rule.id)](#\(rule.id.lowercased())) | \(rule.name) | \(rule.severity) | \(rule.summary.replacing("|", with: "\\|")) |\n"
        }
        for rule in LintRegistry.descriptors {
            text += "\n## \(rule.id)\n\n**\(rule.name)** (\(rule.severity)): \(rule.summary)\n\n\(rule.help)\n"
        }
        return text
    }
}

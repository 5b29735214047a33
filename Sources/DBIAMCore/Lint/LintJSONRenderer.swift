/// `dbiam validate --format json`: one array of every finding of every file, in the
/// order the files were given and each file in file order.
public enum LintJSONRenderer {
    public static func render(_ files: [LintedFile]) -> String {
        JSONText.array(files.flatMap { file in
            file.findings.map { finding in
                JSONText.object([
                    ("file", .string(file.path)),
                    // null for a finding about the whole file, which has no line.
                    ("line", finding.position == .wholeFile ? .null : .number(finding.position.line)),
                    ("column", finding.position == .wholeFile ? .null : .number(finding.position.column)),
                    ("severity", .string(finding.severity.rawValue)),
                    ("rule_id", finding.ruleID.map(JSONText.string) ?? .null),
                    ("message", .string(finding.message)),
                ])
            }
        }).rendered()
    }
}

/// The findings of one manifest file, as the output formats take them.
public struct LintedFile: Sendable, Hashable {
    /// The path as given on the command line.
    public var path: String
    /// In file order.
    public var findings: [Diagnostic]

    public init(path: String, findings: [Diagnostic]) {
        self.path = path
        self.findings = findings
    }
}

/// One check of a valid manifest, with a stable id that findings, suppressions and
/// code-review systems refer to. A rule never changes its id or its meaning; a new
/// check gets a new id.
public protocol LintRule: Sendable {
    /// `DBIAM` and three digits: 1xx permission sets and IAM policies, 2xx database
    /// users and grants, 3xx clusters.
    var id: String { get }
    /// A short name in UpperCamelCase, such as `GrantOption` (SARIF's `name`).
    var name: String { get }
    /// The severity of every finding of this rule.
    var severity: Diagnostic.Severity { get }
    /// One line: what the rule catches.
    var summary: String { get }
    /// Why it matters and what to do, for `dbiam validate --explain ID`.
    var help: String { get }

    func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic]
}

extension LintRule {
    /// A finding of this rule, with its severity and id.
    public func finding(_ message: String, at position: SourcePosition) -> Diagnostic {
        Diagnostic(severity, message, at: position, ruleID: id)
    }
}

/// What is known about a rule without running it: the `--explain` text and the SARIF
/// rule metadata.
public struct LintRuleDescriptor: Sendable, Hashable {
    public var id: String
    public var name: String
    public var severity: Diagnostic.Severity
    public var summary: String
    public var help: String

    public init(id: String, name: String, severity: Diagnostic.Severity, summary: String, help: String) {
        self.id = id
        self.name = name
        self.severity = severity
        self.summary = summary
        self.help = help
    }

    public init(_ rule: any LintRule) {
        self.init(id: rule.id, name: rule.name, severity: rule.severity, summary: rule.summary, help: rule.help)
    }
}

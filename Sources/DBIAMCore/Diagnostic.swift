/// A place in a manifest file. Lines and columns start at 1; a column counts Unicode
/// scalars, so a finding points at the same character in any editor.
public struct SourcePosition: Sendable, Hashable, Comparable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// Where a finding about a whole file points, such as a file that could not be read:
    /// no line, which the outputs leave out rather than invent.
    public static let wholeFile = SourcePosition(line: 0, column: 0)

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One problem found in a manifest. The core knows positions but not file names:
/// the command layer adds the file when it prints.
public struct Diagnostic: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable {
        case error, warning, note
    }

    public var severity: Severity
    public var message: String
    public var position: SourcePosition
    /// Stable id of the lint rule that made this finding; nil for syntax and schema errors.
    public var ruleID: String?

    public init(_ severity: Severity, _ message: String, at position: SourcePosition, ruleID: String? = nil) {
        self.severity = severity
        self.message = message
        self.position = position
        self.ruleID = ruleID
    }

    public static func error(_ message: String, at position: SourcePosition, ruleID: String? = nil) -> Diagnostic {
        Diagnostic(.error, message, at: position, ruleID: ruleID)
    }

    public static func warning(_ message: String, at position: SourcePosition, ruleID: String? = nil) -> Diagnostic {
        Diagnostic(.warning, message, at: position, ruleID: ruleID)
    }

    /// `FILE:LINE:COLUMN: error: message [RULE-ID]`, the form compilers and editors understand.
    public func formatted(file: String) -> String {
        var text = "\(file):\(position.line):\(position.column): \(severity.rawValue): \(message)"
        if let ruleID { text += " [\(ruleID)]" }
        return text
    }
}

extension [Diagnostic] {
    var hasErrors: Bool { contains { $0.severity == .error } }

    /// File order; problems on the same spot keep the order they were found in.
    public func sortedByPosition() -> [Diagnostic] {
        enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }.map(\.element)
    }
}

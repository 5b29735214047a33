/// An INI file read the way botocore reads `~/.aws/credentials` and `~/.aws/config`:
/// Python's `configparser.RawConfigParser` with its defaults.
///
/// - Whole-line comments start with `#` or `;` (after optional whitespace). There are
///   no inline comments: `key = a ; b` is the value `a ; b`.
/// - `key = value` or `key: value`, split at the first `=` or `:`, both sides trimmed;
///   keys are lower-cased (`AWS_Access_Key_ID` is `aws_access_key_id`), section names
///   keep their case.
/// - A line indented deeper than its key continues the value (joined with newlines).
/// - `[DEFAULT]` holds values every other section inherits.
/// - A repeated section or key, a key outside any section, or a line that is neither
///   is an error, as in configparser's strict mode.
struct INIFile: Equatable {
    /// Sections in the order they first appear, `[DEFAULT]` left out and merged in.
    var sections: [(name: String, values: [String: String])]

    static func == (lhs: INIFile, rhs: INIFile) -> Bool {
        lhs.sections.elementsEqual(rhs.sections) { $0.name == $1.name && $0.values == $1.values }
    }

    struct SyntaxError: Error, Equatable {
        var line: Int
        var problem: String
    }

    init(parsing text: String) throws(SyntaxError) {
        var parser = Parser()
        for (index, line) in Self.lines(of: text).enumerated() {
            try parser.read(line, number: index + 1)
        }
        sections = parser.sectionsWithDefaults()
    }

    /// Lines as Python's universal newlines split them: at `\n`, `\r\n` and `\r`.
    private static func lines(of text: String) -> [Substring] {
        // Swift treats "\r\n" as one Character, so splitting on both separators covers all three.
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
    }
}

private struct Parser {
    private static let defaultSectionName = "DEFAULT"

    private var sectionOrder: [String] = []
    private var valueLines: [String: [String: [String]]] = [:]
    private var currentSection: String?
    private var currentKey: String?
    private var currentKeyIndentation = 0

    mutating func read(_ line: Substring, number: Int) throws(INIFile.SyntaxError) {
        let content = line.trimmingWhitespace()
        if content.hasPrefix("#") || content.hasPrefix(";") {
            return
        }
        if content.isEmpty {
            // Blank lines belong to a value that continues after them; trailing ones are
            // trimmed when the value is joined.
            if let currentSection, let currentKey {
                valueLines[currentSection, default: [:]][currentKey]?.append("")
            }
            return
        }
        let indentation = line.prefix(while: \.isWhitespace).count
        if let currentSection, let currentKey, indentation > currentKeyIndentation {
            valueLines[currentSection, default: [:]][currentKey]?.append(String(content))
            return
        }
        currentKeyIndentation = indentation
        if let name = Self.sectionName(in: content) {
            try startSection(name, line: number)
        } else if let currentSection {
            try addKey(content, to: currentSection, line: number)
        } else {
            throw INIFile.SyntaxError(line: number, problem: "a setting comes before the first [section] header")
        }
    }

    func sectionsWithDefaults() -> [(name: String, values: [String: String])] {
        let defaults = joinedValues(of: Self.defaultSectionName)
        return sectionOrder.filter { $0 != Self.defaultSectionName }.map { name in
            (name, defaults.merging(joinedValues(of: name)) { _, own in own })
        }
    }

    private func joinedValues(of section: String) -> [String: String] {
        (valueLines[section] ?? [:]).mapValues { $0.joined(separator: "\n").trimmingTrailingWhitespace() }
    }

    /// configparser's `\[(?P<header>.+)\]`: from the first `[` to the last `]`, so
    /// `[dev] # note` is the section `dev`.
    private static func sectionName(in content: Substring) -> String? {
        guard content.first == "[", let close = content.lastIndex(of: "]"), close > content.index(after: content.startIndex)
        else { return nil }
        return String(content[content.index(after: content.startIndex)..<close])
    }

    private mutating func startSection(_ name: String, line: Int) throws(INIFile.SyntaxError) {
        if valueLines[name] != nil, name != Self.defaultSectionName {
            throw INIFile.SyntaxError(line: line, problem: "section [\(name)] appears a second time")
        }
        if valueLines[name] == nil {
            sectionOrder.append(name)
            valueLines[name] = [:]
        }
        currentSection = name
        currentKey = nil
    }

    private mutating func addKey(_ content: Substring, to section: String, line: Int) throws(INIFile.SyntaxError) {
        guard let delimiter = content.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            throw INIFile.SyntaxError(line: line, problem: "expected `key = value`, a [section] header or a comment")
        }
        let key = content[..<delimiter].trimmingWhitespace().lowercased()
        guard !key.isEmpty else {
            throw INIFile.SyntaxError(line: line, problem: "a setting has no name before its `\(content[delimiter])`")
        }
        if valueLines[section]?[key] != nil {
            throw INIFile.SyntaxError(line: line, problem: "\(key) appears a second time in section [\(section)]")
        }
        valueLines[section, default: [:]][key] = [String(content[content.index(after: delimiter)...].trimmingWhitespace())]
        currentKey = key
    }
}

extension StringProtocol where SubSequence == Substring {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }

    func trimmingTrailingWhitespace() -> String {
        String(self[..<(lastIndex { !$0.isWhitespace }.map(index(after:)) ?? startIndex)])
    }
}

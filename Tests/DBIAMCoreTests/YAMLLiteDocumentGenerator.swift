import Foundation
import DBIAMTestSupport

/// Random documents in the YAML-lite subset, for the differential tests: a random tree, then
/// text for it in the various styles the subset allows (quoting styles, indentation widths,
/// indentless and compact sequences, flow sequences, comments, blank lines, markers).
struct YAMLLiteDocumentGenerator {
    private var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// A document and the tree it stands for.
    mutating func document() -> (text: String, tree: YAMLPlainTree) {
        let tree: YAMLPlainTree
        switch Int.random(in: 0..<20, using: &random) {
        case 0: tree = .string(scalarValue())
        case 1: tree = .list((0..<Int.random(in: 0...4, using: &random)).map { _ in .string(scalarValue()) })
        case 2...5: tree = list(depth: 0)
        default: tree = mapping(depth: 0)
        }
        var lines: [String] = []
        if chance(1, in: 6) { lines.append(comment(indentation: 0)) }
        if chance(1, in: 4) { lines.append(chance(1, in: 2) ? "---" : "--- # start") }
        lines += rootLines(tree)
        if chance(1, in: 8) { lines.append("...") }
        if chance(1, in: 6) { lines.append(comment(indentation: 0)) }
        let lineBreak = chance(1, in: 10) ? "\r\n" : "\n"
        var text = lines.joined(separator: lineBreak)
        if chance(3, in: 4) { text += lineBreak }
        if chance(1, in: 20) { text = "\u{FEFF}" + text }
        return (text, tree)
    }

    /// A short document made of the characters that mean something to YAML, after a lead
    /// that puts them in a key, a value, an item or a flow sequence.
    mutating func lineOfIndicators() -> String {
        let lead = ["", "k: ", "- ", "[", "k: [", "- k: ", "\"k\": ", "k:\n  "].randomElement(using: &random) ?? ""
        let body = (0..<Int.random(in: 1...8, using: &random)).map { _ in Self.indicatorCharacters.randomElement(using: &random) ?? "" }
        return lead + body.joined() + (chance(1, in: 4) ? "\n" + (Self.indicatorCharacters.randomElement(using: &random) ?? "") : "")
    }

    private static let indicatorCharacters = [
        "a", "b", " ", " ", ":", "#", "-", "?", ",", "[", "]", "{", "}", "'", "\"", "\\", "&", "*", "!", "|", ">", "%", "@", "`",
        "\t", "é", ".", "~", "<", "0",
    ]

    /// A document damaged at a few random places: what it means now is anyone's guess, which is
    /// the point. Whatever of these YAML-lite accepts, PyYAML must read the same way.
    mutating func mutated(_ text: String) -> String {
        var characters = Array(text.unicodeScalars)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            mutate(&characters)
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: characters)
        return String(result)
    }

    private mutating func mutate(_ characters: inout [Unicode.Scalar]) {
        let position = Int.random(in: 0...characters.count, using: &random)
        let lineStarts = [0] + characters.indices.filter { characters[$0] == "\n" }.map { $0 + 1 }
        let lineStart = lineStarts.randomElement(using: &random) ?? 0
        switch Int.random(in: 0..<7, using: &random) {
        case 0, 1:
            let inserted = Self.mutationCharacters.randomElement(using: &random) ?? " "
            characters.insert(contentsOf: inserted.unicodeScalars, at: position)
        case 2:
            if position < characters.count { characters.remove(at: position) }
        case 3:
            characters.insert(contentsOf: Array(repeating: Unicode.Scalar(" "), count: Int.random(in: 1...2, using: &random)), at: lineStart)
        case 4:
            if lineStart < characters.count && characters[lineStart] == " " { characters.remove(at: lineStart) }
        case 5:
            let lineEnd = characters[lineStart...].firstIndex(of: "\n").map { $0 + 1 } ?? characters.count
            let line = Array(characters[lineStart..<lineEnd])
            characters.insert(contentsOf: line.last == "\n" ? line : line + ["\n"], at: lineEnd)
        default:
            characters.removeSubrange(position...)
        }
    }

    // MARK: Trees

    private mutating func mapping(depth: Int) -> YAMLPlainTree {
        var keys: Set<String> = []
        var pairs: [YAMLPlainTree.Pair] = []
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            let key = keyValue()
            guard keys.insert(key).inserted else { continue }
            pairs.append(YAMLPlainTree.Pair(key: key, value: node(depth: depth + 1)))
        }
        return .mapping(pairs)
    }

    private mutating func list(depth: Int) -> YAMLPlainTree {
        .list((0..<Int.random(in: 1...4, using: &random)).map { _ in node(depth: depth + 1) })
    }

    private mutating func node(depth: Int) -> YAMLPlainTree {
        let roll = Int.random(in: 0..<10, using: &random)
        if depth >= 4 || roll < 5 { return .string(scalarValue()) }
        if roll == 5 { return chance(1, in: 2) ? .list([]) : .mapping([]) }
        return roll < 8 ? mapping(depth: depth) : list(depth: depth)
    }

    // MARK: Block text

    private mutating func rootLines(_ tree: YAMLPlainTree) -> [String] {
        let indentation = chance(1, in: 10) ? Int.random(in: 1...3, using: &random) : 0
        switch tree {
        case .string(let value):
            return [String(repeating: " ", count: indentation) + scalarText(value, inFlow: false, atLineStart: indentation == 0)]
        case .list(let items) where items.isEmpty || chance(1, in: 3) && isFlat(items):
            return [String(repeating: " ", count: indentation) + flowText(items)]
        case .mapping(let pairs) where pairs.isEmpty:
            return ["{}"]
        default:
            return blockLines(tree, indentation: indentation)
        }
    }

    /// Lines for a non-empty collection whose entries or items start at `indentation`.
    private mutating func blockLines(_ tree: YAMLPlainTree, indentation: Int) -> [String] {
        let pad = String(repeating: " ", count: indentation)
        var lines: [String] = []
        switch tree {
        case .mapping(let pairs):
            for pair in pairs {
                let key = pad + scalarText(pair.key, inFlow: false, atLineStart: indentation == 0) + (chance(1, in: 12) ? " :" : ":")
                lines += valueLines(pair.value, after: key, parentIndentation: indentation, isMappingValue: true)
                addDecoration(&lines, indentation: indentation)
            }
        case .list(let items):
            for item in items {
                lines += itemLines(item, pad: pad, indentation: indentation)
                addDecoration(&lines, indentation: indentation)
            }
        case .string:
            break
        }
        return lines
    }

    /// The lines of a `- item`: the compact form (`- key: value`, `- - item`) puts the first
    /// entry of a collection on the dash's line.
    private mutating func itemLines(_ item: YAMLPlainTree, pad: String, indentation: Int) -> [String] {
        guard isNonEmptyCollection(item) && chance(3, in: 4) else {
            return valueLines(item, after: pad + "-", parentIndentation: indentation, isMappingValue: false)
        }
        let gap = Int.random(in: 1...3, using: &random)
        var nested = blockLines(item, indentation: indentation + 1 + gap)
        if let first = nested.first {
            nested[0] = pad + "-" + String(repeating: " ", count: gap) + String(first.drop { $0 == " " })
        }
        return nested
    }

    private func isNonEmptyCollection(_ tree: YAMLPlainTree) -> Bool {
        switch tree {
        case .mapping(let pairs): !pairs.isEmpty
        case .list(let items): !items.isEmpty
        case .string: false
        }
    }

    /// The lines of a value that follows `lead` (`key:` or `-`).
    private mutating func valueLines(_ value: YAMLPlainTree, after lead: String, parentIndentation: Int, isMappingValue: Bool) -> [String] {
        switch value {
        case .string(let text):
            if text.isEmpty && chance(1, in: 2) {
                return [lead + trailingComment()]
            }
            if chance(1, in: 10) {
                let indentation = parentIndentation + Int.random(in: 1...4, using: &random)
                return [lead, String(repeating: " ", count: indentation) + scalarText(text, inFlow: false, atLineStart: false)]
            }
            return [lead + " " + scalarText(text, inFlow: false, atLineStart: false) + trailingComment()]
        case .list(let items) where items.isEmpty || chance(1, in: 3) && isFlat(items):
            return [lead + " " + flowText(items) + trailingComment()]
        case .mapping(let pairs) where pairs.isEmpty:
            return [lead + (chance(1, in: 2) ? " {}" : " { }") + trailingComment()]
        case .list where isMappingValue && chance(1, in: 3):
            return [lead + trailingComment()] + blockLines(value, indentation: parentIndentation)
        default:
            let indentation = parentIndentation + Int.random(in: 1...4, using: &random)
            var lines = [lead + trailingComment()]
            if chance(1, in: 6) { lines.append(comment(indentation: Int.random(in: 0...indentation, using: &random))) }
            return lines + blockLines(value, indentation: indentation)
        }
    }

    private mutating func addDecoration(_ lines: inout [String], indentation: Int) {
        switch Int.random(in: 0..<14, using: &random) {
        case 0: lines.append("")
        case 1: lines.append(String(repeating: " ", count: Int.random(in: 0...6, using: &random)))
        case 2: lines.append(comment(indentation: Int.random(in: 0...indentation + 2, using: &random)))
        default: break
        }
    }

    private mutating func comment(indentation: Int) -> String {
        String(repeating: " ", count: indentation) + "#" + commentText()
    }

    private mutating func trailingComment() -> String {
        chance(1, in: 8) ? String(repeating: " ", count: Int.random(in: 1...3, using: &random)) + "#" + commentText() : ""
    }

    private mutating func commentText() -> String {
        ["", " note", " key: value", "#", " 'quote\" [a, b] {c} & * ! | >", "\ttab", " é 😀"].randomElement(using: &random) ?? ""
    }

    private func isFlat(_ items: [YAMLPlainTree]) -> Bool {
        items.allSatisfy { if case .string = $0 { true } else { false } }
    }

    private mutating func flowText(_ items: [YAMLPlainTree]) -> String {
        let texts = items.map { item -> String in
            guard case .string(let text) = item else { return "" }
            return scalarText(text, inFlow: true, atLineStart: false)
        }
        if texts.isEmpty { return chance(1, in: 2) ? "[]" : "[ ]" }
        let separator = [", ", ",", " , ", ",  "].randomElement(using: &random) ?? ", "
        let padding = chance(1, in: 3) ? " " : ""
        return "[" + padding + texts.joined(separator: separator) + padding + "]"
    }

    // MARK: Scalars

    private static let characters: [String] = [
        "a", "b", "k", "z", "Q", "0", "7", " ", " ", "  ", "'", "\"", "\\", "#", ":", ": ", " #", "-", "- ", "?", ",", "[", "]",
        "{", "}", "&", "*", "!", "|", ">", "%", "@", "`", "/", ".", "~", "=", "<", "+", "_", "é", "e\u{301}", "日本", "😀",
        "\u{A0}", "\t", "\n", "\r", "\u{7}", "\u{1B}", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{0}", "\u{7F}", "\u{9F}",
    ]

    private static let wholeValues = [
        "", "true", "false", "012345678901", "3306", "~", "null", "-1", "1e3", "yes", "no", "<<", "---", "...", "- a",
        "a: b", "#", "http://example.com:8080/path", "arn:aws:iam::123456789012:role/x", "a #b", "a#b", "%x", "@x", ":x", "-x", "?x",
    ]

    private static let mutationCharacters = [
        " ", "  ", "\t", "\n", "#", " #", ":", ": ", "-", "- ", "'", "\"", "\\", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">",
        "?", "%", "@", "`", "---", "...", "é", "\u{A0}", "\r", "\u{FEFF}", "x",
    ]

    private mutating func scalarValue() -> String {
        if chance(1, in: 5) { return Self.wholeValues.randomElement(using: &random) ?? "" }
        return (0..<Int.random(in: 0...10, using: &random)).map { _ in Self.characters.randomElement(using: &random) ?? "" }.joined()
    }

    private mutating func keyValue() -> String {
        if chance(2, in: 3) {
            return ["name", "port", "host", "users", "grants", "db-1", "a b", "x.y", "über", "日本", "01", "true", "-k", "k:v", "''"]
                .randomElement(using: &random) ?? "k"
        }
        let key = scalarValue()
        return key == "<<" ? "merge" : key
    }

    /// The value as text: plain when that reads back the same, otherwise quoted; quoted at
    /// random in any case.
    private mutating func scalarText(_ value: String, inFlow: Bool, atLineStart: Bool) -> String {
        let canBePlain = Self.isSafePlain(value, inFlow: inFlow, atLineStart: atLineStart)
        let canBeSingleQuoted = value.unicodeScalars.allSatisfy { $0 == "\t" || !Self.needsEscape($0) }
        switch Int.random(in: 0..<6, using: &random) {
        case 0...2 where canBePlain: return value
        case 0...3 where canBeSingleQuoted: return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        default: return doubleQuoted(value)
        }
    }

    private mutating func doubleQuoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\t": text += ["\\t", "\t", "\\\t", "\\x09"].randomElement(using: &random) ?? "\\t"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\u{0}": text += "\\0"
            case "\u{7}": text += "\\a"
            case "\u{1B}": text += "\\e"
            case "\u{85}": text += "\\N"
            case "\u{A0}": text += chance(1, in: 2) ? "\\_" : "\u{A0}"
            case "\u{2028}": text += "\\L"
            case " " where chance(1, in: 6): text += "\\ "
            case "/" where chance(1, in: 2): text += "\\/"
            case _ where Self.needsEscape(scalar) || chance(1, in: 12): text += hexEscape(scalar)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }

    private mutating func hexEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: chance(1, in: 2))
        let padded = { (digits: Int) in String(repeating: "0", count: max(0, digits - hex.count)) + hex }
        if scalar.value <= 0xFF && chance(1, in: 2) { return "\\x" + padded(2) }
        if scalar.value <= 0xFFFF && chance(2, in: 3) { return "\\u" + padded(4) }
        return "\\U" + padded(8)
    }

    /// Characters that cannot stand in the file as they are: controls, YAML line breaks,
    /// a byte order mark and the noncharacters.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    /// A conservative reading of when plain text means itself: the generator may quote more
    /// than needed, never less.
    static func isSafePlain(_ value: String, inFlow: Bool, atLineStart: Bool) -> Bool {
        let scalars = Array(value.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        if first == " " || last == " " || last == ":" { return false }
        if scalars.contains(where: { $0 == "\t" || needsEscape($0) }) { return false }
        if value.contains(": ") || value.contains(" #") { return false }
        if atLineStart && (value.hasPrefix("---") || value.hasPrefix("...")) { return false }
        let second = scalars.count > 1 ? scalars[1] : " "
        switch first {
        case "-", "?", ":":
            if second == " " || inFlow && first != "-" { return false }
        case ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`":
            return false
        default:
            break
        }
        if inFlow && scalars.contains(where: { ",[]{}:?".unicodeScalars.contains($0) }) { return false }
        return value != "<<"
    }

    private mutating func chance(_ count: Int, in total: Int) -> Bool {
        Int.random(in: 0..<total, using: &random) < count
    }
}

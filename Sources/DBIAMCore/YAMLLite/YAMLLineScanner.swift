/// The bytes YAML-lite gives a meaning to.
enum Byte {
    static let end: UInt8 = 0x00  // what `peek` returns past the end of the line
    static let tab: UInt8 = 0x09
    static let space: UInt8 = 0x20
    static let exclamation: UInt8 = 0x21
    static let doubleQuote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let singleQuote: UInt8 = 0x27
    static let asterisk: UInt8 = 0x2A
    static let comma: UInt8 = 0x2C
    static let dash: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let question: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let backtick: UInt8 = 0x60
    static let openBrace: UInt8 = 0x7B
    static let pipe: UInt8 = 0x7C
    static let closeBrace: UInt8 = 0x7D

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    static func isBlankOrEnd(_ byte: UInt8) -> Bool {
        byte == end || byte == space || byte == tab
    }
}

/// A cursor over one line of the input, shared by the lexing steps: lookahead, editor
/// columns for byte offsets, and the log of problems found on the way.
///
/// Lines given to it hold no NUL (the character check stops the parser before such a line),
/// so `peek` can return `Byte.end` past the end of the line without ambiguity.
struct YAMLLineScanner {
    let bytes: [UInt8]
    private(set) var line = YAMLSourceLine(number: 0, start: 0, end: 0)
    var offset = 0
    var diagnostics: [Diagnostic] = []
    /// Reused between quoted scalars that need unescaping, to spare an allocation each.
    var unescaped: [UInt8] = []

    // Columns are counted forward from the last one asked for, which keeps the cost linear
    // because the lexer asks in increasing order.
    private var countedOffset = 0
    private var countedColumn = 1
    private var reportedTabOnLine = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func begin(_ line: YAMLSourceLine) {
        self.line = line
        offset = line.start
        countedOffset = line.start
        countedColumn = 1
        reportedTabOnLine = false
    }

    func peek(_ ahead: Int = 0) -> UInt8 {
        byte(at: offset + ahead)
    }

    func byte(at index: Int) -> UInt8 {
        index < line.end ? bytes[index] : Byte.end
    }

    var isAtLineEnd: Bool {
        offset >= line.end
    }

    /// True at the end of the line or at a comment.
    var isAtLineEndOrComment: Bool {
        isAtLineEnd || peek() == Byte.hash
    }

    mutating func position(at target: Int) -> SourcePosition {
        if target < countedOffset {
            countedOffset = line.start
            countedColumn = 1
        }
        let limit = min(target, line.end)
        while countedOffset < limit {
            if bytes[countedOffset] & 0xC0 != 0x80 { countedColumn += 1 }
            countedOffset += 1
        }
        return SourcePosition(line: line.number, column: countedColumn + max(0, target - limit))
    }

    mutating func report(_ problem: YAMLLiteProblem, at target: Int) {
        let position = position(at: target)
        diagnostics.append(.error(problem.message, at: position))
    }

    mutating func report(_ problem: YAMLLiteProblem, at position: SourcePosition) {
        diagnostics.append(.error(problem.message, at: position))
    }

    /// Skips spaces and tabs; a tab is reported (once a line) and then read as a space, so
    /// that the rest of the line is still checked. Returns whether anything was skipped.
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = offset
        while true {
            let byte = peek()
            if byte == Byte.tab {
                reportTab(at: offset)
            } else if byte != Byte.space {
                break
            }
            offset += 1
        }
        return offset > start
    }

    mutating func reportTab(at target: Int) {
        guard !reportedTabOnLine else { return }
        reportedTabOnLine = true
        report(.tabOutsideQuotes, at: target)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

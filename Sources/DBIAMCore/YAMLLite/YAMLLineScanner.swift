/// A cursor over one line of the input, shared by the lexing steps: lookahead, editor
/// columns for byte offsets, and the log of problems found on the way.
///
/// Lines given to it hold no NUL (the character check stops the parser before such a line),
/// so `peek` can return `YAMLByte.end` past the end of the line without ambiguity.
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
        index < line.end ? bytes[index] : YAMLByte.end
    }

    var isAtLineEnd: Bool {
        offset >= line.end
    }

    /// True at the end of the line or at a comment.
    var isAtLineEndOrComment: Bool {
        isAtLineEnd || peek() == YAMLByte.hash
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
        guard isCollectingProblems else { return }
        diagnostics.append(.error(problem.message, at: position(at: target)))
    }

    mutating func report(_ problem: YAMLLiteProblem, at position: SourcePosition) {
        guard isCollectingProblems else { return }
        diagnostics.append(.error(problem.message, at: position))
    }

    /// Past the reporting limit problems are not collected: a line with a million aliases
    /// should cost no more than one with a hundred.
    var isCollectingProblems: Bool {
        diagnostics.count <= YAMLLite.maximumReportedProblems
    }

    /// Skips spaces and tabs; a tab is reported (once a line) and then read as a space, so
    /// that the rest of the line is still checked. Returns whether anything was skipped.
    @discardableResult
    mutating func skipBlanks() -> Bool {
        let start = offset
        while true {
            let byte = peek()
            if byte == YAMLByte.tab {
                reportTab(at: offset)
            } else if byte != YAMLByte.space {
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

/// What a line holds after its indentation and its `- ` dashes.
struct YAMLLineEntry {
    var key: YAMLScalar?
    var colonPosition: SourcePosition?
    var value: YAMLScannedNode?
}

enum YAMLDocumentMarker {
    case start, end
}

/// The parts of a line the tree builder asks for, in the order they appear: indentation,
/// document markers, dashes, then the entry.
extension YAMLLineScanner {
    /// YAML's limit for a key on one line, which PyYAML counts from the key's first character
    /// to its colon. Counting bytes instead of characters errs on the safe side.
    static let maximumKeyLength = 1024

    /// Skips the leading spaces and returns their count.
    mutating func scanIndentation() -> Int {
        while peek() == YAMLByte.space { offset += 1 }
        return offset - line.start
    }

    /// After the indentation: whether the line has content (not only blanks or a comment).
    /// Returns nil, after reporting, when a tab stands before the content.
    mutating func hasContent() -> Bool? {
        guard peek() == YAMLByte.tab else { return peek() != YAMLByte.end && peek() != YAMLByte.hash }
        let tabOffset = offset
        while YAMLByte.isBlank(peek()) { offset += 1 }
        report(.tabInIndentation, at: tabOffset)
        return isAtLineEndOrComment ? false : nil
    }

    /// A `---` or `...` at the start of the line, followed by a blank or the end of the line.
    /// Anything after it but a comment is reported.
    mutating func scanDocumentMarker() -> YAMLDocumentMarker? {
        let marker: YAMLDocumentMarker
        switch peek() {
        case YAMLByte.dash: marker = .start
        case YAMLByte.dot: marker = .end
        default: return nil
        }
        guard peek(1) == peek(), peek(2) == peek(), YAMLByte.isBlankOrEnd(peek(3)) else { return nil }
        offset += 3
        skipBlanks()
        if !isAtLineEndOrComment {
            report(marker == .start ? .contentOnDocumentStartLine : .contentAfterDocumentEnd, at: offset)
        }
        return marker
    }

    var isAtDirective: Bool {
        peek() == YAMLByte.percent
    }

    var isAtDash: Bool {
        peek() == YAMLByte.dash && YAMLByte.isBlankOrEnd(peek(1))
    }

    /// Reads a `- ` sequence entry indicator and the blanks after it.
    mutating func scanDash() -> SourcePosition? {
        guard isAtDash else { return nil }
        let dashPosition = position(at: offset)
        offset += 1
        skipBlanks()
        return dashPosition
    }

    /// Reads `key: value`, `key:`, a value alone, or nothing. Returns nil, after reporting,
    /// when the line cannot be understood.
    mutating func scanEntry() -> YAMLLineEntry? {
        var entry = YAMLLineEntry()
        skipNodeProperties(in: .block)
        if isAtLineEndOrComment { return entry }
        let start = offset
        guard let first = scanNode() else { return nil }
        var valueEnd = offset
        skipBlanks()
        if peek() == YAMLByte.colon && YAMLByte.isBlankOrEnd(peek(1)) {
            guard !first.isPlaceholder else { return nil }
            guard case .scalar(let key) = first.node else {
                report(.collectionAsKey, at: start)
                return nil
            }
            if offset - start > Self.maximumKeyLength {
                report(.keyTooLong(limit: Self.maximumKeyLength), at: start)
            }
            if key.style == .plain && key.value == "<<" {
                report(.mergeKey, at: start)
            }
            entry.key = key
            entry.colonPosition = position(at: offset)
            offset += 1
            skipBlanks()
            skipNodeProperties(in: .block)
            if isAtLineEndOrComment { return entry }
            guard let value = scanNode() else { return nil }
            entry.value = value
            valueEnd = offset
            skipBlanks()
            if peek() == YAMLByte.colon && YAMLByte.isBlankOrEnd(peek(1)) {
                report(.mappingOnSameLine, at: offset)
                return entry
            }
        } else {
            entry.value = first
        }
        checkEndOfLine(after: entry.value, valueEnd: valueEnd)
        return entry
    }

    /// After a value only a comment may follow, separated by a blank.
    private mutating func checkEndOfLine(after value: YAMLScannedNode?, valueEnd: Int) {
        if isAtLineEnd { return }
        if peek() == YAMLByte.hash {
            if offset == valueEnd { report(.missingSpaceBeforeComment, at: offset) }
            return
        }
        var quote: UInt8?
        if case .scalar(let scalar) = value?.node {
            switch scalar.style {
            case .singleQuoted: quote = YAMLByte.singleQuote
            case .doubleQuoted: quote = YAMLByte.doubleQuote
            case .plain: quote = nil
            }
        }
        report(peek() == YAMLByte.colon && quote != nil ? .missingSpaceAfterColon : .unexpectedText(afterQuote: quote), at: offset)
    }
}

/// A node read from one line, with what the tree builder needs to know about it.
struct YAMLScannedNode {
    var node: YAMLNode
    /// Only a plain scalar can be continued by a deeper line, which earns a specific message.
    var isPlainScalar = false
    /// Stands in for something rejected (an alias, a flow mapping), so the line can still be
    /// checked to its end; it never reaches a tree because its rejection was reported.
    var isPlaceholder = false
    /// The rejected node (a block scalar) goes on over the deeper lines that follow.
    var continuesOnDeeperLines = false
}

/// Nodes within a line: scalars, flow sequences, `{}`, and the rejected features that look
/// like the start of a node (anchors, tags, aliases, block scalars, complex keys).
extension YAMLLineScanner {
    /// Reads the node at the cursor (not blank, not a comment). Returns nil, after reporting,
    /// when the rest of the line cannot be understood.
    mutating func scanNode() -> YAMLScannedNode? {
        let start = offset
        let byte = peek()
        let isIndicatorAlone = YAMLByte.isBlankOrEnd(peek(1))
        switch byte {
        case YAMLByte.singleQuote, YAMLByte.doubleQuote:
            return scanQuotedScalar().map { YAMLScannedNode(node: .scalar($0)) }
        case YAMLByte.openBracket:
            return scanFlowSequence().map { YAMLScannedNode(node: .sequence($0)) }
        case YAMLByte.openBrace:
            return scanBlockContextBrace()
        case YAMLByte.asterisk:
            report(.alias, at: start)
            skipToken(in: .block)
            return placeholder(at: start)
        case YAMLByte.pipe, YAMLByte.greaterThan:
            report(.blockScalar(indicator: byte), at: start)
            offset = line.end
            var scanned = placeholder(at: start)
            scanned.continuesOnDeeperLines = true
            return scanned
        case YAMLByte.question where isIndicatorAlone:
            report(.complexKey, at: start)
            return nil
        case YAMLByte.dash where isIndicatorAlone:
            report(.sequenceOnSameLine, at: start)
            return nil
        case YAMLByte.colon where isIndicatorAlone:
            report(.missingKey, at: start)
            return nil
        case YAMLByte.comma, YAMLByte.closeBracket, YAMLByte.closeBrace, YAMLByte.percent, YAMLByte.at, YAMLByte.backtick:
            report(.reservedStart(byte), at: start)
            var scanned = YAMLScannedNode(node: .scalar(scanPlainScalar(in: .block)))
            scanned.isPlaceholder = true
            return scanned
        default:
            return YAMLScannedNode(node: .scalar(scanPlainScalar(in: .block)), isPlainScalar: true)
        }
    }

    /// Anchors (`&name`) and tags (`!tag`) before a node: reported, then skipped so that
    /// the node itself is still read. Returns whether there were any.
    @discardableResult
    mutating func skipNodeProperties(in context: Context) -> Bool {
        var skippedAny = false
        while true {
            switch peek() {
            case YAMLByte.ampersand: report(.anchor, at: offset)
            case YAMLByte.exclamation: report(.tag, at: offset)
            default: return skippedAny
            }
            skippedAny = true
            skipToken(in: context)
            skipBlanks()
        }
    }

    private mutating func placeholder(at start: Int) -> YAMLScannedNode {
        YAMLScannedNode(node: .scalar(YAMLScalar("", at: position(at: start))), isPlaceholder: true)
    }

    /// Skips an anchor, tag or alias: up to a blank, or in a flow sequence also `,[]{}`.
    private mutating func skipToken(in context: Context) {
        while true {
            let byte = peek()
            if YAMLByte.isBlankOrEnd(byte) { return }
            if context == .flow {
                switch byte {
                case YAMLByte.comma, YAMLByte.openBracket, YAMLByte.closeBracket, YAMLByte.openBrace, YAMLByte.closeBrace: return
                default: break
                }
            }
            offset += 1
        }
    }

    /// `{}` is an empty mapping; anything else in braces is a flow mapping, rejected.
    private mutating func scanBlockContextBrace() -> YAMLScannedNode? {
        let start = offset
        let startPosition = position(at: start)
        offset += 1
        skipBlanks()
        if peek() == YAMLByte.closeBrace {
            offset += 1
            return YAMLScannedNode(node: .mapping(YAMLMapping(entries: [], at: startPosition)))
        }
        offset = start
        report(.flowMapping, at: start)
        guard skipFlowCollection() else { return nil }
        return placeholder(at: start)
    }

    /// Reads `[item, item]` from the `[` at the cursor. Returns nil, after reporting, when it
    /// does not close on this line or cannot be followed to its end.
    /// At most how many items the flow sequence at `offset` has on this line (its commas
    /// and one), to make room for them at once: one allocation per list, not one per item.
    private func flowItemsOnLine() -> Int {
        var items = 1
        var index = offset
        while index < line.end {
            switch bytes[index] {
            case YAMLByte.comma: items += 1
            case YAMLByte.closeBracket: return items
            default: break
            }
            index += 1
        }
        return items
    }

    private mutating func scanFlowSequence() -> YAMLSequence? {
        let start = offset
        let startPosition = position(at: start)
        offset += 1
        skipBlanks()
        var items: [YAMLNode] = []
        if peek() == YAMLByte.closeBracket {
            offset += 1
            return YAMLSequence(items: items, style: .flow, at: startPosition)
        }
        items.reserveCapacity(flowItemsOnLine())
        while true {
            if peek() == YAMLByte.end {
                report(.unterminatedFlowSequence, at: startPosition)
                return nil
            }
            guard let item = scanFlowItem() else { return nil }
            items.append(item)
            let itemEnd = offset
            skipBlanks()
            switch peek() {
            case YAMLByte.comma:
                let commaOffset = offset
                offset += 1
                skipBlanks()
                if peek() == YAMLByte.closeBracket {
                    report(.trailingComma, at: commaOffset)
                    offset += 1
                    return YAMLSequence(items: items, style: .flow, at: startPosition)
                }
            case YAMLByte.closeBracket:
                offset += 1
                return YAMLSequence(items: items, style: .flow, at: startPosition)
            case YAMLByte.colon:
                report(.flowMappingEntry, at: offset)
                return nil
            case YAMLByte.hash:
                // Even without a blank before it, PyYAML reads the rest of the line as a comment.
                report(offset > itemEnd ? .commentInFlowSequence : .missingSpaceBeforeComment, at: offset)
                return nil
            case YAMLByte.end:
                report(.unterminatedFlowSequence, at: startPosition)
                return nil
            default:
                report(.expectedFlowSeparator, at: offset)
                return nil
            }
        }
    }

    /// Reads one item of a flow sequence, the cursor at its first non-blank character.
    private mutating func scanFlowItem() -> YAMLNode? {
        let hasProperties = skipNodeProperties(in: .flow)
        let start = offset
        let byte = peek()
        switch byte {
        case YAMLByte.singleQuote, YAMLByte.doubleQuote:
            return scanQuotedScalar().map { .scalar($0) }
        case YAMLByte.openBracket, YAMLByte.openBrace:
            report(.nestedFlowCollection, at: start)
            guard skipFlowCollection() else { return nil }
            return placeholder(at: start).node
        case YAMLByte.asterisk:
            report(.alias, at: start)
            skipToken(in: .flow)
            return placeholder(at: start).node
        case YAMLByte.comma, YAMLByte.closeBracket, YAMLByte.end:
            // After an anchor or tag the item is merely empty, and that was reported.
            if !hasProperties && byte == YAMLByte.comma { report(.emptyFlowItem, at: start) }
            return placeholder(at: start).node
        case YAMLByte.hash:
            report(.commentInFlowSequence, at: start)
            return nil
        case YAMLByte.dash where YAMLByte.isBlankOrEnd(peek(1)):
            report(.blockEntryInFlowSequence, at: start)
            return nil
        case YAMLByte.question, YAMLByte.colon, YAMLByte.pipe, YAMLByte.greaterThan, YAMLByte.percent, YAMLByte.at, YAMLByte.backtick, YAMLByte.closeBrace:
            report(.reservedStart(byte), at: start)
            offset += 1
            return .scalar(scanPlainScalar(in: .flow))
        default:
            return .scalar(scanPlainScalar(in: .flow))
        }
    }

    /// Steps over a rejected flow collection from its opening bracket to the matching close,
    /// so the rest of the line can still be checked. Returns false at the end of the line.
    private mutating func skipFlowCollection() -> Bool {
        var depth = 0
        while true {
            switch peek() {
            case YAMLByte.openBracket, YAMLByte.openBrace:
                depth += 1
            case YAMLByte.closeBracket, YAMLByte.closeBrace:
                depth -= 1
                if depth == 0 {
                    offset += 1
                    return true
                }
            case YAMLByte.singleQuote, YAMLByte.doubleQuote:
                guard skipQuoted() else { return false }
                continue
            case YAMLByte.end:
                return false
            default:
                break
            }
            offset += 1
        }
    }

    /// Steps over a quoted scalar inside a rejected collection without reading its value.
    private mutating func skipQuoted() -> Bool {
        let quote = peek()
        offset += 1
        while true {
            let byte = peek()
            if byte == YAMLByte.end { return false }
            if byte == YAMLByte.backslash && quote == YAMLByte.doubleQuote {
                offset += 2
            } else if byte == quote {
                offset += 1
                guard quote == YAMLByte.singleQuote && peek() == YAMLByte.singleQuote else { return true }
                offset += 1
            } else {
                offset += 1
            }
        }
    }
}

/// Builds the tree line by line. The open block collections live on an explicit stack, so
/// nesting costs heap rather than call stack, and each line is read once.
struct YAMLTreeBuilder {
    private struct OpenCollection {
        enum Kind {
            /// The bottom of the stack, holding the document's one value.
            case document
            case mapping
            case sequence
            /// A sequence at the indentation of the key it belongs to (`key:\n- item`).
            case indentlessSequence
        }

        let kind: Kind
        /// Column (0-based) of its keys or dashes; -1 for the document.
        let indentation: Int
        let position: SourcePosition
        var entries: [YAMLMapping.Entry] = []
        var items: [YAMLNode] = []
        /// Where each key is in `entries`, to find duplicates; filled only once a mapping
        /// grows large, as searching the few keys most mappings have beats hashing them.
        var keyIndexes: [String: Int] = [:]
        /// The key whose value is being read.
        var pendingKey: YAMLScalar?

        var isSequence: Bool {
            kind == .sequence || kind == .indentlessSequence
        }
    }

    private var scanner: YAMLLineScanner
    private var stack = [OpenCollection(kind: .document, indentation: -1, position: SourcePosition(line: 1, column: 1))]
    private var document: YAMLNode?
    /// The innermost collection has an entry or item (or the document its value) whose value
    /// has not started: it is on a later line, or empty.
    private var isAwaitingValue = true
    private var emptyValuePosition = SourcePosition(line: 1, column: 1)
    private var lastValue = (line: 0, isPlainScalar: false)
    private var sawDocumentStart = false
    private var sawContent = false
    private var sawDocumentEnd = false
    private var isStopped = false
    /// Lines indented deeper than this belong to something already rejected (the body of a
    /// block scalar, the rest of a multi-line scalar) and are skipped rather than misread.
    private var skipsLinesDeeperThan: Int?

    /// Reads the lines from `start`, stopping before the line holding `stopOffset`.
    static func build(_ bytes: [UInt8], from start: Int, stoppingAt stopOffset: Int?) -> (YAMLNode?, [Diagnostic]) {
        build(bytes, lines: YAMLLineReader(bytes, from: start), stoppingAt: stopOffset)
    }

    /// Reads the lines `reader` gives as one document.
    static func build(_ bytes: [UInt8], lines reader: YAMLLineReader, stoppingAt stopOffset: Int?) -> (YAMLNode?, [Diagnostic]) {
        var builder = YAMLTreeBuilder(scanner: YAMLLineScanner(bytes))
        var reader = reader
        while !builder.isStopped, let line = reader.next() {
            let reachesRejectedCharacter = stopOffset.map { $0 < line.end } ?? false
            // Problems past the reporting limit would not be shown: no need to look for them.
            if reachesRejectedCharacter || !builder.scanner.isCollectingProblems {
                builder.isStopped = true
            } else {
                builder.scanner.begin(line)
                builder.readLine()
            }
        }
        builder.endDocument()
        return (builder.isStopped ? nil : builder.document, builder.scanner.diagnostics)
    }

    private init(scanner: YAMLLineScanner) {
        self.scanner = scanner
    }

    private mutating func readLine() {
        let indentation = scanner.scanIndentation()
        if let skipped = skipsLinesDeeperThan {
            if indentation > skipped || scanner.isAtLineEnd { return }
            skipsLinesDeeperThan = nil
        }
        guard let hasContent = scanner.hasContent() else {
            isStopped = true
            return
        }
        guard hasContent else { return }
        if indentation == 0 && readDocumentLevelLine() { return }
        if sawDocumentEnd {
            stop(.contentAfterDocumentEnd, at: scanner.position(at: scanner.offset))
            return
        }
        sawContent = true
        if isAwaitingValue && startsValue(at: indentation) {
            let awaiting = stack.count - 1
            let isIndentless = stack[awaiting].kind == .mapping && stack[awaiting].indentation == indentation
            readElements(startingNewNode: true, allowingIndentlessSequence: isIndentless)
        } else {
            continueCollection(at: indentation)
        }
    }

    /// Document markers and directives, which stand at column 1. Returns whether the line was one.
    private mutating func readDocumentLevelLine() -> Bool {
        if scanner.isAtDirective {
            scanner.report(.directive, at: scanner.offset)
            return true
        }
        let markerPosition = scanner.position(at: scanner.offset)
        switch scanner.scanDocumentMarker() {
        case .start:
            if sawContent || sawDocumentStart || sawDocumentEnd {
                stop(.secondDocument, at: markerPosition)
            } else {
                sawDocumentStart = true
                emptyValuePosition = SourcePosition(line: markerPosition.line, column: 4)
            }
            return true
        case .end:
            if sawContent || sawDocumentStart {
                endDocument()
                sawDocumentEnd = true
            } else {
                scanner.report(.documentEndWithoutDocument, at: markerPosition)
            }
            return true
        case nil:
            return false
        }
    }

    /// Whether a line at `indentation` holds the value awaited by the innermost collection,
    /// rather than ending it.
    private func startsValue(at indentation: Int) -> Bool {
        let awaitingIndentation = stack[stack.count - 1].indentation
        switch stack[stack.count - 1].kind {
        case .document:
            return true
        case .mapping:
            return indentation > awaitingIndentation || indentation == awaitingIndentation && scanner.isAtDash
        case .sequence, .indentlessSequence:
            return indentation > awaitingIndentation
        }
    }

    /// A line that adds to an open collection: the innermost one at its indentation.
    private mutating func continueCollection(at indentation: Int) {
        if isAwaitingValue {
            attach(.scalar(YAMLScalar("", at: emptyValuePosition)))
            isAwaitingValue = false
        }
        var closedIndentation: Int?
        while stack[stack.count - 1].indentation > indentation {
            closedIndentation = stack[stack.count - 1].indentation
            closeInnermost()
        }
        if stack[stack.count - 1].kind == .indentlessSequence && stack[stack.count - 1].indentation == indentation && !scanner.isAtDash {
            closeInnermost()
        }
        let containerIndentation = stack[stack.count - 1].indentation
        guard indentation == containerIndentation else {
            let position = scanner.position(at: scanner.offset)
            let isDocumentLevel = stack.count == 1
            if let closedIndentation {
                let expected = isDocumentLevel ? closedIndentation : containerIndentation
                stop(.indentationMismatch(expectedColumn: expected + 1), at: position)
            } else if lastValue.isPlainScalar {
                scanner.report(.multiLineScalar(valueLine: lastValue.line), at: position)
                skipsLinesDeeperThan = containerIndentation
            } else {
                stop(isDocumentLevel ? .contentAfterRootValue : .unexpectedIndentation, at: position)
            }
            return
        }
        readElements(startingNewNode: false, allowingIndentlessSequence: false)
    }

    /// Reads the dashes, key and value of a line. With `startingNewNode` the line's first
    /// element starts the awaited value; otherwise it is the next entry or item of the
    /// innermost collection.
    private mutating func readElements(startingNewNode: Bool, allowingIndentlessSequence: Bool) {
        var startsNewNode = startingNewNode
        var isFirstElement = true
        while let dash = scanner.scanDash() {
            if startsNewNode {
                let kind: OpenCollection.Kind = isFirstElement && allowingIndentlessSequence ? .indentlessSequence : .sequence
                guard open(kind, at: dash) else { return }
            } else if !stack[stack.count - 1].isSequence {
                stop(.sequenceItemAmongMappingEntries, at: dash)
                return
            }
            awaitValue(after: dash)
            startsNewNode = true
            isFirstElement = false
        }
        guard let entry = scanner.scanEntry() else {
            isStopped = true
            return
        }
        if let key = entry.key {
            if startsNewNode {
                guard open(.mapping, at: key.position) else { return }
            } else if stack[stack.count - 1].kind != .mapping {
                stop(.expectedSequenceItem, at: key.position)
                return
            }
            add(key)
            awaitValue(after: entry.colonPosition ?? key.position)
            startsNewNode = true
        }
        if let value = entry.value {
            guard startsNewNode else {
                stop(stack[stack.count - 1].kind == .mapping ? .expectedMappingEntry : .expectedSequenceItem, at: value.node.position)
                return
            }
            attach(value.node)
            isAwaitingValue = false
            lastValue = (value.node.position.line, value.isPlainScalar)
            if value.continuesOnDeeperLines {
                skipsLinesDeeperThan = stack[stack.count - 1].indentation
            }
        } else if !startsNewNode {
            // Only an anchor or tag, already reported; nothing here says where it belongs.
            isStopped = true
        }
    }

    private mutating func awaitValue(after indicator: SourcePosition) {
        isAwaitingValue = true
        emptyValuePosition = SourcePosition(line: indicator.line, column: indicator.column + 1)
    }

    private mutating func open(_ kind: OpenCollection.Kind, at position: SourcePosition) -> Bool {
        guard stack.count <= YAMLLite.maximumNestingDepth else {
            stop(.nestingTooDeep(limit: YAMLLite.maximumNestingDepth), at: position)
            return false
        }
        stack.append(OpenCollection(kind: kind, indentation: position.column - 1, position: position))
        return true
    }

    private mutating func add(_ key: YAMLScalar) {
        let innermost = stack.count - 1
        if let first = Self.firstEntry(withKey: key.value, in: &stack[innermost]) {
            scanner.report(.duplicateKey(key.value, firstLine: first.position.line), at: key.position)
        }
        stack[innermost].pendingKey = key
    }

    private static let smallMappingSize = 8

    private static func firstEntry(withKey key: String, in mapping: inout OpenCollection) -> YAMLScalar? {
        let entries = mapping.entries
        if entries.count <= Self.smallMappingSize {
            return entries.first { $0.key.value == key }?.key
        }
        if mapping.keyIndexes.isEmpty {
            for (index, entry) in entries.enumerated().reversed() {
                mapping.keyIndexes[entry.key.value] = index
            }
        }
        if let index = mapping.keyIndexes[key] {
            return entries[index].key
        }
        mapping.keyIndexes[key] = entries.count
        return nil
    }

    /// Gives the awaited value to the innermost collection.
    private mutating func attach(_ node: YAMLNode) {
        let innermost = stack.count - 1
        switch stack[innermost].kind {
        case .document:
            document = node
        case .mapping:
            if let key = stack[innermost].pendingKey {
                stack[innermost].entries.append(YAMLMapping.Entry(key: key, value: node))
                stack[innermost].pendingKey = nil
            }
        case .sequence, .indentlessSequence:
            stack[innermost].items.append(node)
        }
    }

    private mutating func closeInnermost() {
        guard stack.count > 1, let closed = stack.popLast() else { return }
        if closed.kind == .mapping {
            attach(.mapping(YAMLMapping(entries: closed.entries, at: closed.position)))
        } else {
            attach(.sequence(YAMLSequence(items: closed.items, style: .block, at: closed.position)))
        }
    }

    /// At `...` or the end of the input: an awaited value is empty, and every collection closes.
    /// A document with no content at all has no value, unless it opened with `---`.
    private mutating func endDocument() {
        guard !isStopped else { return }
        if isAwaitingValue && (stack.count > 1 || sawDocumentStart) {
            attach(.scalar(YAMLScalar("", at: emptyValuePosition)))
        }
        isAwaitingValue = false
        while stack.count > 1 { closeInnermost() }
    }

    private mutating func stop(_ problem: YAMLLiteProblem, at position: SourcePosition) {
        scanner.report(problem, at: position)
        isStopped = true
    }
}

/// The largest top-level block mapping of a document, a manifest's `users:` most often,
/// read in parts on every core. A large manifest is almost all one such mapping, and
/// reading it line by line on one core was most of `dbiam validate`'s time.
///
/// Each entry of the mapping starts at a line indented as the first one is, so the body
/// splits at such lines into parts that read as documents of their own; the rest of the
/// file is read as one document with the body left out, and the parts' entries become
/// the mapping's value. Anything the split may not see right (a flow collection or a
/// quoted scalar across a split, a duplicate key in two parts, any problem at all) makes
/// the caller read the whole document on one core instead, so the tree and the
/// diagnostics are always those of reading it whole.
struct YAMLPartedParse {
    /// Below this many lines in the mapping, reading in parts costs more than it saves.
    static let minimumLines = 4000

    /// Every line after the key's line, up to the line that ends the mapping.
    private let body: Range<Int>
    private let bodyLines: Int
    /// Each part's bytes and the number of its first line; a part after the first begins
    /// at an entry of the mapping.
    private let parts: [(bytes: Range<Int>, firstLine: Int)]

    /// The split of the largest top-level block mapping into about `count` parts; nil when
    /// there is none large enough, or its lines are not those of a plain block mapping.
    init?(_ bytes: [UInt8], from start: Int, parts count: Int) {
        guard let mapping = Self.largestMapping(bytes, from: start), mapping.lines >= Self.minimumLines,
            let entryStarts = mapping.entryStarts, !entryStarts.isEmpty
        else { return nil }
        var parts: [(bytes: Range<Int>, firstLine: Int)] = []
        var partStart = (offset: mapping.body.lowerBound, line: mapping.firstLine)
        var next = 0
        for part in 1..<max(1, count) {
            let target = mapping.body.lowerBound + mapping.body.count * part / count
            while next < entryStarts.count && entryStarts[next].offset < target { next += 1 }
            guard next < entryStarts.count else { break }
            let split = entryStarts[next]
            if split.offset > partStart.offset {
                parts.append((partStart.offset..<split.offset, partStart.line))
                partStart = split
            }
        }
        parts.append((partStart.offset..<mapping.body.upperBound, partStart.line))
        guard parts.count > 1 else { return nil }
        key = mapping.key
        body = mapping.body
        bodyLines = mapping.lines
        self.parts = parts
    }

    /// The key of the mapping read in parts, such as `users`.
    let key: String

    /// How many parts `part(_:in:)` reads.
    var partCount: Int { parts.count }

    /// The document's tree, or nil when it must be read whole (see the type's comment).
    func parse(_ bytes: [UInt8], from start: Int) -> YAMLNode? {
        let results = Parallel.map(parts.count + 1) { index -> YAMLNode? in
            index == 0 ? rest(bytes, from: start).map(YAMLNode.mapping) : part(index - 1, in: bytes).map(YAMLNode.mapping)
        }
        guard case .mapping(var root)? = results[0], let index = root.entries.firstIndex(where: { $0.key.value == key }) else { return nil }
        var entries: [YAMLMapping.Entry] = []
        var keys = Set<String>(minimumCapacity: parts.count * 1024)
        var position: SourcePosition?
        for result in results.dropFirst() {
            guard case .mapping(let part)? = result else { return nil }
            position = position ?? part.position
            for entry in part.entries {
                // The same key in two parts: reading whole reports it where it is.
                guard keys.insert(entry.key.value).inserted else { return nil }
            }
            entries += part.entries
        }
        guard let position else { return nil }
        root.entries[index].value = .mapping(YAMLMapping(entries: entries, at: position))
        return .mapping(root)
    }

    /// The document with the mapping's body left out: its key's value is an empty plain
    /// scalar. Nil when it must be read whole.
    func rest(_ bytes: [UInt8], from start: Int) -> YAMLMapping? {
        let (node, diagnostics) = YAMLTreeBuilder.build(bytes, lines: YAMLLineReader(bytes, from: start, skipping: (body, bodyLines)), stoppingAt: nil)
        guard diagnostics.isEmpty, case .mapping(let root)? = node,
            case .scalar(let placeholder)? = root.entries.first(where: { $0.key.value == key })?.value,
            placeholder.value.isEmpty, placeholder.style == .plain
        else { return nil }
        return root
    }

    /// Part `index` of the mapping's entries, in file order; nil when the part must not be
    /// read alone. Keys are unique within a part, not across parts: a caller that does not
    /// merge with `parse` checks that.
    func part(_ index: Int, in bytes: [UInt8]) -> YAMLMapping? {
        let part = parts[index]
        let lines = YAMLLineReader(bytes, from: part.bytes.lowerBound, to: part.bytes.upperBound, firstLine: part.firstLine)
        guard case let (.mapping(mapping)?, diagnostics) = YAMLTreeBuilder.build(bytes, lines: lines, stoppingAt: nil), diagnostics.isEmpty else { return nil }
        return mapping
    }

    private struct Mapping {
        var key: String
        var body: Range<Int>
        var firstLine: Int
        var lines: Int
        /// Where each entry's line starts; nil when a line says this is no plain block mapping.
        var entryStarts: [(offset: Int, line: Int)]?
        var entryIndentation: Int?

        /// Takes in an indented line of the body whose first character after `depth`
        /// spaces is `first`.
        mutating func add(lineAt offset: Int, number: Int, depth: Int, first: UInt8) {
            lines += 1
            if first == YAMLByte.tab {
                entryStarts = nil
            } else if let entryIndentation {
                if depth == entryIndentation && first != YAMLByte.dash {
                    entryStarts?.append((offset, number))
                } else if depth < entryIndentation {
                    entryStarts = nil
                }
            } else {
                entryIndentation = depth
                if first == YAMLByte.dash { entryStarts = nil } else { entryStarts?.append((offset, number)) }
            }
        }
    }

    /// The top-level `key:` (alone on its line) whose indented lines are the most.
    private static func largestMapping(_ bytes: [UInt8], from start: Int) -> Mapping? {
        var largest: Mapping?
        var current: Mapping?
        func finish(at end: Int) {
            guard var mapping = current else { return }
            mapping.body = mapping.body.lowerBound..<end
            if mapping.lines > largest?.lines ?? -1 { largest = mapping }
            current = nil
        }
        var offset = start
        var number = 0
        while offset < bytes.count {
            let end = YAMLLineReader.endOfLine(from: offset, in: bytes)
            let next = end < bytes.count ? YAMLLineReader.offsetAfterLineBreak(at: end, in: bytes) : end
            number += 1
            defer { offset = next }
            var indentation = offset
            while indentation < end && bytes[indentation] == YAMLByte.space { indentation += 1 }
            let first = indentation < end ? bytes[indentation] : YAMLByte.hash
            if first == YAMLByte.hash || (first == YAMLByte.tab && bytes[indentation..<end].allSatisfy(YAMLByte.isBlank)) {
                // Blank or a comment: part of whatever mapping it is in.
                current?.lines += 1
                continue
            }
            guard indentation > offset else {
                finish(at: offset)
                if let key = topLevelKey(bytes[offset..<end]) {
                    current = Mapping(key: key, body: next..<next, firstLine: number + 1, lines: 0, entryStarts: [])
                }
                continue
            }
            // Changed in place, through the optional: a copy would copy the entry starts.
            current?.add(lineAt: offset, number: number, depth: indentation - offset, first: first)
        }
        finish(at: bytes.count)
        return largest
    }

    /// `users:` alone on its line (a comment may follow): the key, made of ASCII letters,
    /// digits and `_`.
    private static func topLevelKey(_ line: ArraySlice<UInt8>) -> String? {
        guard let colon = line.firstIndex(of: YAMLByte.colon), colon > line.startIndex,
            line[..<colon].allSatisfy({ $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        let rest = line[(colon + 1)...]
        guard let content = rest.firstIndex(where: { $0 != YAMLByte.space }) else {
            return String(decoding: line[..<colon], as: UTF8.self)
        }
        guard rest[content] == YAMLByte.hash, content > rest.startIndex else { return nil }
        return String(decoding: line[..<colon], as: UTF8.self)
    }
}

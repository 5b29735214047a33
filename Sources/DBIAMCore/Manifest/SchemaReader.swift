/// Reads typed values out of the YAML-lite tree and collects every problem it meets,
/// so one run reports all of them.
struct SchemaReader {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func error(_ message: String, at position: SourcePosition) {
        diagnostics.append(.error(message, at: position))
    }

    /// The findings of another reader over part of the same file.
    mutating func absorb(_ other: [Diagnostic]) {
        diagnostics += other
    }

    /// The entries of a mapping, by key, after checking that every key is known and
    /// every required key is there. `context` names the mapping in messages
    /// (`cluster 'orders-prod'`); `owner` is where to point when a key is missing.
    mutating func fields(
        of node: YAMLNode, context: @autoclosure () -> String, owner: SourcePosition,
        allowed: [String], required: [String] = []
    ) -> Fields? {
        guard let mapping = mapping(node, what: context()) else { return nil }
        var fields = Fields()
        // Every key known, the usual case: the entries as they are, without a copy.
        if mapping.entries.allSatisfy({ allowed.contains($0.key.value) }) {
            fields.entries = mapping.entries
        } else {
            for entry in mapping.entries {
                if allowed.contains(entry.key.value) {
                    fields.entries.append(entry)
                } else {
                    error(
                        "unknown key '\(entry.key.value)' in \(context())."
                            + Suggestion.didYouMean(entry.key.value, among: allowed)
                            + " Known keys: \(allowed.joined(separator: ", ")).",
                        at: entry.key.position)
                }
            }
        }
        for key in required where fields[key] == nil {
            error("\(context()) needs '\(key)'.", at: owner)
        }
        return fields
    }

    mutating func mapping(_ node: YAMLNode, what: @autoclosure () -> String) -> YAMLMapping? {
        if case .mapping(let mapping) = node { return mapping }
        error("\(what()) must be a mapping of keys to values, not \(node.kindDescription).", at: node.position)
        return nil
    }

    mutating func scalar(_ node: YAMLNode, what: @autoclosure () -> String) -> YAMLScalar? {
        if case .scalar(let scalar) = node { return scalar }
        error("\(what()) must be a single value, not \(node.kindDescription).", at: node.position)
        return nil
    }

    /// A non-empty text value.
    mutating func text(_ node: YAMLNode, what: @autoclosure () -> String) -> YAMLScalar? {
        guard let scalar = scalar(node, what: what()) else { return nil }
        if scalar.value.isEmpty {
            error("\(what()) is empty; give it a value.", at: scalar.position)
            return nil
        }
        return scalar
    }

    /// Exactly `true` or `false`: YAML 1.1 spellings such as `yes` or `on` are refused
    /// because other tools read them differently.
    mutating func bool(_ node: YAMLNode, what: @autoclosure () -> String) -> Bool? {
        guard let scalar = scalar(node, what: what()) else { return nil }
        switch scalar.value {
        case "true": return true
        case "false": return false
        default:
            error("\(what()) must be true or false, not '\(scalar.value)'.", at: scalar.position)
            return nil
        }
    }

    mutating func integer(_ node: YAMLNode, what: @autoclosure () -> String, in range: ClosedRange<Int>) -> Int? {
        guard let scalar = scalar(node, what: what()) else { return nil }
        let value = scalar.value
        if !value.isEmpty, value.utf8.count <= 9, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let number = Int(value), range.contains(number)
        {
            return number
        }
        error("\(what()) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(value)'.", at: scalar.position)
        return nil
    }

    /// A list of text values, block or flow.
    mutating func textList(_ node: YAMLNode, what: @autoclosure () -> String) -> [YAMLScalar]? {
        guard case .sequence(let sequence) = node else {
            error("\(what()) must be a list, such as [a, b], not \(node.kindDescription).", at: node.position)
            return nil
        }
        var items: [YAMLScalar] = []
        for item in sequence.items {
            if let scalar = text(item, what: "an item of \(what())") { items.append(scalar) }
        }
        return items
    }

    mutating func list(_ node: YAMLNode, what: @autoclosure () -> String) -> [YAMLNode]? {
        guard case .sequence(let sequence) = node else {
            error("\(what()) must be a list, not \(node.kindDescription).", at: node.position)
            return nil
        }
        return sequence.items
    }
}

/// The known entries of one mapping. A mapping has a handful of keys, so a list
/// searched in order is cheaper than a dictionary built for every user of the file.
struct Fields {
    var entries: [YAMLMapping.Entry] = []

    subscript(key: String) -> YAMLMapping.Entry? {
        entries.first { $0.key.value == key }
    }

    /// Where each field's value starts, for findings about one field.
    var positions: FieldPositions {
        // Lazily: each user's positions are one array, not two.
        FieldPositions(entries.lazy.map { ($0.key.value, $0.value.position) })
    }
}

extension YAMLNode {
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.value.isEmpty ? "an empty value" : "the value '\(scalar.value)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}

@testable import DBIAMCore
import Testing

/// Shorthands for writing expected trees with their positions.
enum YAMLExpectedTree {
    static func at(_ line: Int, _ column: Int) -> SourcePosition {
        SourcePosition(line: line, column: column)
    }

    static func scalar(_ value: String, _ line: Int, _ column: Int, _ style: YAMLScalar.Style = .plain) -> YAMLScalar {
        YAMLScalar(value, style: style, at: at(line, column))
    }

    static func text(_ value: String, _ line: Int, _ column: Int, _ style: YAMLScalar.Style = .plain) -> YAMLNode {
        .scalar(scalar(value, line, column, style))
    }

    static func mapping(_ line: Int, _ column: Int, _ entries: [(YAMLScalar, YAMLNode)]) -> YAMLNode {
        .mapping(YAMLMapping(entries: entries.map { YAMLMapping.Entry(key: $0.0, value: $0.1) }, at: at(line, column)))
    }

    static func sequence(_ line: Int, _ column: Int, _ items: [YAMLNode], _ style: YAMLSequence.Style = .block) -> YAMLNode {
        .sequence(YAMLSequence(items: items, style: style, at: at(line, column)))
    }
}

/// Parses a document that must be accepted, recording its diagnostics as the failure otherwise.
func parseAcceptedYAML(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> YAMLNode? {
    let result = YAMLLite.parse(text)
    #expect(result.diagnostics == [], "\(text.debugDescription)", sourceLocation: sourceLocation)
    return result.root
}

/// The text-only shape of a tree, as JSON gives it back from PyYAML: strings, lists, and
/// mappings as ordered pairs. Strings compare by Unicode scalars, as Python does, not by
/// Swift's canonical equivalence.
indirect enum YAMLPlainTree: Equatable, Decodable, Sendable, CustomStringConvertible {
    case string(String)
    case list([YAMLPlainTree])
    case mapping([Pair])

    struct Pair: Equatable, Decodable, Sendable {
        var key: String
        var value: YAMLPlainTree

        init(key: String, value: YAMLPlainTree) {
            self.key = key
            self.value = value
        }

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            key = try container.decode(String.self)
            value = try container.decode(YAMLPlainTree.self)
        }

        static func == (lhs: Pair, rhs: Pair) -> Bool {
            lhs.key.unicodeScalars.elementsEqual(rhs.key.unicodeScalars) && lhs.value == rhs.value
        }
    }

    private enum CodingKeys: String, CodingKey { case map }

    init(_ node: YAMLNode) {
        switch node {
        case .scalar(let scalar): self = .string(scalar.value)
        case .sequence(let sequence): self = .list(sequence.items.map(YAMLPlainTree.init))
        case .mapping(let mapping): self = .mapping(mapping.entries.map { Pair(key: $0.key.value, value: YAMLPlainTree($0.value)) })
        }
    }

    init(from decoder: any Decoder) throws {
        if let string = try? decoder.singleValueContainer().decode(String.self) {
            self = .string(string)
        } else if let list = try? decoder.singleValueContainer().decode([YAMLPlainTree].self) {
            self = .list(list)
        } else {
            self = .mapping(try decoder.container(keyedBy: CodingKeys.self).decode([Pair].self, forKey: .map))
        }
    }

    static func == (lhs: YAMLPlainTree, rhs: YAMLPlainTree) -> Bool {
        switch (lhs, rhs) {
        case (.string(let left), .string(let right)): left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.list(let left), .list(let right)): left == right
        case (.mapping(let left), .mapping(let right)): left == right
        default: false
        }
    }

    var description: String {
        switch self {
        case .string(let string): string.debugDescription
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .mapping(let pairs): "{" + pairs.map { "\($0.key.debugDescription): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

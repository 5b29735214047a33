/// The tree that YAML-lite yields. Every scalar is text: the schema, not the parser,
/// decides what is a number or a boolean.
public enum YAMLNode: Sendable, Hashable {
    case scalar(YAMLScalar)
    case mapping(YAMLMapping)
    case sequence(YAMLSequence)

    public var position: SourcePosition {
        switch self {
        case .scalar(let scalar): scalar.position
        case .mapping(let mapping): mapping.position
        case .sequence(let sequence): sequence.position
        }
    }
}

public struct YAMLScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted
    }

    public var value: String
    public var style: Style
    /// Where the scalar starts (its opening quote, when quoted).
    public var position: SourcePosition

    public init(_ value: String, style: Style = .plain, at position: SourcePosition) {
        self.value = value
        self.style = style
        self.position = position
    }
}

public struct YAMLMapping: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var key: YAMLScalar
        public var value: YAMLNode

        public init(key: YAMLScalar, value: YAMLNode) {
            self.key = key
            self.value = value
        }
    }

    /// Entries in file order; keys are unique (duplicates are rejected by the parser).
    public var entries: [Entry]
    /// Where the first key starts, or the `{` of an empty flow mapping.
    public var position: SourcePosition

    public init(entries: [Entry], at position: SourcePosition) {
        self.entries = entries
        self.position = position
    }

    public subscript(key: String) -> YAMLNode? {
        entries.first { $0.key.value == key }?.value
    }
}

public struct YAMLSequence: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case block, flow
    }

    public var items: [YAMLNode]
    public var style: Style
    /// Where the first `-` or the `[` is.
    public var position: SourcePosition

    public init(items: [YAMLNode], style: Style, at position: SourcePosition) {
        self.items = items
        self.style = style
        self.position = position
    }
}

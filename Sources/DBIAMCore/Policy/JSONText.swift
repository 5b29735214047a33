/// A JSON value whose objects keep their keys in the order given, rendered the same
/// way every time: 2-space indentation, `"key": value`, a trailing newline. Reviewed
/// files must not change when nothing in them changed.
public indirect enum JSONText: Sendable, Hashable {
    case string(String)
    case number(Int)
    case bool(Bool)
    case null
    case array([JSONText])
    case object([(String, JSONText)])

    public static func == (lhs: JSONText, rhs: JSONText) -> Bool { lhs.rendered() == rhs.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    /// The document with a trailing newline.
    public func rendered() -> String {
        var writer = JSONWriter()
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    /// The document on one line, with its newline: a line of JSON Lines.
    public func renderedOnOneLine() -> String {
        var writer = JSONWriter(oneLine: true)
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self) + "\n"
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .string(let text): writer.string(text)
        case .number(let number): writer.number(number)
        case .bool(let value): writer.bool(value)
        case .null: writer.null()
        case .array(let items):
            writer.array(items) { $0.write(to: &$1) }
        case .object(let members):
            writer.beginObject()
            for (key, value) in members {
                writer.key(key)
                value.write(to: &writer)
            }
            writer.endObject()
        }
    }
}

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
        var output = ""
        write(to: &output, indent: 0)
        output += "\n"
        return output
    }

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .string(let text): Self.writeString(text, to: &output)
        case .number(let number): output += String(number)
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .array(let items):
            guard !items.isEmpty else { output += "[]"; return }
            output += "[\n"
            for (index, item) in items.enumerated() {
                output += String(repeating: " ", count: indent + 2)
                item.write(to: &output, indent: indent + 2)
                output += index == items.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{\n"
            for (index, (key, value)) in members.enumerated() {
                output += String(repeating: " ", count: indent + 2)
                Self.writeString(key, to: &output)
                output += ": "
                value.write(to: &output, indent: indent + 2)
                output += index == members.count - 1 ? "\n" : ",\n"
            }
            output += String(repeating: " ", count: indent) + "}"
        }
    }

    /// IAM accepts only tab, line feed, carriage return and U+0020 to U+00FF in a policy
    /// document, so everything else goes out as `\uXXXX` (UTF-16, surrogate pairs above
    /// the Basic Multilingual Plane), which JSON readers turn back into the same text.
    /// Every document made with `JSONText` is written so (lint output and exports too), so
    /// a policy reads and measures the same wherever it appears.
    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        if text.utf8.allSatisfy(isWrittenAsIs) {
            output += text
        } else {
            writeEscaped(text, to: &output)
        }
        output += "\""
    }

    /// Nearly every string is ASCII without quotes or control characters; checking its
    /// bytes and appending it whole keeps rendering large documents fast.
    private static func isWrittenAsIs(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    private static func writeEscaped(_ text: String, to output: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20 || scalar.value > 0xFF:
                for unit in scalar.utf16 {
                    let hex = String(unit, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}

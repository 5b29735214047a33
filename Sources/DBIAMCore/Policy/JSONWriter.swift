/// JSON written straight into bytes, in the layout of every JSON file dbiam writes:
/// 2-space indentation, `"key": value`, `[]` and `{}` when empty; or, `oneLine`, the
/// same without line breaks and spaces, for JSON Lines (`apply --json`). `JSONText`
/// renders through it, and the plan, tens of thousands of values, is written with it
/// directly.
///
/// IAM accepts only tab, line feed, carriage return and U+0020 to U+00FF in a policy
/// document, so everything else goes out as `\uXXXX` (UTF-16, surrogate pairs above the
/// Basic Multilingual Plane), which JSON readers turn back into the same text. Every
/// document is written so, lint output and exports too, so a policy reads and measures
/// the same wherever it appears.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// One entry per open array or object: whether it has a member yet.
    private var open: [Bool] = []
    private let oneLine: Bool

    public init(capacity: Int = 0, oneLine: Bool = false) {
        bytes.reserveCapacity(capacity)
        self.oneLine = oneLine
    }

    public mutating func beginObject() { begin(UInt8(ascii: "{")) }
    public mutating func endObject() { end(UInt8(ascii: "}")) }
    public mutating func beginArray() { begin(UInt8(ascii: "[")) }
    public mutating func endArray() { end(UInt8(ascii: "]")) }

    /// The next member of the object: its key; its value follows.
    public mutating func key(_ name: String) {
        nextMember()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        if !oneLine { bytes.append(UInt8(ascii: " ")) }
    }

    /// The next element of the array; its value follows.
    public mutating func element() { nextMember() }

    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Nearly every string is ASCII without quotes or control characters: checked and
        // copied whole, in one pass over native storage.
        let copied = text.utf8.withContiguousStorageIfAvailable { source in
            guard source.allSatisfy(Self.isPlain) else { return false }
            bytes.append(contentsOf: source)
            return true
        }
        // Otherwise character by character, plain ones as they are.
        if copied != true { escape(text) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A byte written as it is inside a string.
    private static func isPlain(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    /// The text written, with a final line feed: one copy of the bytes, for a plan of
    /// megabytes.
    public consuming func finishedText() -> String {
        bytes.append(UInt8(ascii: "\n"))
        return String(decoding: bytes, as: UTF8.self)
    }

    public mutating func number(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { bytes.append(contentsOf: "null".utf8) }

    /// An array of `elements`, each written by `write`.
    public mutating func array<Element>(_ elements: [Element], _ write: (Element, inout JSONWriter) -> Void) {
        beginArray()
        for element in elements {
            self.element()
            write(element, &self)
        }
        endArray()
    }

    public mutating func strings(_ values: [String]) {
        array(values) { $1.string($0) }
    }

    /// `"key": "text"`, the common member.
    public mutating func member(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    private mutating func begin(_ bracket: UInt8) {
        bytes.append(bracket)
        open.append(false)
    }

    private mutating func end(_ bracket: UInt8) {
        if open.removeLast() && !oneLine {
            bytes.append(UInt8(ascii: "\n"))
            indent()
        }
        bytes.append(bracket)
    }

    private mutating func nextMember() {
        if open[open.count - 1] { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1] = true
        guard !oneLine else { return }
        bytes.append(UInt8(ascii: "\n"))
        indent()
    }

    private mutating func indent() {
        let width = 2 * open.count
        if width <= Self.spaces.count {
            Self.spaces.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<width])) }
        } else {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width))
        }
    }

    /// The indentation of the 32 levels plans and policies go deep, as one copy.
    private static let spaces = [UInt8](repeating: UInt8(ascii: " "), count: 64)

    private mutating func escape(_ text: String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: #"\""#.utf8)
            case "\\": bytes.append(contentsOf: #"\\"#.utf8)
            case "\n": bytes.append(contentsOf: #"\n"#.utf8)
            case "\r": bytes.append(contentsOf: #"\r"#.utf8)
            case "\t": bytes.append(contentsOf: #"\t"#.utf8)
            case _ where scalar.value < 0x20 || scalar.value > 0xFF:
                for unit in scalar.utf16 {
                    let hex = String(unit, radix: 16)
                    bytes.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                }
            default: bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}

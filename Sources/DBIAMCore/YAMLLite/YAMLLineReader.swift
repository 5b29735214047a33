/// One line of the input, without its line break.
struct YAMLSourceLine {
    var number: Int
    /// Offset of the first byte.
    var start: Int
    /// Offset just past the last byte before the line break.
    var end: Int
}

/// Splits the input into lines the way YAML does: at LF, CRLF or a lone CR.
struct YAMLLineReader {
    private let bytes: [UInt8]
    private var offset: Int
    private var number = 0

    init(_ bytes: [UInt8], from start: Int) {
        self.bytes = bytes
        self.offset = start
    }

    mutating func next() -> YAMLSourceLine? {
        guard offset < bytes.count else { return nil }
        let end = Self.endOfLine(from: offset, in: bytes)
        number += 1
        let line = YAMLSourceLine(number: number, start: offset, end: end)
        offset = end < bytes.count ? Self.offsetAfterLineBreak(at: end, in: bytes) : end
        return line
    }

    static func endOfLine(from start: Int, in bytes: [UInt8]) -> Int {
        var offset = start
        while offset < bytes.count && bytes[offset] != 0x0A && bytes[offset] != 0x0D {
            offset += 1
        }
        return offset
    }

    /// `offset` is at a CR or LF.
    static func offsetAfterLineBreak(at offset: Int, in bytes: [UInt8]) -> Int {
        if bytes[offset] == 0x0D && offset + 1 < bytes.count && bytes[offset + 1] == 0x0A {
            return offset + 2
        }
        return offset + 1
    }
}

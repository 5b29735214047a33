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
    /// Where reading stops: the end of the input, or of the part being read.
    private let limit: Int
    private var number: Int
    /// Whole lines passed over (their bytes and how many they are), still counted.
    private let skipped: (bytes: Range<Int>, lines: Int)?

    /// The lines from `start` to `limit` (a line start), the first numbered `firstLine`,
    /// leaving out the lines of `skipping`.
    init(_ bytes: [UInt8], from start: Int, to limit: Int? = nil, firstLine: Int = 1, skipping: (bytes: Range<Int>, lines: Int)? = nil) {
        self.bytes = bytes
        self.offset = start
        self.limit = limit ?? bytes.count
        self.number = firstLine - 1
        self.skipped = skipping
    }

    mutating func next() -> YAMLSourceLine? {
        if let skipped, offset == skipped.bytes.lowerBound {
            offset = skipped.bytes.upperBound
            number += skipped.lines
        }
        guard offset < limit else { return nil }
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

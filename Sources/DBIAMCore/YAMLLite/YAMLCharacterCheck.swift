/// The pass over raw bytes that finds what no YAML reader accepts, wherever it stands:
/// invalid UTF-8, control characters, the Unicode line breaks YAML splits lines on
/// (so dbiam and YAML would number lines differently), and a byte order mark after the start.
/// It is separate from the parser so that these are reported for the whole file, even after
/// the parser has stopped at a structural error.
struct YAMLCharacterCheck {
    var diagnostics: [Diagnostic] = []
    /// The first rejected byte; the parser does not read its line or anything after it.
    var firstRejectedOffset: Int?

    init(_ bytes: [UInt8], from start: Int) {
        var offset = start
        var line = 1
        var lineStart = start
        while offset < bytes.count && diagnostics.count <= YAMLLite.maximumReportedProblems {
            let byte = bytes[offset]
            if byte >= 0x20 && byte < 0x7F || byte == 0x09 {
                offset += 1
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                offset = YAMLLineReader.offsetAfterLineBreak(at: offset, in: bytes)
                line += 1
                lineStart = offset
                continue
            }
            let (length, problem) = Self.check(bytes, at: offset)
            if let problem {
                record(problem, at: offset, line: line, lineStart: lineStart, in: bytes)
                // One finding per line: after a bad byte the rest of the line says nothing new.
                offset = YAMLLineReader.endOfLine(from: offset, in: bytes)
            } else {
                offset += length
            }
        }
    }

    private mutating func record(_ problem: YAMLLiteProblem, at offset: Int, line: Int, lineStart: Int, in bytes: [UInt8]) {
        var column = 1
        for index in lineStart..<offset where bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        diagnostics.append(.error(problem.message, at: SourcePosition(line: line, column: column)))
        if firstRejectedOffset == nil { firstRejectedOffset = offset }
    }

    /// The length of the character at `offset` (a control character or a non-ASCII
    /// sequence) and what is wrong with it, if anything.
    private static func check(_ bytes: [UInt8], at offset: Int) -> (length: Int, problem: YAMLLiteProblem?) {
        guard let (scalar, length) = decodeScalar(bytes, at: offset) else {
            return (1, .invalidUTF8(byte: bytes[offset]))
        }
        switch scalar {
        case 0x00...0x1F, 0x7F, 0x80...0x84, 0x86...0x9F:
            return (length, .controlCharacter(scalar))
        case 0x85, 0x2028, 0x2029:
            return (length, .lineBreakCharacter(scalar))
        case 0xFEFF:
            return (length, .misplacedByteOrderMark)
        case 0xFFFE, 0xFFFF:
            return (length, .noncharacter(scalar))
        default:
            return (length, nil)
        }
    }

    /// Decodes one well-formed UTF-8 sequence (shortest form, no surrogates, at most U+10FFFF).
    private static func decodeScalar(_ bytes: [UInt8], at offset: Int) -> (UInt32, Int)? {
        let lead = bytes[offset]
        let length: Int
        var scalar: UInt32
        var lowestSecondByte: UInt8 = 0x80
        var highestSecondByte: UInt8 = 0xBF
        switch lead {
        case 0x00...0x7F:
            return (UInt32(lead), 1)
        case 0xC2...0xDF:
            length = 2
            scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            length = 3
            scalar = UInt32(lead & 0x0F)
            if lead == 0xE0 { lowestSecondByte = 0xA0 }
            if lead == 0xED { highestSecondByte = 0x9F }
        case 0xF0...0xF4:
            length = 4
            scalar = UInt32(lead & 0x07)
            if lead == 0xF0 { lowestSecondByte = 0x90 }
            if lead == 0xF4 { highestSecondByte = 0x8F }
        default:
            return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for index in 1..<length {
            let byte = bytes[offset + index]
            let range = index == 1 ? lowestSecondByte...highestSecondByte : 0x80...0xBF
            guard range.contains(byte) else { return nil }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        return (scalar, length)
    }
}

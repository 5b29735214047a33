/// Plain, single-quoted and double-quoted scalars, always within one line.
extension YAMLLineScanner {
    enum Context {
        case block
        /// Inside `[...]`, where `,[]{}` end a plain scalar and `:` and `?` are indicators.
        case flow
    }

    /// Reads a plain scalar from the cursor (already checked not to start with an indicator)
    /// and leaves the cursor just after its last non-blank character.
    mutating func scanPlainScalar(in context: Context) -> YAMLScalar {
        let start = offset
        let startPosition = position(at: start)
        var end = offset
        var reportedAmbiguity = false
        while true {
            skipPlainRun(in: context, reportedAmbiguity: &reportedAmbiguity)
            end = offset
            guard skipBlanks() else { break }
            let next = peek()
            if next == YAMLByte.end || next == YAMLByte.hash || endsPlainRun(next, next: peek(1), in: context) {
                break
            }
        }
        offset = end
        return YAMLScalar(text(start..<end), style: .plain, at: startPosition)
    }

    /// Moves over a run of non-blank characters of a plain scalar.
    private mutating func skipPlainRun(in context: Context, reportedAmbiguity: inout Bool) {
        let lineEnd = line.end
        while offset < lineEnd {
            let byte = bytes[offset]
            // Most characters are letters, digits or not ASCII: they cannot end a run.
            let lowercased = byte | 0x20
            let isAlphanumeric = lowercased >= 0x61 && lowercased <= 0x7A || byte >= 0x30 && byte <= 0x39
            if !isAlphanumeric && byte < 0x80 {
                if endsPlainRun(byte, next: peek(1), in: context) { return }
                if context == .flow && (byte == YAMLByte.colon || byte == YAMLByte.question) && !reportedAmbiguity {
                    // PyYAML and libyaml disagree on these inside flow collections.
                    report(.ambiguousFlowCharacter(byte), at: offset)
                    reportedAmbiguity = true
                }
            }
            offset += 1
        }
    }

    /// Whether `byte` ends a run of non-blank characters of a plain scalar: a blank, the end
    /// of the line, `: `, or in a flow sequence one of `,[]{}`.
    private func endsPlainRun(_ byte: UInt8, next: UInt8, in context: Context) -> Bool {
        if YAMLByte.isBlankOrEnd(byte) || byte == YAMLByte.colon && YAMLByte.isBlankOrEnd(next) {
            return true
        }
        guard context == .flow else { return false }
        switch byte {
        case YAMLByte.comma, YAMLByte.openBracket, YAMLByte.closeBracket, YAMLByte.openBrace, YAMLByte.closeBrace: return true
        default: return false
        }
    }

    /// Reads a quoted scalar from its opening quote at the cursor. Returns nil, after
    /// reporting, when it does not close on this line.
    mutating func scanQuotedScalar() -> YAMLScalar? {
        let quote = peek()
        let openingOffset = offset
        let startPosition = position(at: openingOffset)
        offset += 1
        var segmentStart = offset
        var isUnescaping = false
        unescaped.removeAll(keepingCapacity: true)
        while true {
            let byte = peek()
            if byte == YAMLByte.end {
                report(.unterminatedQuote(quote: quote), at: startPosition)
                return nil
            }
            if byte == quote {
                guard quote == YAMLByte.singleQuote && peek(1) == YAMLByte.singleQuote else { break }
                unescaped.append(contentsOf: bytes[segmentStart...offset])
                isUnescaping = true
                offset += 2
                segmentStart = offset
            } else if byte == YAMLByte.backslash && quote == YAMLByte.doubleQuote {
                unescaped.append(contentsOf: bytes[segmentStart..<offset])
                isUnescaping = true
                guard scanEscape() else { return nil }
                segmentStart = offset
            } else {
                offset += 1
            }
        }
        let value: String
        if isUnescaping {
            unescaped.append(contentsOf: bytes[segmentStart..<offset])
            value = String(decoding: unescaped, as: UTF8.self)
        } else {
            value = text(segmentStart..<offset)
        }
        offset += 1
        let style: YAMLScalar.Style = quote == YAMLByte.singleQuote ? .singleQuoted : .doubleQuoted
        return YAMLScalar(value, style: style, at: startPosition)
    }

    /// Reads the escape sequence at the cursor (a backslash) into `unescaped`. Returns false,
    /// after reporting, when the backslash ends the line (an escaped line break).
    private mutating func scanEscape() -> Bool {
        let escapeOffset = offset
        let letter = peek(1)
        if let character = Self.singleCharacterEscapes[letter] {
            appendUnescaped(character)
            offset += 2
            return true
        }
        switch letter {
        case UInt8(ascii: "x"): scanHexEscape(letter: letter, digits: 2)
        case UInt8(ascii: "u"): scanHexEscape(letter: letter, digits: 4)
        case UInt8(ascii: "U"): scanHexEscape(letter: letter, digits: 8)
        case YAMLByte.end:
            report(.escapedLineBreak, at: escapeOffset)
            return false
        default:
            var length = 1
            while byte(at: offset + 1 + length) & 0xC0 == 0x80 { length += 1 }
            report(.unknownEscape(text(offset + 1..<offset + 1 + length)), at: escapeOffset)
            offset += 1 + length
        }
        return true
    }

    /// `\xXX`, `\uXXXX` and `\UXXXXXXXX`: the code point, in hexadecimal.
    private mutating func scanHexEscape(letter: UInt8, digits: Int) {
        let escapeOffset = offset
        offset += 2
        var code: UInt32 = 0
        for _ in 0..<digits {
            guard let digit = Self.hexDigitValue(peek()) else {
                report(.shortHexEscape(letter: letter, digits: digits), at: escapeOffset)
                return
            }
            code = code << 4 | digit
            offset += 1
        }
        guard let scalar = Unicode.Scalar(code) else {
            report(.invalidEscapedCodePoint(code), at: escapeOffset)
            return
        }
        appendUnescaped(scalar)
    }

    private mutating func appendUnescaped(_ scalar: Unicode.Scalar) {
        UTF8.encode(scalar) { unescaped.append($0) }
    }

    private static func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// YAML 1.2's escapes that stand for one fixed character (PyYAML's `ESCAPE_REPLACEMENTS`).
    private static let singleCharacterEscapes: [UInt8: Unicode.Scalar] = [
        UInt8(ascii: "0"): "\u{00}",
        UInt8(ascii: "a"): "\u{07}",
        UInt8(ascii: "b"): "\u{08}",
        UInt8(ascii: "t"): "\u{09}",
        YAMLByte.tab: "\u{09}",
        UInt8(ascii: "n"): "\u{0A}",
        UInt8(ascii: "v"): "\u{0B}",
        UInt8(ascii: "f"): "\u{0C}",
        UInt8(ascii: "r"): "\u{0D}",
        UInt8(ascii: "e"): "\u{1B}",
        YAMLByte.space: " ",
        YAMLByte.doubleQuote: "\"",
        UInt8(ascii: "/"): "/",
        YAMLByte.backslash: "\\",
        UInt8(ascii: "N"): "\u{85}",
        UInt8(ascii: "_"): "\u{A0}",
        UInt8(ascii: "L"): "\u{2028}",
        UInt8(ascii: "P"): "\u{2029}",
    ]
}

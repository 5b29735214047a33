/// Everything YAML-lite rejects, each with the sentence the user reads. A message names the
/// feature and says what to write instead: the reader is fixing a manifest, not studying YAML.
enum YAMLLiteProblem: Sendable, Hashable {
    // Characters
    case invalidUTF8(byte: UInt8)
    case controlCharacter(UInt32)
    case lineBreakCharacter(UInt32)
    case noncharacter(UInt32)
    case misplacedByteOrderMark
    case tabInIndentation
    case tabOutsideQuotes

    // Documents
    case directive
    case secondDocument
    case contentOnDocumentStartLine
    case documentEndWithoutDocument
    case contentAfterDocumentEnd

    // Features outside the subset
    case anchor
    case alias
    case tag
    case blockScalar(indicator: UInt8)
    case complexKey
    case collectionAsKey
    case mergeKey
    case flowMapping
    case nestedFlowCollection
    case multiLineScalar(valueLine: Int)
    case unterminatedQuote(quote: UInt8)
    case escapedLineBreak
    case unterminatedFlowSequence
    case nestingTooDeep(limit: Int)
    case keyTooLong(limit: Int)

    // Plain scalars YAML would read differently from what they look like
    case reservedStart(UInt8)
    case ambiguousFlowCharacter(UInt8)
    case commentInFlowSequence
    case missingSpaceBeforeComment
    case missingSpaceAfterColon
    case unexpectedText(afterQuote: UInt8?)

    // Flow sequences
    case flowMappingEntry
    case blockEntryInFlowSequence
    case trailingComma
    case emptyFlowItem
    case expectedFlowSeparator

    // Double-quoted escapes
    case unknownEscape(String)
    case shortHexEscape(letter: UInt8, digits: Int)
    case invalidEscapedCodePoint(UInt32)

    // Structure
    case duplicateKey(String, firstLine: Int)
    case missingKey
    case mappingOnSameLine
    case sequenceOnSameLine
    case indentationMismatch(expectedColumn: Int)
    case unexpectedIndentation
    case contentAfterRootValue
    case expectedMappingEntry
    case expectedSequenceItem
    case sequenceItemAmongMappingEntries

    case tooManyProblems(shown: Int)

    var message: String {
        switch self {
        case .invalidUTF8(let byte):
            "invalid UTF-8 (byte 0x\(Self.hex(UInt32(byte), digits: 2))); save the file as UTF-8"
        case .controlCharacter(let code):
            "control character \(Self.codePoint(code)) is not allowed; remove it, or write it as an escape in a double-quoted value"
        case .lineBreakCharacter(let code):
            "\(Self.codePoint(code)) is a line break in YAML; remove it, or write it as an escape (\(Self.escapeName(code))) in a double-quoted value"
        case .noncharacter(let code):
            "\(Self.codePoint(code)) is not allowed in YAML; remove it"
        case .misplacedByteOrderMark:
            "a byte order mark (U+FEFF) is allowed only at the very start of the file; remove it"
        case .tabInIndentation:
            "tabs are not allowed in indentation; indent with spaces"
        case .tabOutsideQuotes:
            "tabs are allowed only inside quoted values and comments; use spaces"

        case .directive:
            "directives (%) are not supported in dbiam manifests; remove the line"
        case .secondDocument:
            "several documents (---) in one file are not supported; a manifest is one document, so split it into several files"
        case .contentOnDocumentStartLine:
            "content on the '---' line is not supported; start the document on the next line"
        case .documentEndWithoutDocument:
            "the document end marker (...) comes before any content; remove it"
        case .contentAfterDocumentEnd:
            "content after the document end marker (...) is not supported; remove the marker or the content"

        case .anchor:
            "anchors (&) are not supported in dbiam manifests; repeat the value instead"
        case .alias:
            "aliases (*) are not supported in dbiam manifests; repeat the value instead"
        case .tag:
            "tags (!) are not supported in dbiam manifests; remove the tag (every value is read as text)"
        case .blockScalar(let indicator):
            "block scalars (\(Self.character(indicator, quoted: false))) are not supported; write the value on one line in quotes"
        case .complexKey:
            "complex keys (?) are not supported; write 'key: value' with the key on one line"
        case .collectionAsKey:
            "a collection cannot be a key; keys are single values on one line"
        case .mergeKey:
            "merge keys (<<) are not supported; write the keys out in full"
        case .flowMapping:
            "flow mappings ({...}) are not supported; write the mapping as indented 'key: value' lines"
        case .nestedFlowCollection:
            "nested flow collections are not supported; write the outer list as a block sequence ('- item' lines)"
        case .multiLineScalar(let valueLine):
            "scalars over several lines are not supported: this line is indented deeper than its siblings, so YAML reads it as a continuation of the value on line \(valueLine); write the value on one line, or align this line with its siblings"
        case .unterminatedQuote(let quote):
            "the quoted value is not closed on this line; scalars over several lines are not supported, so close it with \(Self.character(quote)) on the same line"
        case .escapedLineBreak:
            "a backslash at the end of a line continues the value on the next line, and scalars over several lines are not supported; write the value on one line"
        case .unterminatedFlowSequence:
            "the flow sequence is not closed on this line; flow sequences over several lines are not supported, so close it with ']' on the same line or write a block sequence"
        case .nestingTooDeep(let limit):
            "nesting deeper than \(limit) levels is not supported; flatten the document"
        case .keyTooLong(let limit):
            "keys longer than \(limit) bytes are not supported (YAML limits a key on one line to \(limit) characters); shorten the key"

        case .reservedStart(let character):
            "an unquoted value cannot start with \(Self.character(character)); put the value in quotes"
        case .ambiguousFlowCharacter(let character):
            "\(Self.character(character)) inside an unquoted item of a flow sequence is read differently by YAML parsers; put the item in quotes"
        case .commentInFlowSequence:
            "a comment cannot start inside a flow sequence; put the item in quotes or close the sequence with ']' before the comment"
        case .missingSpaceBeforeComment:
            "a comment must be separated from the value by a space; write ' #'"
        case .missingSpaceAfterColon:
            "the ':' after a key must be followed by a space; write 'key: value'"
        case .unexpectedText(let quote):
            switch quote {
            case UInt8(ascii: "'"):
                "unexpected text after the quoted value; inside single quotes, write a quote as two quotes ('')"
            case UInt8(ascii: "\""):
                "unexpected text after the quoted value; inside double quotes, write a quote as \\\""
            default:
                "unexpected text after the value; put the whole value in quotes, or start a comment with ' #'"
            }

        case .flowMappingEntry:
            "':' after an item makes a flow mapping, which is not supported; put the item in quotes"
        case .blockEntryInFlowSequence:
            "'- ' cannot start an item of a flow sequence; put the item in quotes"
        case .trailingComma:
            "a trailing comma in a flow sequence is not supported; remove it"
        case .emptyFlowItem:
            "empty item in a flow sequence; remove the extra comma, or write '' for an empty value"
        case .expectedFlowSeparator:
            "expected ',' or ']' after the item of the flow sequence; put the item in quotes if it contains spaces or quotes"

        case .unknownEscape(let escape):
            "unknown escape sequence '\\\(escape)' in a double-quoted value; write '\\\\' for a backslash"
        case .shortHexEscape(let letter, let digits):
            "the escape '\\\(Self.character(letter, quoted: false))' must be followed by \(digits) hexadecimal digits"
        case .invalidEscapedCodePoint(let code):
            "the escape for \(Self.codePoint(code)) is not a Unicode character (surrogates and values above U+10FFFF are not allowed)"

        case .duplicateKey(let key, let firstLine):
            "duplicate key '\(key)' (first defined on line \(firstLine)); remove one of them"
        case .missingKey:
            "a mapping entry needs a key before ':'; write 'key: value', or quote a value that starts with ':'"
        case .mappingOnSameLine:
            "a mapping cannot start on the same line as its key; put the nested 'key: value' on the next line, indented, or quote the value"
        case .sequenceOnSameLine:
            "a block sequence cannot start on the same line as its key; put the '- item' lines below the key, or quote the value"
        case .indentationMismatch(let expectedColumn):
            "the indentation of this line matches no enclosing block; align it with the entries at column \(expectedColumn)"
        case .unexpectedIndentation:
            "unexpected indentation: the line before is complete, so this line cannot be nested under it; align it with its siblings"
        case .contentAfterRootValue:
            "unexpected content after the document's value; a document holds one value, so nest this under a key"
        case .expectedMappingEntry:
            "expected a 'key: value' entry like the other entries of this mapping"
        case .expectedSequenceItem:
            "expected a '- item' like the other items of this sequence"
        case .sequenceItemAmongMappingEntries:
            "a sequence item cannot appear among the entries of a mapping; put the '- item' lines under a key"

        case .tooManyProblems(let shown):
            "too many problems; only the first \(shown) are reported"
        }
    }

    private static func character(_ byte: UInt8, quoted: Bool = true) -> String {
        let text = String(UnicodeScalar(byte))
        return quoted ? "'\(text)'" : text
    }

    private static func codePoint(_ code: UInt32) -> String {
        "U+" + hex(code, digits: 4)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func escapeName(_ code: UInt32) -> String {
        switch code {
        case 0x85: "\\N"
        case 0x2028: "\\L"
        case 0x2029: "\\P"
        default: "\\u" + hex(code, digits: 4)
        }
    }
}

@testable import DBIAMCore
import Testing

/// Every rejected feature: its message, at the line and column of the offending character,
/// and no follow-on errors.
@Suite struct YAMLLiteRejectedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var bytes: [UInt8]
        var message: String
        var line: Int
        var column: Int

        init(_ text: String, _ message: String, _ line: Int, _ column: Int) {
            self.init(bytes: Array(text.utf8), message, line, column)
        }

        init(bytes: [UInt8], _ message: String, _ line: Int, _ column: Int) {
            self.bytes = bytes
            self.message = message
            self.line = line
            self.column = column
        }

        var testDescription: String {
            String(decoding: bytes, as: UTF8.self).debugDescription
        }
    }

    static let characters: [Case] = [
        Case("a:\n\tb: 1\n", "tabs are not allowed in indentation; indent with spaces", 2, 1),
        Case("a:\n  \tb: 1\n", "tabs are not allowed in indentation", 2, 3),
        Case("a: b\n\t# comment\n", "tabs are not allowed in indentation", 2, 1),
        Case("a:\tb", "tabs are allowed only inside quoted values and comments; use spaces", 1, 3),
        Case("a: b\tc", "tabs are allowed only inside quoted values and comments", 1, 5),
        Case("a: b\t", "tabs are allowed only inside quoted values and comments", 1, 5),
        Case("- [a,\tb]", "tabs are allowed only inside quoted values and comments", 1, 6),
        Case("a: b\u{0}", "control character U+0000 is not allowed", 1, 5),
        Case("a: é\u{7}", "control character U+0007 is not allowed", 1, 5),
        Case("a: \u{9F}", "control character U+009F is not allowed", 1, 4),
        Case("a: \u{7F}", "control character U+007F is not allowed", 1, 4),
        Case("a: b\u{85}c", "U+0085 is a line break in YAML; remove it, or write it as an escape (\\N)", 1, 5),
        Case("a: b\u{2028}c", "U+2028 is a line break in YAML", 1, 5),
        Case("a: b\u{2029}c", "U+2029 is a line break in YAML", 1, 5),
        Case("a: \u{FEFF}b", "a byte order mark (U+FEFF) is allowed only at the very start of the file", 1, 4),
        Case("\u{FEFF}\u{FEFF}a: b", "a byte order mark (U+FEFF) is allowed only at the very start", 1, 1),
        Case("a: \u{FFFF}", "U+FFFF is not allowed in YAML", 1, 4),
        Case(bytes: Array("a: caf".utf8) + [0xE9] + Array("\n".utf8), "invalid UTF-8 (byte 0xE9); save the file as UTF-8", 1, 7),
        Case(bytes: Array("x: 1\né: ".utf8) + [0xFF], "invalid UTF-8 (byte 0xFF)", 2, 4),
        Case(bytes: [0x61, 0x3A, 0x20, 0xED, 0xA0, 0x80], "invalid UTF-8 (byte 0xED)", 1, 4),
        Case(bytes: [0x61, 0x3A, 0x20, 0xC0, 0xAF], "invalid UTF-8 (byte 0xC0)", 1, 4),
        Case(bytes: [0x61, 0x3A, 0x20, 0xF0, 0x9F, 0x98], "invalid UTF-8 (byte 0xF0)", 1, 4),
    ]

    static let features: [Case] = [
        Case("port: 1\nhost: x\nport: 2\n", "duplicate key 'port' (first defined on line 1); remove one of them", 3, 1),
        Case("a: 1\nb:\n  c: 1\n  'c': 2\n", "duplicate key 'c' (first defined on line 3)", 4, 3),
        Case("a: &base b", "anchors (&) are not supported in dbiam manifests; repeat the value instead", 1, 4),
        Case("a: *base", "aliases (*) are not supported in dbiam manifests; repeat the value instead", 1, 4),
        Case("a: !!int 1", "tags (!) are not supported in dbiam manifests", 1, 4),
        Case("- !t [a]", "tags (!) are not supported", 1, 3),
        Case("%YAML 1.2\n---\na: b", "directives (%) are not supported in dbiam manifests", 1, 1),
        Case("a: 1\n---\nb: 2", "several documents (---) in one file are not supported", 2, 1),
        Case("---\n---\n", "several documents (---)", 2, 1),
        Case("a: 1\n...\nb: 2", "content after the document end marker (...) is not supported", 3, 1),
        Case("a: 1\n... b", "content after the document end marker", 2, 5),
        Case("...\n", "the document end marker (...) comes before any content", 1, 1),
        Case("--- a", "content on the '---' line is not supported", 1, 5),
        Case("a: {b: c}", "flow mappings ({...}) are not supported; write the mapping as indented 'key: value' lines", 1, 4),
        Case("a: [b, [c]]", "nested flow collections are not supported", 1, 8),
        Case("a: [b, {}]", "nested flow collections are not supported", 1, 8),
        Case("a: |\n  x\n  y\nb: c", "block scalars (|) are not supported; write the value on one line in quotes", 1, 4),
        Case("- >-\n  x\n- y", "block scalars (>) are not supported", 1, 3),
        Case("a: b\n  c\n  d\ne: f", "scalars over several lines are not supported", 2, 3),
        Case("- b\n c", "continuation of the value on line 1", 2, 2),
        Case("a: \"b\n  c\"", "the quoted value is not closed on this line", 1, 4),
        Case("a: 'b", "the quoted value is not closed on this line; scalars over several lines are not supported, so close it with '''", 1, 4),
        Case("a: \"b\\\n  c\"", "a backslash at the end of a line continues the value on the next line", 1, 6),
        Case("a: [b,\n  c]", "the flow sequence is not closed on this line", 1, 4),
        Case("a: [b", "the flow sequence is not closed on this line", 1, 4),
        Case("? a\n: b", "complex keys (?) are not supported", 1, 1),
        Case("<<: {}", "merge keys (<<) are not supported; write the keys out in full", 1, 1),
        Case("- a\n- " + String(repeating: "k", count: 1025) + ": v", "keys longer than 1024 bytes are not supported", 2, 3),
        Case(String(repeating: "- ", count: 257) + "x", "nesting deeper than 256 levels is not supported", 1, 513),
    ]

    static let plainScalars: [Case] = [
        Case("a: @b", "an unquoted value cannot start with '@'; put the value in quotes", 1, 4),
        Case("a: `b`", "an unquoted value cannot start with '`'", 1, 4),
        Case("a: %b", "an unquoted value cannot start with '%'", 1, 4),
        Case("a: ,b", "an unquoted value cannot start with ','", 1, 4),
        Case("a: ]", "an unquoted value cannot start with ']'", 1, 4),
        Case("- }", "an unquoted value cannot start with '}'", 1, 3),
        Case("a: - b", "a block sequence cannot start on the same line as its key", 1, 4),
        Case("a: b: c", "a mapping cannot start on the same line as its key", 1, 5),
        Case("a: 'b': c", "a mapping cannot start on the same line as its key", 1, 7),
        Case(": b", "a mapping entry needs a key before ':'", 1, 1),
        Case("a: : b", "a mapping entry needs a key before ':'", 1, 4),
        Case("[a]: b", "a collection cannot be a key", 1, 1),
        Case("a: 'b'#c", "a comment must be separated from the value by a space", 1, 7),
        Case("a: [b]#c", "a comment must be separated from the value by a space", 1, 7),
        Case("a: 'it's'", "unexpected text after the quoted value; inside single quotes, write a quote as two quotes ('')", 1, 8),
        Case("a: \"b\" c", "inside double quotes, write a quote as \\\"", 1, 8),
        Case("a: [b] c", "unexpected text after the value", 1, 8),
        Case("'a':b", "the ':' after a key must be followed by a space", 1, 4),
    ]

    static let flowSequences: [Case] = [
        Case("a: [b #c]", "a comment cannot start inside a flow sequence", 1, 7),
        Case("a: [b,]", "a trailing comma in a flow sequence is not supported; remove it", 1, 6),
        Case("a: [b,,c]", "empty item in a flow sequence", 1, 7),
        Case("[a: b]", "':' after an item makes a flow mapping, which is not supported", 1, 3),
        Case("['a':b]", "':' after an item makes a flow mapping", 1, 5),
        Case("[a:b]", "':' inside an unquoted item of a flow sequence is read differently by YAML parsers", 1, 3),
        Case("[a?b]", "'?' inside an unquoted item of a flow sequence", 1, 3),
        Case("[?a]", "an unquoted value cannot start with '?'", 1, 2),
        Case("[- a]", "'- ' cannot start an item of a flow sequence", 1, 2),
        Case("['a' 'b']", "expected ',' or ']' after the item of the flow sequence", 1, 6),
        Case("[a]]", "unexpected text after the value", 1, 4),
    ]

    static let escapes: [Case] = [
        Case("a: \"\\q\"", "unknown escape sequence '\\q' in a double-quoted value", 1, 5),
        Case("a: \"x\\é\"", "unknown escape sequence '\\é'", 1, 6),
        Case("a: \"\\x4\"", "the escape '\\x' must be followed by 2 hexadecimal digits", 1, 5),
        Case("a: \"\\u12G4\"", "the escape '\\u' must be followed by 4 hexadecimal digits", 1, 5),
        Case("a: \"\\ud800\"", "the escape for U+D800 is not a Unicode character", 1, 5),
        Case("a: \"\\U00110000\"", "the escape for U+110000 is not a Unicode character", 1, 5),
    ]

    static let structure: [Case] = [
        Case("a:\n    b: 1\n  c: 2", "the indentation of this line matches no enclosing block; align it with the entries at column 1", 3, 3),
        Case("  a: 1\nb: 2", "the indentation of this line matches no enclosing block; align it with the entries at column 3", 2, 1),
        Case("- a: 1\n b: 2", "matches no enclosing block", 2, 2),
        Case("a: 'b'\n  c: d", "unexpected indentation: the line before is complete", 2, 3),
        Case("a: [b]\n  - c", "unexpected indentation", 2, 3),
        Case("[a]\nb", "unexpected content after the document's value", 2, 1),
        Case("a: 1\nb\n", "expected a 'key: value' entry like the other entries of this mapping", 2, 1),
        Case("- a\nb: c", "expected a '- item' like the other items of this sequence", 2, 1),
        Case("a: 1\n- b", "a sequence item cannot appear among the entries of a mapping", 2, 1),
        Case("a:\n  - b\n  c: d", "expected a '- item' like the other items of this sequence", 3, 3),
    ]

    @Test(arguments: characters + features + plainScalars + flowSequences + escapes + structure)
    func rejected(_ example: Case) {
        let result = YAMLLite.parse(example.bytes)
        #expect(result.root == nil)
        #expect(result.diagnostics.count == 1, "\(result.diagnostics.map { $0.formatted(file: "f") })")
        guard let diagnostic = result.diagnostics.first else { return }
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.contains(example.message), "\(diagnostic.message)")
        #expect(diagnostic.position == SourcePosition(line: example.line, column: example.column))
        #expect(diagnostic.ruleID == nil)
    }

    @Test func formattedForEditors() {
        let result = YAMLLite.parse("port: 1\nport: 2\n")
        #expect(result.diagnostics.map { $0.formatted(file: "m.yaml") } == [
            "m.yaml:2:1: error: duplicate key 'port' (first defined on line 1); remove one of them",
        ])
    }

    @Test func everyProblemOfAFileInOnePass() {
        let result = YAMLLite.parse("""
            a: &x 1
            b: !t 2
            c: *y
            d: |
              z: 1
                more
            e: 1
            e: 2
            f: [g,]
            h: "\\q"
            """)
        #expect(result.root == nil)
        #expect(result.diagnostics.map(\.position) == [
            SourcePosition(line: 1, column: 4), SourcePosition(line: 2, column: 4), SourcePosition(line: 3, column: 4),
            SourcePosition(line: 4, column: 4), SourcePosition(line: 8, column: 1), SourcePosition(line: 9, column: 6),
            SourcePosition(line: 10, column: 5),
        ])
    }

    @Test func charactersAfterAStructuralErrorAreStillReported() {
        let result = YAMLLite.parse("a:\n\tb: 1\nc: \u{0}\nd: \"\u{7}\"\n")
        #expect(result.diagnostics.map(\.position) == [
            SourcePosition(line: 2, column: 1), SourcePosition(line: 3, column: 4), SourcePosition(line: 4, column: 5),
        ])
    }

    @Test func multiLineScalarIsReportedOnce() {
        let result = YAMLLite.parse("a: one\n  two\n  three: 3\n    four\nb: c\nb: d\n")
        #expect(result.diagnostics.map(\.position) == [SourcePosition(line: 2, column: 3), SourcePosition(line: 6, column: 1)])
    }

    @Test func tooManyProblemsAreCut() {
        let result = YAMLLite.parse(String(repeating: "a: \u{1}\n", count: 150))
        #expect(result.diagnostics.count == YAMLLite.maximumReportedProblems + 1)
        #expect(result.diagnostics.last?.message == "too many problems; only the first 100 are reported")
        #expect(result.diagnostics.last?.position == SourcePosition(line: 101, column: 4))
    }

    @Test func tabsInsideQuotesAndCommentsAreFine() {
        #expect(parseAcceptedYAML("a: 'b\tc' # d\te\nf: \"g\th\"\n#\tcomment\n") != nil)
    }
}

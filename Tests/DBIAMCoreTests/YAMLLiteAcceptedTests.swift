@testable import DBIAMCore
import Testing

/// The subset YAML-lite accepts: exact trees, with the position of every node.
@Suite struct YAMLLiteAcceptedTests {
    typealias T = YAMLExpectedTree

    @Test func blockMapping() {
        let root = parseAcceptedYAML("name: orders\nport:   3306\n")
        #expect(root == T.mapping(1, 1, [
            (T.scalar("name", 1, 1), T.text("orders", 1, 7)),
            (T.scalar("port", 2, 1), T.text("3306", 2, 9)),
        ]))
    }

    @Test func nestedMappingsAndSequences() {
        let root = parseAcceptedYAML("""
            cluster:
              name: a
              users:
                - x
                - y
            other: b
            """)
        #expect(root == T.mapping(1, 1, [
            (T.scalar("cluster", 1, 1), T.mapping(2, 3, [
                (T.scalar("name", 2, 3), T.text("a", 2, 9)),
                (T.scalar("users", 3, 3), T.sequence(4, 5, [T.text("x", 4, 7), T.text("y", 5, 7)])),
            ])),
            (T.scalar("other", 6, 1), T.text("b", 6, 8)),
        ]))
    }

    @Test func sequenceOfMappingsWithAlignedKeys() {
        let root = parseAcceptedYAML("- name: a\n  role: r\n-   name: b\n    role: s\n")
        #expect(root == T.sequence(1, 1, [
            T.mapping(1, 3, [(T.scalar("name", 1, 3), T.text("a", 1, 9)), (T.scalar("role", 2, 3), T.text("r", 2, 9))]),
            T.mapping(3, 5, [(T.scalar("name", 3, 5), T.text("b", 3, 11)), (T.scalar("role", 4, 5), T.text("s", 4, 11))]),
        ]))
    }

    @Test func sequenceAtTheIndentationOfItsKey() {
        let root = parseAcceptedYAML("users:\n- a\n- b\nnext: c\n")
        #expect(root == T.mapping(1, 1, [
            (T.scalar("users", 1, 1), T.sequence(2, 1, [T.text("a", 2, 3), T.text("b", 3, 3)])),
            (T.scalar("next", 4, 1), T.text("c", 4, 7)),
        ]))
    }

    @Test func compactNestedSequences() {
        let root = parseAcceptedYAML("- - a\n  - b\n- - - c\n")
        #expect(root == T.sequence(1, 1, [
            T.sequence(1, 3, [T.text("a", 1, 5), T.text("b", 2, 5)]),
            T.sequence(3, 3, [T.sequence(3, 5, [T.text("c", 3, 7)])]),
        ]))
    }

    @Test func flowSequences() {
        let root = parseAcceptedYAML("k: [a, \"b c\", 'd' ,e f]\nempty: [ ]\nmap: {}\n")
        #expect(root == T.mapping(1, 1, [
            (T.scalar("k", 1, 1), T.sequence(1, 4, [
                T.text("a", 1, 5), T.text("b c", 1, 8, .doubleQuoted), T.text("d", 1, 15, .singleQuoted), T.text("e f", 1, 20),
            ], .flow)),
            (T.scalar("empty", 2, 1), T.sequence(2, 8, [], .flow)),
            (T.scalar("map", 3, 1), .mapping(YAMLMapping(entries: [], at: T.at(3, 6)))),
        ]))
    }

    @Test func quotedScalars() {
        let root = parseAcceptedYAML(#"""
            'single ''quoted''': "double \"quoted\""
            "": ''
            backslash: 'C:\dir\n'
            """#)
        #expect(root == T.mapping(1, 1, [
            (T.scalar("single 'quoted'", 1, 1, .singleQuoted), T.text("double \"quoted\"", 1, 22, .doubleQuoted)),
            (T.scalar("", 2, 1, .doubleQuoted), T.text("", 2, 5, .singleQuoted)),
            (T.scalar("backslash", 3, 1), T.text(#"C:\dir\n"#, 3, 12, .singleQuoted)),
        ]))
    }

    @Test(arguments: [
        (#""\" \\ \/ \n \t \u00e9 \x41 \U0001F600""#, "\" \\ / \n \t é A 😀"),
        (#""\0\a\b\e\f\r\v""#, "\u{0}\u{7}\u{8}\u{1B}\u{C}\r\u{B}"),
        (#""\N\_\L\P\ ""#, "\u{85}\u{A0}\u{2028}\u{2029} "),
        ("\"tab\\\tafter\"", "tab\tafter"),
        ("\"literal\ttab\"", "literal\ttab"),
        ("'literal\ttab'", "literal\ttab"),
        (#""\u00E9\u00e9""#, "éé"),
    ])
    func doubleQuotedEscapes(source: String, value: String) {
        let root = parseAcceptedYAML("k: " + source)
        guard case .mapping(let mapping) = root, case .scalar(let scalar) = mapping["k"] else {
            Issue.record("not a mapping of a scalar: \(String(describing: root))")
            return
        }
        #expect(scalar.value.unicodeScalars.elementsEqual(value.unicodeScalars))
    }

    @Test func commentsAndHashesThatAreNotComments() {
        let root = parseAcceptedYAML("# comment\na: \"# in quotes\" # c\nb: a#b\nc: 'x #y'   # c\n  # indented\nd: [a#b, c] # c\n")
        #expect(root == T.mapping(2, 1, [
            (T.scalar("a", 2, 1), T.text("# in quotes", 2, 4, .doubleQuoted)),
            (T.scalar("b", 3, 1), T.text("a#b", 3, 4)),
            (T.scalar("c", 4, 1), T.text("x #y", 4, 4, .singleQuoted)),
            (T.scalar("d", 6, 1), T.sequence(6, 4, [T.text("a#b", 6, 5), T.text("c", 6, 10)], .flow)),
        ]))
    }

    @Test func emptyValuesAreEmptyText() {
        let root = parseAcceptedYAML("a:\nb:   # c\nc:\n  - \n  -\nd:\n")
        #expect(root == T.mapping(1, 1, [
            (T.scalar("a", 1, 1), T.text("", 1, 3)),
            (T.scalar("b", 2, 1), T.text("", 2, 3)),
            (T.scalar("c", 3, 1), T.sequence(4, 3, [T.text("", 4, 4), T.text("", 5, 4)])),
            (T.scalar("d", 6, 1), T.text("", 6, 3)),
        ]))
    }

    @Test func scalarsThatLookTypedStayText() {
        let root = parseAcceptedYAML("port: 3306\naccount: 012345678901\non: true\nnothing: ~\nnull: null\nfloat: 1.50\n")
        guard case .mapping(let mapping) = root else {
            Issue.record("not a mapping")
            return
        }
        #expect(mapping.entries.map(\.key.value) == ["port", "account", "on", "nothing", "null", "float"])
        #expect(mapping.entries.map { if case .scalar(let s) = $0.value { s.value } else { "?" } } == ["3306", "012345678901", "true", "~", "null", "1.50"])
    }

    @Test func documentMarkers() {
        #expect(parseAcceptedYAML("---\na: b\n...\n# after\n") == T.mapping(2, 1, [(T.scalar("a", 2, 1), T.text("b", 2, 4))]))
        #expect(parseAcceptedYAML("# before\n--- # start\n- x\n") == T.sequence(3, 1, [T.text("x", 3, 3)]))
        #expect(parseAcceptedYAML("---\n") == T.text("", 1, 4))
    }

    @Test func emptyDocuments() {
        #expect(parseAcceptedYAML("") == nil)
        #expect(parseAcceptedYAML("\n\n   \n") == nil)
        #expect(parseAcceptedYAML("# only\n  # comments\n") == nil)
    }

    @Test func rootScalarsAndFlowSequences() {
        #expect(parseAcceptedYAML("just text\n") == T.text("just text", 1, 1))
        #expect(parseAcceptedYAML("  'quoted'  # c\n") == T.text("quoted", 1, 3, .singleQuoted))
        #expect(parseAcceptedYAML("[a, b]") == T.sequence(1, 1, [T.text("a", 1, 2), T.text("b", 1, 5)], .flow))
    }

    @Test func valueOnTheNextLine() {
        let root = parseAcceptedYAML("key:\n  value\nitem:\n  -\n    'x'\n")
        #expect(root == T.mapping(1, 1, [
            (T.scalar("key", 1, 1), T.text("value", 2, 3)),
            (T.scalar("item", 3, 1), T.sequence(4, 3, [T.text("x", 5, 5, .singleQuoted)])),
        ]))
    }

    @Test func keysOfEveryKind() {
        let root = parseAcceptedYAML("with space: 1\n'quoted: key': 2\n\"double\" : 3\n-dash: 4\nk:v: 5\nurl: http://x:80\n")
        guard case .mapping(let mapping) = root else {
            Issue.record("not a mapping")
            return
        }
        #expect(mapping.entries.map(\.key.value) == ["with space", "quoted: key", "double", "-dash", "k:v", "url"])
        #expect(mapping["url"] == T.text("http://x:80", 6, 6))
    }

    @Test func columnsCountUnicodeScalars() {
        #expect(parseAcceptedYAML("ключ: значение\n") == T.mapping(1, 1, [(T.scalar("ключ", 1, 1), T.text("значение", 1, 7))]))
        #expect(parseAcceptedYAML("- é: [à, 😀]\n") == T.sequence(1, 1, [
            T.mapping(1, 3, [(T.scalar("é", 1, 3), T.sequence(1, 6, [T.text("à", 1, 7), T.text("😀", 1, 10)], .flow))]),
        ]))
    }

    @Test func byteOrderMarkAndLineEndings() {
        #expect(parseAcceptedYAML("\u{FEFF}a: b\r\nc: d\r\n") == T.mapping(1, 1, [
            (T.scalar("a", 1, 1), T.text("b", 1, 4)),
            (T.scalar("c", 2, 1), T.text("d", 2, 4)),
        ]))
        #expect(parseAcceptedYAML("a: b\rc: d") == T.mapping(1, 1, [
            (T.scalar("a", 1, 1), T.text("b", 1, 4)),
            (T.scalar("c", 2, 1), T.text("d", 2, 4)),
        ]))
    }

    @Test func bytesAndStringReadTheSame() {
        let text = "a:\n  - 'é'\n  - [x]\n"
        #expect(YAMLLite.parse(text).root == YAMLLite.parse(Array(text.utf8)).root)
    }

    @Test func nestingUpToTheLimit() {
        let depth = YAMLLite.maximumNestingDepth
        let text = String(repeating: "- ", count: depth) + "x"
        var node = parseAcceptedYAML(text)
        var levels = 0
        while case .sequence(let sequence) = node {
            levels += 1
            node = sequence.items.first
        }
        #expect(levels == depth)
    }
}

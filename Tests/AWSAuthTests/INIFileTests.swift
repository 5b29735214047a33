import Testing

@testable import AWSAuth

/// Expected values are what Python's configparser.RawConfigParser (botocore's parser)
/// makes of the same text.
@Suite struct INIFileTests {
    func sections(_ text: String) throws -> [String: [String: String]] {
        Dictionary(uniqueKeysWithValues: try INIFile(parsing: text).sections.map { ($0.name, $0.values) })
    }

    @Test func commentsDelimitersKeyCaseAndWhitespace() throws {
        let text = [
            "# comment", "; comment", "[default]", "AWS_Access_Key_ID = AKID",
            "aws_secret_access_key=se=cret ; not a comment", "region: eu-west-1", "  ", "[Dev]", "key =", "",
        ].joined(separator: "\n")
        #expect(try sections(text) == [
            "default": ["aws_access_key_id": "AKID", "aws_secret_access_key": "se=cret ; not a comment", "region": "eu-west-1"],
            "Dev": ["key": ""],
        ])
    }

    @Test func indentedLinesContinueAValue() throws {
        let text = "[a]\nkey = first\n  second\n\n  third\n\n# comment\n  fourth\nother = x\n    [not a section]\n"
        #expect(try sections(text) == ["a": ["key": "first\nsecond\n\nthird\n\nfourth", "other": "x\n[not a section]"]])
    }

    @Test func everySectionInheritsDEFAULT() throws {
        let text = "[DEFAULT]\nregion = eu-west-1\nshared = d\n[a]\nshared = own\n[b]\n[DEFAULT]\nlate = yes\n"
        #expect(try sections(text) == [
            "a": ["shared": "own", "region": "eu-west-1", "late": "yes"],
            "b": ["shared": "d", "region": "eu-west-1", "late": "yes"],
        ])
    }

    @Test func sectionHeaders() throws {
        #expect(try sections("[dev] # note\nx = 1\n[ spaced ]\ny = 2\n[a]]\n") == [
            "dev": ["x": "1"], " spaced ": ["y": "2"], "a]": [:],
        ])
    }

    @Test func sectionOrderIsKept() throws {
        #expect(try INIFile(parsing: "[b]\n[a]\n[c]\n").sections.map(\.name) == ["b", "a", "c"])
    }

    @Test func lineEndingsAndIndentation() throws {
        #expect(try sections("[a]\r\nx = 1\r\n\r\ny = 2\rz = 3") == ["a": ["x": "1", "y": "2", "z": "3"]])
        #expect(try sections("  [a]\n  x = 1\n  y = 2\n") == ["a": ["x": "1", "y": "2"]])
        #expect(try sections("[a]\n\tx\t=\t1\t\n") == ["a": ["x": "1"]])
    }

    @Test func emptyTextHasNoSections() throws {
        #expect(try INIFile(parsing: "").sections.isEmpty)
        #expect(try INIFile(parsing: "\n# only a comment\n\n").sections.isEmpty)
    }

    @Test(arguments: [
        ("[a]\n[a]\n", 2, "section [a] appears a second time"),
        ("[a]\nx=1\nX=2\n", 3, "x appears a second time in section [a]"),
        ("x = 1\n[a]\n", 1, "a setting comes before the first [section] header"),
        ("[]\n", 1, "a setting comes before the first [section] header"),
        ("[a]\njust words\n", 2, "expected `key = value`, a [section] header or a comment"),
        ("[a]\n= 1\n", 2, "a setting has no name before its `=`"),
    ])
    func strictErrors(text: String, line: Int, problem: String) {
        #expect(throws: INIFile.SyntaxError(line: line, problem: problem)) { try INIFile(parsing: text) }
    }
}

@Suite struct ShellWordsTests {
    /// Each pair is what Python's shlex.split returns.
    @Test(arguments: [
        ("profile dev", ["profile", "dev"]),
        ("profile  \"team a\" ", ["profile", "team a"]),
        ("profile a\\ b", ["profile", "a b"]),
        ("profile \"a\\x\"", ["profile", "a\\x"]),
        ("profile \"a\\\"b\"", ["profile", "a\"b"]),
        ("profile 'x\\y'", ["profile", "x\\y"]),
        ("profile \"\"", ["profile", ""]),
        ("profile x\"y\"z", ["profile", "xyz"]),
        ("profile\tdev", ["profile", "dev"]),
        ("", []),
    ])
    func splitsLikeShlex(text: String, words: [String]) {
        #expect(ShellWords.split(text) == words)
    }

    @Test func unclosedQuotesAndTrailingBackslashesFail() {
        #expect(ShellWords.split("profile \"a") == nil)
        #expect(ShellWords.split("profile 'a") == nil)
        #expect(ShellWords.split("profile a\\") == nil)
    }
}

/// Short documents at the borders of the subset: constructs YAML-lite accepts that are easy to
/// get subtly wrong, and constructs YAML parsers read in surprising ways. Whatever YAML-lite
/// accepts here must read exactly as in PyYAML.
enum YAMLLiteEdgeCases {
    static let documents: [String] = [
        // Plain scalars: where they end, what they may start with.
        "k: a   b  ", "k: a, b", "k: a[1]{2}", "k: a%@`", "k: a:b", "k: a :b", "k: a #b", "k: a#b", "k: a #", "k: http://x:80/y",
        "?a: b", ":a: b", "-a: b", "---x: 1", "...x: 1", "key: --- a", "key: ...", "- -a", "- ---", "k: -", "k: -#", "k: ?", "k: :",
        "k: ,a", "k: %a", "k: @a", "k: `a", "k: ]a", "k: }a", "k: |", "k: >", "k: !a", "k: &a", "k: *a", "k: a: b", "k: - b", "a :b",
        "a : b", "a  b  : c", "k:#", "k:#c\n", "key:\u{A0}x", "k: \u{A0}x", "a: b\n\u{A0}c: d", "<<: a", "'<<': a", "\"<<\": a",
        // Quoted scalars.
        "'it''s'", "k: 'a''b''''c'", "k: ''", "k: \"\"", "'a' : b", "\"a\"  :   b", "\"a\":b", "'a':b", "k: 'x' y", "k: \"a\" \"b\"",
        "k: \"a\"#b", "k: 'a' # c", "'\\n'", "\"\\x41\\u00e9\\U0001F600\\N\\_\\L\\P\\/\\ \\e\\0\\v\\a\\b\\f\\r\\t\"", "\"\\\t\"",
        "\"\\x\"", "\"\\q\"", "\"\\ud800\"", "\"\\U00110000\"", "\"a\\\"", "\"a\\", "'a", "\"a\\\"b\"", "k: 'a\tb'", "k: \"a\tb\"",
        "k: \"\\u00E9\" # é", "- \"\": x", "\"\": v", "'': ''",
        // Flow sequences.
        "[]", "[ ]", "{}", "{ }", "[a,]", "[a, b, ]", "[,]", "[a,,b]", "[a:b]", "[a :b]", "[a: b]", "[\"a\":b]", "[a?b]", "[a#b]",
        "[a #b]", "[-a]", "[-]", "[a, -]", "[- a]", "[a b , c ]", "[ a , 'b' , \"c\" ]", "[a, [b]]", "[a, {}]", "[a, {b: c}]",
        "[&a b]", "[*a]", "[!t a]", "[a]]", "[a,b]x", "[a]#c", "k: [a]  # c", "k: []#c", "[a\tb]", "['a\tb']", "[a", "[a,", "[a, 'b",
        "- [a, b]\n- c", "[a]: b", "{}: b", "k: {a: b}", "k: {a: b", "k: [a, b] c", "[\"a\\\"b\"]", "[a, ''] ", "['', \"\"]",
        // Empty values and documents.
        "", "\n", "# only a comment\n", "---", "---\n", "--- \n", "--- # c", "---\n...", "...\n", "# c\n...", "a\n...\n", "a\n...\n# c\n",
        "a: b\n...\n---\nc: d", "a: b\n---\nc: d", "a: b\n... x", "a: b\n...\nc", "--- a", "--- |\n  x", "---\t\n", "---#c", "...#c",
        "a\n...#c", "%YAML 1.2\n---\na", "a: b\n%x", "k:", "k:\n", "-", "- ", "-\n", "-\n- a", "- -\n  - b", "-\n  -\n", "a:\n...",
        "- a\n- \n...", "a:\n  -\n  - b", "a:\nb: 1", "- a\n-\n  b: c",
        // Indentation.
        "key:\n- a\n- b", "key:\n- a\n b", "- a: 1\n b: 2", "a:\n    b: 1\n  c: 2", "a\nb", "  a: b\nc: d", "  a: b\n  c: d",
        "- a: b\n  - c", "a: b\n- c", "a:\n  - b\n  c: d", "a:\n  - b\n-c", "a: b\n  c", "a: 'b'\n  c", "a: [b]\n  c", "a: b #c\n  d",
        "a: b\n  #c\n  d", "- a\n  # c\n  - b", "key: value\n  ...", "a:\n  b: c\n d: e", "- a\n -b", "- - a\n  - b", "- a:\n  - b",
        "-   a: 1\n    b: 2", "key:\n  value", "key:\n  value\n  more", "key:\n  'value'\n  more", "a:\n\n  b", "- -\n    - c",
        "- \n  - a\n", "x:\n    - a\n    - b\ny: 1", "a:\n  - [x, y]\n  - z", "- - - a", "a:\n  b:\n    c:\n  d: e",
        "a:\n  b:\n    c:\nd: e", "- a:\n    b\n  c: d", "a:\n- b:\n  - c\n  d: e\nf: g", "a:\n  - b\n  -\n    c: d",
        "a:\n# c\n  b: 1", "a:\n  # c\n  b: 1", "a: 1\n b: 2", "- a\n - b", "a:\n - b\n - c\nd: e",
        "key:\n  [a, b]", "key:\n  {}", "-\n  []", "key:\n  [a]\n  b", "key:\n  'v'\nnext: 1", "- a:\n  b",
        "\u{FEFF}---\na: b", "\u{FEFF} a: b\n c: d", "\u{FEFF}...", "key::", "key:: v", "::", "- ::",
        // Keys.
        "a: 1\na: 2", "a: 1\n'a': 2", "a: 1\n\"a\": 2", "a:\n  b: 1\nb: 2", "? a", "? a\n: b", ": v", "&a a: b", "!t a: b",
        "*a : b", "[a , b]: c", String(repeating: "k", count: 1024) + ": v", String(repeating: "k", count: 1025) + ": v",
        String(repeating: "k", count: 1023) + " : v", "'" + String(repeating: "k", count: 1022) + "': v",
        "'" + String(repeating: "k", count: 1023) + "': v", "- " + String(repeating: "é", count: 512) + ": v",
        // Characters.
        "a: b\r\nc: d\r\n", "a: b\rc: d", "a:\r\n  - b\r\n", "\u{FEFF}a: b", "\u{FEFF}# c\na: b", "a: \u{FEFF}b", "\u{FEFF}\u{FEFF}a",
        "key:\tvalue", "key: a\tb", "key: a\t", "key: a\t# c", "\t# c\nkey: v", "key: v\n\t\n", "key: v\n  \t\n", "- \ta", "-\ta",
        "key: v # c\tx", "key: \"a\" \t# c", "\tkey: v", "k: x\u{2028}y", "k: x\u{85}y", "k: x\u{7}", "k: \"x\u{1F}\"", "k: \u{7F}",
        "k: e\u{301}", "e\u{301}: 1\n\u{E9}: 2", "😀: 日本語",
    ]
}

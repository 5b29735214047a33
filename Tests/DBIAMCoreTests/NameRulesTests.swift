import Testing
@testable import DBIAMCore

/// The character rules of names that land in SQL: lengths in code points, utf8mb3, and
/// the characters that make a name read as something else.
struct NameRulesTests {
    /// Bidirectional controls, zero-width and other format characters, and the line and
    /// paragraph separators, each with the name a message must give.
    static let hidden: [(Unicode.Scalar, String)] = [
        ("\u{061C}", "U+061C ARABIC LETTER MARK"),
        ("\u{200E}", "U+200E LEFT-TO-RIGHT MARK"), ("\u{200F}", "U+200F RIGHT-TO-LEFT MARK"),
        ("\u{202A}", "U+202A LEFT-TO-RIGHT EMBEDDING"), ("\u{202B}", "U+202B RIGHT-TO-LEFT EMBEDDING"),
        ("\u{202C}", "U+202C POP DIRECTIONAL FORMATTING"), ("\u{202D}", "U+202D LEFT-TO-RIGHT OVERRIDE"),
        ("\u{202E}", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u{2066}", "U+2066 LEFT-TO-RIGHT ISOLATE"), ("\u{2067}", "U+2067 RIGHT-TO-LEFT ISOLATE"),
        ("\u{2068}", "U+2068 FIRST STRONG ISOLATE"), ("\u{2069}", "U+2069 POP DIRECTIONAL ISOLATE"),
        ("\u{200B}", "U+200B ZERO WIDTH SPACE"), ("\u{200C}", "U+200C ZERO WIDTH NON-JOINER"),
        ("\u{200D}", "U+200D ZERO WIDTH JOINER"), ("\u{2060}", "U+2060 WORD JOINER"),
        ("\u{FEFF}", "U+FEFF ZERO WIDTH NO-BREAK SPACE"), ("\u{00AD}", "U+00AD SOFT HYPHEN"),
        ("\u{2028}", "U+2028 LINE SEPARATOR"), ("\u{2029}", "U+2029 PARAGRAPH SEPARATOR"),
    ]

    @Test func everyHiddenCharacterIsAnErrorNamingItsCodePoint() {
        for (scalar, name) in Self.hidden {
            let text = "ad" + String(scalar) + "min"
            let problem = NameRules.userNameProblem(text)
            #expect(problem?.hasPrefix("contains \(name), an invisible or text-direction character") == true, "\(name): \(problem ?? "nil")")
            #expect(NameRules.hostProblem("10.0." + String(scalar) + "%")?.contains(name) == true, "\(name)")
            #expect(GrantTarget.parse("orders" + String(scalar) + ".*").failure?.description.contains(name) == true, "\(name)")
            #expect(GrantTarget.parse("orders.line" + String(scalar) + "items").failure?.description.contains(name) == true, "\(name)")
        }
    }

    @Test func charactersOutsideTheBasicMultilingualPlaneAreErrors() {
        let problem = NameRules.userNameProblem("deploy😀")
        #expect(problem == "contains U+1F600 GRINNING FACE, which is outside the Basic Multilingual Plane: MySQL stores names as utf8mb3, which cannot hold it, so the server would keep '?' instead and the name would never match the manifest; use characters up to U+FFFF only")
        #expect(NameRules.hostProblem("h😀st")?.contains("U+1F600") == true)
        #expect(GrantTarget.parse("orders.😀").failure?.description.contains("utf8mb3") == true)
        // The last character of the plane is still one utf8mb3 holds.
        #expect(NameRules.userNameProblem("last\u{FFFD}") == nil)
        #expect(NameRules.userNameProblem("名前ユーザー") == nil)
        #expect(NameRules.userNameProblem("ünïcødé") == nil)
    }

    /// "e" and 140 combining acute accents: one Character, 141 code points.
    static let accented = "e" + String(repeating: "\u{301}", count: 140)

    @Test func userNameLengthsAreCountedInCodePoints() {
        #expect(Self.accented.count == 1)
        #expect(NameRules.userNameLengthProblem(Self.accented, engine: .mysql80) == "has 141 code points (each combining accent counts as one); mysql-8.0 allows at most 32")
        #expect(NameRules.userNameLengthProblem(Self.accented, engine: .mariadb)?.hasPrefix("has 141 code points") == true)
        // 16 decomposed é: 16 characters, 32 code points; one more is over.
        let decomposed = String(repeating: "e\u{301}", count: 16)
        #expect(NameRules.userNameLengthProblem(decomposed, engine: .auroraMySQL3) == nil)
        #expect(NameRules.userNameLengthProblem(decomposed + "e\u{301}", engine: .auroraMySQL3)?.hasPrefix("has 34 code points") == true)
        let mariadbLimit = Engine.mariadb.maximumUserNameLength
        let halfAccents = String(repeating: "e\u{301}", count: mariadbLimit / 2 + 1)
        #expect(halfAccents.count <= mariadbLimit)
        #expect(NameRules.userNameLengthProblem(halfAccents, engine: .mariadb) != nil)
    }

    @Test func hostAndGrantNameLengthsAreCountedInCodePoints() {
        let host = String(repeating: "e\u{301}", count: 128)
        #expect(host.count == 128)
        #expect(NameRules.hostProblem(host) == "must be 1 to 255 printable characters")
        let database = String(repeating: "e\u{301}", count: 33)
        #expect(GrantTarget.parse(database + ".*").failure == .nameTooLong(database))
        #expect(GrantTarget.parse(database + ".*").failure?.description.contains("has 66 code points, more than the 64") == true)
        #expect(GrantTarget.parse(String(repeating: "e\u{301}", count: 32) + ".*").failure == nil)
    }

    @Test func printableEscapesHiddenCharactersAndLeavesLettersAlone() {
        for (scalar, _) in Self.hidden {
            let shown = NameRules.printable("a" + String(scalar) + "b")
            #expect(shown == "a\\u{\(String(scalar.value, radix: 16))}b", "\(shown)")
        }
        #expect(NameRules.printable("tab\there\u{1B}[31m") == "tab\\u{9}here\\u{1b}[31m")
        for name in ["ünïcødé", "日本語", Self.accented, "rооt", "emoji😀", "o'brien"] {
            #expect(NameRules.printable(name) == name)
        }
        #expect(NameRules.printable("one\ntwo\u{202E}", keepingLineFeeds: true) == "one\ntwo\\u{202e}")
        #expect(NameRules.printable("one\ntwo") == "one\\u{a}two")
    }

    @Test func accountNamesInMessagesShowHiddenCharactersButSQLKeepsTheBytes() {
        let account = AccountName(user: "admin\u{202E}nimda", host: "%")
        #expect(account.description == "'admin\\u{202e}nimda'@'%'")
        #expect(SQLText.account(account) == "'admin\u{202E}nimda'@'%'")
        let drop = PlannedAction(.dropUser(account), reason: "test", destructive: true)
        #expect(drop.sql == "DROP USER 'admin\u{202E}nimda'@'%'")
        #expect(drop.printableSQL == "DROP USER 'admin\\u{202e}nimda'@'%'")
    }

    @Test func planTextAndMarkdownShowHiddenCharactersAsEscapes() {
        let account = AccountName(user: "ops\u{200B}", host: "%")
        let target = GrantTarget(database: "orders\u{2066}", table: nil)
        let actions = [
            PlannedAction(.revoke(.account(account), target, [Privilege("SELECT")]), reason: "\(account) holds SELECT on \(target)", destructive: true),
            PlannedAction(.dropUser(account), reason: "\(account) is not in the manifest", destructive: true),
        ]
        let cluster = ClusterPlan(name: "orders-prod", endpoint: "db", port: 3306, actions: actions, warnings: ["\(account) is left alone"])
        let renderer = PlanTextRenderer(color: false)
        #expect(renderer.line(actions[0]) == "- revoke SELECT ON `orders\\u{2066}`.* FROM 'ops\\u{200b}'@'%'")
        #expect(renderer.line(actions[1]) == "- user  'ops\\u{200b}'@'%'  (prune)")
        let plan = Plan(dbiamVersion: "test", manifest: "m.yaml", manifestDigest: "", offline: false, clusters: [cluster], policies: [])
        let text = renderer.render(plan, run: PlanRun(manifestPath: "m.yaml"))
        let markdown = PlanMarkdownRenderer.render(plan, run: PlanRun(manifestPath: "m.yaml"))
        for output in [text, markdown] {
            #expect(!output.unicodeScalars.contains { NameRules.isHidden($0) }, "\(output)")
            #expect(output.contains("ops\\u{200b}") || output.contains("ops\\\\u{200b}"), "\(output)")
        }
        // The SQL file is what a person may run: it keeps the real names.
        let file = SQLFileRenderer.render(cluster, manifestPath: "m.yaml", offline: false)
        #expect(file.contains("DROP USER 'ops\u{200B}'@'%';"))
    }

    @Test func importLeavesOutAccountsWhoseNamesHideCharacters() {
        let cluster = ManifestWriterTests.cluster
        let live = LiveState(accounts: [
            ManifestWriterTests.iam("r\u{202E}toor"), ManifestWriterTests.iam("emoji😀"),
            ManifestWriterTests.iam("ok", host: "10.0.\u{200B}%"), ManifestWriterTests.iam(Self.accented),
            ManifestWriterTests.iam("analyst", [GrantTarget(database: "orders\u{2028}", table: nil): [Privilege("SELECT")]]),
        ], serverVersion: "10.11.6-MariaDB")
        let imported = ImportedManifest(cluster: cluster, live: live, readAt: "2026-11-29T12:00:00Z")
        #expect(imported.users.map(\.name) == ["analyst"])
        #expect(imported.users.first?.grants == [])
        #expect(imported.skippedAccounts.sorted() == [
            "'e\(String(repeating: "\u{301}", count: 140))'@'%' is left out: its user name has 141 code points (each combining accent counts as one); mariadb allows at most \(Engine.mariadb.maximumUserNameLength).",
            "'emoji😀'@'%' is left out: its user name contains U+1F600 GRINNING FACE, which is outside the Basic Multilingual Plane: MySQL stores names as utf8mb3, which cannot hold it, so the server would keep '?' instead and the name would never match the manifest; use characters up to U+FFFF only.",
            "'ok'@'10.0.\\u{200b}%' is left out: its host contains U+200B ZERO WIDTH SPACE, an invisible or text-direction character that makes the name read as something else in plans, SQL files and reviews; remove it.",
            "'r\\u{202e}toor'@'%' is left out: its user name contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible or text-direction character that makes the name read as something else in plans, SQL files and reviews; remove it.",
        ].sorted())
        #expect(imported.users.first?.skippedGrants == [
            "GRANT SELECT ON `orders\\u{2028}`.* TO 'analyst'@'%' is left out: a manifest cannot write this database or table name as a grant target; dbiam plan will revoke it.",
        ])
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}

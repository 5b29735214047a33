import Foundation
import Testing
@testable import DBIAMCore

struct PlanMarkdownTests {
    /// The base manifest with a third permission set, so one plan has a new, a changed
    /// and an unchanged policy.
    static let manifestText = Manifests.base + """
          DBEveryone:
            users: [ssotest, oncall_dba]

        """

    static let driftedLive = LiveState(accounts: [
        LiveAccount(name: AccountName(user: "oncall_dba", host: "%"), plugin: "mysql_native_password", sslType: "",
            grants: [.everything: [Privilege("PROCESS"), Privilege("SELECT"), Privilege("SHOW DATABASES"), Privilege("RELOAD")]]),
        LiveAccount(name: AccountName(user: "stray", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
    ], serverVersion: "8.0.39")

    static func build(_ readings: [String: ClusterReading], previous: [String: String], manifest: String = manifestText) -> (plan: Plan, run: PlanRun) {
        let plan = Plans.builder(Manifests.valid(manifest)).build(readings: readings)
        var accountsRead: [String: Int] = [:]
        for case (let name, .live(let state)) in readings { accountsRead[name] = state.accounts.count }
        return (plan, Plans.run(plan, accountsRead: accountsRead, existing: previous))
    }

    static func render(_ built: (plan: Plan, run: PlanRun)) -> String {
        PlanMarkdownRenderer.render(built.plan, run: built.run)
    }

    static func documents(_ manifest: String = manifestText) -> [String: String] {
        Dictionary(uniqueKeysWithValues: PolicyDocument.documents(for: Manifests.valid(manifest)).map { ($0.permissionSet, $0.text) })
    }

    /// Changes, a warning and an unreachable cluster; one policy of each status.
    static func driftPlan() -> (plan: Plan, run: PlanRun) {
        var previous = documents()
        previous["DBReadOnly"] = nil
        previous["DBOncall"] = previous["DBOncall"]?.replacingOccurrences(of: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/oncall_dba", with: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/oncall")
        return build(
            ["orders-prod": .live(driftedLive),
             "billing-prod": .failed("no answer from billing.c8bjhxz2.us-east-1.rds.amazonaws.com:13306 within 5 s")],
            previous: previous)
    }

    @Test func driftMatchesTheGoldenFile() throws {
        let markdown = Self.render(Self.driftPlan())
        try Golden.check(markdown, "markdown/drift.md")
        #expect(markdown.hasPrefix("**Plan:** 2 to add, 2 to change, 1 to destroy. 2 policy files are new, changed or removed;"))
    }

    @Test func noChangesMatchesTheGoldenFile() throws {
        let ordersLive = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "ssotest", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY",
                grants: [GrantTarget(database: "orders", table: nil): [Privilege("SELECT"), Privilege("SHOW VIEW")]]),
            LiveAccount(name: AccountName(user: "oncall_dba", host: "%"), plugin: "awsauthenticationplugin", sslType: "ANY",
                grants: [.everything: [Privilege("PROCESS"), Privilege("SELECT"), Privilege("SHOW DATABASES")]]),
        ], serverVersion: "8.0.39")
        let billingLive = LiveState(accounts: [ordersLive.accounts[0]], serverVersion: "8.0.39")
        let plan = Self.build(
            ["orders-prod": .live(ordersLive), "billing-prod": .live(billingLive)],
            previous: Self.documents())
        let markdown = Self.render(plan)
        try Golden.check(markdown, "markdown/no-changes.md")
        #expect(markdown.hasPrefix("**No changes.** The clusters match the manifest.\n"))
        #expect(!markdown.contains("```sql"))
    }

    @Test func failedClustersMatchTheGoldenFile() throws {
        let plan = Self.build(
            ["orders-prod": .failed("the server refused the admin login of dbiam_admin (ERROR 1045): check admin.user and the password in ORDERS_PASSWORD"),
             "billing-prod": .failed("cannot resolve billing.c8bjhxz2.us-east-1.rds.amazonaws.com: check the endpoint name and your DNS")],
            previous: Self.documents())
        let markdown = Self.render(plan)
        try Golden.check(markdown, "markdown/failed.md")
        #expect(markdown.hasPrefix("**No changes on the clusters that could be read;** 2 could not be planned.\n"))
    }

    @Test func offlinePlanMatchesTheGoldenFile() throws {
        let plan = Self.build(["orders-prod": .offline, "billing-prod": .offline], previous: [:])
        try Golden.check(Self.render(plan), "markdown/offline.md")
    }

    @Test func sqlIsTheSavedSQLFileWordForWord() {
        let plan = Self.driftPlan()
        let markdown = Self.render(plan)
        let sql = SQLFileRenderer.render(plan.plan.clusters[0], manifestPath: plan.run.manifestPath, offline: false)
        #expect(markdown.contains("```sql\n" + sql + "```\n"))
    }

    @Test func changedPolicyIsADiffAgainstThePreviousFile() throws {
        let plan = Self.driftPlan()
        let oncall = try #require(plan.run.policyFiles.first { $0.permissionSet == "DBOncall" })
        let markdown = Self.render(plan)
        let diff = UnifiedDiff.render(
            old: try #require(oncall.previousText), new: try #require(oncall.text),
            oldLabel: "out/manifests/prod.yaml/policies/DBOncall.json (previous file)", newLabel: "out/manifests/prod.yaml/policies/DBOncall.json (this plan)")
        #expect(markdown.contains("```diff\n" + diff + "```\n"))
        #expect(diff.contains("\n-        \"arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/oncall\"\n"))
        #expect(diff.contains("\n+        \"arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/oncall_dba\"\n"))
    }

    @Test func renderingIsDeterministic() {
        #expect(Self.render(Self.driftPlan()) == Self.render(Self.driftPlan()))
    }

    /// A user name full of Markdown: backquote runs in the SQL lengthen the fence, and
    /// the warning about a stray account is escaped text.
    @Test func hostileNamesCannotBreakOutOfTheirBlocks() throws {
        let name = "a```b|c*d_e<i>"
        let manifest = Self.manifestText.replacingOccurrences(of: "  ssotest:\n    clusters: [orders-prod]", with: "  \"\(name)\":\n    clusters: [orders-prod]")
            .replacingOccurrences(of: "[ssotest]", with: "[\"\(name)\"]").replacingOccurrences(of: "[ssotest, ", with: "[\"\(name)\", ")
        let live = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "x````y|z", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
        ], serverVersion: "8.0.39")
        let plan = Self.build(["orders-prod": .live(live)], previous: [:], manifest: manifest)
        let markdown = Self.render(plan)
        #expect(markdown.contains("\n````sql\n"), "a name with ``` needs a fence of four")
        let sqlBlock = try #require(markdown.components(separatedBy: "````sql\n").last?.components(separatedBy: "\n````\n").first)
        #expect(sqlBlock.contains("CREATE USER 'a```b|c*d_e<i>'@'%'"))
        #expect(markdown.contains("- 'x\\`\\`\\`\\`y\\|z'@'%' uses AWSAuthenticationPlugin but is not in the manifest (prune is off: left alone)\n"))
    }

    @Test func codeSpansOutgrowTheBackquotesInside() {
        #expect(MarkdownText.code("orders") == "`orders`")
        #expect(MarkdownText.code("a`b") == "``a`b``")
        #expect(MarkdownText.code("a``b```c") == "````a``b```c````")
        #expect(MarkdownText.code("`x") == "`` `x ``")
        #expect(MarkdownText.code(" x ") == "`  x  `")
        #expect(MarkdownText.code("a\nb") == "`a b`")
    }

    @Test func fencesOutgrowTheBackquotesInside() {
        #expect(MarkdownText.fenced("SELECT 1;\n", language: "sql") == "```sql\nSELECT 1;\n```\n")
        #expect(MarkdownText.fenced("a ````` b", language: "") == "``````\na ````` b\n``````\n")
    }

    @Test func runningTextIsEscaped() {
        #expect(MarkdownText.escaped("a*b_c [d](e) <f> `g` h|i ~j~ &amp; \\") == "a\\*b\\_c \\[d\\](e) \\<f\\> \\`g\\` h\\|i \\~j\\~ \\&amp; \\\\")
        #expect(MarkdownText.escaped("# not a heading") == "\\# not a heading")
        #expect(MarkdownText.escaped("- not a list") == "\\- not a list")
        #expect(MarkdownText.escaped("a-b+c") == "a-b+c")
        #expect(MarkdownText.escaped("12. not a list") == "12\\. not a list")
        #expect(MarkdownText.escaped("line\nbreak") == "line break")
    }

    @Test func tableCellsEscapeEveryPipe() {
        #expect(MarkdownText.tableCell("`a|b`") == "`a\\|b`")
        #expect(MarkdownText.tableCell("a\\|b") == "a\\\\|b")
        let plan = Self.driftPlan()
        let table = Self.render(plan).split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(table.count == 2)
        for row in table {
            // Nine unescaped pipes: eight cells.
            let unescaped = row.enumerated().filter { index, character in
                character == "|" && (index == 0 || row[row.index(row.startIndex, offsetBy: index - 1)] != "\\")
            }
            #expect(unescaped.count == 9, "\(row)")
        }
    }
}

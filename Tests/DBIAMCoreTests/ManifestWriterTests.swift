import Foundation
import Testing
@testable import DBIAMCore

/// `dbiam import`'s manifest: made from a live state, written as YAML-lite, and read
/// back by the manifest loader as exactly what the server holds.
struct ManifestWriterTests {
    static let cluster = Cluster(
        name: "orders-prod", account: "012345678901", region: "ap-northeast-1", resourceID: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        endpoint: "10.0.0.12", port: 3306, engine: .mariadb, tls: .verified(caBundle: "/etc/ssl/rds/global-bundle.pem"),
        admin: AdminLogin(user: "dbiam_admin", method: .passwordEnvironment("ORDERS_ADMIN_PASSWORD")))

    static func iam(_ user: String, host: String = "%", ssl: String = "ANY", _ grants: [GrantTarget: Set<Privilege>] = [:]) -> LiveAccount {
        LiveAccount(name: AccountName(user: user, host: host), plugin: "AWSAuthenticationPlugin", sslType: ssl, grants: grants)
    }

    static func database(_ name: String) -> GrantTarget { GrantTarget(database: name, table: nil) }

    static let sample = LiveState(accounts: [
        iam("analyst", [database("orders"): [Privilege("SELECT"), Privilege("SHOW VIEW"), .usage],
                        GrantTarget(database: "orders", table: "line_items"): [Privilege("INSERT")]]),
        iam("oncall_dba", host: "10.0.%", ssl: "", [.everything: [Privilege("PROCESS"), Privilege("SHOW DATABASES"), .grantOption]]),
        iam("owner", [database("billing"): PrivilegeCatalog(engine: .mariadb).allPrivileges(at: .database)]),
        iam("wildcard", [database("app_%"): [Privilege("SELECT")], GrantTarget(database: "app_%", table: nil, databaseIsPattern: true): [Privilege("SELECT")]]),
        iam("nogrants", [.everything: [.usage]]),
        iam("local", host: "localhost"),
        iam("rdsadmin"),
        iam("dbiam_admin"),
        iam("certified", ssl: "X509"),
        iam("twice", host: "%"),
        iam("twice", host: "10.%"),
        iam("split", host: "%", [.everything: [Privilege("PROCESS")]]),
        iam("split", host: "10.%"),
        LiveAccount(name: AccountName(user: "password_user", host: "%"), plugin: "mysql_native_password", sslType: "", grants: [:]),
    ], serverVersion: "10.11.6-MariaDB")

    static func sampleImport() -> ImportedManifest {
        ImportedManifest(cluster: cluster, live: sample, readAt: "2026-11-29T12:00:00Z")
    }

    @Test func sampleMatchesTheGoldenFile() throws {
        try Golden.check(ManifestWriter.render(Self.sampleImport()), "import/sample.yaml")
    }

    @Test func onlyExpressibleIAMAccountsAreImported() {
        let imported = Self.sampleImport()
        #expect(imported.users.map(\.name) == ["analyst", "nogrants", "oncall_dba", "owner", "split", "twice", "wildcard"])
        // One user name on several hosts with the same grants is one user with hosts.
        #expect(imported.users.first { $0.name == "twice" }?.hosts == ["%", "10.%"])
        #expect(imported.users.first { $0.name == "split" }?.hosts == ["%"])
        #expect(imported.skippedAccounts.count == 5)
        #expect(imported.skippedAccounts.contains("'split'@'10.%' is left out: the accounts of one user name in a manifest hold the same grants, and 'split'@'%', which is imported, holds others."))
        for name in ["'local'@'localhost'", "'rdsadmin'@'%'", "'dbiam_admin'@'%'", "'certified'@'%'", "'split'@'10.%'"] {
            #expect(imported.skippedAccounts.contains { $0.hasPrefix(name + " is left out: ") }, "\(name)")
        }
        #expect(imported.skippedAccounts.contains { $0.contains("REQUIRE X509") })
        let wildcard = imported.users.first { $0.name == "wildcard" }
        #expect(wildcard?.grants.map(\.target) == [Self.database("app_%")])
        #expect(wildcard?.skippedGrants == ["GRANT SELECT ON `app_%`.* TO 'wildcard'@'%' is left out: its database name is a pattern with wildcards, which a manifest cannot express; dbiam plan will revoke it unless you grant the databases it should cover one by one."])
        #expect(imported.skipped.count == 6)
    }

    /// The written manifest loads, and planning it against the state it came from
    /// changes nothing but the grants the comments say will be revoked.
    @Test func importedManifestPlansToNoChanges() throws {
        let text = ManifestWriter.render(Self.sampleImport())
        let result = ManifestLoader.load(Array(text.utf8))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map { $0.formatted(file: "imported.yaml") })")
        let manifest = try #require(result.manifest)
        let decision = Planner(manifest: manifest).plan(manifest.clusters[0], live: Self.sample)
        let (actions, warnings) = (decision.actions, decision.warnings)
        #expect(actions.map(\.sql) == ["REVOKE SELECT ON `app_%`.* FROM 'wildcard'@'%'"])
        #expect(warnings.count == 3, "\(warnings)") // local, certified and twice@10.% are IAM accounts left alone
        #expect(manifest.permissionSets.isEmpty)
    }

    /// Roles on a MariaDB server: the roles imported users hold are written under
    /// `roles:` with their grants, and users list them; a reserved role, a user holding
    /// two roles on MariaDB, and a role's own role grant are left out, each said.
    static let withRoles: LiveState = {
        func role(_ name: String, _ grants: [GrantTarget: Set<Privilege>] = [:], others: [OtherGrant] = []) -> LiveAccount {
            LiveAccount(name: AccountName(user: name, host: ""), plugin: "", sslType: "", grants: grants, otherGrants: others, isRole: true)
        }
        let shopRead = RoleName(name: "shop_read"), billingRead = RoleName(name: "billing_read"), unused = RoleName(name: "unused")
        var reader = iam("reader")
        reader.otherGrants = [.role(shopRead), .defaultRoles([shopRead])]
        var readerTwo = iam("reader", host: "10.%")
        readerTwo.otherGrants = [.role(shopRead), .defaultRoles([shopRead])]
        var both = iam("both")
        both.otherGrants = [.role(shopRead), .role(billingRead), .defaultRoles([shopRead])]
        var nodefault = iam("nodefault")
        nodefault.otherGrants = [.role(billingRead)]
        return LiveState(accounts: [
            reader, readerTwo, both, nodefault,
            role("shop_read", [database("shop"): [Privilege("SELECT")]]),
            role("billing_read", [database("billing"): [Privilege("SELECT")]], others: [.role(unused)]),
            role("unused", [.everything: [Privilege("CREATE USER")]]),
        ], serverVersion: "10.11.6-MariaDB")
    }()

    @Test func rolesUsersHoldAreImported() throws {
        let imported = ImportedManifest(cluster: Self.cluster, live: Self.withRoles, readAt: "2026-11-29T12:00:00Z")
        #expect(imported.roles.map(\.name) == ["billing_read", "shop_read"])
        #expect(imported.users.map { "\($0.name):\($0.roles)" } == ["both:[]", "nodefault:[\"billing_read\"]", "reader:[\"shop_read\"]"])
        #expect(imported.users.first { $0.name == "reader" }?.hosts == ["%", "10.%"])
        #expect(imported.skipped.contains { $0.contains("role billing_read holds role 'unused'") })
        #expect(imported.skipped.contains { $0.contains("'both'@'%' holds the roles") && $0.contains("one role") })
        #expect(imported.skipped.contains("'nodefault'@'%' has no default role; a manifest makes the roles a user holds its default roles, so dbiam plan will make 'billing_read' its default."))
        #expect(!imported.skipped.contains { $0.contains("'both'@'%' has") })

        let text = ManifestWriter.render(imported)
        try Golden.check(text, "import/roles.yaml")
        let result = ManifestLoader.load(Array(text.utf8))
        let manifest = try #require(result.manifest, "\(result.diagnostics.map { $0.formatted(file: "imported.yaml") })")
        let decision = Planner(manifest: manifest).plan(manifest.clusters[0], live: Self.withRoles)
        // What the comments say: both's roles revoked, billing_read's role revoked, nodefault's role made default.
        #expect(decision.actions.map(\.sql) == [
            "REVOKE 'unused' FROM 'billing_read'",
            "REVOKE 'shop_read' FROM 'both'@'%'",
            "REVOKE 'billing_read' FROM 'both'@'%'",
            "SET DEFAULT ROLE NONE FOR 'both'@'%'",
            "SET DEFAULT ROLE 'billing_read' FOR 'nodefault'@'%'",
        ])
    }

    static let hostileNames = [
        "it's", "say \"hi\"", "back\\slash", "#hash", "a #b", "key: value", "trailing:", " leading", "trailing ",
        "ünïcødé", "日本語", "100%", "a_b", "%", "_", "yes", "No", "null", "~", "123", "0x1F", "- dash", "[list]", "{map}",
        "*alias", "&anchor", "!tag", "|pipe", ">fold", "@at", "`tick", "?question", ",comma", "a,b", "a]b", "tab\there",
        "\u{85}next-line", "zero\u{200B}width", "emoji😀", "dot.name",
    ]

    /// Every scalar round-trips through the manifest loader, and PyYAML reads the same
    /// strings: the output is YAML, not just YAML-lite.
    @Test func hostileNamesRoundTrip() throws {
        // Control characters, trailing spaces (MySQL drops them), invisible characters and
        // characters utf8mb3 cannot store cannot be in a manifest, so import leaves such
        // accounts out.
        let printable = Self.hostileNames.filter { name in
            !name.hasSuffix(" ") && !["zero\u{200B}width", "emoji😀"].contains(name)
                && !name.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
        }
        var accounts: [LiveAccount] = []
        for (index, name) in printable.enumerated() {
            let table = GrantTarget(database: "db \(name)", table: name)
            accounts.append(Self.iam(name, host: "h\(index) \(name)", ssl: index.isMultiple(of: 2) ? "ANY" : "", [
                Self.database(name): [Privilege("SELECT")], table: [Privilege("UPDATE"), .grantOption],
            ]))
        }
        let live = LiveState(accounts: accounts, serverVersion: "10.11.6-MariaDB \"#: x")
        var cluster = Self.cluster
        cluster.tls = .verified(caBundle: "~/certs/it's \"mine\" #1.pem")
        let imported = ImportedManifest(cluster: cluster, live: live, readAt: "2026-11-29T12:00:00Z")
        let text = ManifestWriter.render(imported)
        let result = ManifestLoader.load(Array(text.utf8))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map { $0.formatted(file: "imported.yaml") })\n\(text)")
        let manifest = try #require(result.manifest)
        #expect(manifest.clusters.first?.tls == cluster.tls)

        let names = Set(imported.users.map(\.name))
        #expect(names == Set(printable), "\(Set(printable).subtracting(names))")
        for user in imported.users {
            let loaded = try #require(manifest.user(named: user.name), "\(user.name)")
            #expect(loaded.hosts == user.hosts)
            #expect(loaded.requireSSL == user.requireSSL)
            #expect(loaded.grants.map(\.target) == user.grants.map(\.target))
            #expect(loaded.grants.map(\.privileges) == user.grants.map(\.privileges))
        }
        // Names that a grant target cannot write (a dot in the database name, a leading
        // backquote) are left out, with the reason.
        for name in ["dot.name", "`tick"] {
            let skipped = imported.users.first { $0.name == name }?.skippedGrants ?? []
            #expect(skipped.count == 2 && skipped.allSatisfy { $0.contains("a manifest cannot write this database or table name") }, "\(name): \(skipped)")
        }

        let users = try Self.readWithPyYAML(text)
        #expect(Set(users.keys) == names)
        for user in imported.users {
            let parsed = users[user.name] as? [String: Any]
            #expect((parsed?["hosts"] as? [String] ?? [parsed?["host"] as? String ?? "%"]) == user.hosts, "\(user.name)")
            let grants = parsed?["grants"] as? [[String: Any]] ?? []
            #expect(grants.compactMap { $0["on"] as? String } == user.grants.map(\.target.description), "\(user.name)")
        }
    }

    @Test func namesWithControlCharactersAreLeftOutAndCommentsStayValid() throws {
        let live = LiveState(accounts: [Self.iam("tab\there"), Self.iam("ok")], serverVersion: "10.11\u{1B}[31m")
        let imported = ImportedManifest(cluster: Self.cluster, live: live, readAt: "2026-11-29T12:00:00Z")
        #expect(imported.users.map(\.name) == ["ok"])
        let text = ManifestWriter.render(imported)
        #expect(text.contains("# Imported by dbiam import from 10.0.0.12:3306 (server 10.11\\u001B[31m) at 2026-11-29T12:00:00Z.\n"))
        #expect(text.contains("#   'tab\\u{9}here'@'%' is left out: its user name contains a control character; use printable characters only.\n"))
        #expect(ManifestLoader.load(Array(text.utf8)).diagnostics.isEmpty)
    }

    @Test func scalarsArePlainOnlyWhenEveryReaderAgrees() {
        #expect(ManifestWriter.scalar("orders-prod") == "orders-prod")
        #expect(ManifestWriter.scalar("SHOW VIEW") == "SHOW VIEW")
        #expect(ManifestWriter.scalar("orders.*") == "orders.*")
        #expect(ManifestWriter.scalar("*.*") == "\"*.*\"")
        #expect(ManifestWriter.scalar("%") == "\"%\"")
        #expect(ManifestWriter.scalar("012345678901") == "\"012345678901\"")
        #expect(ManifestWriter.scalar("yes") == "\"yes\"")
        #expect(ManifestWriter.scalar("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"")
        #expect(ManifestWriter.scalar("line\u{2028}break") == "\"line\\u2028break\"")
    }

    @Test func clustersFromFlagsAreCheckedByTheManifestRules() {
        var definition = Self.cluster
        #expect(definition.problems.isEmpty)
        definition.account = "1234"
        definition.resourceID = "orders-prod"
        definition.admin.method = .iam
        definition.tls = .disabled
        #expect(definition.problems.map(\.field) == [.account, .resourceID, .tlsDisabled, .tlsDisabled])
        #expect(definition.problems.first?.message == "must be the 12 digits of the AWS account id, such as 012345678901")
    }

    /// PyYAML's BaseLoader (every scalar a string) reading the users section.
    static func readWithPyYAML(_ text: String) throws -> [String: Any] {
        let script = """
            import json, sys
            try:
                import yaml
            except ImportError as error:
                print(error, file=sys.stderr)
                sys.exit(3)
            document = yaml.load(sys.stdin.buffer.read().decode("utf-8"), Loader=yaml.BaseLoader)
            print(json.dumps(document.get("users", {})))
            """
        let output = try Python.run(script, input: Data(text.utf8))
        return try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
    }
}

import Testing
@testable import DBIAMCore

/// One test per rule of manifest.md: the message and where it points.
struct ManifestValidationTests {
    /// Loads `text` and expects exactly one error, containing `message`, at `needle`.
    private func expectError(
        _ text: String, _ message: String, at needle: String, occurrence: Int = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = Manifests.load(text)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "expected one error, got \(errors.map { $0.formatted(file: "m") })", sourceLocation: sourceLocation)
        guard let error = errors.first else { return }
        #expect(error.message.contains(message), "message was: \(error.message)", sourceLocation: sourceLocation)
        #expect(error.position == Manifests.position(of: needle, in: text, occurrence: occurrence), sourceLocation: sourceLocation)
        #expect(result.manifest == nil, sourceLocation: sourceLocation)
    }

    @Test func baseManifestIsValid() {
        let result = Manifests.load(Manifests.base)
        #expect(result.diagnostics.isEmpty)
        let manifest = try! #require(result.manifest)
        #expect(manifest.clusters.map(\.name) == ["orders-prod", "billing-prod"])
        #expect(manifest.clusters[1].port == 13306)
        #expect(manifest.clusters[0].port == 3306)
        #expect(manifest.users.map(\.name) == ["ssotest", "oncall_dba"])
        #expect(manifest.users[0].hosts == ["%"])
        #expect(manifest.users[0].requireSSL == true)
        #expect(manifest.users[1].clusters == .all)
        #expect(manifest.permissionSets[1].clusters == ["orders-prod"])
        #expect(manifest.clusters[1].admin.method == .passwordEnvironment("BILLING_ADMIN_PASSWORD"))
    }

    @Test func versionIsRequired() {
        let text = Manifests.replacing("version: 1\n", with: "")
        expectError(text, "the manifest needs 'version'", at: "organization")
    }

    @Test func versionMustBeOne() {
        expectError(Manifests.replacing("version: 1", with: "version: 2"), "manifest version 1, not '2'", at: "2")
    }

    @Test func unknownKeySuggestsTheClosest() {
        let text = Manifests.replacing("    clusters: [orders-prod]\n    grants", with: "    clusters: [orders-prod]\n    requre_ssl: false\n    grants")
        expectError(text, "unknown key 'requre_ssl' in user 'ssotest'. Did you mean 'require_ssl'?", at: "requre_ssl")
    }

    @Test func accountIdMustBeTwelveDigits() {
        expectError(Manifests.replacing("\"123456789012\"", with: "\"12345678901\""), "must be exactly 12 digits", at: "\"12345678901\"")
    }

    @Test func accountIdKeepsLeadingZerosUnquoted() {
        let manifest = Manifests.valid(Manifests.replacing("\"012345678901\"", with: "012345678901"))
        #expect(manifest.clusters[1].account == "012345678901")
    }

    @Test func regionMustBeARegionName() {
        expectError(Manifests.replacing("region: us-east-1", with: "region: useast1"), "not an AWS region name", at: "useast1")
    }

    @Test func resourceIdThatLooksLikeTheClusterNameIsRejectedWithTheHint() {
        let text = Manifests.replacing("resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ", with: "resource_id: orders-prod")
        expectError(text, "looks like a cluster name", at: "orders-prod\n    endpoint")
        let message = Manifests.load(text).diagnostics[0].message
        #expect(message.contains("aws rds describe-db-clusters --query \"DBClusters[*].[DBClusterIdentifier,DbClusterResourceId]\""))
    }

    @Test func resourceIdMustHaveTheRDSShape() {
        let text = Manifests.replacing("db-ABCDEFGHIJKLMNOPQRSTUVWXYZ", with: "db-abc")
        expectError(text, "must be a DbClusterResourceId (cluster-…) or a DbiResourceId (db-…)", at: "db-abc")
    }

    @Test func portMustBeInRange() {
        expectError(Manifests.replacing("port: 13306", with: "port: 70000"), "port must be a whole number from 1 to 65535, not '70000'", at: "70000")
    }

    @Test func engineMustBeKnown() {
        expectError(Manifests.replacing("engine: aurora-mysql-3", with: "engine: aurora-mysql3"), "unknown engine 'aurora-mysql3'. Did you mean 'aurora-mysql-3'?", at: "aurora-mysql3")
    }

    @Test func passwordNeverInTheManifest() {
        let text = Manifests.replacing("      password_env: BILLING_ADMIN_PASSWORD", with: "      password: hunter2")
        expectError(text, "a password never goes in a manifest", at: "password: hunter2")
        #expect(!Manifests.load(text).diagnostics[0].message.contains("hunter2"))
    }

    @Test func adminNeedsALoginMethod() {
        let text = Manifests.replacing("      password_env: BILLING_ADMIN_PASSWORD\n", with: "")
        expectError(text, "needs `iam: true` or `password_env: VARIABLE`", at: "admin:", occurrence: 2)
    }

    @Test func adminTakesOneLoginMethod() {
        let text = Manifests.replacing("      password_env: BILLING_ADMIN_PASSWORD\n", with: "      password_env: BILLING_ADMIN_PASSWORD\n      iam: true\n")
        expectError(text, "has both `iam: true` and `password_env`", at: "admin:", occurrence: 2)
    }

    @Test func passwordEnvMustNameAVariable() {
        expectError(Manifests.replacing("BILLING_ADMIN_PASSWORD", with: "\"BILLING-PASSWORD\""), "password_env must name an environment variable", at: "\"BILLING-PASSWORD\"")
    }

    /// billing-prod (a password admin) with its tls_ca line replaced.
    private func billing(tls replacement: String, endpoint: String = "billing.c8bjhxz2.us-east-1.rds.amazonaws.com") -> String {
        Manifests.replacing(
            "endpoint: billing.c8bjhxz2.us-east-1.rds.amazonaws.com\n    port: 13306\n    engine: mysql-8.0\n    tls_ca: ~/global-bundle.pem\n",
            with: "endpoint: \(endpoint)\n    port: 13306\n    engine: mysql-8.0\n\(replacement)")
    }

    @Test func everyClusterNeedsATLSCABundle() {
        expectError(billing(tls: ""), "cluster 'billing-prod' has no tls_ca", at: "billing-prod:")
        expectError(billing(tls: "    tls: verify\n"), "or write `tls: disabled` for a server on this machine", at: "billing-prod:")
    }

    @Test func tlsMayBeDisabledOnlyForAServerOnThisMachine() throws {
        for local in ["127.0.0.1", "::1", "localhost", "LocalHost"] {
            let manifest = try #require(Manifests.load(billing(tls: "    tls: disabled\n", endpoint: "\"\(local)\"")).manifest, "\(local)")
            #expect(manifest.cluster(named: "billing-prod")?.tls == .disabled)
            #expect(manifest.cluster(named: "billing-prod")?.tlsCA == nil)
        }
        expectError(billing(tls: "    tls: disabled\n"), "is only for a server on this machine", at: "disabled")
        expectError(billing(tls: "    tls: disabled\n", endpoint: "127.0.0.2"), "but its endpoint '127.0.0.2' is reached over the network", at: "disabled")
    }

    @Test func tlsDisabledContradictsACABundle() {
        expectError(billing(tls: "    tls: disabled\n    tls_ca: ca.pem\n", endpoint: "127.0.0.1"), "has tls_ca and `tls: disabled`", at: "ca.pem")
    }

    @Test func tlsIsVerifyOrDisabled() {
        expectError(billing(tls: "    tls: \"off\"\n    tls_ca: ca.pem\n"), "tls must be `verify`", at: "\"off\"")
    }

    @Test func iamAdminNeedsTLS() {
        let text = Manifests.replacing(
            "endpoint: orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com\n    engine: aurora-mysql-3\n    tls_ca: ~/global-bundle.pem",
            with: "endpoint: 127.0.0.1\n    engine: aurora-mysql-3\n    tls: disabled")
        expectError(text, "logs in with an IAM token, which is sent in cleartext and needs TLS", at: "admin:")
    }

    @Test func unmanagedPatternsCombineDefaultsAndTheCluster() throws {
        let text = Manifests.replacing("clusters:\n  orders-prod:\n", with: """
            defaults:
              unmanaged: ["app_*", "legacy_reporting"]
            clusters:
              orders-prod:
                unmanaged: ["platform_admin", "app_*", "r?_*"]

            """)
        let manifest = try #require(Manifests.load(text).manifest)
        let orders = try #require(manifest.cluster(named: "orders-prod"))
        #expect(orders.unmanaged.map(\.text) == ["app_*", "legacy_reporting", "platform_admin", "r?_*"])
        #expect(manifest.cluster(named: "billing-prod")?.unmanaged.map(\.text) == ["app_*", "legacy_reporting"])
        #expect(orders.isUnmanaged("app_orders") && orders.isUnmanaged("app_") && orders.isUnmanaged("platform_admin"))
        #expect(orders.isUnmanaged("ro_x") && !orders.isUnmanaged("r_x") && !orders.isUnmanaged("rox"))
        #expect(!orders.isUnmanaged("App_orders") && !orders.isUnmanaged("legacy_reporting2") && !orders.isUnmanaged("xapp_"))
        #expect(manifest.cluster(named: "billing-prod")?.isUnmanaged("platform_admin") == false)
    }

    @Test func aManifestUserMayNotMatchAnUnmanagedPattern() {
        let text = Manifests.replacing("  billing-prod:\n", with: "    unmanaged: [\"sso*\"]\n  billing-prod:\n")
        expectError(text, "user 'ssotest' matches the unmanaged pattern 'sso*' (line 17) of cluster 'orders-prod'", at: "ssotest:")
        // On a cluster the user is not on, the pattern is no conflict.
        #expect(Manifests.load(Manifests.replacing("    password_env: BILLING_ADMIN_PASSWORD\n", with: "    password_env: BILLING_ADMIN_PASSWORD\n    unmanaged: [\"sso*\"]\n")).manifest != nil)
    }

    @Test func unmanagedPatternsMustBeNames() {
        expectError(Manifests.replacing("  billing-prod:\n", with: "    unmanaged: [\"app\\t*\"]\n  billing-prod:\n"), "orders-prod' unmanaged pattern 'app\\u{9}*' must be a user name", at: "\"app")
    }

    /// The base manifest with one more user, on `clusters`.
    private func addingUser(_ name: String, clusters: String = "[orders-prod]") -> String {
        Manifests.replacing("permission_sets:", with: "  \(name):\n    clusters: \(clusters)\npermission_sets:")
    }

    @Test func userNamesLongerThan32AreRejectedOnMySQLEngines() {
        let long = String(repeating: "a", count: 33)
        expectError(addingUser(long), "has 33 code points (each combining accent counts as one); aurora-mysql-3 allows at most 32", at: long)
        #expect(Manifests.load(addingUser(String(repeating: "a", count: 32))).diagnostics.isEmpty)
    }

    @Test func reservedUserNamesAreRejected() {
        for name in ["rdsadmin", "root", "\"mysql.sys\"", "dbiam_admin"] {
            expectError(addingUser(name), name == "dbiam_admin" ? "is the admin user dbiam logs in as" : "is a reserved account", at: "\(name):")
        }
    }

    @Test func localhostIsRejected() {
        let text = Manifests.replacing("    clusters: [orders-prod]\n    grants", with: "    clusters: [orders-prod]\n    host: localhost\n    grants")
        expectError(text, "IAM logins always come over the network", at: "localhost")
    }

    @Test func userClustersMustBeDefined() {
        expectError(Manifests.replacing("[orders-prod]\n    grants", with: "[orders-prd]\n    grants"), "cluster 'orders-prd', which is not defined under clusters. Did you mean 'orders-prod'?", at: "orders-prd")
    }

    @Test func starCannotBeMixedWithNames() {
        expectError(Manifests.replacing("clusters: [\"*\"]", with: "clusters: [\"*\", orders-prod]"), "mixes \"*\" with cluster names", at: "[\"*\", orders-prod]")
    }

    @Test func permissionSetUsersMustBeDefined() {
        expectError(Manifests.replacing("users: [ssotest]", with: "users: [ssotst]"), "names user 'ssotst', which is not defined under users. Did you mean 'ssotest'?", at: "ssotst")
    }

    @Test func orgPathMustBeAKeyOfOrganizationPaths() {
        expectError(Manifests.replacing("org_path: prod", with: "org_path: prd"), "org_path 'prd' is not a key of organization.paths. Did you mean 'prod'?", at: "prd")
    }

    @Test func orgPathNeedsAnOrganization() {
        let text = Manifests.replacing("organization:\n  id: o-a1b2c3d4e5\n  paths:\n    prod: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*\n", with: "")
        expectError(text, "org_path needs an `organization:` section", at: "prod\n")
    }

    @Test func organizationIdShape() {
        expectError(Manifests.replacing("id: o-a1b2c3d4e5", with: "id: o-ABC"), "is not an AWS Organizations id", at: "o-ABC")
    }

    @Test func organizationPathBelongsToTheOrganization() {
        expectError(Manifests.replacing("prod: o-a1b2c3d4e5/r-ab12", with: "prod: o-zzzzzzzzzz/r-ab12"), "must be an OU path of organization o-a1b2c3d4e5", at: "o-zzzzzzzzzz")
    }

    @Test func unknownPrivilegeSuggestsTheClosest() {
        expectError(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[SELEC, SHOW VIEW]"), "'SELEC' is not a privilege of aurora-mysql-3. Did you mean 'SELECT'?", at: "SELEC")
    }

    @Test func privilegeMustFitTheLevel() {
        expectError(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[SELECT, PROCESS]"), "PROCESS cannot be granted on orders.*; it is granted globally, ON *.*", at: "PROCESS]")
    }

    @Test func privilegeMustExistOnEveryEngineOfTheUser() {
        // oncall_dba is on aurora-mysql-3 and mysql-8.0; the S3 privilege is Aurora's only.
        let text = Manifests.replacing("[PROCESS, SELECT, SHOW DATABASES]", with: "[PROCESS, AWS_LOAD_S3_ACCESS]")
        expectError(text, "'AWS_LOAD_S3_ACCESS' is not a privilege of mysql-8.0", at: "AWS_LOAD_S3_ACCESS")
        let auroraOnly = Manifests.replacing("[SELECT, SHOW VIEW]", with: "[SELECT]\n      - on: \"*.*\"\n        privileges: [AWS_LOAD_S3_ACCESS]")
        #expect(Manifests.load(auroraOnly).diagnostics.isEmpty)
    }

    @Test func allMeansAllPrivileges() {
        let manifest = Manifests.valid(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[all, select]"))
        #expect(manifest.users[0].grants[0].privileges == [.allPrivileges, Privilege("SELECT")])
    }

    @Test func booleansAreExactlyTrueOrFalse() {
        let text = Manifests.replacing("    clusters: [orders-prod]\n    grants", with: "    clusters: [orders-prod]\n    require_ssl: yes\n    grants")
        expectError(text, "require_ssl must be true or false, not 'yes'", at: "yes")
    }

    @Test func duplicateGrantTargetsAreRejected() {
        let text = Manifests.replacing("[SELECT, SHOW VIEW]", with: "[SELECT]\n      - on: orders.*\n        privileges: [SHOW VIEW]")
        expectError(text, "two grants on orders.* (the first on line", at: "on: orders.*", occurrence: 2)
    }

    @Test func grantTargetShapes() {
        expectError(Manifests.replacing("on: orders.*", with: "on: orders"), "a grant target is `*.*`, `database.*` or `database.table`", at: "orders\n")
        expectError(Manifests.replacing("on: orders.*", with: "on: \"*.orders\""), "`*.table` is not a grant target", at: "\"*.orders\"")
        expectError(Manifests.replacing("on: orders.*", with: "on: \"`orders`.*\""), "without backquotes", at: "\"`orders`.*\"")
    }

    /// The database name ends at the first dot, so a second dot would make a table name
    /// with a dot (`shop.orders.x`), and `*` stands only for a whole name: both were
    /// taken as literal table names (`shop`.`*.*`) and are errors at the value.
    @Test func grantTargetNamesHoldNoDotAndNoStar() {
        expectError(Manifests.replacing("on: orders.*", with: "on: shop.*.*"), "'shop.*.*': a grant target has one dot, between the database and the table; '*.*' would be a table name with a dot, which dbiam does not grant on. Write `shop.*` for every table of shop, or `shop.TABLE` for one", at: "shop.*.*")
        expectError(Manifests.replacing("on: orders.*", with: "on: shop.orders.x"), "'orders.x' would be a table name with a dot", at: "shop.orders.x")
        expectError(Manifests.replacing("on: orders.*", with: "on: shop.ord*"), "'ord*' has `*` inside a name; `*` stands alone, for every database (`*.*`) or every table of one (`database.*`)", at: "shop.ord*")
        expectError(Manifests.replacing("on: orders.*", with: "on: sh*p.orders"), "'sh*p' has `*` inside a name", at: "sh*p.orders")
        expectError(Manifests.replacing("on: orders.*", with: "on: \"*.*.*\""), "'*.*' would be a table name with a dot", at: "\"*.*.*\"")
    }

    @Test func grantTargetKeepsPatternCharactersLiteral() {
        let manifest = Manifests.valid(Manifests.replacing("on: orders.*", with: "on: order_items%.daily_2024"))
        #expect(manifest.users[0].grants[0].target == GrantTarget(database: "order_items%", table: "daily_2024"))
    }

    @Test func permissionSetNameCharacters() {
        expectError(Manifests.replacing("  DBReadOnly:", with: "  \"DB ReadOnly\":"), "must be 1 to 32 of the characters", at: "\"DB ReadOnly\"")
    }

    @Test func permissionSetMustReachACluster() {
        let text = Manifests.replacing("    users: [ssotest]\n    org_path: prod", with: "    users: [ssotest]\n    clusters: [billing-prod]\n    org_path: prod")
        expectError(text, "reaches no cluster", at: "DBReadOnly")
    }

    @Test func clusterNameFollowsDBIdentifierRules() {
        let text = Manifests.replacing("  billing-prod:", with: "  billing_prod:")
        expectError(text, "cluster name 'billing_prod' is not a DB identifier", at: "billing_prod")
    }

    @Test func emptyManifest() {
        let result = Manifests.load("# nothing yet\n")
        #expect(result.diagnostics.map(\.message) == ["the manifest is empty; start it with `version: 1`."])
    }

    @Test func everyProblemIsReportedInFileOrder() {
        var text = Manifests.replacing("region: us-east-1", with: "region: useast1")
        text = Manifests.replacing("port: 13306", with: "port: 0", in: text)
        text = Manifests.replacing("users: [ssotest]", with: "users: [nobody]", in: text)
        text = Manifests.replacing("version: 1", with: "version: 3", in: text)
        let result = Manifests.load(text)
        let lines = result.diagnostics.map(\.position.line)
        #expect(result.diagnostics.count == 4)
        #expect(lines == lines.sorted())
        #expect(result.diagnostics.map(\.position) == [
            Manifests.position(of: "3", in: text),
            Manifests.position(of: "useast1", in: text),
            Manifests.position(of: "0\n", in: text),
            Manifests.position(of: "nobody", in: text),
        ])
    }

    /// Planning connects while users are decoded: the clusters are handed over as soon as
    /// they and everything before them are valid, and only then.
    @Test func validClustersAreHandedOverBeforeTheUsersAreDecoded() {
        func handedOver(_ text: String) -> (clusters: [[String]], hasErrors: Bool) {
            var calls: [[String]] = []
            let result = ManifestLoader.load(Array(text.utf8)) { calls.append($0.map(\.name)) }
            return (calls, result.hasErrors)
        }
        #expect(handedOver(Manifests.base) == ([["orders-prod", "billing-prod"]], false))
        // A later error does not take back the clusters: the caller only read them.
        #expect(handedOver(Manifests.replacing("[SELECT, SHOW VIEW]", with: "[SELEKT]")) == ([["orders-prod", "billing-prod"]], true))
        #expect(handedOver(Manifests.replacing("port: 13306", with: "port: 99999")) == ([], true))
        #expect(handedOver(Manifests.replacing("version: 1", with: "version: 2")) == ([], true))
        // So does a syntax error after the clusters: they are read from the lines before it.
        #expect(handedOver(Manifests.base + "\n  - [a\n") == ([["orders-prod", "billing-prod"]], true))
    }

    @Test func diagnosticsAreFormattedForEditors() {
        let diagnostic = Diagnostic.error("bad", at: SourcePosition(line: 3, column: 7), ruleID: "DBIAM001")
        #expect(diagnostic.formatted(file: "manifests/prod.yaml") == "manifests/prod.yaml:3:7: error: bad [DBIAM001]")
    }
}

extension ManifestValidationTests {
    @Test func trailingSpacesAreRefusedBecauseMySQLDropsThem() {
        let user = Manifests.replacing("permission_sets:", with: "  \"trail \":\n    clusters: [orders-prod]\npermission_sets:")
        let result = Manifests.load(user)
        #expect(result.diagnostics.map(\.message) == ["user name 'trail ' ends with a space, which MySQL drops, so the account would never match the manifest; remove the trailing space."])
        let quoted = Manifests.replacing("permission_sets:", with: "  \"'quoted'\":\n    clusters: [orders-prod]\npermission_sets:")
        #expect(Manifests.load(quoted).diagnostics.map(\.message) == ["user name ''quoted'' is wrapped in single quotes, which the MariaDB client library strips from the name it logs in as, so nobody could log in as this account; remove the quotes."])
        let oneQuote = Manifests.replacing("permission_sets:", with: "  \"o'brien'\":\n    clusters: [orders-prod]\npermission_sets:")
        #expect(Manifests.load(oneQuote).diagnostics.isEmpty)
        let target = Manifests.replacing("on: orders.*", with: "on: \"orders .*\"")
        #expect(Manifests.load(target).diagnostics.first?.message.contains("ends with a space, which MySQL does not allow") == true)
    }
}

/// Names as the server stores and a reviewer reads them: code points, utf8mb3, and no
/// characters that hide or reorder text.
extension ManifestValidationTests {
    /// "e" and 140 combining acute accents, as a YAML escape: one character, 141 code points.
    static let accented = "\"e" + String(repeating: "\\u0301", count: 140) + "\""

    @Test func combiningAccentsCountTowardsTheUserNameLimit() {
        expectError(
            addingUser(Self.accented, clusters: "[billing-prod]"),
            "user name 'e\(String(repeating: "\u{301}", count: 140))' has 141 code points (each combining accent counts as one); mysql-8.0 allows at most 32",
            at: Self.accented)
        let mariadb = Manifests.replacing("engine: mysql-8.0", with: "engine: mariadb", in: addingUser(Self.accented, clusters: "[billing-prod]"))
        expectError(mariadb, "has 141 code points (each combining accent counts as one); mariadb allows at most \(Engine.mariadb.maximumUserNameLength)", at: Self.accented)
        // 16 decomposed é are 32 code points: the most mysql-8.0 takes.
        let sixteen = "\"" + String(repeating: "e\\u0301", count: 16) + "\""
        #expect(Manifests.load(addingUser(sixteen, clusters: "[billing-prod]")).diagnostics.isEmpty)
    }

    @Test func emojiInAUserNameIsAnError() {
        expectError(addingUser("deploy😀"), "user name 'deploy😀' contains U+1F600 GRINNING FACE, which is outside the Basic Multilingual Plane: MySQL stores names as utf8mb3", at: "deploy😀:")
    }

    @Test func hiddenCharactersInUserNamesAreErrorsThatNameTheCodePoint() {
        for (escape, name) in [
            ("\\u202E", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\\u200B", "U+200B ZERO WIDTH SPACE"),
            ("\\u2028", "U+2028 LINE SEPARATOR"), ("\\u00AD", "U+00AD SOFT HYPHEN"), ("\\u061C", "U+061C ARABIC LETTER MARK"),
        ] {
            let key = "\"ad\(escape)min\""
            expectError(addingUser(key), "contains \(name), an invisible or text-direction character", at: key)
        }
        let result = Manifests.load(addingUser("\"ad\\u202Emin\""))
        #expect(result.diagnostics.first?.message.hasPrefix("user name 'ad\\u{202e}min' contains") == true, "\(result.diagnostics.map(\.message))")
    }

    @Test func hiddenCharactersInHostsAndGrantNamesAreErrors() {
        let host = Manifests.replacing("    clusters: [orders-prod]\n    grants", with: "    clusters: [orders-prod]\n    host: \"10.0.\\u2066%\"\n    grants")
        expectError(host, "host '10.0.\\u{2066}%' contains U+2066 LEFT-TO-RIGHT ISOLATE", at: "\"10.0.")
        let database = Manifests.replacing("on: orders.*", with: "on: \"ord\\u200Ders.*\"")
        expectError(database, "'ord\\u{200d}ers.*': 'ord\\u{200d}ers' contains U+200D ZERO WIDTH JOINER", at: "\"ord")
        let table = Manifests.replacing("on: orders.*", with: "on: \"orders.line_items😀\"")
        expectError(table, "contains U+1F600 GRINNING FACE, which is outside the Basic Multilingual Plane", at: "\"orders.line")
    }
}

/// `users.<n>.hosts`: one user name on several hosts, one account each.
struct SeveralHostsTests {
    func withHosts(_ line: String) -> String {
        Manifests.replacing("  ssotest:\n    clusters: [orders-prod]\n", with: "  ssotest:\n    clusters: [orders-prod]\n\(line)")
    }

    @Test func eachHostIsAnAccountWithTheSameGrants() throws {
        let manifest = try #require(Manifests.load(withHosts("    hosts: [\"10.0.1.%\", \"10.0.2.%\"]\n")).manifest)
        let user = try #require(manifest.user(named: "ssotest"))
        #expect(user.accounts == [AccountName(user: "ssotest", host: "10.0.1.%"), AccountName(user: "ssotest", host: "10.0.2.%")])
        let decision = Planner(manifest: manifest).plan(manifest.clusters[0], live: LiveState(accounts: [], serverVersion: "8.0"))
        #expect(decision.actions.map(\.sql).filter { $0.contains("ssotest") } == [
            "CREATE USER 'ssotest'@'10.0.1.%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "CREATE USER 'ssotest'@'10.0.2.%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'10.0.1.%'",
            "GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'10.0.2.%'",
        ])
        // The policy names the user once: IAM knows user names, not hosts.
        let policy = try #require(PolicyDocument.documents(for: manifest).first)
        #expect(policy.resources == ["arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/ssotest"])
        // A host taken out of the list is an account the manifest no longer lists: pruned
        // with the cluster's prune, as any other.
        var pruning = manifest
        pruning.clusters[0].prune = true
        pruning.users[0].hosts = ["10.0.1.%"]
        let live = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "ssotest", host: "10.0.1.%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [GrantTarget(database: "orders", table: nil): [Privilege("SELECT"), Privilege("SHOW VIEW")]]),
            LiveAccount(name: AccountName(user: "ssotest", host: "10.0.2.%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [GrantTarget(database: "orders", table: nil): [Privilege("SELECT"), Privilege("SHOW VIEW")]]),
        ], serverVersion: "8.0")
        #expect(Planner(manifest: pruning).plan(pruning.clusters[0], live: live).actions.map(\.sql).contains("DROP USER 'ssotest'@'10.0.2.%'"))
    }

    @Test func hostAndHostsAreOneOrTheOther() {
        let text = withHosts("    host: \"%\"\n    hosts: [\"10.0.1.%\"]\n")
        let errors = Manifests.load(text).diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.message) == ["user 'ssotest' has both `host` and `hosts`; `host: H` is short for `hosts: [H]`, so keep one."])
        #expect(errors.first?.position == Manifests.position(of: "hosts:", in: text))
    }

    @Test func hostsAreCheckedOneByOne() {
        let empty = Manifests.load(withHosts("    hosts: []\n"))
        #expect(empty.diagnostics.contains { $0.message.hasPrefix("user 'ssotest' hosts is empty") })
        let twice = Manifests.load(withHosts("    hosts: [\"10.0.1.%\", \"10.0.1.%\"]\n"))
        #expect(twice.diagnostics.contains { $0.message == "user 'ssotest' hosts lists '10.0.1.%' twice." })
        let local = Manifests.load(withHosts("    hosts: [\"10.0.1.%\", localhost]\n"))
        #expect(local.manifest == nil)
        #expect(local.diagnostics.contains { $0.message.hasPrefix("host 'localhost' only matches logins from the database server itself") })
    }
}

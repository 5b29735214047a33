@testable import DBIAMCore
import Testing

/// One test per lint rule: a manifest that triggers it (id, severity, line and column)
/// and a near miss that does not.
struct LintRuleTests {
    typealias M = LintManifests

    @Test func cleanManifestHasNoFindings() {
        let result = Manifests.load(M.clean)
        let manifest = try! #require(result.manifest)
        let findings = Linter.run(LintRegistry.rules, on: manifest)
        #expect(findings.isEmpty, "\(findings.map { $0.formatted(file: "clean") })")
    }

    /// The rules that look for privileges read only the grants holding them: in file
    /// order, each grant once however many of the privileges it holds, and none that
    /// holds none.
    @Test func grantsHoldingPrivilegesComeInFileOrderOnce() {
        let text = M.addingUser(
            "  admin_like:\n    clusters: [orders-prod]\n    grants:\n      - on: \"*.*\"\n        privileges: [SUPER, PROCESS, SELECT]\n"
                + "  watcher:\n    clusters: [orders-prod]\n    grants:\n      - on: \"*.*\"\n        privileges: [PROCESS]\n",
            to: M.granting("PROCESS, SUPER", on: "*.*"))
        let manifest = try! #require(Manifests.load(text).manifest)
        let context = LintContext(manifest)
        let administrative: Set<Privilege> = [Privilege("SUPER"), Privilege("PROCESS")]
        let found = context.grants(holding: administrative.contains)
        #expect(found.map { "\($0.holder) \($0.grant.target)" } == ["user 'ssotest' *.*", "user 'admin_like' *.*", "user 'watcher' *.*"])
        #expect(found.map(\.grant) == context.grants.filter { $0.grant.privileges.contains(where: administrative.contains) }.map(\.grant))
        #expect(context.grants(holding: { $0 == .grantOption }).isEmpty)
        #expect(context.grants(holding: { $0 == Privilege("SHOW VIEW") }).map(\.holder.name) == ["ssotest"])
    }

    @Test func theCatalogSaysWhetherAPrivilegeExistsAndWhereItIsGranted() {
        let catalog = PrivilegeCatalog(engine: .auroraMySQL3)
        #expect(catalog.isGrantable(Privilege("SELECT"), at: .table) == true)
        #expect(catalog.isGrantable(Privilege("PROCESS"), at: .database) == false)
        #expect(catalog.isGrantable(Privilege("PROCESS"), at: .global) == true)
        #expect(catalog.isGrantable(.allPrivileges, at: .table) == true)
        #expect(catalog.isGrantable(Privilege("FLY"), at: .global) == nil)
        #expect(catalog.levels(of: Privilege("EXECUTE")) == [.global, .database])
        #expect(PrivilegeCatalog(engine: .mariadb).isGrantable(Privilege("ROLE_ADMIN"), at: .global) == nil)
        #expect(Privilege.canonical("binlog  monitor") == Privilege("REPLICATION CLIENT"))
        #expect(Privilege.canonical("BINLOG MONITOR") == Privilege("REPLICATION CLIENT"))
        #expect(Privilege.canonical("ALL") == .allPrivileges)
        #expect(Privilege.canonical("SELECT") == Privilege("SELECT"))
    }

    // MARK: - DBIAM1xx permission sets and policies

    @Test func broadPermissionSetWithoutOrgPath() {
        let everywhere = M.addingUser("  oncall_dba:\n    clusters: [\"*\"]\n    grants:\n      - on: orders.*\n        privileges: [SELECT]\n")
            + "  DBOncall:\n    users: [oncall_dba]\n"
        M.expectFinding(BroadPermissionSetWithoutOrgPath(), .warning, in: everywhere, at: "DBOncall:", saying: "reaches every cluster (its user 'oncall_dba' is on [\"*\"]) without an org_path")
        M.expectNoFinding(BroadPermissionSetWithoutOrgPath(), in: everywhere + "    org_path: prod\n")
        M.expectNoFinding(BroadPermissionSetWithoutOrgPath(), in: everywhere + "    clusters: [orders-prod]\n")

        let twoAccounts = Manifests.replacing("account: \"123456789012\"\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", with: "account: \"210987654321\"\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", in: M.clean)
            + "  DBAnalyst:\n    users: [analyst]\n"
        M.expectFinding(BroadPermissionSetWithoutOrgPath(), .warning, in: twoAccounts, at: "DBAnalyst:", saying: "reaches clusters in 2 AWS accounts (123456789012, 210987654321)")
        M.expectNoFinding(BroadPermissionSetWithoutOrgPath(), in: twoAccounts + "    clusters: [billing-prod]\n")

        // Without an organization there is no org_path to ask for.
        let noOrganization = Manifests.replacing("organization:\n  id: o-a1b2c3d4e5\n  paths:\n    prod: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*\n", with: "", in: everywhere)
        M.expectNoFinding(BroadPermissionSetWithoutOrgPath(), in: Manifests.replacing("    org_path: prod\n", with: "", in: noOrganization))
    }

    /// `clean` with `count` more users on orders-prod, all in permission set DBBig.
    static func bigPermissionSet(users count: Int) -> String {
        let names = (0..<count).map { "user_" + String(repeating: "0", count: 3 - String($0).count) + String($0) }
        let users = names.map { "  \($0):\n    clusters: [orders-prod]\n" }.joined()
        return M.addingUser(users) + "  DBBig:\n    users: [\(names.joined(separator: ", "))]\n    org_path: prod\n"
    }

    @Test func policyOverInlineLimit() {
        // 105 users: 11,400 characters, 10,307 of them other than white space.
        M.expectFinding(
            PolicyOverInlineLimit(), .error, in: Self.bigPermissionSet(users: 105), at: "DBBig:",
            saying: "the policy of permission set 'DBBig' has 10,307 characters other than white space, over the 10,240 IAM Identity Center allows for a permission set's inline policy; split its users")
        M.expectFinding(
            PolicyOverInlineLimit(), .error, in: Self.bigPermissionSet(users: 330), at: "DBBig:",
            saying: "has 35,025 characters and 31,907 characters other than white space, over the 32,768 and 10,240 IAM Identity Center allows")
        // 104 users: 10,211 characters other than white space.
        M.expectNoFinding(PolicyOverInlineLimit(), in: Self.bigPermissionSet(users: 104))
    }

    @Test func policyOverManagedLimit() {
        M.expectFinding(PolicyOverManagedLimit(), .warning, in: Self.bigPermissionSet(users: 70), at: "DBBig:", saying: "over the 6,144 IAM allows for a managed policy")
        M.expectNoFinding(PolicyOverManagedLimit(), in: Self.bigPermissionSet(users: 60))
    }

    @Test func policyNearSizeLimit() {
        // 60 users: 5,987 characters other than white space, 97% of 6,144.
        M.expectFinding(PolicyNearSizeLimit(), .warning, in: Self.bigPermissionSet(users: 60), at: "DBBig:", saying: "has 5,987 characters other than white space, of the 6,144 IAM allows for a managed policy")
        // 94 users: 9,251 characters other than white space, 90.3% of 10,240 (and over the
        // managed limit, DBIAM103's); 93 users: 9,155, 89.4%.
        M.expectFinding(
            PolicyNearSizeLimit(), .warning, in: Self.bigPermissionSet(users: 94), at: "DBBig:",
            saying: "has 9,251 characters other than white space, of the 10,240 IAM Identity Center allows for a permission set's inline policy")
        M.expectNoFinding(PolicyNearSizeLimit(), in: Self.bigPermissionSet(users: 93))
        M.expectNoFinding(PolicyNearSizeLimit(), in: Self.bigPermissionSet(users: 40))
        M.expectNoFinding(PolicyNearSizeLimit(), in: Self.bigPermissionSet(users: 70))
        // 290 users: 30,825 characters, 94% of 32,768, but over the 10,240 other than white
        // space: DBIAM102's error says it all.
        M.expectNoFinding(PolicyNearSizeLimit(), in: Self.bigPermissionSet(users: 290))
    }

    @Test func orgPathMatchesNoPrincipal() {
        let text = Manifests.replacing("ou-ab12-11111111/*", with: "ou-ab12-11111111", in: M.clean)
        M.expectFinding(OrgPathMatchesNoPrincipal(), .error, in: text, at: "prod: o-", saying: "ends in neither `/` nor `*`, so it matches no principal")
        M.expectNoFinding(OrgPathMatchesNoPrincipal(), in: M.clean)
        M.expectNoFinding(OrgPathMatchesNoPrincipal(), in: Manifests.replacing("ou-ab12-11111111/*", with: "ou-ab12-11111111/", in: M.clean))
    }

    @Test func orgPathExcludesChildOUs() {
        let text = Manifests.replacing("ou-ab12-11111111/*", with: "ou-ab12-11111111/", in: M.clean)
        M.expectFinding(OrgPathExcludesChildOUs(), .note, in: text, at: "prod: o-", saying: "none in the OUs under it")
        M.expectNoFinding(OrgPathExcludesChildOUs(), in: M.clean)
    }

    @Test func permissionSetUserNotOnCluster() {
        let text = M.clean + "  DBOrders:\n    users: [ssotest, analyst]\n    clusters: [orders-prod, billing-prod]\n    org_path: prod\n"
        M.expectFinding(
            PermissionSetUserNotOnCluster(), .warning, in: text, at: "[orders-prod, billing-prod]", occurrence: 2,
            saying: "names cluster 'billing-prod', but its user 'ssotest' is not on it")
        M.expectNoFinding(PermissionSetUserNotOnCluster(), in: Manifests.replacing("    clusters: [orders-prod, billing-prod]\n    org_path", with: "    clusters: [orders-prod]\n    org_path", in: text))
    }

    @Test func userWithoutPermissionSet() {
        let orphan = M.addingUser("  orphan:\n    clusters: [orders-prod]\n    grants:\n      - on: orders.*\n        privileges: [SELECT]\n")
        M.expectFinding(UserWithoutPermissionSet(), .warning, in: orphan, at: "orphan:", saying: "no permission set lets anyone log in as user 'orphan';")
        M.expectNoFinding(UserWithoutPermissionSet(), in: Manifests.replacing("[ssotest, analyst]", with: "[ssotest, analyst, orphan]", in: orphan))

        let limited = Manifests.replacing("    users: [ssotest, analyst]\n", with: "    users: [ssotest, analyst]\n    clusters: [orders-prod]\n", in: M.clean)
        M.expectFinding(
            UserWithoutPermissionSet(), .warning, in: limited, at: "[orders-prod, billing-prod]",
            saying: "as user 'analyst' on cluster 'billing-prod'")
        M.expectNoFinding(UserWithoutPermissionSet(), in: M.clean)
    }

    /// The clusters a user is reached on are kept as bits for the first 64 clusters and
    /// as a list beyond: both are checked.
    @Test func userWithoutPermissionSetOnAManifestOfManyClusters() {
        let extra = (0..<70).map { index in
            "  c\(index):\n    account: \"123456789012\"\n    region: ap-northeast-1\n    resource_id: cluster-C\(index)XXXXXXXXXXXXXXXXXXXXXX\n"
                + "    endpoint: c\(index).cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com\n    engine: aurora-mysql-3\n    tls_ca: ~/global-bundle.pem\n"
                + "    admin:\n      user: c\(index)_admin\n      iam: true\n"
        }.joined()
        let many = Manifests.replacing("users:\n", with: extra + "users:\n", in: M.addingUser("  wide:\n    clusters: [c1, c66, c68]\n    grants:\n      - on: orders.*\n        privileges: [SELECT]\n"))
        let reachingTwo = many + "  Wide:\n    users: [wide]\n    clusters: [c1, c68]\n"
        M.expectFinding(UserWithoutPermissionSet(), .warning, in: reachingTwo, at: "[c1, c66, c68]", saying: "as user 'wide' on cluster 'c66'")
        let reachingAll = many + "  Wide:\n    users: [wide]\n"
        M.expectNoFinding(UserWithoutPermissionSet(), in: reachingAll)
        let reachingOne = many + "  Wide:\n    users: [wide]\n    clusters: [c66]\n"
        #expect(M.findings(of: UserWithoutPermissionSet(), in: reachingOne).map(\.message) == [
            "no permission set lets anyone log in as user 'wide' on cluster 'c1'; add the cluster to a permission set of the user, or remove it from the user's clusters.",
            "no permission set lets anyone log in as user 'wide' on cluster 'c68'; add the cluster to a permission set of the user, or remove it from the user's clusters.",
        ])
    }

    // MARK: - DBIAM2xx users and grants

    @Test func allPrivileges() {
        M.expectFinding(AllPrivileges(), .warning, in: M.granting("ALL", on: "*.*"), at: "ALL", saying: "granted ALL on *.*: every privilege on the server")
        M.expectFinding(AllPrivileges(), .warning, in: M.granting("SELECT, all", on: "shop.*"), at: "all", saying: "granted ALL on shop.*: every privilege on shop.*")
        M.expectNoFinding(AllPrivileges(), in: M.granting("SELECT, INSERT", on: "shop.*"))
    }

    @Test func globalWritePrivilege() {
        let text = M.granting("SELECT, UPDATE, INSERT", on: "*.*")
        M.expectFinding(GlobalWritePrivilege(), .warning, in: text, at: "UPDATE", saying: "may UPDATE, INSERT on *.*, the mysql schema")
        M.expectNoFinding(GlobalWritePrivilege(), in: M.granting("SELECT, UPDATE, INSERT", on: "shop.*"))
        M.expectNoFinding(GlobalWritePrivilege(), in: M.granting("SELECT, SHOW DATABASES", on: "*.*"))
    }

    @Test func administrativePrivilege() {
        let text = M.granting("SELECT, SUPER, CONNECTION_ADMIN", on: "*.*")
        M.expectFinding(AdministrativePrivilege(), .warning, in: text, at: "SUPER", saying: "granted SUPER, an administrative privilege", count: 2)
        let found = M.findings(of: AdministrativePrivilege(), in: text)
        #expect(found.contains { $0.message.contains("CONNECTION_ADMIN") && $0.position == Manifests.position(of: "CONNECTION_ADMIN", in: text) })
        M.expectNoFinding(AdministrativePrivilege(), in: M.granting("SELECT, SHOW DATABASES, REPLICATION CLIENT", on: "*.*"))
    }

    @Test func grantOption() {
        M.expectFinding(GrantOption(), .warning, in: M.granting("SELECT, GRANT OPTION", on: "shop.*"), at: "GRANT OPTION", saying: "granted GRANT OPTION on shop.*")
        M.expectNoFinding(GrantOption(), in: M.granting("SELECT", on: "shop.*"))
    }

    @Test func accountManagementPrivilege() {
        M.expectFinding(AccountManagementPrivilege(), .warning, in: M.granting("CREATE USER", on: "*.*"), at: "CREATE USER", saying: "granted CREATE USER, so it can create")
        M.expectFinding(AccountManagementPrivilege(), .warning, in: M.granting("DROP ROLE", on: "*.*"), at: "DROP ROLE", saying: "granted DROP ROLE")
        M.expectNoFinding(AccountManagementPrivilege(), in: M.granting("CREATE, DROP", on: "shop.*"))
    }

    @Test func processPrivilege() {
        M.expectFinding(ProcessPrivilege(), .note, in: M.granting("PROCESS, SELECT", on: "*.*"), at: "PROCESS", saying: "sees the statements of every session")
        M.expectNoFinding(ProcessPrivilege(), in: M.granting("SELECT", on: "*.*"))
    }

    @Test func awsIntegrationPrivilege() {
        M.expectFinding(AWSIntegrationPrivilege(), .warning, in: M.granting("AWS_SELECT_S3_ACCESS", on: "*.*"), at: "AWS_SELECT_S3_ACCESS", saying: "acts with the cluster's IAM role")
        M.expectNoFinding(AWSIntegrationPrivilege(), in: M.granting("SELECT", on: "*.*"))
    }

    @Test func privilegeWithheldByRDS() {
        let rule = PrivilegeWithheldByRDS()
        let saying = "which RDS withholds from the master user on 'orders-prod' (aurora-mysql-3), so the GRANT fails at apply"
        M.expectFinding(rule, .error, in: M.granting("PROCESS, SYSTEM_VARIABLES_ADMIN", on: "*.*"), at: "SYSTEM_VARIABLES_ADMIN", saying: saying)
        M.expectFinding(rule, .error, in: M.granting("SUPER, SELECT, BACKUP_ADMIN", on: "*.*"), at: "SUPER", saying: "granted SUPER on *.*", count: 2)
        M.expectFinding(rule, .error, in: M.granting("ALL", on: "*.*"), at: "ALL]", saying: "granted ALL PRIVILEGES on *.*")
        M.expectNoFinding(rule, in: M.granting("ALL", on: "inventory.*"))
        // What the Aurora MySQL 3 master user holds, and the AWS integrations (DBIAM207's).
        M.expectNoFinding(rule, in: M.granting("CONNECTION_ADMIN, XA_RECOVER_ADMIN, SHOW_ROUTINE, ROLE_ADMIN, AWS_LOAD_S3_ACCESS, GRANT OPTION", on: "*.*"))

        func on(_ engine: String, _ text: String) -> String {
            Manifests.replacing(
                "orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com\n    engine: aurora-mysql-3",
                with: "orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com\n    engine: \(engine)", in: text)
        }
        // RDS for MySQL 8.0.36 took CONNECTION_ADMIN from the master user.
        M.expectFinding(rule, .error, in: on("mysql-8.0", M.granting("CONNECTION_ADMIN", on: "*.*")), at: "CONNECTION_ADMIN", saying: "'orders-prod' (mysql-8.0)")
        M.expectFinding(rule, .error, in: on("aurora-mysql-2", M.granting("FILE, LOAD FROM S3", on: "*.*")), at: "FILE", saying: "'orders-prod' (aurora-mysql-2)")
        M.expectFinding(rule, .error, in: on("mysql-5.7", M.granting("CREATE TABLESPACE", on: "*.*")), at: "CREATE TABLESPACE", saying: "'orders-prod' (mysql-5.7)")
        M.expectNoFinding(rule, in: on("mariadb", M.granting("SUPER, BINLOG ADMIN", on: "*.*")))
    }

    @Test func systemSchemaGrant() {
        M.expectFinding(SystemSchemaGrant(), .warning, in: M.granting("SELECT", on: "mysql.*"), at: "on: \"mysql.*\"", saying: "the grant tables and password hashes")
        M.expectFinding(SystemSchemaGrant(), .warning, in: M.granting("SELECT", on: "INFORMATION_SCHEMA.*"), at: "on: \"INFORMATION_SCHEMA.*\"", saying: "refuses (error 1044)")
        M.expectNoFinding(SystemSchemaGrant(), in: M.granting("SELECT", on: "performance_schema.*"))
    }

    @Test func requireSSLDisabled() {
        let user = Manifests.replacing("    clusters: [orders-prod]\n    grants", with: "    clusters: [orders-prod]\n    require_ssl: false\n    grants", in: M.clean)
        M.expectFinding(RequireSSLDisabled(), .warning, in: user, at: "false\n    grants", saying: "user 'ssotest' has require_ssl: false")
        M.expectNoFinding(RequireSSLDisabled(), in: Manifests.replacing("require_ssl: false", with: "require_ssl: true", in: user))

        let defaults = Manifests.replacing("  require_ssl: true", with: "  require_ssl: false", in: user)
        M.expectFinding(RequireSSLDisabled(), .warning, in: defaults, at: "false", saying: "defaults.require_ssl is false, so users 'analyst' may log in without TLS", count: 2)
    }

    @Test func userWithoutGrants() {
        let text = M.addingUser("  reader:\n    clusters: [orders-prod]\n")
        M.expectFinding(UserWithoutGrants(), .warning, in: text, at: "reader:", saying: "user 'reader' has no grants")
        M.expectFinding(UserWithoutGrants(), .warning, in: M.addingUser("  reader:\n    clusters: [orders-prod]\n    grants: []\n"), at: "[]", saying: "has no grants")
        M.expectNoFinding(UserWithoutGrants(), in: M.clean)
    }

    @Test func applicationAccount() {
        // ASCII names take a path of their own; the others are split by Unicode's letters.
        for name in ["orders_app", "svc-billing", "api", "nightly-etl", "billingsvc", "ordersApp", "müller_svc", "ÉTL_api"] {
            let text = M.addingUser("  \(name):\n    clusters: [orders-prod]\n")
            M.expectFinding(ApplicationAccount(), .note, in: text, at: "\(name):", saying: "user '\(name)' looks like an application account")
        }
        for name in ["approver", "happy_dba", "oncall", "jürgen_dba", "appé"] {
            M.expectNoFinding(ApplicationAccount(), in: M.addingUser("  \(name):\n    clusters: [orders-prod]\n"))
        }
    }

    @Test func mixedScriptUserName() {
        for (name, scripts) in [
            ("r\u{43E}\u{43E}t", "Latin and Cyrillic"), ("\u{3B1}dmin", "Latin and Greek"), ("\u{434}\u{3B5}", "Greek and Cyrillic"),
            ("山田_yamada", "Latin and Han, Hiragana or Katakana"), ("김_kim", "Latin and Hangul"),
            ("ops_\u{5D0}", "Latin and Hebrew"), ("ad\u{43C}in_\u{3B1}", "Latin, Greek and Cyrillic"),
        ] {
            let text = M.addingUser("  \(name):\n    clusters: [orders-prod]\n")
            M.expectFinding(MixedScriptUserName(), .warning, in: text, at: "\(name):", saying: "user name '\(name)' mixes letters of \(scripts), so it may read as a name it is not; write it in one script.")
        }
        // Digits, `_`, `-`, `.`, combining accents and Japanese's three scripts do not mix.
        for name in ["ops_dba-2.x", "jürgen", "e\u{301}mile", "иван_2", "山田たろう_カタカナ", "김철수", "δημήτρης", "ｒｏｏｔ"] {
            M.expectNoFinding(MixedScriptUserName(), in: M.addingUser("  \(name):\n    clusters: [orders-prod]\n"))
        }
    }

    @Test func confusableUserName() {
        // r, two Cyrillic o, t: it reads as the reserved root.
        let root = "r\u{43E}\u{43E}t"
        M.expectFinding(
            ConfusableUserName(), .warning, in: M.addingUser("  \(root):\n    clusters: [orders-prod]\n"), at: "\(root):",
            saying: "user name '\(root)' reads as 'root', an account of AWS or the server itself, but is written with look-alike characters and is another account; reviewers will take it for that one, so rename it.")
        // Fullwidth letters and Greek capitals too.
        M.expectFinding(
            ConfusableUserName(), .warning, in: M.addingUser("  ｒｄｓａｄｍｉｎ:\n    clusters: [orders-prod]\n"), at: "ｒｄｓａｄｍｉｎ:",
            saying: "reads as 'rdsadmin', an account of AWS or the server itself")
        // Another user of the manifest, and the admin user of a cluster.
        let analyst = "\u{430}n\u{430}lyst"
        M.expectFinding(
            ConfusableUserName(), .warning, in: M.addingUser("  \(analyst):\n    clusters: [orders-prod]\n"), at: "\(analyst):",
            saying: "user name '\(analyst)' reads as 'analyst', another user of this manifest, but is written with look-alike characters")
        let admin = "billing_\u{430}dmin"
        M.expectFinding(
            ConfusableUserName(), .warning, in: M.addingUser("  \(admin):\n    clusters: [orders-prod]\n"), at: "\(admin):",
            saying: "reads as 'billing_admin', the admin user dbiam logs in as on cluster billing-prod")
        // Two look-alikes of one name, neither of them ASCII.
        let greek = "b\u{3BF}b", cyrillic = "b\u{43E}b"
        let both = M.addingUser("  \(greek):\n    clusters: [orders-prod]\n  \(cyrillic):\n    clusters: [orders-prod]\n")
        M.expectFinding(ConfusableUserName(), .warning, in: both, at: "\(greek):", saying: "reads as '\(cyrillic)', another user of this manifest", count: 2)
        // A look-alike of no known name: the weaker warning.
        let cop = "\u{441}\u{43E}\u{440}"
        M.expectFinding(
            ConfusableUserName(), .warning, in: M.addingUser("  \(cop):\n    clusters: [orders-prod]\n"), at: "\(cop):",
            saying: "user name '\(cop)' only looks like 'cop': it is written with look-alike characters; write it in ASCII if 'cop' is meant.")
        for name in ["root_reader", "иван", "jürgen", "山田", "δημήτρης"] {
            M.expectNoFinding(ConfusableUserName(), in: M.addingUser("  \(name):\n    clusters: [orders-prod]\n"))
        }
    }

    // MARK: - DBIAM3xx clusters

    @Test func accountIDUnquoted() {
        let text = Manifests.replacing("account: \"123456789012\"\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", with: "account: 123456789012\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", in: M.clean)
        M.expectFinding(AccountIDUnquoted(), .warning, in: text, at: "123456789012\n", saying: "cluster 'billing-prod' writes its account id without quotes")
        M.expectNoFinding(AccountIDUnquoted(), in: M.clean)
        M.expectNoFinding(AccountIDUnquoted(), in: Manifests.replacing("\"123456789012\"\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", with: "'123456789012'\n    region: ap-northeast-1\n    resource_id: cluster-B1LL", in: M.clean))
    }

    /// billing-prod logging in with a password from BILLING_ADMIN_PASSWORD.
    static let passwordAdmin = Manifests.replacing("user: billing_admin\n      iam: true", with: "user: billing_admin\n      password_env: BILLING_ADMIN_PASSWORD", in: M.clean)

    @Test func clusterTLSDisabled() {
        let local = Manifests.replacing(
            "endpoint: billing-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com\n    engine: aurora-mysql-3\n    tls_ca: ~/global-bundle.pem",
            with: "endpoint: 127.0.0.1\n    engine: aurora-mysql-3\n    tls: disabled", in: Self.passwordAdmin)
        M.expectFinding(ClusterTLSDisabled(), .warning, in: local, at: "disabled", saying: "cluster 'billing-prod' has `tls: disabled`")
        M.expectNoFinding(ClusterTLSDisabled(), in: Self.passwordAdmin)
    }

    @Test func adminPasswordLogin() {
        M.expectFinding(AdminPasswordLogin(), .note, in: Self.passwordAdmin, at: "user: billing_admin", saying: "with the password in BILLING_ADMIN_PASSWORD")
        M.expectNoFinding(AdminPasswordLogin(), in: M.clean)
    }

    /// `clean` with a third cluster, `archive-prod`, that no user is on.
    static func addingEmptyCluster(prune: String = "") -> String {
        let cluster = """
              archive-prod:
                account: "123456789012"
                region: ap-northeast-1
                resource_id: cluster-ARCH1VEPR0DXXXXXXXXXXXXXXX
                endpoint: archive-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
                engine: aurora-mysql-3
                tls_ca: ~/global-bundle.pem
            \(prune)    admin:
                  user: archive_admin
                  iam: true

            """
        return Manifests.replacing("users:\n", with: cluster + "users:\n", in: M.clean)
    }

    @Test func pruneWithoutUsers() {
        let pruned = Self.addingEmptyCluster(prune: "    prune: true\n")
        M.expectFinding(PruneWithoutUsers(), .warning, in: pruned, at: "true\n    admin:\n      user: archive_admin", saying: "cluster 'archive-prod' is pruned but no user is on it")
        let prunedByDefault = Manifests.replacing("  prune: false", with: "  prune: true", in: Self.addingEmptyCluster())
        M.expectFinding(PruneWithoutUsers(), .warning, in: prunedByDefault, at: "true\nclusters:", saying: "cluster 'archive-prod' is pruned")
        M.expectNoFinding(PruneWithoutUsers(), in: Self.addingEmptyCluster())
        M.expectNoFinding(PruneWithoutUsers(), in: Manifests.replacing("  prune: false", with: "  prune: true", in: M.clean))
    }

    @Test func unusedCluster() {
        M.expectFinding(UnusedCluster(), .note, in: Self.addingEmptyCluster(), at: "archive-prod:", saying: "no user is on cluster 'archive-prod'")
        M.expectNoFinding(UnusedCluster(), in: Self.addingEmptyCluster(prune: "    prune: true\n"))
        M.expectNoFinding(UnusedCluster(), in: M.clean)
    }

    /// `clean` with a `roles:` section; ssotest is given the first role when `given`.
    static func addingRoles(_ roles: String, givenTo user: String? = "ssotest") -> String {
        var text = Manifests.replacing("users:\n", with: "roles:\n" + roles + "users:\n", in: M.clean)
        if let user {
            text = Manifests.replacing("  \(user):\n    clusters: [orders-prod]\n", with: "  \(user):\n    clusters: [orders-prod]\n    roles: [shop_read]\n", in: text)
        }
        return text
    }

    static let shopRead = "  shop_read:\n    clusters: [\"*\"]\n    grants:\n      - on: shop.*\n        privileges: [SELECT]\n"

    @Test func unusedRole() {
        M.expectFinding(UnusedRole(), .note, in: Self.addingRoles(Self.shopRead, givenTo: nil), at: "shop_read:", saying: "no user is given role 'shop_read'")
        M.expectNoFinding(UnusedRole(), in: Self.addingRoles(Self.shopRead))
        M.expectNoFinding(UnusedRole(), in: M.clean)
    }

    /// A role's grants reach every user given it: the privilege rules read them too.
    @Test func rulesOnPrivilegesReadRolesGrants() {
        let text = Self.addingRoles("  shop_admin:\n    clusters: [\"*\"]\n    grants:\n      - on: \"*.*\"\n        privileges: [ALL]\n" + Self.shopRead)
        M.expectFinding(AllPrivileges(), .warning, in: text, at: "ALL", saying: "role 'shop_admin' is granted ALL on *.*")
        M.expectFinding(UnusedRole(), .note, in: text, at: "shop_admin:", saying: "no user is given role 'shop_admin'")
    }

    /// A user whose privileges come from its roles has something to do.
    @Test func aUserWithRolesAndNoGrantsIsNotAFinding() {
        let text = Self.addingRoles(Self.shopRead).replacingOccurrences(of: "roles: [shop_read]\n    grants:\n      - on: orders.*\n        privileges: [SELECT, SHOW VIEW]\n", with: "roles: [shop_read]\n")
        #expect(text.contains("roles: [shop_read]\n  analyst"))
        M.expectNoFinding(UserWithoutGrants(), in: text)
    }
}

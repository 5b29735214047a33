import Testing
@testable import DBIAMCore

/// `roles:`, `users.<n>.roles` and `except:` (manifest.md, "Additions"): what is
/// accepted, and each bad input as one error at its place.
struct RoleManifestTests {
    /// The base manifest (orders-prod on aurora-mysql-3, billing-prod on mysql-8.0) with
    /// a `roles:` section and ssotest given `roles`.
    static func withRoles(_ roles: String, userRoles: String = "[orders_read]", engine: String = "aurora-mysql-3") -> String {
        var text = Manifests.replacing("users:\n", with: roles + "users:\n")
        text = Manifests.replacing("    clusters: [orders-prod]\n    grants:\n      - on: orders.*", with: "    clusters: [orders-prod]\n    roles: \(userRoles)\n    grants:\n      - on: orders.*", in: text)
        return Manifests.replacing("engine: aurora-mysql-3", with: "engine: \(engine)", in: text)
    }

    static let ordersRead = """
        roles:
          orders_read:
            clusters: ["*"]
            grants:
              - on: orders.*
                privileges: [SELECT, SHOW VIEW]

        """

    private func expectError(_ text: String, _ message: String, at needle: String, occurrence: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = Manifests.load(text)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "expected one error, got \(errors.map { $0.formatted(file: "m") })", sourceLocation: sourceLocation)
        guard let error = errors.first else { return }
        #expect(error.message.contains(message), "message was: \(error.message)", sourceLocation: sourceLocation)
        #expect(error.position == Manifests.position(of: needle, in: text, occurrence: occurrence), sourceLocation: sourceLocation)
        #expect(result.manifest == nil, sourceLocation: sourceLocation)
    }

    @Test func rolesAreReadWithTheirGrantsAndUsersListThem() throws {
        let manifest = Manifests.valid(Self.withRoles(Self.ordersRead))
        let role = try #require(manifest.role(named: "orders_read"))
        #expect(role.clusters == .all)
        #expect(role.grants.map(\.target) == [GrantTarget(database: "orders", table: nil)])
        #expect(manifest.user(named: "ssotest")?.roles == ["orders_read"])
        #expect(manifest.user(named: "oncall_dba")?.roles == [])
    }

    @Test func aRoleOnAnEngineWithoutRolesIsAnError() {
        let text = Self.withRoles(Self.ordersRead, engine: "aurora-mysql-2")
        expectError(text, "whose engine aurora-mysql-2 has no roles", at: "[\"*\"]", occurrence: 1)
    }

    @Test func aRoleNamedLikeAUserIsAnError() {
        let text = Self.withRoles(Self.ordersRead.replacingOccurrences(of: "orders_read:", with: "oncall_dba:"), userRoles: "[oncall_dba]")
        expectError(text, "role 'oncall_dba' has the name of a user", at: "oncall_dba:")
    }

    @Test(arguments: ["rds_superuser_role", "AWS_LOAD_S3_ACCESS", "NONE", "public", "root"])
    func reservedRoleNamesAreErrors(_ name: String) {
        let text = Self.withRoles(Self.ordersRead.replacingOccurrences(of: "orders_read:", with: "\(name):"), userRoles: "[\(name)]")
        expectError(text, "choose another role name", at: "\(name):")
    }

    @Test func anUndefinedRoleSuggestsTheClosest() {
        expectError(Self.withRoles(Self.ordersRead, userRoles: "[order_read]"), "not defined under roles. Did you mean 'orders_read'?", at: "order_read]")
    }

    @Test func aUserOnAClusterWhereItsRoleIsNotIsAnError() {
        let text = Self.withRoles(Self.ordersRead.replacingOccurrences(of: "clusters: [\"*\"]", with: "clusters: [billing-prod]"))
        expectError(text, "user 'ssotest' is on cluster 'orders-prod', where role 'orders_read' is not", at: "orders_read]")
    }

    @Test func mariaDBActivatesOneDefaultRole() {
        let roles = Self.ordersRead + """
              orders_write:
                clusters: ["*"]

            """
        let text = Self.withRoles(roles.replacingOccurrences(of: "roles:\n", with: "roles:\n"), userRoles: "[orders_read, orders_write]", engine: "mariadb")
        expectError(text, "MariaDB (cluster 'orders-prod') activates one default role", at: "orders_write]")
        // The same on MySQL 8.0: every role is made default.
        #expect(Manifests.load(Self.withRoles(roles, userRoles: "[orders_read, orders_write]")).manifest?.user(named: "ssotest")?.roles == ["orders_read", "orders_write"])
    }

    /// A role is a row of the account table on MySQL: an unmanaged pattern covers it too.
    @Test func aRoleMatchingAnUnmanagedPatternIsAnError() {
        let text = Manifests.replacing("clusters:\n  orders-prod:\n", with: "defaults:\n  unmanaged: [\"orders_*\"]\nclusters:\n  orders-prod:\n", in: Self.withRoles(Self.ordersRead))
        expectError(text, "role 'orders_read' matches the unmanaged pattern 'orders_*'", at: "orders_read:")
    }

    @Test func aRoleListedTwiceIsAnError() {
        expectError(Self.withRoles(Self.ordersRead, userRoles: "[orders_read, orders_read]"), "lists 'orders_read' twice", at: "orders_read]")
    }

    // MARK: - except

    static func withExcept(_ except: String, on target: String = "\"*.*\"", privileges: String = "[PROCESS, SELECT, SHOW DATABASES]") -> String {
        Manifests.replacing(
            "      - on: \"*.*\"\n        privileges: [PROCESS, SELECT, SHOW DATABASES]",
            with: "      - on: \(target)\n        privileges: \(privileges)\n        except: \(except)")
    }

    @Test func exceptLeavesDatabasesOutOfAGrantOnEverything() throws {
        let manifest = Manifests.valid(Self.withExcept("[mysql, sys]"))
        #expect(manifest.user(named: "oncall_dba")?.grants.first?.excludedDatabases == ["mysql", "sys"])
    }

    @Test func exceptOnlyOnEverything() {
        expectError(Self.withExcept("[mysql]", on: "orders.*", privileges: "[SELECT]"), "only; this grant is on orders.* already", at: "except:")
    }

    @Test func exceptOnAnEngineWithoutPartialRevokes() {
        let text = Manifests.replacing("engine: mysql-8.0", with: "engine: mariadb", in: Self.withExcept("[mysql]"))
        expectError(text, "except: needs partial revokes, which mysql-8.0 and aurora-mysql-3 have and mariadb has not", at: "except:")
    }

    @Test func exceptNeedsAPrivilegeOfTheDatabaseLevel() {
        expectError(Self.withExcept("[mysql]", privileges: "[PROCESS]"), "none of these privileges is held per database", at: "except:")
    }

    @Test(arguments: ["[mysql.*]", "[\"*\"]", "[]"])
    func exceptListsDatabaseNames(_ list: String) {
        let result = Manifests.load(Self.withExcept(list))
        #expect(result.manifest == nil)
        #expect(result.diagnostics.contains { $0.message.contains("except") })
    }
}

/// The role and partial-revoke statements: their SQL in each dialect, how they
/// combine, how a saved plan keeps them, and how apply tells they took effect.
struct RoleStatementTests {
    static let ssotest = AccountName(user: "ssotest", host: "%")
    static let oncall = AccountName(user: "oncall_dba", host: "%")
    static let mariadbRole = RoleName(name: "orders_read")
    static let mysqlRole = RoleName(name: "orders_read", host: "%")

    static let every: [AccountStatement] = [
        .createRole(mariadbRole),
        .createRole(RoleName(name: "billing_read")),
        .createRole(mysqlRole),
        .createRole(RoleName(name: "billing_read", host: "%")),
        .grant(.role(mariadbRole), GrantTarget(database: "orders", table: nil), [Privilege("SELECT")]),
        .revoke(.role(mysqlRole), GrantTarget(database: "orders", table: nil), [Privilege("DELETE")]),
        .revokeOther(.role(mysqlRole), .role(RoleName(name: "x", host: "%"))),
        .grantRole(ssotest, mariadbRole),
        .grantRole(oncall, mariadbRole),
        .setDefaultRoles(ssotest, [mariadbRole]),
        .setDefaultRoles(oncall, [mariadbRole]),
        .setDefaultRoles(ssotest, [mysqlRole]),
        .setDefaultRoles(oncall, [mysqlRole]),
        .partialRevoke(.account(ssotest), database: "mysql", [Privilege("SELECT")]),
        .partialRevoke(.account(oncall), database: "mysql", [Privilege("SELECT")]),
        .liftPartialRevoke(.account(ssotest), database: "sys", [Privilege("SELECT")]),
    ]

    @Test func eachDialectNamesRolesItsWayAndCombinesWhereItMay() {
        #expect(CombinedStatement.combine(Self.every).map(\.sql) == [
            "CREATE ROLE 'orders_read'",
            "CREATE ROLE 'billing_read'",
            "CREATE ROLE 'orders_read'@'%', 'billing_read'@'%'",
            "GRANT SELECT ON `orders`.* TO 'orders_read'",
            "REVOKE DELETE ON `orders`.* FROM 'orders_read'@'%'",
            "REVOKE 'x'@'%' FROM 'orders_read'@'%'",
            "GRANT 'orders_read' TO 'ssotest'@'%', 'oncall_dba'@'%'",
            "SET DEFAULT ROLE 'orders_read' FOR 'ssotest'@'%'",
            "SET DEFAULT ROLE 'orders_read' FOR 'oncall_dba'@'%'",
            "SET DEFAULT ROLE ALL TO 'ssotest'@'%', 'oncall_dba'@'%'",
            "REVOKE SELECT ON `mysql`.* FROM 'ssotest'@'%', 'oncall_dba'@'%'",
            "GRANT SELECT ON `sys`.* TO 'ssotest'@'%'",
        ])
    }

    @Test func savedPlansKeepEveryRoleStatement() throws {
        let actions = Self.every.map { PlannedAction($0, reason: "r", previous: $0.rolesGiven.isEmpty ? nil : "NONE") }
        let saved = Plan(
            dbiamVersion: "test", manifest: "m.yaml", manifestDigest: "d", offline: false,
            clusters: [ClusterPlan(name: "c", endpoint: "e", port: 3306, liveFingerprint: "f", ownedIAMAccounts: 2, actions: actions)],
            policies: [])
        let json = PlanJSONRenderer.render(saved)
        let decoded = try PlanJSONRenderer.decode(Array(json.utf8))
        #expect(decoded == saved)
        #expect(PlanJSONRenderer.render(decoded) == json)
        #expect(json.contains(#""grantee": {"#) && json.contains(#""kind": "create_role""#) && json.contains(#""kind": "partial_revoke""#))
    }

    @Test func aStatementForAnAccountIsNotReadForARole() {
        let json = #"{"grantee": {"name": "r"}, "kind": "create_user", "require_ssl": true}"#
        let text = #"{"clusters": [{"actions": [{"destructive": false, "effect": "add", "reason": "r", "sql": "s", "statement": \#(json)}], "endpoint": "e", "name": "c", "port": 1, "warnings": []}], "dbiam_version": "t", "format_version": 2, "manifest": "m", "manifest_digest": "d", "offline": false, "policies": []}"#
        #expect(throws: (any Error).self) { try PlanJSONRenderer.decode(Array(text.utf8)) }
    }

    @Test func applyTellsWhichRoleStatementsTookEffect() {
        let catalog = PrivilegeCatalog(engine: .auroraMySQL3)
        let before = LiveState(accounts: [LiveAccount(name: Self.ssotest, plugin: AccountStatement.pluginName, sslType: "ANY", grants: [.everything: [Privilege("SELECT")]])], serverVersion: "8.0.36")
        let after = LiveState(accounts: [
            LiveAccount(
                name: Self.ssotest, plugin: AccountStatement.pluginName, sslType: "ANY", grants: [.everything: [Privilege("SELECT")]],
                otherGrants: [.role(Self.mysqlRole), .defaultRoles([Self.mysqlRole])], partialRevokes: ["mysql": [Privilege("SELECT")]]),
            LiveAccount(name: Self.mysqlRole.rowName, plugin: "caching_sha2_password", sslType: "", grants: [:], isRole: true),
        ], serverVersion: "8.0.36")
        let statements: [AccountStatement] = [
            .createRole(Self.mysqlRole), .grantRole(Self.ssotest, Self.mysqlRole), .setDefaultRoles(Self.ssotest, [Self.mysqlRole]),
            .partialRevoke(.account(Self.ssotest), database: "mysql", [Privilege("SELECT")]),
        ]
        for statement in statements {
            #expect(!statement.isSatisfied(by: before, catalog: catalog), "\(statement.sql)")
            #expect(statement.isSatisfied(by: after, catalog: catalog), "\(statement.sql)")
        }
        let lift = AccountStatement.liftPartialRevoke(.account(Self.ssotest), database: "mysql", [Privilege("SELECT")])
        #expect(lift.isSatisfied(by: before, catalog: catalog) && !lift.isSatisfied(by: after, catalog: catalog))
    }

    /// A role granted by hand since the plan was made: the saved plan is stale, and says so.
    @Test func aRoleGrantedSincePlanningIsNamed() {
        let saved = ClusterPlan(name: "c", endpoint: "e", port: 1, liveFingerprint: "a", actions: [PlannedAction(.grantRole(Self.ssotest, Self.mysqlRole), reason: "")])
        let now = ClusterPlan(name: "c", endpoint: "e", port: 1, liveFingerprint: "b", actions: [PlannedAction(.createUser(Self.oncall, requireSSL: true), reason: "")])
        guard case .stale(let changes) = ClusterPlanCheck(saved: saved, now: now, catalog: PrivilegeCatalog(engine: .auroraMySQL3)) else {
            Issue.record("not stale")
            return
        }
        #expect(changes.contains("'ssotest'@'%' was granted role 'orders_read'@'%'"))
    }

    /// Offline (nothing read), the engine decides how roles are named; read, the server.
    @Test func theServerThatAnswersDecidesTheRoleDialect() {
        #expect(LiveState.empty.roleName("r", engine: .mariadb) == RoleName(name: "r"))
        #expect(LiveState.empty.roleName("r", engine: .auroraMySQL3) == RoleName(name: "r", host: "%"))
        let standIn = LiveState(accounts: [], serverVersion: "10.11.19-MariaDB")
        #expect(standIn.roleName("r", engine: .auroraMySQL3) == RoleName(name: "r"))
    }

    /// The safety rails keep roles to the same rules as accounts: never one a pattern
    /// leaves unmanaged, never a reserved one.
    @Test func safetyRailsKeepRolesToTheRulesOfAccounts() throws {
        let manifest = Manifests.valid(RoleManifestTests.withRoles(RoleManifestTests.ordersRead))
        var cluster = try #require(manifest.cluster(named: "orders-prod"))
        let live = LiveState(accounts: [], serverVersion: "8.0.36")
        let create = PlannedAction(.createRole(Self.mysqlRole), reason: "")
        #expect(SafetyRails.violations([create], on: cluster, manifest: manifest, live: live).isEmpty)
        cluster.unmanaged = [UserNamePattern("orders_*", position: SourcePosition(line: 1, column: 1))]
        #expect(SafetyRails.violations([create], on: cluster, manifest: manifest, live: live).first?.contains("leaves unmanaged") == true)
        let reserved = PlannedAction(.grant(.role(RoleName(name: "rds_superuser_role", host: "%")), .everything, [Privilege("SELECT")]), reason: "")
        #expect(SafetyRails.violations([reserved], on: cluster, manifest: manifest, live: live).first?.contains("reserved") == true)
    }

    @Test func aMariaDBServerRefusesTwoRolesForOneUser() throws {
        let text = RoleManifestTests.withRoles(RoleManifestTests.ordersRead + "  orders_write:\n    clusters: [\"*\"]\n", userRoles: "[orders_read, orders_write]")
        let manifest = Manifests.valid(text)
        let cluster = try #require(manifest.cluster(named: "orders-prod"))
        let mariadb = LiveState(accounts: [], serverVersion: "10.11.19-MariaDB")
        #expect(Planner(manifest: manifest).whyNotPlannable(cluster, live: mariadb)?.contains("activates one default role") == true)
        #expect(Planner(manifest: manifest).whyNotPlannable(cluster, live: LiveState(accounts: [], serverVersion: "8.0.36")) == nil)
    }

    /// `+ role` for a new role, `~ role` for a change to a role's privileges, and the
    /// user's default roles as a change of the user.
    @Test func thePlanShowsRolesAddedAndChanged() {
        let renderer = PlanTextRenderer(color: false)
        let orders = GrantTarget(database: "orders", table: nil)
        #expect(renderer.line(PlannedAction(.createRole(Self.mysqlRole), reason: "")) == "+ role  'orders_read'@'%'")
        #expect(renderer.line(PlannedAction(.grant(.role(Self.mysqlRole), orders, [Privilege("SELECT")]), reason: "")) == "~ role  'orders_read'@'%'  + SELECT ON orders.*")
        #expect(renderer.line(PlannedAction(.revoke(.role(Self.mariadbRole), orders, [Privilege("DELETE")]), reason: "")) == "~ role  'orders_read'  - DELETE ON orders.*")
        #expect(renderer.line(PlannedAction(.revokeOther(.role(Self.mariadbRole), .role(RoleName(name: "x"))), reason: "")) == "~ role  'orders_read'  - role 'x'")
        #expect(renderer.line(PlannedAction(.grantRole(Self.ssotest, Self.mariadbRole), reason: "")) == "+ grant 'orders_read' TO 'ssotest'@'%'")
        #expect(renderer.line(PlannedAction(.setDefaultRoles(Self.ssotest, [Self.mariadbRole]), reason: "", previous: "NONE")) == "~ user  'ssotest'@'%'  default roles NONE -> 'orders_read'")
        #expect(renderer.line(PlannedAction(.partialRevoke(.account(Self.ssotest), database: "mysql", [Privilege("SELECT")]), reason: "")) == "- revoke SELECT ON `mysql`.* FROM 'ssotest'@'%'  (partial revoke)")
    }
}

import Testing
@testable import DBIAMCore
import DBIAMTestSupport

/// Whatever the manifest and the server hold, the plan never touches the admin,
/// reserved accounts, or accounts with another plugin that the manifest does not list.
struct SafetyRailTests {
    static let names = ["alice", "bob", "root", "rdsadmin", "mysql.sys", "mysql.session", "mariadb.sys", "dbiam_admin", "app", "carol", "o'brien"]
    static let hosts = ["%", "10.0.%", "localhost", "127.0.0.1"]
    static let plugins = ["AWSAuthenticationPlugin", "awsauthenticationplugin", "mysql_native_password", "caching_sha2_password", "unix_socket", ""]
    static let targets = [GrantTarget.everything, GrantTarget(database: "orders", table: nil), GrantTarget(database: "orders", table: "items")]
    static let privileges = ["SELECT", "INSERT", "ALL PRIVILEGES", "GRANT OPTION", "PROCESS"]

    @Test(arguments: 0..<200)
    func planNeverTouchesAccountsItDoesNotOwn(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 1)
        let base = Manifests.valid()
        var cluster = base.clusters[0]
        cluster.prune = Bool.random(using: &random)
        var users: [User] = []
        for name in ["alice", "bob", "carol", "app"] where Bool.random(using: &random) {
            var grants: [Grant] = []
            for target in Self.targets where Int.random(in: 0..<3, using: &random) == 0 {
                let privilege = Privilege(target.level == .global ? "PROCESS" : "SELECT")
                grants.append(Grant(target: target, privileges: [privilege], position: SourcePosition(line: 1, column: 1)))
            }
            users.append(User(
                name: name, clusters: .all, hosts: [["%"], ["10.0.%"], ["%", "10.0.%"]].randomElement(using: &random)!, requireSSL: Bool.random(using: &random),
                grants: grants, position: SourcePosition(line: 1, column: 1), fields: FieldPositions()))
        }
        let manifest = Manifest(organization: nil, clusters: [cluster], users: users, permissionSets: [])
        var accounts: [LiveAccount] = []
        for _ in 0..<Int.random(in: 0..<12, using: &random) {
            var grants: [GrantTarget: Set<Privilege>] = [:]
            for target in Self.targets where Bool.random(using: &random) {
                grants[target] = [Privilege(Self.privileges.randomElement(using: &random)!)]
            }
            accounts.append(LiveAccount(
                name: AccountName(user: Self.names.randomElement(using: &random)!, host: Self.hosts.randomElement(using: &random)!),
                plugin: Self.plugins.randomElement(using: &random)!, sslType: ["", "ANY", "X509"].randomElement(using: &random)!, grants: grants))
        }
        // A server holds each account once.
        var seen = Set<AccountName>()
        accounts = accounts.filter { seen.insert($0.name).inserted }
        let live = LiveState(accounts: accounts, serverVersion: "")
        let listed = Set(users.flatMap(\.accounts))
        let actions = Planner(manifest: manifest).plan(cluster, live: live).actions
        #expect(SafetyRails.violations(actions, on: cluster, manifest: manifest, live: live).isEmpty, "seed \(seed)")
        for action in actions {
            let account = action.statement.account
            #expect(account.user != cluster.admin.user, "seed \(seed): \(action.sql)")
            #expect(!NameRules.isReservedUserName(account.user), "seed \(seed): \(action.sql)")
            let existing = live.accounts.first { $0.name == account }
            if let existing, !existing.usesIAM {
                #expect(listed.contains(account), "seed \(seed): touches a non-IAM account the manifest does not list: \(action.sql)")
            }
            if case .dropUser = action.statement {
                #expect(cluster.prune, "seed \(seed): drops with prune off")
                #expect(existing?.usesIAM == true && !listed.contains(account), "seed \(seed): \(action.sql)")
            }
        }
    }

    @Test func massDropsAreMeasuredAgainstOwnedIAMAccounts() {
        var manifest = Manifests.valid()
        manifest.clusters[0].prune = true
        let live = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "ssotest", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
            LiveAccount(name: AccountName(user: "leaver1", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
            LiveAccount(name: AccountName(user: "leaver2", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
            LiveAccount(name: AccountName(user: "dbiam_admin", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "ANY", grants: [:]),
            LiveAccount(name: AccountName(user: "app", host: "%"), plugin: "mysql_native_password", sslType: "", grants: [:]),
        ], serverVersion: "")
        let plan = Plans.builder(manifest).build(readings: ["orders-prod": .live(live)])
        #expect(plan.clusters[0].ownedIAMAccounts == 3)
        #expect(plan.massDrops(maximumShare: 0.5) == [Plan.MassDrop(cluster: "orders-prod", drops: 2, iamAccounts: 3)])
        #expect(plan.massDrops(maximumShare: 0.7).isEmpty)
    }

    /// Apply's last check before running a plan: statements that break a rule are named,
    /// whatever made them (a fault in the planner, a plan from elsewhere).
    @Test func railsNameEveryStatementThatBreaksThem() {
        var manifest = Manifests.valid()
        let cluster = manifest.clusters[0]
        let live = LiveState(accounts: [
            LiveAccount(name: AccountName(user: "app", host: "%"), plugin: "mysql_native_password", sslType: "", grants: [:]),
            LiveAccount(name: AccountName(user: "leaver", host: "%"), plugin: "AWSAuthenticationPlugin", sslType: "", grants: [:]),
        ], serverVersion: "")
        let orders = GrantTarget(database: "orders", table: nil)
        let actions = [
            PlannedAction(.dropUser(AccountName(user: "dbiam_admin", host: "%")), reason: ""),
            PlannedAction(.grant(.account(AccountName(user: "root", host: "%")), orders, [Privilege("SELECT")]), reason: ""),
            PlannedAction(.setIAMPlugin(AccountName(user: "app", host: "%")), reason: ""),
            PlannedAction(.dropUser(AccountName(user: "leaver", host: "%")), reason: ""),
            PlannedAction(.grant(.account(AccountName(user: "leaver", host: "%")), orders, [Privilege("SELECT")]), reason: ""),
            PlannedAction(.createUser(AccountName(user: "ssotest", host: "%"), requireSSL: true), reason: ""),
        ]
        let violations = SafetyRails.violations(actions, on: cluster, manifest: manifest, live: live)
        #expect(violations == [
            "DROP USER 'dbiam_admin'@'%': it would change the admin account dbiam logs in as",
            "GRANT SELECT ON `orders`.* TO 'root'@'%': it would change a reserved account",
            "ALTER USER 'app'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS': it would change an account with another plugin (mysql_native_password) that the manifest does not list",
            "DROP USER 'leaver'@'%': it would drop an account that is not an unlisted IAM account on a cluster with prune on",
            "GRANT SELECT ON `orders`.* TO 'leaver'@'%': it would change an account the manifest does not list on this cluster",
        ])
        manifest.clusters[0].prune = true
        let allowed = [actions[3], actions[5]]
        #expect(SafetyRails.violations(allowed, on: manifest.clusters[0], manifest: manifest, live: live).isEmpty)
    }
}

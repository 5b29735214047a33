import Testing
@testable import DBIAMCore

/// Whatever the manifest and the server hold, the plan never touches the admin,
/// reserved accounts, or accounts with another plugin that the manifest does not list.
struct SafetyRailTests {
    /// A small deterministic generator, so a failure can be replayed from its seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
    }

    static let names = ["alice", "bob", "root", "rdsadmin", "mysql.sys", "mysql.session", "mariadb.sys", "dbiam_admin", "app", "carol", "o'brien"]
    static let hosts = ["%", "10.0.%", "localhost", "127.0.0.1"]
    static let plugins = ["AWSAuthenticationPlugin", "awsauthenticationplugin", "mysql_native_password", "caching_sha2_password", "unix_socket", ""]
    static let targets = [GrantTarget.everything, GrantTarget(database: "orders", table: nil), GrantTarget(database: "orders", table: "items")]
    static let privileges = ["SELECT", "INSERT", "ALL PRIVILEGES", "GRANT OPTION", "PROCESS"]

    @Test(arguments: 0..<200)
    func planNeverTouchesAccountsItDoesNotOwn(seed: Int) {
        var random = Generator(state: UInt64(seed) &+ 1)
        let base = Manifests.valid()
        var cluster = base.clusters[0]
        cluster.prune = random.next(2) == 0
        var users: [User] = []
        for name in ["alice", "bob", "carol", "app"] where random.next(2) == 0 {
            var grants: [Grant] = []
            for target in Self.targets where random.next(3) == 0 {
                let privilege = Privilege(target.level == .global ? "PROCESS" : "SELECT")
                grants.append(Grant(target: target, privileges: [privilege], position: SourcePosition(line: 1, column: 1)))
            }
            users.append(User(
                name: name, clusters: .all, host: random.pick(["%", "10.0.%"]), requireSSL: random.next(2) == 0,
                grants: grants, position: SourcePosition(line: 1, column: 1), fields: FieldPositions()))
        }
        let manifest = Manifest(organization: nil, clusters: [cluster], users: users, permissionSets: [])
        var accounts: [LiveAccount] = []
        for _ in 0..<random.next(12) {
            var grants: [GrantTarget: Set<Privilege>] = [:]
            for target in Self.targets where random.next(2) == 0 {
                grants[target] = [Privilege(random.pick(Self.privileges))]
            }
            accounts.append(LiveAccount(
                name: AccountName(user: random.pick(Self.names), host: random.pick(Self.hosts)),
                plugin: random.pick(Self.plugins), sslType: random.pick(["", "ANY", "X509"]), grants: grants))
        }
        // A server holds each account once.
        var seen = Set<AccountName>()
        accounts = accounts.filter { seen.insert($0.name).inserted }
        let live = LiveState(accounts: accounts, serverVersion: "")
        let listed = Set(users.map { AccountName(user: $0.name, host: $0.host) })
        let (actions, _) = Planner(manifest: manifest).plan(cluster, live: live)
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
        let plan = PlanBuilder(manifest: manifest, manifestPath: "m", manifestDigest: "d").build(
            readings: ["orders-prod": .live(live, fingerprint: "f")], policyPath: { $0 }, previousPolicies: [:])
        #expect(plan.clusters[0].iamAccountsRead == 3)
        #expect(plan.massDrops(maximumShare: 0.5) == [Plan.MassDrop(cluster: "orders-prod", drops: 2, iamAccounts: 3)])
        #expect(plan.massDrops(maximumShare: 0.7).isEmpty)
    }
}

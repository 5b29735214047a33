/// What `dbiam import` checks in a cluster it takes from flags rather than a manifest.
extension Cluster {
    /// The fields flags can get wrong, so the caller can name where each came from.
    public enum Field: Sendable, Hashable {
        case name, account, region, resourceID, endpoint, port, tlsCA, tlsDisabled, adminUser, passwordEnvironment
    }

    public struct Problem: Sendable, Hashable {
        public var field: Field
        /// Says what the value must be; reads after the name of the field or flag.
        public var message: String
    }

    /// What the manifest's rules refuse in these settings, so a manifest written from
    /// them validates.
    public var problems: [Problem] {
        var problems: [Problem] = []
        func check(_ valid: Bool, _ field: Field, _ message: String) {
            if !valid { problems.append(Problem(field: field, message: message)) }
        }
        check(NameRules.isDBIdentifier(name), .name, "must be a DB identifier: a letter first, then letters, digits and single hyphens, at most 63, not ending in a hyphen")
        check(NameRules.isAccountID(account), .account, "must be the 12 digits of the AWS account id, such as 012345678901")
        check(NameRules.isRegion(region), .region, "must be an AWS region such as ap-northeast-1")
        check(NameRules.isResourceID(resourceID), .resourceID, "must be the resource id rds-db:connect policies need, cluster-… (DbClusterResourceId) or db-… (DbiResourceId), not the cluster name; find it with: aws rds describe-db-clusters --query \"DBClusters[*].[DBClusterIdentifier,DbClusterResourceId]\"")
        check(NameRules.isEndpoint(endpoint), .endpoint, "must be a host name or IP address, without a scheme or port")
        check((1...65535).contains(port), .port, "must be from 1 to 65535")
        check(!admin.user.isEmpty && !NameRules.containsControlCharacter(admin.user), .adminUser, "must be the user name dbiam logs in as")
        if case .passwordEnvironment(let variable) = admin.method {
            check(NameRules.isEnvironmentVariableName(variable), .passwordEnvironment, "must name an environment variable (letters, digits and _), such as ORDERS_PROD_ADMIN_PASSWORD")
        }
        switch tls {
        case .verified(let caBundle):
            check(!caBundle.isEmpty && !NameRules.containsControlCharacter(caBundle), .tlsCA, "must be the path of a CA bundle")
        case .disabled:
            check(admin.method != .iam, .tlsDisabled, "cannot go with an IAM admin login: the token travels in cleartext, so name the RDS CA bundle (global-bundle.pem) instead")
            check(NameRules.isLoopbackHost(endpoint), .tlsDisabled, "is only for a server on this machine (127.0.0.1, ::1 or localhost); name the RDS CA bundle (global-bundle.pem) instead")
        }
        return problems
    }
}

/// A manifest made from what a live cluster holds: its IAM accounts and their grants,
/// with a note for everything a manifest cannot say.
public struct ImportedManifest: Sendable, Hashable {
    public struct ImportedUser: Sendable, Hashable {
        public var name: String
        /// One account per host, all with the same grants and TLS requirement.
        public var hosts: [String]
        public var requireSSL: Bool
        /// Sorted by target, privileges normalized; positions are not meaningful.
        public var grants: [Grant]
        /// Grants left out, each a sentence.
        public var skippedGrants: [String]
    }

    public var cluster: Cluster
    /// `SELECT VERSION()` of the server read.
    public var serverVersion: String
    /// When it was read, `2026-11-29T12:00:00Z`.
    public var readAt: String
    /// Sorted by name.
    public var users: [ImportedUser]
    /// IAM accounts left out, each a sentence.
    public var skippedAccounts: [String]

    /// Everything left out, for warnings: accounts, then grants.
    public var skipped: [String] { skippedAccounts + users.flatMap(\.skippedGrants) }

    /// The manifest that describes `live`, the state read from `cluster`: every account
    /// with `AWSAuthenticationPlugin` that a manifest can express, with its grants.
    public init(cluster: Cluster, live: LiveState, readAt: String) {
        self.cluster = cluster
        self.serverVersion = live.serverVersion
        self.readAt = readAt
        let catalog = PrivilegeCatalog(engine: cluster.engine)
        var users: [ImportedUser] = []
        var skippedAccounts: [String] = []
        // Accounts of one user name (sorted, so together) become one user with `hosts:`
        // when they hold the same; one that differs is left out, named.
        var index: [String: Int] = [:]
        for account in live.accounts where account.usesIAM {
            if let reason = Self.inexpressible(account, cluster: cluster) {
                skippedAccounts.append("\(account.name) \(reason)")
                continue
            }
            let user = Self.user(account, catalog: catalog, engine: cluster.engine)
            guard let position = index[user.name] else {
                index[user.name] = users.count
                users.append(user)
                continue
            }
            let first = users[position]
            if first.grants == user.grants && first.requireSSL == user.requireSSL && first.skippedGrants.isEmpty && user.skippedGrants.isEmpty {
                users[position].hosts += user.hosts
            } else {
                let other = AccountName(user: first.name, host: first.hosts[0])
                skippedAccounts.append("\(account.name) is left out: the accounts of one user name in a manifest hold the same grants, and \(other), which is imported, holds others.")
            }
        }
        self.users = users
        self.skippedAccounts = skippedAccounts
    }

    /// Why the manifest cannot hold this account, or nil when it can.
    private static func inexpressible(_ account: LiveAccount, cluster: Cluster) -> String? {
        let user = account.name.user, host = account.name.host
        // The planner's own rule, so import writes exactly the accounts plan would manage.
        if !Planner.owns(account, on: cluster) {
            return "is left out: it belongs to AWS, the server or dbiam's own login, which a manifest never manages."
        }
        if let problem = NameRules.userNameProblem(user) ?? NameRules.userNameLengthProblem(user, engine: cluster.engine) {
            return "is left out: its user name \(problem)."
        }
        if let problem = NameRules.hostProblem(host) {
            return "is left out: its host \(problem)."
        }
        if !(account.sslType.isEmpty || account.requiresExactlySSL) {
            return "is left out: it has \(account.requireClause), and a manifest says only \(AccountStatement.requireClause(true)) or \(AccountStatement.requireClause(false)) (require_ssl)."
        }
        return nil
    }

    private static func user(_ account: LiveAccount, catalog: PrivilegeCatalog, engine: Engine) -> ImportedUser {
        var grants: [Grant] = []
        var skipped: [String] = []
        func skip(_ privileges: Set<Privilege>, on target: GrantTarget, because reason: String) {
            skipped.append("\(NameRules.printable(AccountStatement.grant(.account(account.name), target, privileges).sql)) is left out: \(reason)")
        }
        for target in account.grants.keys.sorted() {
            let privileges = catalog.normalized(account.grants[target] ?? [], at: target.level)
            if privileges.isEmpty { continue }
            if target.databaseIsPattern {
                skip(privileges, on: target, because: "its database name is a pattern with wildcards, which a manifest cannot express; dbiam plan will revoke it unless you grant the databases it should cover one by one.")
                continue
            }
            guard GrantTarget.parse(target.description) == .success(target) else {
                skip(privileges, on: target, because: "a manifest cannot write this database or table name as a grant target; dbiam plan will revoke it.")
                continue
            }
            let unknown = privileges.filter { $0 != .allPrivileges && !catalog.levels(of: $0).contains(target.level) }
            if !unknown.isEmpty {
                skip(unknown, on: target, because: "\(engine.rawValue) has no such privilege at this level; dbiam plan will revoke it.")
            }
            let known = privileges.subtracting(unknown)
            if !known.isEmpty { grants.append(Grant(target: target, privileges: known, position: SourcePosition(line: 0, column: 0))) }
        }
        for other in account.otherGrants {
            skipped.append("\(account.name) holds \(other), which is left out: a manifest grants only privileges on *.*, db.* and db.table; dbiam plan will revoke it.")
        }
        return ImportedUser(
            name: account.name.user, hosts: [account.name.host], requireSSL: account.requiresExactlySSL, grants: grants,
            skippedGrants: skipped)
    }
}

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
        /// Names of the imported roles it holds, which are also its default roles.
        public var roles: [String] = []
        /// Grants left out, each a sentence.
        public var skippedGrants: [String]
    }

    /// A role some imported user holds, with its grants.
    public struct ImportedRole: Sendable, Hashable {
        public var name: String
        public var grants: [Grant]
        public var skippedGrants: [String]
    }

    public var cluster: Cluster
    /// `SELECT VERSION()` of the server read.
    public var serverVersion: String
    /// When it was read, `2026-11-29T12:00:00Z`.
    public var readAt: String
    /// Sorted by name.
    public var users: [ImportedUser]
    /// The roles the imported users hold, sorted by name.
    public var roles: [ImportedRole]
    /// IAM accounts left out, each a sentence.
    public var skippedAccounts: [String]

    /// Everything left out, for warnings: accounts, then grants.
    public var skipped: [String] { skippedAccounts + roles.flatMap(\.skippedGrants) + users.flatMap(\.skippedGrants) }

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
        let iamUserNames = Set(live.accounts.filter(\.usesIAM).map(\.name.user))
        // Roles a manifest can name: as the manifest writes them on this server, and not
        // the name of an account.
        let roleRows = live.accounts.filter { row in
            row.isRole && Self.inexpressibleRole(row.name.user, cluster: cluster) == nil && !iamUserNames.contains(row.name.user)
                && live.roleName(row.name.user, engine: cluster.engine).rowName == row.name
        }
        let expressibleRoles = Dictionary(roleRows.map { (live.roleName($0.name.user, engine: cluster.engine), $0) }, uniquingKeysWith: { first, _ in first })
        for account in live.accounts where account.usesIAM {
            if let reason = Self.inexpressible(account, cluster: cluster) {
                skippedAccounts.append("\(account.name) \(reason)")
                continue
            }
            let user = Self.user(
                account, catalog: catalog, engine: cluster.engine, roles: expressibleRoles,
                oneRole: live.isMariaDB ?? cluster.engine.activatesOneDefaultRole)
            guard let position = index[user.name] else {
                index[user.name] = users.count
                users.append(user)
                continue
            }
            let first = users[position]
            if first.grants == user.grants && first.roles == user.roles && first.requireSSL == user.requireSSL && first.skippedGrants.isEmpty
                && user.skippedGrants.isEmpty
            {
                users[position].hosts += user.hosts
            } else {
                let other = AccountName(user: first.name, host: first.hosts[0])
                skippedAccounts.append("\(account.name) is left out: the accounts of one user name in a manifest hold the same grants, and \(other), which is imported, holds others.")
            }
        }
        self.users = users
        self.skippedAccounts = skippedAccounts
        let held = Set(users.flatMap(\.roles))
        roles = roleRows.filter { held.contains($0.name.user) }.sorted { $0.name.user < $1.name.user }.map { row in
            let (grants, skipped) = Self.grants(of: row, as: .role(live.roleName(row.name.user, engine: cluster.engine)), catalog: catalog, engine: cluster.engine)
            let others = row.otherGrants.map { "role \(row.name.user) holds \($0), which is left out: a manifest grants a role only privileges on *.*, db.* and db.table; dbiam plan will revoke it." }
            return ImportedRole(name: row.name.user, grants: grants, skippedGrants: skipped + others)
        }
    }

    /// Why a role of this name cannot be in a manifest, or nil when it can.
    private static func inexpressibleRole(_ name: String, cluster: Cluster) -> String? {
        NameRules.userNameProblem(name) ?? NameRules.reservedRoleName(name) ?? NameRules.userNameLengthProblem(name, engine: cluster.engine)
            ?? (cluster.engine.hasRoles ? nil : "has no roles on \(cluster.engine.rawValue)")
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

    /// `roles`: the roles a manifest can name, by the name the server gives them;
    /// `oneRole`: the server activates one default role (MariaDB), so a manifest user there holds one.
    private static func user(
        _ account: LiveAccount, catalog: PrivilegeCatalog, engine: Engine, roles: [RoleName: LiveAccount], oneRole: Bool
    ) -> ImportedUser {
        var (grants, skipped) = Self.grants(of: account, as: .account(account.name), catalog: catalog, engine: engine)
        var held = account.roles.filter { roles[$0] != nil }
        let heldTooMany = oneRole && held.count > 1
        if heldTooMany {
            skipped.append("\(account.name) holds the roles \(held.map(\.description).joined(separator: ", ")), which are left out: on MariaDB a manifest user holds one role, as one default role is active at login; dbiam plan will revoke them.")
            held = []
        }
        for other in account.otherGrants {
            switch other {
            case .role(let role) where roles[role] != nil && !heldTooMany:
                continue
            case .role where heldTooMany, .defaultRoles where heldTooMany || !held.isEmpty:
                continue
            default:
                skipped.append("\(account.name) holds \(other), which is left out: a manifest grants only privileges on *.*, db.* and db.table, and roles; dbiam plan will revoke it.")
            }
        }
        if !held.isEmpty, Set(account.defaultRoles) != Set(held) {
            let active = account.defaultRoles.isEmpty ? "no default role" : "the default roles \(account.defaultRoles.map(\.description).joined(separator: ", "))"
            skipped.append("\(account.name) has \(active); a manifest makes the roles a user holds its default roles, so dbiam plan will make \(held.map(\.description).joined(separator: ", ")) its default.")
        }
        return ImportedUser(
            name: account.name.user, hosts: [account.name.host], requireSSL: account.requiresExactlySSL, grants: grants,
            roles: held.map(\.name).sorted(), skippedGrants: skipped)
    }

    /// The grants of an account or role that a manifest can write, and a sentence for
    /// each it cannot.
    private static func grants(of account: LiveAccount, as grantee: Grantee, catalog: PrivilegeCatalog, engine: Engine) -> ([Grant], [String]) {
        var grants: [Grant] = []
        var skipped: [String] = []
        func skip(_ privileges: Set<Privilege>, on target: GrantTarget, because reason: String) {
            skipped.append("\(NameRules.printable(AccountStatement.grant(grantee, target, privileges).sql)) is left out: \(reason)")
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
        return (grants, skipped)
    }
}

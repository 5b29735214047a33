/// Decides what to change on one cluster: the manifest's users on it against the live
/// accounts read from it. Pure: it never talks to a server.
public struct Planner: Sendable {
    public let manifest: Manifest

    public init(manifest: Manifest) {
        self.manifest = manifest
    }

    /// What the planner decided for one cluster.
    public struct Decision: Sendable {
        /// In execution order: access is taken away before any is given (REVOKE, DROP
        /// USER, then CREATE USER, ALTER USER, GRANT), so a failure part-way has taken
        /// access away rather than added it.
        public var actions: [PlannedAction]
        public var warnings: [String]
        /// The IAM accounts dbiam owns on the cluster (`owns`).
        public var ownedIAMAccounts: Int
        /// The accounts the decision depends on, as canonical text (the input of the
        /// plan's fingerprint): every account the manifest lists on this cluster, in
        /// full, and every other account dbiam owns, by name only (the plan only names
        /// those, to warn about or to drop). Accounts it neither manages nor names, such
        /// as an application's password account, are left out, so they never make a
        /// saved plan stale.
        public var dependencies: [UInt8]
    }

    public func plan(_ cluster: Cluster, live: LiveState) -> Decision {
        let catalog = PrivilegeCatalog(engine: cluster.engine)
        var creates: [PlannedAction] = [], alters: [PlannedAction] = [], grants: [PlannedAction] = []
        var revokes: [PlannedAction] = [], drops: [PlannedAction] = []
        var warnings: [String] = []
        var inManifest = [Bool](repeating: false, count: live.accounts.count)

        for user in manifest.users where user.isOn(cluster.name) {
            // One account per host, each with the same grants.
            for host in user.hosts {
                let name = AccountName(user: user.name, host: host)
                let position = live.position(of: name)
                if let position { inManifest[position] = true }
                let existing = position.map { live.accounts[$0] }
                if let existing {
                    if !existing.usesIAM {
                        let plugin = existing.plugin.isEmpty ? "mysql_native_password" : existing.plugin
                        alters.append(PlannedAction(
                            .setIAMPlugin(name),
                            reason: "\(name) uses \(plugin); the manifest makes it an IAM user, so its password stops working",
                            destructive: true, previous: plugin))
                    }
                    if existing.requiresExactlySSL != user.requireSSL {
                        let current = existing.requireClause
                        alters.append(PlannedAction(
                            .setRequireSSL(name, user.requireSSL),
                            reason: "the manifest sets require_ssl: \(user.requireSSL) for \(user.name); the account has \(current)",
                            destructive: false, previous: current))
                    }
                } else {
                    creates.append(PlannedAction(
                        .createUser(name, requireSSL: user.requireSSL),
                        reason: "user \(user.name) is in the manifest but not on this cluster"))
                }
                if let existing {
                    revokes += existing.otherGrants.map { grant in
                        PlannedAction(
                            .revokeOther(name, grant),
                            reason: "\(name) holds \(grant), which the manifest does not grant (a managed account holds exactly the manifest's grants)",
                            destructive: true)
                    }
                }
                let held = existing?.grants ?? [:]
                if Self.holdsExactly(user.grants, held) { continue }
                let desiredGrants = Dictionary(user.grants.map { ($0.target, $0.privileges) }, uniquingKeysWith: { $0.union($1) })
                let (granted, revoked) = Self.grantChanges(account: name, desired: desiredGrants, live: held, catalog: catalog)
                grants += granted
                revokes += revoked
            }
        }

        var owned = [Bool](repeating: false, count: live.accounts.count)
        for (position, account) in live.accounts.enumerated() where !inManifest[position] && Self.owns(account, on: cluster) {
            owned[position] = true
            if cluster.prune {
                drops.append(PlannedAction(
                    .dropUser(account.name),
                    reason: "\(account.name) uses \(AccountStatement.pluginName) but is not in the manifest, and prune is on",
                    destructive: true))
                if let power = Self.accountManagementPrivilege(of: account) {
                    warnings.append("\(account.name), which prune drops, holds \(power): if it is another manifest's admin, list it under unmanaged")
                }
            } else {
                warnings.append("\(account.name) uses \(AccountStatement.pluginName) but is not in the manifest (prune is off: left alone)")
            }
        }
        return Decision(
            actions: revokes + drops + creates + alters + grants, warnings: warnings,
            ownedIAMAccounts: live.accounts.count { Self.owns($0, on: cluster) },
            dependencies: live.canonicalText(inFull: inManifest, byName: owned))
    }

    /// Whether dbiam may change an account on a cluster: true for every account with the
    /// IAM plugin but the admin it logs in as, the reserved ones (`rdsadmin`, `root`,
    /// `mysql.*`) and those the cluster's `unmanaged` patterns leave alone.
    public static func owns(_ account: LiveAccount, on cluster: Cluster) -> Bool {
        account.usesIAM && account.name.user != cluster.admin.user && !NameRules.isReservedUserName(account.name.user)
            && !cluster.isUnmanaged(account.name.user)
    }

    /// The privilege that lets an account create or change other accounts, the mark of
    /// an admin: `ALL PRIVILEGES`, `CREATE USER` or `GRANT OPTION` on `*.*`.
    static func accountManagementPrivilege(of account: LiveAccount) -> Privilege? {
        let global = account.grants[.everything] ?? []
        return [Privilege.allPrivileges, Privilege("CREATE USER"), .grantOption].first { global.contains($0) }
    }

    /// True when the account holds the manifest's grants exactly as written: the common
    /// case of a converged cluster, settled without expanding `ALL` for every account.
    static func holdsExactly(_ grants: [Grant], _ held: [GrantTarget: Set<Privilege>]) -> Bool {
        grants.count == held.count && grants.allSatisfy { held[$0.target] == $0.privileges }
    }

    /// GRANT and REVOKE actions that turn the live privileges of one account into the
    /// desired ones, target by target. Sets are compared with `ALL PRIVILEGES` spelled
    /// out, so `ALL` vs its expansion, order and `USAGE` never show as a change.
    static func grantChanges(
        account: AccountName, desired: [GrantTarget: Set<Privilege>], live: [GrantTarget: Set<Privilege>],
        catalog: PrivilegeCatalog
    ) -> (grants: [PlannedAction], revokes: [PlannedAction]) {
        var grants: [PlannedAction] = []
        var revokes: [PlannedAction] = []
        for target in Set(desired.keys).union(live.keys).sorted() {
            let wanted = catalog.expanded(desired[target] ?? [], at: target.level)
            let held = catalog.expanded(live[target] ?? [], at: target.level)
            var missing = wanted.subtracting(held)
            if !missing.isEmpty {
                // Granting ALL again is harmless and reads better than the long list of
                // what is missing from it.
                if catalog.normalized(wanted, at: target.level).contains(.allPrivileges) {
                    missing = missing.intersection([.grantOption]).union([.allPrivileges])
                }
                grants.append(PlannedAction(
                    .grant(account, target, catalog.normalized(missing, at: target.level)),
                    reason: "the manifest grants \(AccountStatement.privilegeList(catalog.normalized(wanted, at: target.level))) on \(target) to \(account.user)"))
            }
            let extra = held.subtracting(wanted)
            if !extra.isEmpty {
                let privileges = catalog.normalized(extra, at: target.level)
                revokes.append(PlannedAction(
                    .revoke(account, target, privileges),
                    reason: "\(account) holds \(AccountStatement.privilegeList(privileges)) on \(target), which the manifest does not grant",
                    destructive: true))
            }
        }
        return (grants, revokes)
    }
}

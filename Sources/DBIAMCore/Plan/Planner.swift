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
        /// USER, then CREATE ROLE and USER, ALTER USER, GRANT, then default roles and
        /// partial revokes, which need their grants), so a failure part-way has taken
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

    /// The actions of a plan, or of part of it, by kind, each kind in the order decided.
    private struct Actions {
        var creates: [PlannedAction] = [], alters: [PlannedAction] = [], grants: [PlannedAction] = []
        var revokes: [PlannedAction] = [], drops: [PlannedAction] = [], afterGrants: [PlannedAction] = []

        var count: Int { creates.count + alters.count + grants.count + revokes.count + drops.count + afterGrants.count }

        /// The actions of every part, kind by kind, each kind in the parts' order: access
        /// is taken away before any is given (see `Decision.actions`). Each action is
        /// copied once, into an array made to size: copying one is a call per field.
        static func inExecutionOrder(_ parts: [Actions]) -> [PlannedAction] {
            var ordered: [PlannedAction] = []
            ordered.reserveCapacity(parts.reduce(0) { $0 + $1.count })
            for kind in [\Actions.revokes, \.drops, \.creates, \.alters, \.grants, \.afterGrants] {
                for part in parts { ordered += part[keyPath: kind] }
            }
            return ordered
        }
    }

    /// What one cluster's plan is made with, for planning its roles and users.
    private struct ClusterContext: Sendable {
        var cluster: Cluster
        var live: LiveState
        var catalog: PrivilegeCatalog
        var offline: Bool
        /// How a reason ends for an account or role that is not there.
        var absent: String

        init(_ cluster: Cluster, live: LiveState, offline: Bool) {
            self.cluster = cluster
            self.live = live
            self.offline = offline
            catalog = PrivilegeCatalog(engine: cluster.engine)
            absent = offline ? "; planned offline, as if the cluster were empty" : " but not on this cluster"
        }
    }

    /// - Parameter offline: nothing was read (`--offline`; `live` is empty): the reasons
    ///   then say what the plan assumed, not what it saw on the cluster.
    public func plan(_ cluster: Cluster, live: LiveState, offline: Bool = false) -> Decision {
        let context = ClusterContext(cluster, live: live, offline: offline)
        // The roles' actions and the drops; the users' are in parts of their own.
        var actions = Actions()
        var warnings: [String] = []
        var inManifest = [Bool](repeating: false, count: live.accounts.count)

        // Roles first: a user is granted a role once it exists.
        for role in manifest.roles where role.isOn(cluster.name) {
            let name = live.roleName(role.name, engine: cluster.engine)
            let position = live.position(of: name.rowName)
            if let position { inManifest[position] = true }
            let existing = position.map { live.accounts[$0] }
            if existing == nil {
                actions.creates.append(PlannedAction(.createRole(name), reason: "role \(role.name) is in the manifest\(context.absent)"))
            }
            Self.planGrants(.role(name), role.grants, existing: existing, context: context, into: &actions, keeping: { _ in false })
        }

        // The users in parts of about 1,000 over the cores, their actions joined in
        // manifest order: the actions of 10,000 new users take tens of milliseconds to
        // decide and to write as SQL. Parts smaller than a core's share even out the
        // cores when one starts late.
        let users = manifest.users
        let ranges = Parallel.ranges(users.count, parts: users.count / 1000)
        let parts = Parallel.map(ranges.count) { part in
            var actions = Actions()
            var found: [Int] = []
            for user in users[ranges[part]] where user.isOn(cluster.name) {
                Self.planUser(user, context: context, into: &actions, found: &found)
            }
            return (actions, found)
        }
        for (_, found) in parts {
            for position in found { inManifest[position] = true }
        }

        var owned = [Bool](repeating: false, count: live.accounts.count)
        // Whether dbiam owns each account, asked of it where it is in the array rather
        // than of a copy (see `LiveState.canonicalText`).
        let owns = live.accounts.withUnsafeBufferPointer { accounts in accounts.indices.map { Self.owns(accounts[$0], on: cluster) } }
        for position in live.accounts.indices where !inManifest[position] && owns[position] {
            let account = live.accounts[position]
            owned[position] = true
            if cluster.prune {
                actions.drops.append(PlannedAction(
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
            actions: Actions.inExecutionOrder([actions] + parts.map(\.0)), warnings: warnings,
            ownedIAMAccounts: owns.count { $0 },
            dependencies: live.canonicalText(inFull: inManifest, byName: owned))
    }

    /// The actions of one user's accounts, one per host, each with the same grants and
    /// roles; `found` gets the positions of those the cluster has.
    private static func planUser(_ user: User, context: ClusterContext, into actions: inout Actions, found: inout [Int]) {
        let live = context.live
        let roles = user.roles.map { live.roleName($0, engine: context.cluster.engine) }
        let restrictsGrants = user.grants.contains { !$0.excludedDatabases.isEmpty }
        for host in user.hosts {
            let name = AccountName(user: user.name, host: host)
            let position = live.position(of: name)
            if let position { found.append(position) }
            // An account that already is what the manifest says, the case of nearly
            // every account of a plan without changes, is settled where it is in the
            // array, without a copy of it to plan from.
            if let position, roles.isEmpty, !restrictsGrants,
                live.accounts.withUnsafeBufferPointer({ isSettled($0[position], grants: user.grants, requireSSL: user.requireSSL) })
            {
                continue
            }
            let existing = position.map { live.accounts[$0] }
            if let existing {
                if !existing.usesIAM {
                    let plugin = existing.plugin.isEmpty ? "mysql_native_password" : existing.plugin
                    actions.alters.append(PlannedAction(
                        .setIAMPlugin(name),
                        reason: "\(name) uses \(plugin); the manifest makes it an IAM user, so its password stops working",
                        destructive: true, previous: plugin))
                }
                if existing.requiresExactlySSL != user.requireSSL {
                    let current = existing.requireClause
                    actions.alters.append(PlannedAction(
                        .setRequireSSL(name, user.requireSSL),
                        reason: "the manifest sets require_ssl: \(user.requireSSL) for \(user.name); the account has \(current)",
                        destructive: false, previous: current))
                }
            } else {
                actions.creates.append(PlannedAction(
                    .createUser(name, requireSSL: user.requireSSL),
                    reason: "user \(user.name) is in the manifest\(context.absent)"))
            }
            planGrants(.account(name), user.grants, existing: existing, context: context, into: &actions) { grant in
                switch grant {
                case .role(let role): roles.contains(role)
                // Replaced below when the manifest gives roles; taken away when it gives none.
                case .defaultRoles: !roles.isEmpty
                default: false
                }
            }
            let held = existing?.roles ?? []
            for role in roles where !held.contains(role) {
                actions.grants.append(PlannedAction(.grantRole(name, role), reason: "the manifest gives \(user.name) the role \(role.name)"))
            }
            let active = existing?.defaultRoles ?? []
            if !roles.isEmpty, Set(active) != Set(roles) {
                let previous = active.isEmpty ? "NONE" : active.map(\.description).joined(separator: ", ")
                let current = context.offline ? "planned offline, as if \(name) had none" : "\(name) has \(previous)"
                actions.afterGrants.append(PlannedAction(
                    .setDefaultRoles(name, roles),
                    reason: "a granted role is active at login only as a default role; \(current)", previous: previous))
            }
        }
    }

    /// Grants, partial revokes and other grants of one account or role, against what it holds.
    private static func planGrants(
        _ grantee: Grantee, _ wanted: [Grant], existing: LiveAccount?, context: ClusterContext, into actions: inout Actions,
        keeping: (OtherGrant) -> Bool
    ) {
        if let existing {
            actions.revokes += existing.otherGrants.filter { !keeping($0) }.map { grant in
                PlannedAction(
                    .revokeOther(grantee, grant),
                    reason: "\(grantee) holds \(grant), which the manifest does not grant (a managed \(grantee.isRole ? "role" : "account") holds exactly the manifest's grants)",
                    destructive: true)
            }
        }
        let held = existing?.grants ?? [:]
        if !holdsExactly(wanted, held) {
            let desired = Dictionary(wanted.map { ($0.target, $0.privileges) }, uniquingKeysWith: { $0.union($1) })
            let (granted, revoked) = grantChanges(grantee, desired: desired, live: held, catalog: context.catalog)
            actions.grants += granted
            actions.revokes += revoked
        }
        let (restricted, lifted) = partialRevokeChanges(grantee, wanted, live: existing?.partialRevokes ?? [:], catalog: context.catalog)
        actions.afterGrants += restricted
        actions.grants += lifted
    }

    /// Why the manifest cannot be planned on a cluster as it is, whatever its accounts
    /// hold, or nil: a role of the manifest that is an account there, or partial revokes
    /// with `partial_revokes` off.
    public func whyNotPlannable(_ cluster: Cluster, live: LiveState) -> String? {
        for role in manifest.roles where role.isOn(cluster.name) {
            let name = live.roleName(role.name, engine: cluster.engine)
            if let existing = live.account(named: name.rowName), !existing.isRole {
                return "role \(role.name) of the manifest is the account \(existing.name) on this cluster (plugin \(existing.plugin.isEmpty ? "none" : existing.plugin)), not a role; rename the role, or drop the account if it is not used"
            }
        }
        if live.isMariaDB == true, let user = manifest.users.first(where: { $0.isOn(cluster.name) && $0.roles.count > 1 }) {
            return "user \(user.name) has \(user.roles.count) roles, but this server is MariaDB (\(live.serverVersion)), which activates one default role at login; give the user one role that holds what the others grant"
        }
        let partial = manifest.users.contains { user in user.isOn(cluster.name) && user.grants.contains { !$0.excludedDatabases.isEmpty } }
            || manifest.roles.contains { role in role.isOn(cluster.name) && role.grants.contains { !$0.excludedDatabases.isEmpty } }
        if partial, live.isMariaDB == true {
            return "the manifest leaves databases out of grants on *.* (except:), but this server is MariaDB (\(live.serverVersion)), which has no partial revokes; grant the privileges on each database instead"
        }
        if partial, !live.partialRevokes {
            return "the manifest leaves databases out of grants on *.* (except:), which needs partial_revokes, and it is OFF on this server; set partial_revokes to 1 in the cluster's DB cluster parameter group (aws rds modify-db-cluster-parameter-group --parameters ParameterName=partial_revokes,ParameterValue=1,ApplyMethod=immediate) and plan again"
        }
        return nil
    }

    /// Whether dbiam may change an account on a cluster: true for every account with the
    /// IAM plugin but the admin it logs in as, the reserved ones (`rdsadmin`, `root`,
    /// `mysql.*`) and those the cluster's `unmanaged` patterns leave alone.
    public static func owns(_ account: borrowing LiveAccount, on cluster: Cluster) -> Bool {
        // A guard's conditions, not `&&`'s, whose closures would copy the account.
        guard account.usesIAM else { return false }
        let user = account.name.user
        return user != cluster.admin.user && !NameRules.isReservedUserName(user) && !cluster.isUnmanaged(user)
    }

    /// The privilege that lets an account create or change other accounts, the mark of
    /// an admin: `ALL PRIVILEGES`, `CREATE USER` or `GRANT OPTION` on `*.*`.
    static func accountManagementPrivilege(of account: LiveAccount) -> Privilege? {
        let global = account.grants[.everything] ?? []
        return [Privilege.allPrivileges, Privilege("CREATE USER"), .grantOption].first { global.contains($0) }
    }

    /// Whether an account uses the IAM plugin with the manifest's TLS requirement and holds
    /// exactly these grants and nothing else (no other grants, roles or partial revokes):
    /// then the planning of it finds nothing to do. The conditions are a guard's, not
    /// `&&`'s, whose closures would copy the account.
    private static func isSettled(_ account: borrowing LiveAccount, grants: [Grant], requireSSL: Bool) -> Bool {
        guard account.usesIAM, account.requiresExactlySSL == requireSSL, account.otherGrants.isEmpty, account.partialRevokes.isEmpty
        else { return false }
        return holdsExactly(grants, account.grants)
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
        _ account: Grantee, desired: [GrantTarget: Set<Privilege>], live: [GrantTarget: Set<Privilege>],
        catalog: PrivilegeCatalog
    ) -> (grants: [PlannedAction], revokes: [PlannedAction]) {
        var grants: [PlannedAction] = []
        var revokes: [PlannedAction] = []
        // One target, the common case, needs no set to gather and sort.
        let targets = live.isEmpty ? desired.keys.sorted() : Set(desired.keys).union(live.keys).sorted()
        for target in targets {
            let wanted = catalog.expanded(desired[target] ?? [], at: target.level)
            let held = catalog.expanded(live[target] ?? [], at: target.level)
            var missing = held.isEmpty ? wanted : wanted.subtracting(held)
            if !missing.isEmpty {
                let wantedNormalized = catalog.normalized(wanted, at: target.level)
                // Granting ALL again is harmless and reads better than the long list of
                // what is missing from it.
                if wantedNormalized.contains(.allPrivileges) {
                    missing = missing.intersection([.grantOption]).union([.allPrivileges])
                }
                grants.append(PlannedAction(
                    .grant(account, target, missing == wanted ? wantedNormalized : catalog.normalized(missing, at: target.level)),
                    reason: "the manifest grants \(AccountStatement.privilegeList(wantedNormalized)) on \(target) to \(account.manifestName)"))
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

    /// The partial revokes that give the grants on `*.*` their `except:` databases, and
    /// those that end partial revokes the manifest no longer has. A partial revoke of a
    /// privilege that the plan also revokes on `*.*` goes with it, so it is not lifted.
    static func partialRevokeChanges(
        _ grantee: Grantee, _ wanted: [Grant], live: [String: Set<Privilege>], catalog: PrivilegeCatalog
    ) -> (restricts: [PlannedAction], lifts: [PlannedAction]) {
        let global = wanted.first { $0.target == .everything }
        guard global?.excludedDatabases.isEmpty == false || !live.isEmpty else { return ([], []) }
        let heldGlobally = catalog.expanded(global?.privileges ?? [], at: .global)
        // Only privileges of the database level can be left out of a database.
        let narrowable = heldGlobally.filter { $0 != .grantOption && catalog.levels(of: $0).contains(.database) }
        var restricts: [PlannedAction] = [], lifts: [PlannedAction] = []
        let excluded = global?.excludedDatabases ?? []
        for database in (excluded + live.keys.sorted()).reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
            let wantedHere = excluded.contains(database) ? narrowable : []
            let heldHere = catalog.expanded(live[database] ?? [], at: .database)
            let missing = wantedHere.subtracting(heldHere)
            if !missing.isEmpty {
                restricts.append(PlannedAction(
                    .partialRevoke(grantee, database: database, catalog.normalized(missing, at: .database)),
                    reason: "the manifest leaves \(database) out of the grant on *.* to \(grantee.manifestName) (except:)"))
            }
            let extra = heldHere.subtracting(wantedHere).intersection(narrowable)
            if !extra.isEmpty {
                lifts.append(PlannedAction(
                    .liftPartialRevoke(grantee, database: database, catalog.normalized(extra, at: .database)),
                    reason: "\(grantee) has \(AccountStatement.privilegeList(catalog.normalized(extra, at: .database))) taken away on \(database), which the manifest does not leave out"))
            }
        }
        return (restricts, lifts)
    }
}

/// How one cluster's saved plan compares with the plan `dbiam apply` makes again from
/// the same manifest and from what it reads under the cluster's apply lock. Apply runs
/// only `same`: the statements it executes are always the ones it planned itself, never
/// ones taken from the file.
public enum ClusterPlanCheck: Sendable, Hashable {
    /// The plan made now is the saved plan: apply it.
    case same
    /// The saved plan had changes and none are left: they are on the cluster already.
    /// With the warnings the plan made now has and the saved one had not (an IAM account
    /// created since, say), which still deserve to be seen.
    case alreadyApplied(newWarnings: [String])
    /// Something the plan depends on changed since it was made: what, in words.
    case stale([String])
    /// The accounts are as they were when it was planned, yet the saved plan differs from
    /// the plan made now: the file was edited (or made by another dbiam). What differs.
    case edited(String)

    /// `catalog`: the cluster's engine's, to compare privileges with `ALL` spelled out.
    public init(saved: ClusterPlan, now: ClusterPlan, catalog: PrivilegeCatalog) {
        if saved == now {
            self = .same
        } else if saved.liveFingerprint == now.liveFingerprint {
            self = .edited(Self.firstDifference(saved: saved, now: now))
        } else if now.actions.isEmpty && !saved.actions.isEmpty {
            let old = Set(saved.warnings)
            self = .alreadyApplied(newWarnings: now.warnings.filter { !old.contains($0) })
        } else {
            self = .stale(Self.changes(saved: saved, now: now, catalog: catalog))
        }
    }

    // MARK: - Stale: what changed on the cluster

    /// What one plan would do to one account, gathered from its statements.
    private struct Intent: Equatable {
        var creates = false
        var drops = false
        /// The plugin a `setIAMPlugin` replaces.
        var pluginReplaced: String?
        /// The TLS requirement a `setRequireSSL` replaces.
        var requirementReplaced: String?
        var grants: [GrantTarget: Set<Privilege>] = [:]
        var revokes: [GrantTarget: Set<Privilege>] = [:]
        var otherRevokes: Set<OtherGrant> = []
        var rolesGranted: Set<RoleName> = []
        /// The default roles a `setDefaultRoles` replaces.
        var defaultRolesReplaced: String?
        var partialRevokes: [String: Set<Privilege>] = [:]
        var liftedPartialRevokes: [String: Set<Privilege>] = [:]
    }

    private static func intents(_ actions: [PlannedAction]) -> [AccountName: Intent] {
        var intents: [AccountName: Intent] = [:]
        for action in actions {
            let account = action.statement.account
            switch action.statement {
            case .createUser: intents[account, default: Intent()].creates = true
            case .dropUser: intents[account, default: Intent()].drops = true
            case .setIAMPlugin: intents[account, default: Intent()].pluginReplaced = action.previous ?? "another plugin"
            case .setRequireSSL: intents[account, default: Intent()].requirementReplaced = action.previous ?? "another TLS requirement"
            case .grant(_, let target, let privileges): intents[account, default: Intent()].grants[target, default: []].formUnion(privileges)
            case .revoke(_, let target, let privileges): intents[account, default: Intent()].revokes[target, default: []].formUnion(privileges)
            case .revokeOther(_, let grant): intents[account, default: Intent()].otherRevokes.insert(grant)
            case .createRole: intents[account, default: Intent()].creates = true
            case .grantRole(_, let role): intents[account, default: Intent()].rolesGranted.insert(role)
            case .setDefaultRoles: intents[account, default: Intent()].defaultRolesReplaced = action.previous ?? "other default roles"
            case .partialRevoke(_, let database, let privileges):
                intents[account, default: Intent()].partialRevokes[database, default: []].formUnion(privileges)
            case .liftPartialRevoke(_, let database, let privileges):
                intents[account, default: Intent()].liftedPartialRevokes[database, default: []].formUnion(privileges)
            }
        }
        return intents
    }

    /// The changes on the cluster that explain why the plan made now differs from the
    /// saved one, read off the difference between the two plans: a privilege the saved
    /// plan granted and the new one does not was gained in the meantime, a privilege the
    /// new plan revokes and the saved one did not was gained too, and so on. Sets are
    /// compared with `ALL PRIVILEGES` spelled out, and shown in their shortest form.
    static func changes(saved: ClusterPlan, now: ClusterPlan, catalog: PrivilegeCatalog) -> [String] {
        let before = intents(saved.actions), after = intents(now.actions)
        var changes: [String] = []
        for account in Set(before.keys).union(after.keys).sorted() {
            let old = before[account] ?? Intent(), new = after[account] ?? Intent()
            guard old != new else { continue }
            if old.creates != new.creates {
                changes.append(new.creates ? "\(account) was dropped" : "\(account) was created")
                continue
            }
            if old.drops != new.drops {
                changes.append(new.drops
                    ? "\(account) now uses \(AccountStatement.pluginName) (created, or switched to it), and the manifest does not list it"
                    : "\(account) was dropped or no longer uses \(AccountStatement.pluginName)")
                continue
            }
            if old.pluginReplaced != new.pluginReplaced {
                changes.append(pluginChange(account, before: old.pluginReplaced, after: new.pluginReplaced))
            }
            if old.requirementReplaced != new.requirementReplaced {
                changes.append(requirementChange(account, before: old.requirementReplaced, after: new.requirementReplaced))
            }
            let targets = Set(old.grants.keys).union(old.revokes.keys).union(new.grants.keys).union(new.revokes.keys)
            for target in targets.sorted() {
                func expanded(_ privileges: Set<Privilege>?) -> Set<Privilege> { catalog.expanded(privileges ?? [], at: target.level) }
                let granted = (expanded(old.grants[target]), expanded(new.grants[target]))
                let revoked = (expanded(old.revokes[target]), expanded(new.revokes[target]))
                let gained = granted.0.subtracting(granted.1).union(revoked.1.subtracting(revoked.0))
                let lost = granted.1.subtracting(granted.0).union(revoked.0.subtracting(revoked.1))
                for (verb, privileges) in [("gained", gained), ("lost", lost)] where !privileges.isEmpty {
                    changes.append("\(account) \(verb) \(AccountStatement.privilegeList(catalog.normalized(privileges, at: target.level))) on \(target)")
                }
            }
            for role in old.rolesGranted.subtracting(new.rolesGranted).sorted() { changes.append("\(account) was granted role \(role)") }
            for role in new.rolesGranted.subtracting(old.rolesGranted).sorted() { changes.append("\(account) lost role \(role)") }
            if old.defaultRolesReplaced != new.defaultRolesReplaced {
                changes.append("\(account) now has the default roles \(new.defaultRolesReplaced ?? "the manifest gives") instead of \(old.defaultRolesReplaced ?? "the manifest's")")
            }
            if old.partialRevokes != new.partialRevokes || old.liftedPartialRevokes != new.liftedPartialRevokes {
                changes.append("the partial revokes of \(account) changed")
            }
            for grant in new.otherRevokes.subtracting(old.otherRevokes).sorted() { changes.append("\(account) gained \(grant)") }
            for grant in old.otherRevokes.subtracting(new.otherRevokes).sorted() { changes.append("\(account) lost \(grant)") }
        }
        let oldWarnings = Set(saved.warnings), newWarnings = Set(now.warnings)
        changes += now.warnings.filter { !oldWarnings.contains($0) }.map { "new: \($0)" }
        changes += saved.warnings.filter { !newWarnings.contains($0) }.map { "no longer so: \($0)" }
        if changes.isEmpty {
            changes.append(saved.actions == now.actions && saved.warnings == now.warnings
                ? "the accounts the plan manages or names changed, though not in a way that changes its statements"
                : "the accounts the plan manages or names changed, and the plan made now differs")
        }
        return changes
    }

    /// `before` and `after` are the plugins the two plans replace (nil: the account uses
    /// the IAM plugin); they differ.
    private static func pluginChange(_ account: AccountName, before: String?, after: String?) -> String {
        guard let after else { return "\(account) was switched from \(before ?? "its plugin") to \(AccountStatement.pluginName)" }
        return "\(account) now uses \(after) instead of \(before ?? AccountStatement.pluginName)"
    }

    /// `before` and `after` are the TLS requirements the two plans replace (nil: the one
    /// the manifest sets); they differ.
    private static func requirementChange(_ account: AccountName, before: String?, after: String?) -> String {
        let manifests = "the TLS requirement the manifest sets"
        guard let after else { return "\(account) no longer has \(before ?? "its TLS requirement"): it has \(manifests)" }
        return "\(account) now has \(after) instead of \(before ?? manifests)"
    }

    // MARK: - Edited: what differs in the file

    /// Plans are paired by name, and a plan with a failure is never checked: the fields
    /// left are where they can differ.
    static func firstDifference(saved: ClusterPlan, now: ClusterPlan) -> String {
        if saved.endpoint != now.endpoint || saved.port != now.port {
            return "it names \(saved.endpoint):\(saved.port), not \(now.endpoint):\(now.port)"
        }
        if saved.ownedIAMAccounts != now.ownedIAMAccounts {
            return "it counts \(saved.ownedIAMAccounts.map(String.init) ?? "no") IAM accounts, not \(now.ownedIAMAccounts.map(String.init) ?? "no")"
        }
        for (index, (old, new)) in zip(saved.actions, now.actions).enumerated() where old != new {
            let place = "statement \(index + 1)"
            return old.sql == new.sql
                ? "the reason or flags of \(place) (\(new.sql)) differ"
                : "\(place) is \(old.sql), where the manifest and the cluster give \(new.sql)"
        }
        if saved.actions.count != now.actions.count {
            return "it has \(saved.actions.count) \(saved.actions.count == 1 ? "statement" : "statements"), where the manifest and the cluster give \(now.actions.count)"
        }
        if saved.warnings != now.warnings { return "its warnings differ" }
        return "its fields differ"
    }
}

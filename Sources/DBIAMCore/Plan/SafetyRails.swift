/// The rules no statement dbiam runs may break, whatever the manifest says: the planner
/// keeps them, and `dbiam apply` checks them once more on the statements it is about to
/// run, against the accounts it has just read, so that a fault in the planner cannot
/// reach a server.
public enum SafetyRails {
    /// Every statement that breaks a rule, with the rule in words; empty when none does.
    public static func violations(_ actions: [PlannedAction], on cluster: Cluster, manifest: Manifest, live: LiveState) -> [String] {
        let listed = Set(manifest.users(on: cluster).flatMap(\.accounts))
        let roles = Set(manifest.roles.filter { $0.isOn(cluster.name) }.map { live.roleName($0.name, engine: cluster.engine) })
        return actions.compactMap { action -> String? in
            let account = action.statement.account
            let existing = live.account(named: account)
            let problem: String? =
                // Accounts and roles alike: on MySQL a role is a row of the account table.
                if account.user == cluster.admin.user {
                    "it would change the admin account dbiam logs in as"
                } else if NameRules.isReservedUserName(account.user) || (action.statement.grantee.isRole && NameRules.reservedRoleName(account.user) != nil) {
                    "it would change a reserved account"
                } else if cluster.isUnmanaged(account.user) {
                    "it would change an account the manifest leaves unmanaged"
                } else if case .role(let role) = action.statement.grantee {
                    !roles.contains(role)
                        ? "it would change a role the manifest does not list on this cluster"
                        : existing.map { $0.isRole ? nil : "it would treat the account \($0.name) as a role" } ?? nil
                } else if !Set(action.statement.rolesGiven).isSubset(of: roles) {
                    "it would give a role the manifest does not list on this cluster"
                } else if existing?.isRole == true {
                    "it would change a role as if it were an account"
                } else if let existing, !existing.usesIAM, !listed.contains(account) {
                    "it would change an account with another plugin (\(existing.plugin)) that the manifest does not list"
                } else if case .dropUser = action.statement {
                    !cluster.prune || listed.contains(account) || existing?.usesIAM != true
                        ? "it would drop an account that is not an unlisted IAM account on a cluster with prune on" : nil
                } else if !listed.contains(account) {
                    "it would change an account the manifest does not list on this cluster"
                } else {
                    nil
                }
            return problem.map { "\(action.sql): \($0)" }
        }
    }
}

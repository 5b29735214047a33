import FoundationEssentials

/// The plan as JSON: what `--json` prints and what `dbiam apply` reads back. Written
/// straight into bytes with `JSONWriter`, keys in sorted order, so the same plan always
/// gives the same bytes; read with Foundation's decoder. A plan of ten thousand
/// statements is written by plan and again by apply (which checks a saved plan is laid
/// out as dbiam writes it), so writing it must cost little next to reading it.
public enum PlanJSONRenderer {
    public static func render(_ plan: Plan) -> String {
        var writer = JSONWriter(capacity: plan.clusters.reduce(4096) { $0 + $1.actions.count * 512 })
        plan.write(to: &writer)
        return writer.finishedText()
    }

    public static func decode(_ bytes: [UInt8]) throws -> Plan {
        try JSONDecoder().decode(Plan.self, from: Data(bytes))
    }
}

// Keys in sorted order in every object; absent values left out.

extension Plan {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("clusters")
        writer.array(clusters) { $0.write(to: &$1) }
        writer.member("dbiam_version", dbiamVersion)
        writer.key("format_version")
        writer.number(formatVersion)
        writer.member("manifest", manifest)
        writer.member("manifest_digest", manifestDigest)
        writer.key("offline")
        writer.bool(offline)
        writer.key("policies")
        writer.array(policies) { policy, writer in
            writer.beginObject()
            if policy.attachment == .identityCenter {
                writer.key("attach_identity_center")
                writer.bool(true)
            }
            if case .role(let arn) = policy.attachment { writer.member("attach_role", arn) }
            switch policy.live {
            case nil: break
            case .absent?: writer.member("live", "absent")
            case .same?: writer.member("live", "same")
            case .differs(let previous)?:
                writer.member("live", "differs")
                writer.member("live_previous", previous)
            case .unreadable(let problem)?:
                writer.member("live", "unreadable")
                writer.member("live_problem", problem)
            }
            writer.member("permission_set", policy.permissionSet)
            writer.member("text", policy.text)
            writer.endObject()
        }
        if let selectedClusters {
            writer.key("selected_clusters")
            writer.strings(selectedClusters)
        }
        writer.endObject()
    }
}

extension ClusterPlan {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("actions")
        writer.array(actions) { $0.write(to: &$1) }
        writer.member("endpoint", endpoint)
        if let failure { writer.member("failure", failure) }
        if let liveFingerprint { writer.member("live_fingerprint", liveFingerprint) }
        writer.member("name", name)
        if let ownedIAMAccounts {
            writer.key("owned_iam_accounts")
            writer.number(ownedIAMAccounts)
        }
        writer.key("port")
        writer.number(port)
        if let rds {
            writer.key("rds")
            writer.beginObject()
            writer.key("errors")
            writer.strings(rds.errors)
            writer.key("notes")
            writer.strings(rds.notes)
            writer.key("warnings")
            writer.strings(rds.warnings)
            writer.endObject()
        }
        writer.key("warnings")
        writer.strings(warnings)
        writer.endObject()
    }
}

extension PlannedAction {
    /// `sql` and `effect` are written for readers; they follow from the statement, so
    /// reading a plan ignores them (and a saved plan whose `sql` was edited no longer
    /// writes back to its own bytes, which `dbiam apply` checks).
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("destructive")
        writer.bool(destructive)
        writer.member("effect", effect.rawValue)
        if let previous { writer.member("previous", previous) }
        writer.member("reason", reason)
        writer.member("sql", sql)
        writer.key("statement")
        statement.write(to: &writer)
        writer.endObject()
    }
}

extension AccountStatement {
    /// `{"host": …, "kind": "grant", "on": {…}, "privileges": […], "user": …}`; a role
    /// grantee is `"grantee": {"name": …}` in place of user and host.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if case .partialRevoke(_, let database, _) = self { writer.member("database", database) }
        if case .liftPartialRevoke(_, let database, _) = self { writer.member("database", database) }
        let grantee = self.grantee
        if case .role(let role) = grantee, kind != .createRole {
            writer.key("grantee")
            role.write(to: &writer)
        }
        if case .account(let account) = grantee { writer.member("host", account.host) }
        writer.member("kind", kind.rawValue)
        switch self {
        case .grant(_, let target, let privileges), .revoke(_, let target, let privileges):
            writer.key("on")
            target.write(to: &writer)
            writer.key("privileges")
            writer.strings(privileges.sorted().map(\.name))
        case .partialRevoke(_, _, let privileges), .liftPartialRevoke(_, _, let privileges):
            writer.key("privileges")
            writer.strings(privileges.sorted().map(\.name))
        case .createUser(_, let required), .setRequireSSL(_, let required):
            writer.key("require_ssl")
            writer.bool(required)
        case .revokeOther(_, let grant):
            writer.key("other")
            grant.write(to: &writer)
        case .createRole(let role), .grantRole(_, let role):
            writer.key("role")
            role.write(to: &writer)
        case .setDefaultRoles(_, let roles):
            writer.key("roles")
            writer.array(roles) { role, writer in role.write(to: &writer) }
        case .setIAMPlugin, .dropUser:
            break
        }
        if case .account(let account) = grantee { writer.member("user", account.user) }
        writer.endObject()
    }
}

extension OtherGrant {
    /// `{"kind": "role", "role": {…}}`, `{"kind": "columns", "on": {…}, …}`, ….
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch self {
        case .role(let role):
            writer.member("kind", "role")
            writer.key("role")
            role.write(to: &writer)
        case .defaultRoles(let roles):
            writer.member("kind", "default_roles")
            writer.key("roles")
            writer.array(roles) { role, writer in role.write(to: &writer) }
        case .columns(let target, let privilege, let columns):
            writer.key("columns")
            writer.strings(columns)
            writer.member("kind", "columns")
            writer.key("on")
            target.write(to: &writer)
            writer.member("privilege", privilege.name)
        case .routine(let routine, let privileges):
            writer.member("database", routine.database)
            writer.member("kind", "routine")
            writer.member("name", routine.name)
            writer.key("privileges")
            writer.strings(privileges.sorted().map(\.name))
            writer.member("type", routine.type)
        case .proxy(let account):
            writer.member("host", account.host)
            writer.member("kind", "proxy")
            writer.member("user", account.user)
        }
        writer.endObject()
    }
}

extension RoleName {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if let host { writer.member("host", host) }
        writer.member("name", name)
        writer.endObject()
    }
}

extension GrantTarget {
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        if let database { writer.member("database", database) }
        writer.key("database_is_pattern")
        writer.bool(databaseIsPattern)
        if let table { writer.member("table", table) }
        writer.endObject()
    }
}

/// The result of `dbiam plan`: what to change on each cluster, and why. A value: it is
/// saved as JSON, printed by the renderers, and made again by `dbiam apply`, which
/// applies only when the plan it makes equals the saved one. So everything in it must
/// follow from the manifest and the accounts the plan depends on: facts that do not
/// (how many accounts were read, what the policy files held before) are in `PlanRun`.
public struct Plan: Sendable, Hashable, Decodable {
    public static let formatVersion = 2

    public var formatVersion: Int
    /// The dbiam that made it: another version may plan the same input differently.
    public var dbiamVersion: String
    /// The manifest, relative to the folder of the saved plan (so the plan applies from
    /// any working directory).
    public var manifest: String
    /// SHA-256 of the manifest's bytes: a saved plan is stale once the file changes.
    public var manifestDigest: String
    /// Planned without connecting, as if every cluster were empty; never applied.
    public var offline: Bool
    public var clusters: [ClusterPlan]
    /// The clusters `--cluster` chose, in manifest order; nil when the plan is of every
    /// cluster. Said apart from `clusters`, so that a plan of every cluster with one taken
    /// out of the file is not mistaken for a plan of some.
    public var selectedClusters: [String]?
    /// The policy document of every permission set, in manifest order.
    public var policies: [PlannedPolicy]

    public init(
        dbiamVersion: String, manifest: String, manifestDigest: String, offline: Bool, clusters: [ClusterPlan],
        selectedClusters: [String]? = nil, policies: [PlannedPolicy]
    ) {
        self.formatVersion = Self.formatVersion
        self.dbiamVersion = dbiamVersion
        self.manifest = manifest
        self.manifestDigest = manifestDigest
        self.offline = offline
        self.clusters = clusters
        self.selectedClusters = selectedClusters
        self.policies = policies
    }

    private enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", dbiamVersion = "dbiam_version", manifest
        case manifestDigest = "manifest_digest", offline, clusters, selectedClusters = "selected_clusters", policies
    }

    /// The statements, and the attached policies apply writes (a new one is added, a
    /// different one changed).
    public var summary: Summary {
        var summary = Summary(clusters.lazy.flatMap(\.actions))
        for policy in policies {
            switch policy.live {
            case .absent?: summary.toAdd += 1
            case .differs?: summary.toChange += 1
            case .same?, .unreadable?, nil: break
            }
        }
        return summary
    }

    public var hasChanges: Bool { !summary.isEmpty }

    public var failedClusters: [ClusterPlan] { clusters.filter { $0.failure != nil } }

    /// Why `dbiam apply` must refuse this plan whatever the clusters hold now, or nil.
    public var whyNotApplicable: String? {
        if offline {
            return "it was made with --offline, without reading the clusters"
        }
        let failed = failedClusters
        if !failed.isEmpty {
            let names = failed.map(\.name).joined(separator: ", ")
            return "\(failed.count) of \(clusters.count) \(clusters.count == 1 ? "cluster" : "clusters") could not be planned (\(names))"
        }
        let unreadable = policies.filter { if case .unreadable = $0.live { true } else { false } }
        if !unreadable.isEmpty {
            return "the policies of \(unreadable.map(\.permissionSet).joined(separator: ", ")) could not be read (see the errors)"
        }
        let refused = clusters.filter { $0.rds?.errors.isEmpty == false }
        guard !refused.isEmpty else { return nil }
        return "RDS shows that \(refused.map(\.name).joined(separator: ", ")) cannot work as the manifest says (see the errors)"
    }

    /// Clusters on which the plan drops more than `maximumShare` (0...1) of the IAM
    /// accounts dbiam owns there: likely a manifest that lost its users by mistake.
    public func massDrops(maximumShare: Double) -> [MassDrop] {
        clusters.compactMap { $0.massDrop(maximumShare: maximumShare) }
    }

    public struct MassDrop: Sendable, Hashable {
        public var cluster: String
        public var drops: Int
        public var iamAccounts: Int

        public var percent: Int { drops * 100 / iamAccounts }
    }

    public struct Summary: Sendable, Hashable {
        public var toAdd = 0
        public var toChange = 0
        public var toDestroy = 0

        public init(toAdd: Int = 0, toChange: Int = 0, toDestroy: Int = 0) {
            self.toAdd = toAdd
            self.toChange = toChange
            self.toDestroy = toDestroy
        }

        /// The counts of these actions.
        public init(_ actions: some Sequence<PlannedAction>) {
            for action in actions {
                switch action.effect {
                case .add: toAdd += 1
                case .change: toChange += 1
                case .destroy: toDestroy += 1
                }
            }
        }

        public var isEmpty: Bool { toAdd == 0 && toChange == 0 && toDestroy == 0 }

        /// `2 to add, 1 to change, 1 to destroy`.
        public var counts: String { "\(toAdd) to add, \(toChange) to change, \(toDestroy) to destroy" }
    }
}

public struct ClusterPlan: Sendable, Hashable, Decodable {
    public var name: String
    public var endpoint: String
    public var port: Int
    /// SHA-256 of the accounts the plan depends on, as read: the accounts it manages or
    /// names (see `Planner.Decision.dependencies`); nil when planned offline or unreachable.
    public var liveFingerprint: String?
    /// How many IAM accounts dbiam owns on the cluster (see `Planner.owns`), against
    /// which the share of accounts a plan drops is measured.
    public var ownedIAMAccounts: Int?
    /// In execution order.
    public var actions: [PlannedAction]
    public var warnings: [String]
    /// Why this cluster could not be planned.
    public var failure: String?
    /// What RDS says about the cluster, when the plan read AWS.
    public var rds: RDSCheck?

    public init(
        name: String, endpoint: String, port: Int, liveFingerprint: String? = nil, ownedIAMAccounts: Int? = nil,
        actions: [PlannedAction] = [], warnings: [String] = [], failure: String? = nil
    ) {
        self.name = name
        self.endpoint = endpoint
        self.port = port
        self.liveFingerprint = liveFingerprint
        self.ownedIAMAccounts = ownedIAMAccounts
        self.actions = actions
        self.warnings = warnings
        self.failure = failure
    }

    private enum CodingKeys: String, CodingKey {
        case name, endpoint, port, liveFingerprint = "live_fingerprint", ownedIAMAccounts = "owned_iam_accounts"
        case actions, warnings, failure, rds
    }

    /// The drops of this cluster's plan when they are more than `maximumShare` (0...1) of
    /// the IAM accounts dbiam owns on it.
    public func massDrop(maximumShare: Double) -> Plan.MassDrop? {
        let drops = actions.count { if case .dropUser = $0.statement { true } else { false } }
        guard drops > 0, let owned = ownedIAMAccounts, owned > 0, Double(drops) / Double(owned) > maximumShare else { return nil }
        return Plan.MassDrop(cluster: name, drops: drops, iamAccounts: owned)
    }
}

public struct PlannedAction: Sendable, Hashable, Decodable {
    public enum Effect: String, Sendable, Hashable {
        case add, change, destroy
    }

    /// What an action is, as a value.
    private struct Fields: Sendable, Hashable {
        var statement: AccountStatement
        var reason: String
        var destructive: Bool
        var previous: String?
        /// Follows from `statement`.
        var sql: String
    }

    /// The fields, behind one reference: a plan's tens of thousands of actions are
    /// gathered in order, rendered three ways and applied, and copying an action is then
    /// one retain, where copying its fields is a call and a retain for each. A change
    /// makes a new one, so an action stays a value.
    private final class Storage: Sendable {
        let fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }

    private var storage: Storage

    private var fields: Fields {
        get { storage.fields }
        set { storage = Storage(newValue) }
    }

    public var statement: AccountStatement { fields.statement }

    /// Why, in words: the `-- ` comment above the statement in the SQL file.
    public var reason: String {
        get { fields.reason }
        set { fields.reason = newValue }
    }

    /// The change takes something away that a person may rely on (a password login,
    /// an account, a privilege).
    public var destructive: Bool {
        get { fields.destructive }
        set { fields.destructive = newValue }
    }

    /// What an ALTER replaces (the old plugin, the old TLS requirement), for the plan's
    /// `old -> new` line.
    public var previous: String? {
        get { fields.previous }
        set { fields.previous = newValue }
    }

    /// The statement's SQL, made once: the JSON, the text plan and the SQL file each
    /// print it.
    public var sql: String { fields.sql }

    public init(_ statement: AccountStatement, reason: String, destructive: Bool = false, previous: String? = nil) {
        storage = Storage(Fields(statement: statement, reason: reason, destructive: destructive, previous: previous, sql: statement.sql))
    }

    public var effect: Effect {
        switch statement {
        case .createUser, .grant, .createRole, .grantRole, .liftPartialRevoke: .add
        case .setIAMPlugin, .setRequireSSL, .setDefaultRoles: .change
        case .revoke, .revokeOther, .dropUser, .partialRevoke: .destroy
        }
    }

    /// `sql` for a terminal or a review, with the names' invisible and text-direction
    /// characters as escapes; the server gets `sql`.
    public var printableSQL: String { NameRules.printable(sql) }

    public static func == (lhs: PlannedAction, rhs: PlannedAction) -> Bool {
        lhs.storage === rhs.storage || lhs.fields == rhs.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields)
    }

    private enum CodingKeys: String, CodingKey {
        case statement, reason, destructive, previous
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(AccountStatement.self, forKey: .statement),
            reason: try container.decode(String.self, forKey: .reason),
            destructive: try container.decode(Bool.self, forKey: .destructive),
            previous: try container.decodeIfPresent(String.self, forKey: .previous))
    }
}

/// The IAM policy document of one permission set, as the manifest makes it.
public struct PlannedPolicy: Sendable, Hashable, Decodable {
    public var permissionSet: String
    public var text: String
    public var attachment: PolicyAttachment
    /// The policy on AWS, when the plan read it (a set with `attach`, AWS not turned off).
    public var live: LivePolicy?

    public init(permissionSet: String, text: String, attachment: PolicyAttachment = .none, live: LivePolicy? = nil) {
        self.permissionSet = permissionSet
        self.text = text
        self.attachment = attachment
        self.live = live
    }

    private enum CodingKeys: String, CodingKey {
        case permissionSet = "permission_set", text, attachRole = "attach_role", attachIdentityCenter = "attach_identity_center"
        case live, livePrevious = "live_previous", liveProblem = "live_problem"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        permissionSet = try container.decode(String.self, forKey: .permissionSet)
        text = try container.decode(String.self, forKey: .text)
        if let role = try container.decodeIfPresent(String.self, forKey: .attachRole) {
            attachment = .role(arn: role)
        } else {
            attachment = try container.decodeIfPresent(Bool.self, forKey: .attachIdentityCenter) == true ? .identityCenter : .none
        }
        switch try container.decodeIfPresent(String.self, forKey: .live) {
        case nil: live = nil
        case "absent": live = .absent
        case "same": live = .same
        case "differs": live = .differs(previous: try container.decode(String.self, forKey: .livePrevious))
        case "unreadable": live = .unreadable(try container.decode(String.self, forKey: .liveProblem))
        case let other?:
            throw DecodingError.dataCorruptedError(forKey: .live, in: container, debugDescription: "unknown live policy state \(other)")
        }
    }
}

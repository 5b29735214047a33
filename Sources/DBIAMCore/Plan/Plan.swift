/// The result of `dbiam plan`: what to change on each cluster, and why. A value: it is
/// saved as JSON, printed by the renderers and carried out by the applier.
public struct Plan: Sendable, Hashable, Codable {
    public static let formatVersion = 1

    public var formatVersion: Int
    /// The manifest as the user named it.
    public var manifestPath: String
    /// SHA-256 of the manifest's bytes: a saved plan is stale once the file changes.
    public var manifestDigest: String
    /// Planned without connecting, as if every cluster were empty; never applied.
    public var offline: Bool
    public var clusters: [ClusterPlan]
    public var policies: [PolicyChange]

    public init(manifestPath: String, manifestDigest: String, offline: Bool, clusters: [ClusterPlan], policies: [PolicyChange]) {
        self.formatVersion = Self.formatVersion
        self.manifestPath = manifestPath
        self.manifestDigest = manifestDigest
        self.offline = offline
        self.clusters = clusters
        self.policies = policies
    }

    public var summary: Summary {
        var summary = Summary()
        for cluster in clusters {
            for action in cluster.actions {
                switch action.effect {
                case .add: summary.toAdd += 1
                case .change: summary.toChange += 1
                case .destroy: summary.toDestroy += 1
                }
            }
        }
        return summary
    }

    public var hasChanges: Bool { !summary.isEmpty }

    public var failedClusters: [ClusterPlan] { clusters.filter { $0.failure != nil } }

    /// Clusters on which the plan drops more than `maximumShare` (0...1) of the IAM
    /// accounts dbiam owns there: likely a manifest that lost its users by mistake.
    public func massDrops(maximumShare: Double) -> [MassDrop] {
        clusters.compactMap { cluster in
            let drops = cluster.actions.count { if case .dropUser = $0.statement { true } else { false } }
            guard drops > 0, let owned = cluster.iamAccountsRead, owned > 0,
                Double(drops) / Double(owned) > maximumShare
            else { return nil }
            return MassDrop(cluster: cluster.name, drops: drops, iamAccounts: owned)
        }
    }

    public struct MassDrop: Sendable, Hashable {
        public var cluster: String
        public var drops: Int
        public var iamAccounts: Int

        public var percent: Int { drops * 100 / iamAccounts }
    }

    public struct Summary: Sendable, Hashable, Codable {
        public var toAdd = 0
        public var toChange = 0
        public var toDestroy = 0

        public var isEmpty: Bool { toAdd == 0 && toChange == 0 && toDestroy == 0 }
    }
}

public struct ClusterPlan: Sendable, Hashable, Codable {
    public var name: String
    public var endpoint: String
    public var port: Int
    /// How many accounts the live read returned; nil when planned offline or unreachable.
    public var accountsRead: Int?
    /// SHA-256 of the live state read; apply refuses when the cluster no longer matches it.
    public var liveFingerprint: String?
    /// How many IAM accounts dbiam owns on the cluster (see `Planner.owns`),
    /// against which the share of accounts a plan drops is measured.
    public var iamAccountsRead: Int?
    /// In execution order.
    public var actions: [PlannedAction]
    public var warnings: [String]
    /// Why this cluster could not be planned.
    public var failure: String?

    public init(
        name: String, endpoint: String, port: Int, accountsRead: Int?, liveFingerprint: String?,
        actions: [PlannedAction], warnings: [String], failure: String? = nil
    ) {
        self.name = name
        self.endpoint = endpoint
        self.port = port
        self.accountsRead = accountsRead
        self.liveFingerprint = liveFingerprint
        self.actions = actions
        self.warnings = warnings
        self.failure = failure
    }
}

public struct PlannedAction: Sendable, Hashable, Codable {
    public enum Effect: String, Sendable, Hashable, Codable {
        case add, change, destroy
    }

    public var statement: AccountStatement
    /// Why, in words: the `-- ` comment above the statement in the SQL file.
    public var reason: String
    /// The change takes something away that a person may rely on (a password login,
    /// an account, a privilege).
    public var destructive: Bool
    /// What an ALTER replaces (the old plugin, the old TLS requirement), for the plan's
    /// `old -> new` line.
    public var previous: String?

    public init(_ statement: AccountStatement, reason: String, destructive: Bool = false, previous: String? = nil) {
        self.statement = statement
        self.reason = reason
        self.destructive = destructive
        self.previous = previous
    }

    public var effect: Effect {
        switch statement {
        case .createUser, .grant: .add
        case .setIAMPlugin, .setRequireSSL: .change
        case .revoke, .dropUser: .destroy
        }
    }

    public var sql: String { statement.sql }

    private enum CodingKeys: String, CodingKey {
        case statement, reason, destructive, previous, sql, effect
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(AccountStatement.self, forKey: .statement),
            reason: try container.decode(String.self, forKey: .reason),
            destructive: try container.decode(Bool.self, forKey: .destructive),
            previous: try container.decodeIfPresent(String.self, forKey: .previous))
    }

    /// `sql` and `effect` are written for readers of `--json`; they follow from the
    /// statement, so reading a plan ignores them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(statement, forKey: .statement)
        try container.encode(reason, forKey: .reason)
        try container.encode(destructive, forKey: .destructive)
        try container.encodeIfPresent(previous, forKey: .previous)
        try container.encode(sql, forKey: .sql)
        try container.encode(effect, forKey: .effect)
    }
}

/// A policy document next to the file already on disk.
public struct PolicyChange: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case new, changed, unchanged
    }

    public var permissionSet: String
    /// Where the document is written, relative to the working directory.
    public var path: String
    public var status: Status
    /// The document written before this plan, for a diff; nil when new or unchanged.
    public var previousText: String?
    public var text: String

    public init(permissionSet: String, path: String, status: Status, previousText: String?, text: String) {
        self.permissionSet = permissionSet
        self.path = path
        self.status = status
        self.previousText = previousText
        self.text = text
    }
}

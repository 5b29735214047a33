/// What one cluster holds now, as read from its grant tables. Password hashes are not
/// part of it: dbiam never reads them.
public struct LiveState: Sendable, Hashable {
    /// Sorted by account name: lookups search it in halves.
    public private(set) var accounts: [LiveAccount]
    /// `SELECT VERSION()`, shown in messages.
    public var serverVersion: String
    /// `@@read_only` or `@@innodb_read_only`: a reader (an Aurora replica), which refuses
    /// every change with error 1290.
    public var readOnly: Bool
    /// MySQL 8.0's `@@partial_revokes`: without it, `REVOKE … ON db.*` cannot narrow a
    /// grant on `*.*`.
    public var partialRevokes: Bool

    /// `accounts` is taken over, so that it is sorted in place, not copied to be sorted.
    public init(accounts: consuming [LiveAccount], serverVersion: String, readOnly: Bool = false, partialRevokes: Bool = false) {
        var accounts = accounts
        // The server hands most tables over in key order already: checked before sorting,
        // reading the names where they are rather than copying every account twice.
        let sorted = accounts.withUnsafeBufferPointer { accounts in
            accounts.indices.dropFirst().allSatisfy { accounts[$0 - 1].name < accounts[$0].name }
        }
        if !sorted { accounts.sort { $0.name < $1.name } }
        self.accounts = accounts
        self.serverVersion = serverVersion
        self.readOnly = readOnly
        self.partialRevokes = partialRevokes
    }

    public static let empty = LiveState(accounts: [], serverVersion: "")

    /// Whether the server is MariaDB, which names roles without a host and activates one
    /// default role; nil when nothing was read (an offline plan).
    public var isMariaDB: Bool? {
        serverVersion.isEmpty ? nil : serverVersion.contains("MariaDB")
    }

    /// A manifest role as this server names it: `'r'` on MariaDB, `'r'@'%'` on MySQL (what
    /// `CREATE ROLE 'r'` means there). The server that answered decides (the local stand-in
    /// is MariaDB playing Aurora MySQL 3), and the engine when nothing was read.
    public func roleName(_ name: String, engine: Engine) -> RoleName {
        RoleName(name: name, host: (isMariaDB ?? (engine == .mariadb)) ? nil : "%")
    }

    /// Where in `accounts` the account with this name is. A binary search, as `accounts`
    /// is sorted by name: the planner looks up every user of the manifest, the applier
    /// every statement in doubt.
    func position(of name: AccountName) -> Int? {
        var low = 0, high = accounts.count
        while low < high {
            let middle = (low + high) / 2
            if accounts[middle].name < name { low = middle + 1 } else { high = middle }
        }
        return low < accounts.count && accounts[low].name == name ? low : nil
    }

    public func account(named name: AccountName) -> LiveAccount? {
        position(of: name).map { accounts[$0] }
    }

    /// One line per account and grant in a fixed order, as UTF-8: the text whose digest
    /// tells whether a cluster changed between plan and apply. Accounts marked `inFull`
    /// are written with their plugin, TLS requirement and grants, those marked `byName`
    /// with their name alone, the others not at all. Built as bytes because plan and
    /// apply make it for every account of every cluster.
    public func canonicalText(inFull: [Bool], byName: [Bool]) -> [UInt8] {
        var text = CanonicalText(capacity: accounts.count * 96)
        // Each account is read where it is, through the buffer, rather than copied out
        // of the array with all its strings and tables, ten thousand times over.
        accounts.withUnsafeBufferPointer { accounts in
            for position in accounts.indices where inFull[position] || byName[position] {
                text.write(accounts[position], inFull: inFull[position])
            }
        }
        return text.bytes
    }
}

public struct LiveAccount: Sendable, Hashable {
    public var name: AccountName
    /// The authentication plugin as the server stores it (MariaDB keeps the case it was
    /// written in, so compare without case).
    public var plugin: String
    /// `ssl_type`: empty for none, `ANY` for REQUIRE SSL, `X509` or `SPECIFIED`.
    public var sslType: String
    /// Privileges by target, as the server holds them (not yet normalized).
    public var grants: [GrantTarget: Set<Privilege>]
    /// Roles, default roles, column, routine and proxy grants, sorted.
    public var otherGrants: [OtherGrant]
    /// A role, not an account one logs in as: MariaDB's `is_role`; on MySQL a locked
    /// account with no password that has expired, as `CREATE ROLE` makes it.
    public var isRole: Bool
    /// Privileges held on `*.*` but taken away on a database, by database (MySQL 8.0's
    /// partial revokes).
    public var partialRevokes: [String: Set<Privilege>]

    public init(
        name: AccountName, plugin: String, sslType: String, grants: [GrantTarget: Set<Privilege>], otherGrants: [OtherGrant] = [],
        isRole: Bool = false, partialRevokes: [String: Set<Privilege>] = [:]
    ) {
        self.name = name
        self.plugin = plugin
        self.sslType = sslType
        self.grants = grants
        self.otherGrants = otherGrants.sorted()
        self.isRole = isRole
        self.partialRevokes = partialRevokes
    }

    /// The roles granted to it.
    public var roles: [RoleName] {
        otherGrants.compactMap { if case .role(let role) = $0 { role } else { nil } }
    }

    /// The roles active at login.
    public var defaultRoles: [RoleName] {
        for grant in otherGrants { if case .defaultRoles(let roles) = grant { return roles } }
        return []
    }

    /// Without case: MariaDB stores the plugin name as the CREATE USER wrote it.
    public var usesIAM: Bool {
        guard plugin.utf8.count == Self.iamPluginBytes.count else { return false }
        var index = 0
        return UTF8Bytes.all(plugin) { byte in
            defer { index += 1 }
            return byte | 0x20 == Self.iamPluginBytes[index]
        }
    }

    /// AWSAuthenticationPlugin in lower case, to compare bytes with a case bit set.
    private static let iamPluginBytes = Array(AccountStatement.pluginName.lowercased().utf8)

    public var requiresExactlySSL: Bool {
        // Without an upper-cased copy in the common case: the server writes ANY.
        sslType.utf8.count == 3 && (sslType == "ANY" || sslType.uppercased() == "ANY")
    }

    /// The account's TLS requirement as `CREATE USER` writes it.
    public var requireClause: String {
        switch sslType.uppercased() {
        case "": AccountStatement.requireClause(false)
        case "ANY": AccountStatement.requireClause(true)
        case let other: "REQUIRE \(other)"
        }
    }
}

/// The lines of `LiveState.canonicalText`. Its methods take the account they write as a
/// borrow, which a nested function capturing the text would copy.
private struct CanonicalText {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ account: borrowing LiveAccount, inFull: Bool) {
        field(inFull ? (account.isRole ? "role" : "account") : "named")
        field(account.name.user)
        guard inFull else {
            field(account.name.host, then: UInt8(ascii: "\n"))
            return
        }
        field(account.name.host)
        // MariaDB keeps the plugin name as CREATE USER spelled it.
        field(account.usesIAM ? AccountStatement.pluginName : account.plugin)
        field(account.sslType, then: UInt8(ascii: "\n"))
        // One target, the common case: no keys to gather and sort.
        let grants = account.grants
        if grants.count == 1, let (target, privileges) = grants.first {
            grant(target, privileges)
        } else {
            for target in grants.keys.sorted() { grant(target, grants[target, default: []]) }
        }
        let partialRevokes = account.partialRevokes
        for database in partialRevokes.keys.sorted() {
            field("partial_revoke")
            field(database)
            list(partialRevokes[database, default: []].map(\.name).sorted())
        }
        for other in account.otherGrants {
            let fields = other.canonicalFields
            field("other")
            field(String(fields.count))
            for (index, value) in fields.enumerated() {
                field(value, then: index == fields.count - 1 ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
            }
        }
    }

    private mutating func grant(_ target: GrantTarget, _ privileges: Set<Privilege>) {
        field("grant")
        field(target.databaseIsPattern ? "pattern" : "name")
        // MySQL has no empty database or table names: empty stands for `*`.
        field(target.database ?? "")
        field(target.table ?? "")
        if privileges.count == 1, let only = privileges.first {
            field(only.name, then: UInt8(ascii: "\n"))
        } else {
            list(privileges.map(\.name).sorted())
        }
    }

    private mutating func number(_ value: Int) {
        if value >= 10 { number(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Length-prefixed, so no name (tabs and newlines included) can pass for two fields.
    private mutating func field(_ value: String, then end: UInt8 = UInt8(ascii: "\t")) {
        number(value.utf8.count)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value.utf8)
        bytes.append(end)
    }

    private mutating func list(_ values: [String]) {
        number(values.reduce(max(0, values.count - 1)) { $0 + $1.utf8.count })
        bytes.append(UInt8(ascii: ":"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: value.utf8)
        }
        bytes.append(UInt8(ascii: "\n"))
    }
}

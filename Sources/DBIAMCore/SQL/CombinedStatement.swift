/// Several planned statements of the same shape sent as one: `CREATE USER a …, b …`,
/// `GRANT SELECT ON db.* TO a, b`, `DROP USER a, b`. The server rebuilds its account
/// cache once per statement, not once per account, which is what makes applying
/// thousands of accounts fast. The effect is the same as the statements one by one.
public struct CombinedStatement: Sendable, Hashable {
    public var sql: String
    /// The indices, in the plan, of the statements it stands for, ascending.
    public var members: [Int]

    /// Groups statements that may be combined, keeping the plan's phases in order
    /// (REVOKE, DROP, CREATE, ALTER, GRANT): within a phase no statement depends on
    /// another, so like statements are gathered, in order of first appearance.
    public static func combine(_ statements: [AccountStatement], maximumAccounts: Int = 1000) -> [CombinedStatement] {
        var result: [CombinedStatement] = []
        var index = 0
        while index < statements.count {
            let phase = statements[index].phase
            var groups: [AccountStatement.Shape: [Int]] = [:]
            var order: [AccountStatement.Shape] = []
            while index < statements.count, statements[index].phase == phase {
                let shape = statements[index].shape
                if groups[shape] == nil { order.append(shape) }
                groups[shape, default: []].append(index)
                index += 1
            }
            for shape in order {
                let members = groups[shape] ?? []
                let size = shape.combinesAccounts ? max(1, maximumAccounts) : 1
                for start in stride(from: 0, to: members.count, by: size) {
                    let chunk = Array(members[start..<min(start + size, members.count)])
                    result.append(CombinedStatement(sql: shape.sql(for: chunk.map { statements[$0].grantee }), members: chunk))
                }
            }
        }
        return result
    }
}

extension AccountStatement {
    /// The order statements run in: REVOKE, DROP USER, CREATE USER and ROLE, ALTER
    /// USER, GRANT, then what needs a grant first: default roles and partial revokes
    /// (access is taken away before any is given; see `Planner.Decision.actions`).
    public var phase: Int {
        switch self {
        case .revoke, .revokeOther: 0
        case .dropUser: 1
        case .createUser, .createRole: 2
        case .setIAMPlugin, .setRequireSSL: 3
        case .grant, .grantRole, .liftPartialRevoke: 4
        case .setDefaultRoles, .partialRevoke: 5
        }
    }

    /// Whether the live state already shows this statement's effect: how the applier
    /// tells, after a failure, which accounts of a combined statement were changed.
    public func isSatisfied(by live: LiveState, catalog: PrivilegeCatalog) -> Bool {
        let existing = live.account(named: account)
        switch self {
        case .createUser, .setIAMPlugin:
            return existing?.usesIAM == true
        case .setRequireSSL(_, let required):
            return existing.map { $0.requiresExactlySSL == required } ?? false
        case .grant(_, let target, let privileges):
            let held = catalog.expanded(existing?.grants[target] ?? [], at: target.level)
            return held.isSuperset(of: catalog.expanded(privileges, at: target.level))
        case .revoke(_, let target, let privileges):
            let held = catalog.expanded(existing?.grants[target] ?? [], at: target.level)
            return held.isDisjoint(with: catalog.expanded(privileges, at: target.level))
        case .revokeOther(_, let grant):
            return existing.map { account in
                if case .defaultRoles = grant {
                    !account.otherGrants.contains { if case .defaultRoles = $0 { true } else { false } }
                } else {
                    !account.otherGrants.contains(grant)
                }
            } ?? true
        case .dropUser:
            return existing == nil
        case .createRole:
            return existing?.isRole == true
        case .grantRole(_, let role):
            return existing?.otherGrants.contains(.role(role)) == true
        case .setDefaultRoles(_, let roles):
            return existing.map { Set($0.defaultRoles) == Set(roles) } ?? false
        case .partialRevoke(_, let database, let privileges):
            let restricted = catalog.expanded(existing?.partialRevokes[database] ?? [], at: .database)
            return restricted.isSuperset(of: catalog.expanded(privileges, at: .database))
        case .liftPartialRevoke(_, let database, let privileges):
            let restricted = catalog.expanded(existing?.partialRevokes[database] ?? [], at: .database)
            return restricted.isDisjoint(with: catalog.expanded(privileges, at: .database))
        }
    }
}

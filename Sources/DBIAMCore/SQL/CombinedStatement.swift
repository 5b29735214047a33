/// Several planned statements of the same shape sent as one: `CREATE USER a …, b …`,
/// `GRANT SELECT ON db.* TO a, b`, `DROP USER a, b`. The server rebuilds its account
/// cache once per statement, not once per account, which is what makes applying
/// thousands of accounts fast. The effect is the same as the statements one by one.
public struct CombinedStatement: Sendable, Hashable {
    public var sql: String
    /// The indices, in the plan, of the statements it stands for, ascending.
    public var members: [Int]

    /// Groups statements that may be combined, keeping the plan's phases in order
    /// (CREATE, ALTER, GRANT, REVOKE, DROP): within a phase no statement depends on
    /// another, so like statements are gathered, in order of first appearance.
    public static func combine(_ statements: [AccountStatement], maximumAccounts: Int = 1000) -> [CombinedStatement] {
        var result: [CombinedStatement] = []
        var index = 0
        while index < statements.count {
            let phase = statements[index].phase
            var groups: [ShapeKey: [Int]] = [:]
            var order: [ShapeKey] = []
            while index < statements.count, statements[index].phase == phase {
                let key = ShapeKey(statements[index])
                if groups[key] == nil { order.append(key) }
                groups[key, default: []].append(index)
                index += 1
            }
            for key in order {
                let members = groups[key] ?? []
                for start in stride(from: 0, to: members.count, by: max(1, maximumAccounts)) {
                    let chunk = Array(members[start..<min(start + max(1, maximumAccounts), members.count)])
                    result.append(CombinedStatement(sql: sql(for: chunk.map { statements[$0] }), members: chunk))
                }
            }
        }
        return result
    }

    /// The statement for accounts that share one shape.
    private static func sql(for statements: [AccountStatement]) -> String {
        guard let first = statements.first, statements.count > 1 else { return statements.first?.sql ?? "" }
        let accounts = statements.map { SQLText.account($0.account) }
        switch first {
        case .createUser(_, let requireSSL):
            let specifications = accounts.map { "\($0) \(AccountStatement.identifiedWithIAM)" }.joined(separator: ", ")
            return "CREATE USER \(specifications)" + (requireSSL ? " REQUIRE SSL" : "")
        case .setIAMPlugin:
            return "ALTER USER " + accounts.map { "\($0) \(AccountStatement.identifiedWithIAM)" }.joined(separator: ", ")
        case .setRequireSSL(_, let required):
            return "ALTER USER \(accounts.joined(separator: ", ")) REQUIRE \(required ? "SSL" : "NONE")"
        case .grant(_, let target, let privileges):
            return AccountStatement.grantSQL(to: accounts.joined(separator: ", "), target, privileges)
        case .revoke(_, let target, let privileges):
            return "REVOKE \(AccountStatement.privilegeList(privileges)) ON \(SQLText.target(target)) FROM \(accounts.joined(separator: ", "))"
        case .dropUser:
            return "DROP USER \(accounts.joined(separator: ", "))"
        }
    }

    /// Statements with equal keys differ only in the account.
    private struct ShapeKey: Hashable {
        var kind: Int
        var flag: Bool
        var target: GrantTarget?
        var privileges: Set<Privilege>

        init(_ statement: AccountStatement) {
            switch statement {
            case .createUser(_, let requireSSL): self.init(kind: 0, flag: requireSSL, target: nil, privileges: [])
            case .setIAMPlugin: self.init(kind: 1, flag: false, target: nil, privileges: [])
            case .setRequireSSL(_, let required): self.init(kind: 2, flag: required, target: nil, privileges: [])
            case .grant(_, let target, let privileges): self.init(kind: 3, flag: false, target: target, privileges: privileges)
            case .revoke(_, let target, let privileges): self.init(kind: 4, flag: false, target: target, privileges: privileges)
            case .dropUser: self.init(kind: 5, flag: false, target: nil, privileges: [])
            }
        }

        private init(kind: Int, flag: Bool, target: GrantTarget?, privileges: Set<Privilege>) {
            self.kind = kind
            self.flag = flag
            self.target = target
            self.privileges = privileges
        }
    }
}

extension AccountStatement {
    /// The order statements run in: CREATE USER, ALTER USER, GRANT, REVOKE, DROP USER.
    public var phase: Int {
        switch self {
        case .createUser: 0
        case .setIAMPlugin, .setRequireSSL: 1
        case .grant: 2
        case .revoke: 3
        case .dropUser: 4
        }
    }

    /// Whether the live state already shows this statement's effect: how the applier
    /// tells, after a failure, which accounts of a combined statement were changed.
    public func isSatisfied(by live: LiveState, catalog: PrivilegeCatalog) -> Bool {
        let existing = live.accounts.first { $0.name == account }
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
        case .dropUser:
            return existing == nil
        }
    }
}

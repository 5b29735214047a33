/// A flat, readable JSON shape for statements in saved plans and `--json` output:
/// `{"kind": "grant", "user": …, "host": …, "on": "orders.*", "privileges": [...]}`.
extension AccountStatement {
    private enum Kind: String, Codable {
        case createUser = "create_user"
        case setIAMPlugin = "set_iam_plugin"
        case setRequireSSL = "set_require_ssl"
        case grant, revoke
        case dropUser = "drop_user"
    }

    private enum CodingKeys: String, CodingKey {
        case kind, user, host, requireSSL = "require_ssl", target = "on", privileges
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let account = AccountName(user: try container.decode(String.self, forKey: .user), host: try container.decode(String.self, forKey: .host))
        switch try container.decode(Kind.self, forKey: .kind) {
        case .createUser: self = .createUser(account, requireSSL: try container.decode(Bool.self, forKey: .requireSSL))
        case .setIAMPlugin: self = .setIAMPlugin(account)
        case .setRequireSSL: self = .setRequireSSL(account, try container.decode(Bool.self, forKey: .requireSSL))
        case .grant:
            self = .grant(account, try container.decode(GrantTarget.self, forKey: .target), Set(try container.decode([Privilege].self, forKey: .privileges)))
        case .revoke:
            self = .revoke(account, try container.decode(GrantTarget.self, forKey: .target), Set(try container.decode([Privilege].self, forKey: .privileges)))
        case .dropUser: self = .dropUser(account)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account.user, forKey: .user)
        try container.encode(account.host, forKey: .host)
        switch self {
        case .createUser(_, let requireSSL):
            try container.encode(Kind.createUser, forKey: .kind)
            try container.encode(requireSSL, forKey: .requireSSL)
        case .setIAMPlugin:
            try container.encode(Kind.setIAMPlugin, forKey: .kind)
        case .setRequireSSL(_, let required):
            try container.encode(Kind.setRequireSSL, forKey: .kind)
            try container.encode(required, forKey: .requireSSL)
        case .grant(_, let target, let privileges), .revoke(_, let target, let privileges):
            try container.encode(self.isGrant ? Kind.grant : Kind.revoke, forKey: .kind)
            try container.encode(target, forKey: .target)
            try container.encode(privileges.sorted(), forKey: .privileges)
        case .dropUser:
            try container.encode(Kind.dropUser, forKey: .kind)
        }
    }

    private var isGrant: Bool {
        if case .grant = self { return true }
        return false
    }
}

extension Privilege {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// Statements read back from a saved plan, in the shape `AccountStatement.json` writes.
extension AccountStatement {
    enum Kind: String, Decodable {
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

    /// The `kind` a statement is written with.
    var kind: Kind {
        switch self {
        case .createUser: .createUser
        case .setIAMPlugin: .setIAMPlugin
        case .setRequireSSL: .setRequireSSL
        case .grant: .grant
        case .revoke: .revoke
        case .dropUser: .dropUser
        }
    }
}

extension Privilege {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
}


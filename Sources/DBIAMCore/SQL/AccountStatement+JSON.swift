/// Statements read back from a saved plan, in the shape `AccountStatement.json` writes.
extension AccountStatement {
    enum Kind: String, Decodable {
        case createUser = "create_user"
        case setIAMPlugin = "set_iam_plugin"
        case setRequireSSL = "set_require_ssl"
        case grant, revoke
        case revokeOther = "revoke_other"
        case dropUser = "drop_user"
    }

    private enum CodingKeys: String, CodingKey {
        case kind, user, host, requireSSL = "require_ssl", target = "on", privileges, other
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
        case .revokeOther: self = .revokeOther(account, try container.decode(OtherGrant.self, forKey: .other))
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
        case .revokeOther: .revokeOther
        case .dropUser: .dropUser
        }
    }
}

extension Privilege {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }
}


/// Other grants read back from a saved plan, in the shape `OtherGrant.write` writes.
extension OtherGrant: Decodable {
    private enum Kind: String, Decodable {
        case role
        case defaultRoles = "default_roles"
        case columns, routine, proxy
    }

    private enum CodingKeys: String, CodingKey {
        case kind, role, roles, target = "on", privilege, columns, type, database, name, privileges, user, host
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .role:
            self = .role(try container.decode(RoleName.self, forKey: .role))
        case .defaultRoles:
            self = .defaultRoles(try container.decode([RoleName].self, forKey: .roles))
        case .columns:
            self = .columns(
                try container.decode(GrantTarget.self, forKey: .target), try container.decode(Privilege.self, forKey: .privilege),
                try container.decode([String].self, forKey: .columns))
        case .routine:
            let routine = Routine(
                type: try container.decode(String.self, forKey: .type), database: try container.decode(String.self, forKey: .database),
                name: try container.decode(String.self, forKey: .name))
            self = .routine(routine, Set(try container.decode([Privilege].self, forKey: .privileges)))
        case .proxy:
            self = .proxy(AccountName(user: try container.decode(String.self, forKey: .user), host: try container.decode(String.self, forKey: .host)))
        }
    }
}

extension RoleName: Decodable {
    private enum CodingKeys: String, CodingKey {
        case name, host
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name), host: try container.decodeIfPresent(String.self, forKey: .host))
    }
}

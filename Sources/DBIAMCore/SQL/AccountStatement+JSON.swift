/// Statements read back from a saved plan, in the shape `AccountStatement.json` writes.
extension AccountStatement {
    enum Kind: String, Decodable {
        case createUser = "create_user"
        case setIAMPlugin = "set_iam_plugin"
        case setRequireSSL = "set_require_ssl"
        case grant, revoke
        case revokeOther = "revoke_other"
        case dropUser = "drop_user"
        case createRole = "create_role"
        case grantRole = "grant_role"
        case setDefaultRoles = "set_default_roles"
        case partialRevoke = "partial_revoke"
        case liftPartialRevoke = "lift_partial_revoke"
    }

    private enum CodingKeys: String, CodingKey {
        case kind, user, host, grantee, requireSSL = "require_ssl", target = "on", privileges, other, role, roles, database
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(Kind.self, forKey: .kind)
        if kind == .createRole {
            self = .createRole(try container.decode(RoleName.self, forKey: .role))
            return
        }
        // A role grantee is written as `"grantee": {"name": …}` in place of user and host.
        let grantee: Grantee
        if let role = try container.decodeIfPresent(RoleName.self, forKey: .grantee) {
            grantee = .role(role)
        } else {
            grantee = .account(AccountName(user: try container.decode(String.self, forKey: .user), host: try container.decode(String.self, forKey: .host)))
        }
        func account() throws -> AccountName {
            guard case .account(let account) = grantee else {
                throw DecodingError.dataCorruptedError(forKey: .grantee, in: container, debugDescription: "a \(kind.rawValue) statement is for an account, not a role")
            }
            return account
        }
        func privileges() throws -> Set<Privilege> { Set(try container.decode([Privilege].self, forKey: .privileges)) }
        switch kind {
        case .createUser: self = .createUser(try account(), requireSSL: try container.decode(Bool.self, forKey: .requireSSL))
        case .setIAMPlugin: self = .setIAMPlugin(try account())
        case .setRequireSSL: self = .setRequireSSL(try account(), try container.decode(Bool.self, forKey: .requireSSL))
        case .grant: self = .grant(grantee, try container.decode(GrantTarget.self, forKey: .target), try privileges())
        case .revoke: self = .revoke(grantee, try container.decode(GrantTarget.self, forKey: .target), try privileges())
        case .revokeOther: self = .revokeOther(grantee, try container.decode(OtherGrant.self, forKey: .other))
        case .dropUser: self = .dropUser(try account())
        case .createRole: self = .createRole(try container.decode(RoleName.self, forKey: .role))
        case .grantRole: self = .grantRole(try account(), try container.decode(RoleName.self, forKey: .role))
        case .setDefaultRoles: self = .setDefaultRoles(try account(), try container.decode([RoleName].self, forKey: .roles))
        case .partialRevoke: self = .partialRevoke(grantee, database: try container.decode(String.self, forKey: .database), try privileges())
        case .liftPartialRevoke: self = .liftPartialRevoke(grantee, database: try container.decode(String.self, forKey: .database), try privileges())
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
        case .createRole: .createRole
        case .grantRole: .grantRole
        case .setDefaultRoles: .setDefaultRoles
        case .partialRevoke: .partialRevoke
        case .liftPartialRevoke: .liftPartialRevoke
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

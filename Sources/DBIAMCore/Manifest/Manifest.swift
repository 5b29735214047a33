/// A validated manifest: the desired state of IAM database users on a set of clusters.
/// Names, account ids and all other text stay exactly as written in the file.
public struct Manifest: Sendable, Hashable {
    public var organization: Organization?
    /// The `aws:` section: where dbiam reads and writes the AWS half.
    public var aws: AWSSettings
    /// Clusters in file order.
    public var clusters: [Cluster]
    /// Users in file order.
    public var users: [User]
    /// Database roles (`roles:`) in file order.
    public var roles: [Role]
    /// Permission sets in file order.
    public var permissionSets: [PermissionSet]
    /// The `defaults:` section, already applied to every user and cluster; kept for
    /// findings about a value that users or clusters inherit from there.
    public var defaults: Defaults

    public init(
        organization: Organization?, clusters: [Cluster], users: [User], permissionSets: [PermissionSet],
        defaults: Defaults = Defaults(), aws: AWSSettings = AWSSettings(), roles: [Role] = []
    ) {
        self.organization = organization
        self.aws = aws
        self.clusters = clusters
        self.users = users
        self.roles = roles
        self.permissionSets = permissionSets
        self.defaults = defaults
    }

    public struct Defaults: Sendable, Hashable {
        public var host = "%"
        public var requireSSL = true
        public var prune = false
        /// `defaults.unmanaged`: accounts no cluster's plan ever touches.
        public var unmanaged: [UserNamePattern] = []
        /// Where each key under `defaults:` is written; empty for a key the file leaves out.
        public var fields = FieldPositions()

        public init() {}
    }

    /// Whether the manifest asks for the AWS half: an `aws:` section or a permission set
    /// with `attach`. `dbiam plan` then reads AWS unless told `--no-aws`.
    public var usesAWS: Bool {
        aws.isWritten || permissionSets.contains { $0.attachment != .none }
    }

    public func cluster(named name: String) -> Cluster? {
        clusters.first { $0.name == name }
    }

    public func user(named name: String) -> User? {
        users.first { $0.name == name }
    }

    public func role(named name: String) -> Role? {
        roles.first { $0.name == name }
    }

    /// The users that the manifest puts on a cluster, in file order.
    public func users(on cluster: Cluster) -> [User] {
        users.filter { $0.isOn(cluster.name) }
    }
}

/// Where a value came from in the manifest, for findings that point at a field
/// rather than at the whole entry.
public struct FieldPositions: Sendable, Hashable {
    private struct Entry: Sendable, Hashable {
        var field: String
        var position: SourcePosition
    }

    private let entries: [Entry]

    public init() {
        entries = []
    }

    init(_ positions: some Sequence<(String, SourcePosition)>) {
        entries = positions.map { Entry(field: $0.0, position: $0.1) }
    }

    public subscript(field: String) -> SourcePosition? {
        entries.first { $0.field == field }?.position
    }
}

public struct Organization: Sendable, Hashable {
    public struct Path: Sendable, Hashable {
        public var name: String
        public var pattern: String
        public var position: SourcePosition
    }

    public var id: String
    /// Named OU path patterns in file order.
    public var paths: [Path]
    public var position: SourcePosition

    public func path(named name: String) -> Path? {
        paths.first { $0.name == name }
    }
}

public struct Cluster: Sendable, Hashable {
    public var name: String
    public var account: String
    public var region: String
    public var resourceID: String
    public var endpoint: String
    public var port: Int
    public var engine: Engine
    public var tls: ClusterTLS
    public var admin: AdminLogin
    public var prune: Bool
    /// `aws_profile`: credentials for the RDS calls in the cluster's account; nil for
    /// `aws.profile` or the usual credential chain.
    public var awsProfile: String?
    /// The names of accounts dbiam never touches on this cluster: `defaults.unmanaged`
    /// and the cluster's own `unmanaged`, in that order.
    public var unmanaged: [UserNamePattern]
    /// Where the cluster's key is.
    public var position: SourcePosition
    public var fields: FieldPositions
    /// False when the account id is written without quotes: dbiam reads it as text, but
    /// other YAML tools read such a value as a number.
    public var accountIsQuoted = true

    /// `position` and `fields` say where a manifest wrote the cluster; a cluster from
    /// elsewhere (`dbiam import`'s flags) has none.
    public init(
        name: String, account: String, region: String, resourceID: String, endpoint: String, port: Int, engine: Engine,
        tls: ClusterTLS, admin: AdminLogin, prune: Bool = false, unmanaged: [UserNamePattern] = [], awsProfile: String? = nil, position: SourcePosition = SourcePosition(line: 0, column: 0),
        fields: FieldPositions = FieldPositions(), accountIsQuoted: Bool = true
    ) {
        self.name = name
        self.account = account
        self.region = region
        self.resourceID = resourceID
        self.endpoint = endpoint
        self.port = port
        self.engine = engine
        self.tls = tls
        self.admin = admin
        self.prune = prune
        self.unmanaged = unmanaged
        self.awsProfile = awsProfile
        self.position = position
        self.fields = fields
        self.accountIsQuoted = accountIsQuoted
    }

    public var partition: Partition { Partition(region: region) }

    /// The CA bundle as written, when TLS is verified.
    public var tlsCA: String? {
        if case .verified(let caBundle) = tls { caBundle } else { nil }
    }

    /// Whether dbiam leaves the account with this user name alone on this cluster.
    public func isUnmanaged(_ user: String) -> Bool {
        unmanaged.contains { $0.matches(user) }
    }

    /// The ARN that `rds-db:connect` needs for one database user on this cluster, or
    /// through an RDS Proxy (`prx-…`) of its account and region.
    public func connectARN(user: String, through proxy: String? = nil) -> String {
        connectARNPrefix(through: proxy) + IAMPolicyText.literal(user)
    }

    /// `connectARN` up to the user name, the same for every user of the cluster: a policy
    /// of thousands of users makes it once per cluster and adds each user to it.
    func connectARNPrefix(through proxy: String? = nil) -> String {
        "arn:\(partition.rawValue):rds-db:\(region):\(account):dbuser:\(proxy ?? resourceID)/"
    }
}

/// How every connection dbiam makes to a cluster is protected.
public enum ClusterTLS: Sendable, Hashable {
    /// TLS, with the server's certificate chain and host name verified against this CA
    /// bundle, as written (`~` and relative paths are resolved by the command layer).
    case verified(caBundle: String)
    /// No TLS, for a server on this machine only (`tls: disabled`): no password or token
    /// is ever sent in cleartext over such a connection.
    case disabled
}

public struct AdminLogin: Sendable, Hashable {
    public enum Method: Sendable, Hashable {
        /// dbiam signs its own token and logs in with cleartext over TLS.
        case iam
        /// The password is read from this environment variable; it is never in the manifest.
        case passwordEnvironment(String)
    }

    public var user: String
    public var method: Method

    public init(user: String, method: Method) {
        self.user = user
        self.method = method
    }
}

public enum Partition: String, Sendable, Hashable, Codable {
    case aws
    case awsChina = "aws-cn"
    case awsGovCloud = "aws-us-gov"

    /// Whether `text` is an AWS region name, such as `ap-northeast-1`.
    public static func isRegionName(_ text: String) -> Bool { NameRules.isRegion(text) }

    public init(region: String) {
        if region.hasPrefix("cn-") {
            self = .awsChina
        } else if region.hasPrefix("us-gov-") {
            self = .awsGovCloud
        } else {
            self = .aws
        }
    }
}

public struct User: Sendable, Hashable {
    public enum Clusters: Sendable, Hashable {
        case all
        case named([String])

        public func includes(_ clusterName: String) -> Bool {
            switch self {
            case .all: true
            case .named(let names): names.contains(clusterName)
            }
        }
    }

    public var name: String
    public var clusters: Clusters
    /// One account per host (`hosts:`, or `host:` for one), each with the same grants.
    public var hosts: [String]
    public var requireSSL: Bool
    public var grants: [Grant]
    /// Names of manifest roles, granted to each account and made its default roles.
    public var roles: [String] = []
    public var position: SourcePosition
    public var fields: FieldPositions

    public func isOn(_ clusterName: String) -> Bool {
        clusters.includes(clusterName)
    }

    /// Its accounts: `'name'@'host'` for each host.
    public var accounts: [AccountName] {
        hosts.map { AccountName(user: name, host: $0) }
    }
}

/// A database role (`roles.<name>`): created with `CREATE ROLE`, holding its grants,
/// granted to the users that list it.
public struct Role: Sendable, Hashable {
    public var name: String
    public var clusters: User.Clusters
    public var grants: [Grant]
    public var position: SourcePosition
    public var fields: FieldPositions

    public func isOn(_ clusterName: String) -> Bool {
        clusters.includes(clusterName)
    }
}

public struct Grant: Sendable, Hashable {
    public var target: GrantTarget
    /// Canonical privilege names (`ALL` already spelled `ALL PRIVILEGES`), without duplicates.
    public var privileges: Set<Privilege>
    /// `except:` databases a grant on `*.*` leaves out, as partial revokes (MySQL 8.0's
    /// `partial_revokes`), in file order.
    public var excludedDatabases: [String] = []
    public var position: SourcePosition
    /// Where each privilege is written in the `privileges` list (the first spelling, when
    /// two spell the same privilege). A list, not a dictionary: a grant lists a few, and
    /// a manifest has a grant or more per user.
    public var writtenPrivileges: [WrittenPrivilege] = []

    public struct WrittenPrivilege: Sendable, Hashable {
        public var privilege: Privilege
        public var position: SourcePosition
    }
}

public struct PermissionSet: Sendable, Hashable {
    public var name: String
    public var users: [String]
    /// Limits the policy to these clusters; nil means every cluster each user is on.
    public var clusters: [String]?
    /// A key of `organization.paths`.
    public var orgPath: String?
    /// Where dbiam puts the policy: nowhere but its file, by default.
    public var attachment: PolicyAttachment = .none
    /// RDS Proxy resource ids (`prx-…`) its users also connect through, in IAM
    /// end-to-end mode: the policy names `dbuser:prx-…/USER` too.
    public var proxies: [String] = []
    public var position: SourcePosition
    public var fields: FieldPositions
}

/// `permission_sets.<n>.attach`.
public enum PolicyAttachment: Sendable, Hashable {
    /// Files only: dbiam does not know what was deployed.
    case none
    /// The inline policy of the IAM Identity Center permission set of the same name.
    case identityCenter
    /// The inline policy `dbiam-<set>` of this IAM role.
    case role(arn: String)

    /// The role inline policy's name for a permission set.
    public static func rolePolicyName(of permissionSet: String) -> String { "dbiam-\(permissionSet)" }
}

/// The manifest's `aws:` section.
public struct AWSSettings: Sendable, Hashable {
    public struct IdentityCenter: Sendable, Hashable {
        /// `arn:aws:sso:::instance/ssoins-…`.
        public var instanceARN: String
        /// The Identity Center home region.
        public var region: String
        public var position: SourcePosition
    }

    /// Credentials for the Identity Center (and Organizations) calls; nil: the chain.
    public var profile: String?
    public var identityCenter: IdentityCenter?
    /// Where `aws:` is; nil when the manifest has no such section.
    public var position: SourcePosition?

    public init(profile: String? = nil, identityCenter: IdentityCenter? = nil, position: SourcePosition? = nil) {
        self.profile = profile
        self.identityCenter = identityCenter
        self.position = position
    }

    public var isWritten: Bool { position != nil }
}

/// Turns the YAML-lite tree into a `Manifest`, checking every field and reference of
/// manifest format 1. It goes on after a problem, so one run reports them all.
struct ManifestDecoder {
    private var reader = SchemaReader()
    private var defaults = Manifest.Defaults()
    private var declared = Declared()
    /// The valid clusters with `unmanaged` patterns, in file order.
    private var clustersWithPatterns: [Cluster] = []
    /// Whether a large file's users are decoded on every core (see `ManifestLoader.load`).
    var decodesInParallel = true
    /// Whether the trees of `UserParts` are kept in `keptUserParts` rather than freed as
    /// each part is decoded (see `ManifestLoader.load`, `keepingTree`).
    var keepsUserParts = false
    private(set) var keptUserParts: [YAMLMapping] = []
    /// When the users are not decoded on every core: another thread that may join in
    /// (see `ManifestLoader.load`).
    var sharedParts: SharedParts?

    /// Every name the file defines, valid or not. References are checked against these,
    /// so one bad cluster is reported once, not again at every user that names it.
    private struct Declared {
        var clusters: Set<String> = []
        var users: Set<String> = []
        var roles: Set<String> = []
        var organization = false
        var paths: Set<String> = []
        /// `aws.identity_center` is written, valid or not.
        var identityCenter = false
    }

    static let topLevelKeys = ["version", "organization", "aws", "defaults", "clusters", "roles", "users", "permission_sets"]

    /// A manifest's `users` mapping read in parts by the caller (`YAMLPartedParse`): each
    /// part is read, decoded and let go on a core of its own, so the tree of all the users
    /// never exists at once. `read` gives nil for a part that must not be read alone.
    struct UserParts: Sendable {
        var count: Int
        var read: @Sendable (Int) -> YAMLMapping?
    }

    /// `clustersAreValid` is called once, as soon as the clusters are decoded, when
    /// nothing up to them has an error (see `ManifestLoader.load`).
    mutating func decode(_ root: YAMLNode, clustersAreValid: ([Cluster]) -> Void = { _ in }) -> (Manifest?, [Diagnostic]) {
        // Only user parts can make it nil.
        decode(root, userParts: nil, clustersAreValid: clustersAreValid)!
    }

    /// `decode` of a manifest whose `users` are read from `userParts`, their value in
    /// `root` left empty. Nil when the result could differ from decoding the whole tree (a
    /// part that must be read whole, a user in two parts, a role named as a user, which is
    /// found where roles are read, before the users' names are known): the caller then
    /// reads the whole file. `clustersAreValid` may have been called by then.
    mutating func decode(_ root: YAMLNode, userParts: UserParts?, clustersAreValid: ([Cluster]) -> Void) -> (Manifest?, [Diagnostic])? {
        let start = root.position
        guard let fields = reader.fields(of: root, context: "the manifest", owner: start, allowed: Self.topLevelKeys, required: ["version", "clusters"]) else {
            return (nil, reader.diagnostics)
        }
        if let version = fields["version"], let scalar = reader.scalar(version.value, what: "version"), scalar.value != "1" {
            reader.error("this dbiam reads manifest version 1, not '\(scalar.value)'; write `version: 1`.", at: scalar.position)
        }
        declared = Declared(
            clusters: Self.keys(fields["clusters"]?.value), users: Self.keys(fields["users"]?.value),
            roles: Self.keys(fields["roles"]?.value), organization: fields["organization"] != nil,
            paths: Self.keys(Self.child(fields["organization"]?.value, "paths")),
            identityCenter: Self.child(fields["aws"]?.value, "identity_center") != nil)
        if let entry = fields["defaults"] { decodeDefaults(entry.value) }
        let organization = fields["organization"].flatMap { decodeOrganization($0) }
        let aws = fields["aws"].map { decodeAWS($0) } ?? AWSSettings()
        let clusters = fields["clusters"].map { decodeClusters($0.value) } ?? []
        clustersWithPatterns = clusters.filter { !$0.unmanaged.isEmpty }
        if !reader.diagnostics.hasErrors { clustersAreValid(clusters) }
        let roles = fields["roles"].map { decodeRoles($0.value, clusters: clusters) } ?? []
        let users: [User]
        if let userParts {
            guard let (decoded, names) = decodeUsers(userParts, references: UserReferences(clusters: clusters, roles: roles)),
                declared.roles.isDisjoint(with: names)
            else { return nil }
            declared.users = names
            users = decoded
        } else {
            users = fields["users"].map { decodeUsers($0.value, clusters: clusters, roles: roles) } ?? []
        }
        let permissionSets = fields["permission_sets"].map {
            decodePermissionSets($0.value, organization: organization, aws: aws, reach: PermissionSetReach(clusters: clusters, users: users))
        } ?? []

        let diagnostics = reader.diagnostics.sortedByPosition()
        guard !diagnostics.hasErrors else { return (nil, diagnostics) }
        return (
            Manifest(
                organization: organization, clusters: clusters, users: users, permissionSets: permissionSets, defaults: defaults, aws: aws,
                roles: roles),
            diagnostics
        )
    }

    private static func keys(_ node: YAMLNode?) -> Set<String> {
        guard case .mapping(let mapping)? = node else { return [] }
        return Set(mapping.entries.map(\.key.value))
    }

    private static func child(_ node: YAMLNode?, _ key: String) -> YAMLNode? {
        guard case .mapping(let mapping)? = node else { return nil }
        return mapping[key]
    }

    // MARK: - defaults and organization

    private mutating func decodeDefaults(_ node: YAMLNode) {
        guard let fields = reader.fields(of: node, context: "defaults", owner: node.position, allowed: ["host", "require_ssl", "prune", "unmanaged"]) else { return }
        defaults.fields = fields.positions
        if let entry = fields["host"], let host = decodeHost(entry.value) { defaults.host = host }
        if let entry = fields["require_ssl"], let value = reader.bool(entry.value, what: "defaults.require_ssl") { defaults.requireSSL = value }
        if let entry = fields["prune"], let value = reader.bool(entry.value, what: "defaults.prune") { defaults.prune = value }
        if let entry = fields["unmanaged"] { defaults.unmanaged = decodeUnmanaged(entry.value, what: "defaults.unmanaged") }
    }

    /// `unmanaged: ["app_*", "legacy_reporting"]`.
    private mutating func decodeUnmanaged(_ node: YAMLNode, what: String) -> [UserNamePattern] {
        guard let items = reader.textList(node, what: what) else { return [] }
        var patterns: [UserNamePattern] = []
        for item in items {
            if NameRules.containsControlCharacter(item.value) {
                reader.error("\(what) pattern '\(NameRules.printable(item.value))' must be a user name, with `*` for any run of characters and `?` for one.", at: item.position)
            } else {
                patterns.append(UserNamePattern(item.value, position: item.position))
            }
        }
        return patterns
    }

    private mutating func decodeOrganization(_ entry: YAMLMapping.Entry) -> Organization? {
        guard let fields = reader.fields(of: entry.value, context: "organization", owner: entry.key.position, allowed: ["id", "paths"], required: ["id"]),
            let id = fields["id"].flatMap({ reader.text($0.value, what: "organization.id") })
        else { return nil }
        guard NameRules.isOrganizationID(id.value) else {
            reader.error("organization.id '\(id.value)' is not an AWS Organizations id: `o-` and 10 to 32 lowercase letters or digits (aws organizations describe-organization --query Organization.Id).", at: id.position)
            return nil
        }
        var paths: [Organization.Path] = []
        if let pathsEntry = fields["paths"], let mapping = reader.mapping(pathsEntry.value, what: "organization.paths") {
            for path in mapping.entries {
                guard let pattern = reader.text(path.value, what: "organization path '\(path.key.value)'") else { continue }
                if NameRules.isOrganizationPath(pattern.value, organizationID: id.value) {
                    paths.append(Organization.Path(name: path.key.value, pattern: pattern.value, position: path.key.position))
                } else {
                    reader.error("organization path '\(path.key.value)' must be an OU path of organization \(id.value), such as \(id.value)/r-ab12/ou-ab12-11111111/*.", at: pattern.position)
                }
            }
        }
        return Organization(id: id.value, paths: paths, position: entry.key.position)
    }

    // MARK: - aws

    private mutating func decodeAWS(_ entry: YAMLMapping.Entry) -> AWSSettings {
        var settings = AWSSettings(position: entry.key.position)
        guard let fields = reader.fields(of: entry.value, context: "aws", owner: entry.key.position, allowed: ["profile", "identity_center"]) else { return settings }
        settings.profile = fields["profile"].flatMap { decodeProfile($0.value, what: "aws.profile") }
        if let center = fields["identity_center"],
            let centerFields = reader.fields(of: center.value, context: "aws.identity_center", owner: center.key.position, allowed: ["instance_arn", "region"], required: ["instance_arn", "region"]),
            let arn = centerFields["instance_arn"].flatMap({ reader.text($0.value, what: "aws.identity_center.instance_arn") }),
            let region = centerFields["region"].flatMap({ reader.text($0.value, what: "aws.identity_center.region") })
        {
            var valid = true
            if !NameRules.isIdentityCenterInstanceARN(arn.value) {
                reader.error("aws.identity_center.instance_arn '\(arn.value)' is not an IAM Identity Center instance ARN such as arn:aws:sso:::instance/ssoins-1234567890abcdef (aws sso-admin list-instances).", at: arn.position)
                valid = false
            }
            if !NameRules.isRegion(region.value) {
                reader.error("aws.identity_center.region '\(region.value)' is not an AWS region name such as us-east-1; give the Identity Center home region.", at: region.position)
                valid = false
            }
            if valid { settings.identityCenter = AWSSettings.IdentityCenter(instanceARN: arn.value, region: region.value, position: center.key.position) }
        }
        return settings
    }

    /// A profile of `~/.aws/config`: a name without blanks or brackets.
    private mutating func decodeProfile(_ node: YAMLNode, what: String) -> String? {
        guard let name = reader.text(node, what: what) else { return nil }
        guard NameRules.isProfileName(name.value) else {
            reader.error("\(what) '\(NameRules.printable(name.value))' is not a profile name of ~/.aws/config (no spaces, brackets or control characters).", at: name.position)
            return nil
        }
        return name.value
    }

    // MARK: - clusters

    static let clusterKeys = [
        "account", "region", "resource_id", "endpoint", "port", "engine", "tls", "tls_ca", "admin", "prune", "unmanaged", "aws_profile",
    ]

    private mutating func decodeClusters(_ node: YAMLNode) -> [Cluster] {
        guard let mapping = reader.mapping(node, what: "clusters") else { return [] }
        if mapping.entries.isEmpty { reader.error("clusters is empty; define at least one cluster.", at: mapping.position) }
        return mapping.entries.compactMap { decodeCluster($0) }
    }

    private mutating func decodeCluster(_ entry: YAMLMapping.Entry) -> Cluster? {
        let name = entry.key.value
        let context = "cluster '\(name)'"
        if !NameRules.isDBIdentifier(name) {
            reader.error("cluster name '\(name)' is not a DB identifier: a letter first, then letters, digits and single hyphens, at most 63, not ending in a hyphen.", at: entry.key.position)
        }
        guard let fields = reader.fields(of: entry.value, context: context, owner: entry.key.position, allowed: Self.clusterKeys, required: ["account", "region", "resource_id", "endpoint", "engine", "admin"]) else { return nil }
        let positions = fields.positions

        let account = fields["account"].flatMap { reader.text($0.value, what: "\(context) account") }
        if let account, !NameRules.isAccountID(account.value) {
            reader.error("account '\(account.value)' must be exactly 12 digits, written in quotes to keep leading zeros, such as \"012345678901\".", at: account.position)
        }
        let region = fields["region"].flatMap { reader.text($0.value, what: "\(context) region") }
        if let region, !NameRules.isRegion(region.value) {
            reader.error("region '\(region.value)' is not an AWS region name such as ap-northeast-1.", at: region.position)
        }
        let resourceID = fields["resource_id"].flatMap { reader.text($0.value, what: "\(context) resource_id") }
        if let resourceID { checkResourceID(resourceID, clusterName: name) }
        let endpoint = fields["endpoint"].flatMap { reader.text($0.value, what: "\(context) endpoint") }
        if let endpoint, !NameRules.isEndpoint(endpoint.value) {
            reader.error("endpoint '\(endpoint.value)' must be a host name or IP address without a scheme or port; put the port in `port`.", at: endpoint.position)
        }
        let port = fields["port"].map { reader.integer($0.value, what: "\(context) port", in: 1...65535) } ?? 3306
        let engine = fields["engine"].flatMap { decodeEngine($0.value) }
        let tls = decodeTLS(fields, endpoint: endpoint, context: context, clusterKey: entry.key.position)
        let admin = fields["admin"].flatMap { decodeAdmin($0, context: context) }
        let prune = fields["prune"].map { reader.bool($0.value, what: "\(context) prune") } ?? defaults.prune
        let unmanaged = defaults.unmanaged + (fields["unmanaged"].map { decodeUnmanaged($0.value, what: "\(context) unmanaged") } ?? [])
        let awsProfile = fields["aws_profile"].flatMap { decodeProfile($0.value, what: "\(context) aws_profile") }

        if admin?.method == .iam && tls == .disabled, let adminEntry = fields["admin"] {
            reader.error("\(context) logs in with an IAM token, which is sent in cleartext and needs TLS; set tls_ca to the RDS CA bundle (global-bundle.pem) instead of `tls: disabled`.", at: adminEntry.key.position)
            return nil
        }
        guard let account, let region, let resourceID, let endpoint, let port, let engine, let tls, let admin, let prune else { return nil }
        return Cluster(
            name: name, account: account.value, region: region.value, resourceID: resourceID.value,
            endpoint: endpoint.value, port: port, engine: engine, tls: tls, admin: admin, prune: prune,
            // Once each, the first written first (patterns compare by their text).
            unmanaged: unmanaged.reduce(into: []) { kept, pattern in if !kept.contains(pattern) { kept.append(pattern) } }, awsProfile: awsProfile,
            position: entry.key.position, fields: positions, accountIsQuoted: account.style != .plain)
    }

    /// `tls: verify` (the default) needs `tls_ca`; `tls: disabled` is for a server on this
    /// machine only, where no one can be in between.
    private mutating func decodeTLS(
        _ fields: Fields, endpoint: YAMLScalar?, context: String, clusterKey: SourcePosition
    ) -> ClusterTLS? {
        let tlsCA = fields["tls_ca"].flatMap { reader.text($0.value, what: "\(context) tls_ca") }
        var mode = "verify"
        if let written = fields["tls"].flatMap({ reader.text($0.value, what: "\(context) tls") }) {
            guard ["verify", "disabled"].contains(written.value) else {
                reader.error("\(context) tls must be `verify` (the default: TLS, verified against tls_ca) or `disabled` (a server on this machine only), not '\(written.value)'.", at: written.position)
                return nil
            }
            mode = written.value
        }
        if mode == "verify" {
            guard let tlsCA else {
                if fields["tls_ca"] == nil {
                    reader.error("\(context) has no tls_ca; dbiam only connects with TLS verified against a CA bundle. Set tls_ca to the RDS CA bundle (global-bundle.pem), or write `tls: disabled` for a server on this machine.", at: clusterKey)
                }
                return nil
            }
            return .verified(caBundle: tlsCA.value)
        }
        if let tlsCA {
            reader.error("\(context) has tls_ca and `tls: disabled`; remove tls_ca to connect without TLS, or remove `tls: disabled` to verify the server against it.", at: tlsCA.position)
            return nil
        }
        if let endpoint, !NameRules.isLoopbackHost(endpoint.value) {
            reader.error("\(context) has `tls: disabled`, which is only for a server on this machine (127.0.0.1, ::1 or localhost), but its endpoint '\(endpoint.value)' is reached over the network; set tls_ca to the RDS CA bundle (global-bundle.pem) instead.", at: fields["tls"]?.value.position ?? clusterKey)
            return nil
        }
        return .disabled
    }

    /// The classic mistake: the ARN in an `rds-db:connect` policy needs the resource id,
    /// and a policy written with the cluster's name silently allows nothing.
    private mutating func checkResourceID(_ resourceID: YAMLScalar, clusterName: String) {
        let value = resourceID.value
        guard !NameRules.isResourceID(value) else { return }
        if value == clusterName || (NameRules.isDBIdentifier(value) && !value.hasPrefix("cluster-") && !value.hasPrefix("db-")) {
            reader.error(
                "resource_id '\(value)' looks like a cluster name, but rds-db:connect policies need the cluster's resource id (cluster-…) or the instance's (db-…); find it with: aws rds describe-db-clusters --query \"DBClusters[*].[DBClusterIdentifier,DbClusterResourceId]\"",
                at: resourceID.position)
        } else {
            reader.error("resource_id '\(value)' must be a DbClusterResourceId (cluster-…) or a DbiResourceId (db-…), in upper case as RDS prints it.", at: resourceID.position)
        }
    }

    private mutating func decodeEngine(_ node: YAMLNode) -> Engine? {
        guard let scalar = reader.text(node, what: "engine") else { return nil }
        if let engine = Engine(rawValue: scalar.value) { return engine }
        let names = Engine.allCases.map(\.rawValue)
        reader.error("unknown engine '\(scalar.value)'.\(Suggestion.didYouMean(scalar.value, among: names)) Engines: \(names.joined(separator: ", ")).", at: scalar.position)
        return nil
    }

    private mutating func decodeAdmin(_ entry: YAMLMapping.Entry, context: String) -> AdminLogin? {
        if case .mapping(let mapping) = entry.value, let password = mapping.entries.first(where: { $0.key.value == "password" }) {
            reader.error("a password never goes in a manifest; put it in an environment variable and name it with `password_env: VARIABLE`, or log in with `iam: true`.", at: password.key.position)
            return nil
        }
        guard let fields = reader.fields(of: entry.value, context: "\(context) admin", owner: entry.key.position, allowed: ["user", "iam", "password_env"], required: ["user"]) else { return nil }
        let user = fields["user"].flatMap { reader.text($0.value, what: "\(context) admin user") }
        let iam = fields["iam"].flatMap { reader.bool($0.value, what: "\(context) admin iam") }
        let passwordEnvironment = fields["password_env"].flatMap { reader.text($0.value, what: "\(context) admin password_env") }
        if let passwordEnvironment, !NameRules.isEnvironmentVariableName(passwordEnvironment.value) {
            reader.error("password_env must name an environment variable (letters, digits and _), such as ORDERS_PROD_ADMIN_PASSWORD.", at: passwordEnvironment.position)
            return nil
        }
        guard let user else { return nil }
        switch (iam, passwordEnvironment) {
        case (true?, nil):
            return AdminLogin(user: user.value, method: .iam)
        case (false?, let variable?), (nil, let variable?):
            return AdminLogin(user: user.value, method: .passwordEnvironment(variable.value))
        case (true?, _?):
            reader.error("\(context) admin has both `iam: true` and `password_env`; keep one.", at: entry.key.position)
        case (_, nil):
            reader.error("\(context) admin needs `iam: true` or `password_env: VARIABLE` to say how dbiam logs in.", at: entry.key.position)
        }
        return nil
    }

    // MARK: - users

    static let userKeys = ["clusters", "host", "hosts", "require_ssl", "roles", "grants"]

    /// What a user's fields are checked against.
    private struct UserReferences: Sendable {
        var clusters: [Cluster]
        var clustersByName: [String: Cluster]
        /// The engines of every valid cluster, for a user on `["*"]`.
        var allEngines: [Engine]
        var adminUsers: Set<String>
        var roles: [String: Role]

        init(clusters: [Cluster], roles: [Role]) {
            self.clusters = clusters
            clustersByName = Dictionary(clusters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            allEngines = Engine.allCases.filter { engine in clusters.contains { $0.engine == engine } }
            adminUsers = Set(clusters.map(\.admin.user))
            self.roles = Dictionary(roles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private mutating func decodeUsers(_ node: YAMLNode, clusters: [Cluster], roles: [Role]) -> [User] {
        guard let mapping = reader.mapping(node, what: "users") else { return [] }
        let references = UserReferences(clusters: clusters, roles: roles)
        return inParts(mapping.entries, perPart: 2500) { decoder, entry in decoder.decodeUser(entry, references) }
    }

    /// The users of every part, in file order, and all their names (see `UserParts`); nil
    /// when a part must be read whole or a name is in two parts.
    private mutating func decodeUsers(_ parts: UserParts, references: UserReferences) -> (users: [User], names: Set<String>)? {
        let decoder = self
        let decodePart: @Sendable (Int) -> (users: [User], names: [String], diagnostics: [Diagnostic], kept: YAMLMapping?)? = { index in
            guard let mapping = parts.read(index) else { return nil }
            var copy = decoder
            copy.reader = SchemaReader()
            let users = mapping.entries.compactMap { copy.decodeUser($0, references) }
            return (users, mapping.entries.map(\.key.value), copy.reader.diagnostics, decoder.keepsUserParts ? mapping : nil)
        }
        // Otherwise one part after another, so only one part's tree exists at a time (two
        // once a helper joins in; with none, the parts are all this thread's).
        let decodedParts = decodesInParallel ? Parallel.map(parts.count, decodePart) : (sharedParts ?? SharedParts()).map(parts.count, decodePart)
        var users: [User] = []
        var names = Set<String>()
        let count = decodedParts.reduce(0) { $0 + ($1?.names.count ?? 0) }
        users.reserveCapacity(count)
        names.reserveCapacity(count)
        for part in decodedParts {
            guard let part else { return nil }
            for name in part.names {
                guard names.insert(name).inserted else { return nil }
            }
            users += part.users
            reader.absorb(part.diagnostics)
            if let kept = part.kept { keptUserParts.append(kept) }
        }
        return (users, names)
    }

    /// `decode` of each entry, in order. Entries that are decoded independently of each
    /// other are split over the cores in parts of about `perPart` (when `decodesInParallel`),
    /// each part with a decoder of its own whose findings join this one's.
    private mutating func inParts<Decoded: Sendable>(
        _ entries: [YAMLMapping.Entry], perPart: Int, _ decode: @Sendable (inout ManifestDecoder, YAMLMapping.Entry) -> Decoded?
    ) -> [Decoded] {
        let decoder = self
        let ranges = Parallel.ranges(entries.count, parts: decodesInParallel ? entries.count / perPart : 1)
        let parts = Parallel.map(ranges.count) { part in
            var copy = decoder
            copy.reader = SchemaReader()
            let decoded = entries[ranges[part]].compactMap { decode(&copy, $0) }
            return (decoded, copy.reader.diagnostics)
        }
        for (_, diagnostics) in parts { reader.absorb(diagnostics) }
        return parts.flatMap(\.0)
    }

    private mutating func decodeUser(_ entry: YAMLMapping.Entry, _ references: UserReferences) -> User? {
        let name = entry.key.value
        // Made only for a message: most users have none.
        func context() -> String { "user '\(name)'" }
        checkUserName(name, at: entry.key.position, adminUsers: references.adminUsers)
        guard let fields = reader.fields(of: entry.value, context: context(), owner: entry.key.position, allowed: Self.userKeys, required: ["clusters"]) else { return nil }
        let positions = fields.positions

        let selection = fields["clusters"].flatMap { decodeClusterSelection($0.value, what: "\(context()) clusters") }
        var engines: [Engine] = []
        switch selection {
        case .all?:
            engines = references.allEngines
        case .named(let names)?:
            for engine in names.compactMap({ references.clustersByName[$0]?.engine }) where !engines.contains(engine) { engines.append(engine) }
        case nil: break
        }
        if let selection, let (cluster, pattern) = unmanagedPattern(matching: name, on: selection) {
            reader.error("user '\(name)' matches the unmanaged pattern '\(pattern)' (line \(pattern.position.line)) of cluster '\(cluster.name)', so dbiam would never create or change it there; rename the user or narrow the pattern.", at: entry.key.position)
        }
        for engine in Engine.allCases where engines.contains(engine) {
            if let problem = NameRules.userNameLengthProblem(name, engine: engine) {
                reader.error("user name '\(NameRules.printable(name))' \(problem).", at: entry.key.position)
                break
            }
        }
        let hosts = decodeHosts(fields, context: context())
        let requireSSL = fields["require_ssl"].map { reader.bool($0.value, what: "\(context()) require_ssl") } ?? defaults.requireSSL
        let grants = fields["grants"].map { decodeGrants($0.value, context: context(), engines: engines) } ?? []
        var userRoles: [String] = []
        if let entry = fields["roles"], let selection {
            userRoles = decodeUserRoles(entry.value, user: name, on: references.clusters.filter { selection.includes($0.name) }, roles: references.roles) ?? []
        }

        guard let selection, let hosts, let requireSSL else { return nil }
        return User(
            name: name, clusters: selection, hosts: hosts, requireSSL: requireSSL, grants: grants, roles: userRoles,
            position: entry.key.position, fields: positions)
    }

    /// `users.<n>.roles`: defined roles, each on every cluster of the user, and on
    /// MariaDB one at most (it activates one default role at login).
    private mutating func decodeUserRoles(_ node: YAMLNode, user: String, on clusters: [Cluster], roles: [String: Role]) -> [String]? {
        guard let items = reader.textList(node, what: "user '\(user)' roles") else { return nil }
        var names: [String] = []
        for item in items {
            guard let role = roles[item.value] else {
                // A role with an error of its own is not reported again here.
                if !declared.roles.contains(item.value) {
                    reader.error("user '\(user)' roles names '\(item.value)', which is not defined under roles.\(Suggestion.didYouMean(item.value, among: declared.roles.sorted()))", at: item.position)
                }
                continue
            }
            if names.contains(item.value) {
                reader.error("user '\(user)' roles lists '\(item.value)' twice.", at: item.position)
                continue
            }
            if let cluster = clusters.first(where: { !role.isOn($0.name) }) {
                reader.error("user '\(user)' is on cluster '\(cluster.name)', where role '\(item.value)' is not; add the cluster to roles.\(item.value).clusters, or take the user off it.", at: item.position)
                continue
            }
            if !names.isEmpty, let cluster = clusters.first(where: { $0.engine.activatesOneDefaultRole }) {
                reader.error("user '\(user)' has the roles \(names.joined(separator: ", ")) and '\(item.value)', but MariaDB (cluster '\(cluster.name)') activates one default role at login (SET DEFAULT ROLE r FOR u); give the user one role that holds what both grant.", at: item.position)
                continue
            }
            names.append(item.value)
        }
        return names
    }

    // MARK: - roles

    private mutating func decodeRoles(_ node: YAMLNode, clusters: [Cluster]) -> [Role] {
        guard let mapping = reader.mapping(node, what: "roles") else { return [] }
        let allEngines = Engine.allCases.filter { engine in clusters.contains { $0.engine == engine } }
        let adminUsers = Set(clusters.map(\.admin.user))
        return mapping.entries.compactMap { decodeRole($0, clusters: clusters, allEngines: allEngines, adminUsers: adminUsers) }
    }

    private mutating func decodeRole(_ entry: YAMLMapping.Entry, clusters: [Cluster], allEngines: [Engine], adminUsers: Set<String>) -> Role? {
        let name = entry.key.value
        let context = "role '\(name)'"
        var valid = true
        if let problem = NameRules.userNameProblem(name) {
            reader.error("role name '\(NameRules.printable(name))' \(problem).", at: entry.key.position)
            valid = false
        } else if let reason = NameRules.reservedRoleName(name) {
            reader.error("'\(name)' \(reason); choose another role name.", at: entry.key.position)
            valid = false
        } else if declared.users.contains(name) || adminUsers.contains(name) {
            reader.error("role '\(name)' has the name of a user; MySQL keeps roles and accounts in one table (and a role is granted by name), so give the role another name.", at: entry.key.position)
            valid = false
        }
        guard let fields = reader.fields(of: entry.value, context: context, owner: entry.key.position, allowed: ["clusters", "grants"], required: ["clusters"]),
            let selection = fields["clusters"].flatMap({ decodeClusterSelection($0.value, what: "\(context) clusters") })
        else { return nil }
        let onClusters = clusters.filter { selection.includes($0.name) }
        if let (cluster, pattern) = unmanagedPattern(matching: name, on: selection) {
            reader.error("role '\(name)' matches the unmanaged pattern '\(pattern)' (line \(pattern.position.line)) of cluster '\(cluster.name)', so dbiam would never create or change it there; rename the role or narrow the pattern.", at: entry.key.position)
            valid = false
        }
        if let cluster = onClusters.first(where: { !$0.engine.hasRoles }) {
            reader.error("\(context) is on cluster '\(cluster.name)', whose engine \(cluster.engine.rawValue) has no roles (they came with MySQL 8.0 and Aurora MySQL 3); leave the cluster out of the role and grant its privileges to the users there.", at: fields["clusters"]!.value.position)
            valid = false
        }
        var engines: [Engine] = []
        switch selection {
        case .all: engines = allEngines
        case .named: for engine in onClusters.map(\.engine) where !engines.contains(engine) { engines.append(engine) }
        }
        for engine in Engine.allCases where engines.contains(engine) {
            if let problem = NameRules.userNameLengthProblem(name, engine: engine) {
                reader.error("role name '\(NameRules.printable(name))' \(problem).", at: entry.key.position)
                valid = false
                break
            }
        }
        let grants = fields["grants"].map { decodeGrants($0.value, context: context, engines: engines) } ?? []
        guard valid else { return nil }
        return Role(name: name, clusters: selection, grants: grants, position: entry.key.position, fields: fields.positions)
    }

    /// `host: H`, `hosts: [H1, H2]` (one account each), or `defaults.host`.
    private mutating func decodeHosts(_ fields: Fields, context: @autoclosure () -> String) -> [String]? {
        switch (fields["host"], fields["hosts"]) {
        case (_?, let several?):
            reader.error("\(context()) has both `host` and `hosts`; `host: H` is short for `hosts: [H]`, so keep one.", at: several.key.position)
            return nil
        case (let one?, nil):
            return decodeHost(one.value).map { [$0] }
        case (nil, let several?):
            guard let items = reader.textList(several.value, what: "\(context()) hosts") else { return nil }
            if items.isEmpty {
                reader.error("\(context()) hosts is empty; list the hosts its accounts are for, such as [\"10.0.1.%\"], or leave it out for \(defaults.host).", at: several.value.position)
                return nil
            }
            var hosts: [String] = []
            var valid = true
            for item in items {
                guard let host = decodeHost(.scalar(item)) else {
                    valid = false
                    continue
                }
                if hosts.contains(host) {
                    reader.error("\(context()) hosts lists '\(host)' twice.", at: item.position)
                    valid = false
                } else {
                    hosts.append(host)
                }
            }
            return valid ? hosts : nil
        case (nil, nil):
            return [defaults.host]
        }
    }

    /// The first cluster (in file order) of the user's whose `unmanaged` patterns match
    /// its name, and the pattern. Most manifests have no patterns: then nothing is looked at.
    private func unmanagedPattern(matching name: String, on selection: User.Clusters) -> (Cluster, UserNamePattern)? {
        guard clustersWithPatterns.isEmpty == false else { return nil }
        for cluster in clustersWithPatterns where selection.includes(cluster.name) {
            if let pattern = cluster.unmanaged.first(where: { $0.matches(name) }) { return (cluster, pattern) }
        }
        return nil
    }

    private mutating func checkUserName(_ name: String, at position: SourcePosition, adminUsers: Set<String>) {
        if let problem = NameRules.userNameProblem(name) {
            reader.error("user name '\(NameRules.printable(name))' \(problem).", at: position)
        } else if NameRules.isReservedUserName(name) {
            reader.error("'\(name)' is a reserved account that dbiam never manages; choose another user name.", at: position)
        } else if adminUsers.contains(name) {
            reader.error("'\(name)' is the admin user dbiam logs in as; dbiam never changes its own login, so give the IAM user another name.", at: position)
        }
    }

    private mutating func decodeClusterSelection(_ node: YAMLNode, what: @autoclosure () -> String) -> User.Clusters? {
        guard let items = reader.textList(node, what: what()) else { return nil }
        if items.isEmpty {
            reader.error("\(what()) is empty; list cluster names or [\"*\"] for every cluster.", at: node.position)
            return nil
        }
        if items.contains(where: { $0.value == "*" }) {
            if items.count > 1 { reader.error("\(what()) mixes \"*\" with cluster names; \"*\" already means every cluster.", at: node.position) }
            return .all
        }
        var names: [String] = []
        var valid = true
        for item in items {
            if !declared.clusters.contains(item.value) {
                reader.error("\(what()) names cluster '\(item.value)', which is not defined under clusters.\(Suggestion.didYouMean(item.value, among: declared.clusters.sorted()))", at: item.position)
                valid = false
            } else if names.contains(item.value) {
                reader.error("\(what()) lists cluster '\(item.value)' twice.", at: item.position)
            } else {
                names.append(item.value)
            }
        }
        return valid ? .named(names) : nil
    }

    private mutating func decodeHost(_ node: YAMLNode) -> String? {
        guard let host = reader.text(node, what: "host") else { return nil }
        if let problem = NameRules.hostProblem(host.value) {
            let advice = NameRules.isLoopbackHost(host.value) ? "; use \"%\" or the client's address range" : ""
            reader.error("host '\(NameRules.printable(host.value))' \(problem)\(advice).", at: host.position)
            return nil
        }
        return host.value
    }

    private mutating func decodeGrants(_ node: YAMLNode, context: @autoclosure () -> String, engines: [Engine]) -> [Grant] {
        guard let items = reader.list(node, what: "\(context()) grants") else { return [] }
        var grants: [Grant] = []
        var firstLine: [GrantTarget: Int] = [:]
        for item in items {
            guard let grant = decodeGrant(item, context: context(), engines: engines) else { continue }
            if let line = firstLine[grant.target] {
                reader.error("\(context()) has two grants on \(grant.target) (the first on line \(line)); merge their privileges into one.", at: grant.position)
                continue
            }
            // A single grant, the usual case, cannot repeat a target: no index to build.
            if items.count > 1 { firstLine[grant.target] = grant.position.line }
            grants.append(grant)
        }
        return grants
    }

    private mutating func decodeGrant(_ node: YAMLNode, context: @autoclosure () -> String, engines: [Engine]) -> Grant? {
        guard let fields = reader.fields(of: node, context: "a grant of \(context())", owner: node.position, allowed: ["on", "privileges", "except"], required: ["on", "privileges"]),
            let on = fields["on"].flatMap({ reader.text($0.value, what: "on") }),
            let written = fields["privileges"].flatMap({ reader.textList($0.value, what: "privileges") })
        else { return nil }
        let target: GrantTarget
        switch GrantTarget.parse(on.value) {
        case .success(let parsed): target = parsed
        case .failure(let problem):
            reader.error("'\(NameRules.printable(on.value))': \(problem).", at: on.position)
            return nil
        }
        if written.isEmpty {
            reader.error("privileges is empty; list at least one privilege, such as [SELECT].", at: fields["privileges"]!.value.position)
            return nil
        }
        var privileges = Set<Privilege>(minimumCapacity: written.count)
        var positions: [Grant.WrittenPrivilege] = []
        positions.reserveCapacity(written.count)
        var valid = true
        // Looked up once per grant, not once per privilege.
        let catalogs = Engine.allCases.filter(engines.contains).map { ($0, PrivilegeCatalog(engine: $0)) }
        for item in written {
            let privilege = Privilege.canonical(item.value)
            valid = checkPrivilege(privilege, as: item, target: target, catalogs: catalogs) && valid
            if privileges.insert(privilege).inserted { positions.append(Grant.WrittenPrivilege(privilege: privilege, position: item.position)) }
        }
        var excluded: [String] = []
        if let entry = fields["except"] {
            guard let databases = decodeExcludedDatabases(entry, target: target, privileges: privileges, engines: engines) else { return nil }
            excluded = databases
        }
        guard valid else { return nil }
        return Grant(target: target, privileges: privileges, excludedDatabases: excluded, position: node.position, writtenPrivileges: positions)
    }

    /// `except: [mysql]` on a grant on `*.*`: partial revokes, where the engines have them.
    private mutating func decodeExcludedDatabases(_ entry: YAMLMapping.Entry, target: GrantTarget, privileges: Set<Privilege>, engines: [Engine]) -> [String]? {
        guard target == .everything else {
            reader.error("except: leaves databases out of a grant on *.* only; this grant is on \(target) already, so remove except.", at: entry.key.position)
            return nil
        }
        if let engine = engines.first(where: { !$0.hasPartialRevokes }) {
            reader.error("except: needs partial revokes, which mysql-8.0 and aurora-mysql-3 have and \(engine.rawValue) has not; grant the privileges on each database the user needs (db.*) instead.", at: entry.key.position)
            return nil
        }
        guard let items = reader.textList(entry.value, what: "except") else { return nil }
        if items.isEmpty {
            reader.error("except is empty; list the databases to leave out, such as [mysql], or remove it.", at: entry.value.position)
            return nil
        }
        for engine in engines {
            let catalog = PrivilegeCatalog(engine: engine)
            if !catalog.expanded(privileges, at: .global).contains(where: { $0 != .grantOption && catalog.levels(of: $0).contains(.database) }) {
                reader.error("except: none of these privileges is held per database, so there is nothing to leave out of one; remove except.", at: entry.key.position)
                return nil
            }
        }
        var databases: [String] = []
        for item in items {
            guard case .success(let parsed) = GrantTarget.parse(item.value + ".*"), parsed.database == item.value, item.value != "*" else {
                reader.error("except: '\(NameRules.printable(item.value))' is not a database name; list names such as mysql, without `.*`.", at: item.position)
                return nil
            }
            if databases.contains(item.value) {
                reader.error("except lists '\(item.value)' twice.", at: item.position)
                return nil
            }
            databases.append(item.value)
        }
        return databases
    }

    /// `catalogs`: of the grant's engines, in `Engine.allCases` order.
    private mutating func checkPrivilege(_ privilege: Privilege, as item: YAMLScalar, target: GrantTarget, catalogs: [(Engine, PrivilegeCatalog)]) -> Bool {
        for (engine, catalog) in catalogs {
            guard let grantable = catalog.isGrantable(privilege, at: target.level) else {
                reader.error("'\(item.value)' is not a privilege of \(engine.rawValue).\(Suggestion.didYouMean(item.value, among: catalog.names))", at: item.position)
                return false
            }
            guard grantable else {
                let levels = catalog.levels(of: privilege)
                let hint = levels.contains(.database) ? "a database (`db.*`) or globally (`*.*`)" : "globally, ON *.*"
                reader.error("\(privilege) cannot be granted on \(target); it is granted \(hint).", at: item.position)
                return false
            }
        }
        return true
    }

    // MARK: - permission sets

    /// `reach` knows the users and clusters without errors.
    private mutating func decodePermissionSets(_ node: YAMLNode, organization: Organization?, aws: AWSSettings, reach: PermissionSetReach) -> [PermissionSet] {
        guard let mapping = reader.mapping(node, what: "permission_sets") else { return [] }
        // Independent of each other, as users are: split over the cores the same way.
        return inParts(mapping.entries, perPart: 250) { decoder, entry in
            decoder.decodePermissionSet(entry, organization: organization, aws: aws, reach: reach)
        }
    }

    /// `attach: none`, `attach: identity_center` or `attach: {role: ARN}` (block form).
    private mutating func decodeAttachment(_ entry: YAMLMapping.Entry, context: String, aws: AWSSettings) -> PolicyAttachment? {
        if case .mapping = entry.value {
            guard let fields = reader.fields(of: entry.value, context: "\(context) attach", owner: entry.key.position, allowed: ["role"], required: ["role"]),
                let arn = fields["role"].flatMap({ reader.text($0.value, what: "\(context) attach role") })
            else { return nil }
            guard NameRules.isRoleARN(arn.value) else {
                reader.error("\(context) attach role '\(arn.value)' is not an IAM role ARN such as arn:aws:iam::123456789012:role/bastion (aws iam get-role --role-name NAME --query Role.Arn).", at: arn.position)
                return nil
            }
            return .role(arn: arn.value)
        }
        guard let value = reader.text(entry.value, what: "\(context) attach") else { return nil }
        switch value.value {
        case "none": return PolicyAttachment.none
        case "identity_center":
            guard aws.identityCenter != nil else {
                // An invalid aws.identity_center has its own error.
                if declared.identityCenter { return nil }
                reader.error("\(context) has `attach: identity_center`, which needs the Identity Center instance: add aws.identity_center with instance_arn and region (aws sso-admin list-instances).", at: value.position)
                return nil
            }
            return .identityCenter
        default:
            reader.error("\(context) attach must be `none`, `identity_center`, or a mapping with `role: ROLE_ARN`, not '\(value.value)'.\(Suggestion.didYouMean(value.value, among: ["none", "identity_center"]))", at: value.position)
            return nil
        }
    }

    private mutating func decodePermissionSet(_ entry: YAMLMapping.Entry, organization: Organization?, aws: AWSSettings, reach: PermissionSetReach) -> PermissionSet? {
        let name = entry.key.value
        let context = "permission set '\(name)'"
        if !NameRules.isPermissionSetName(name) {
            reader.error("permission set name '\(name)' must be 1 to 32 of the characters A-Z a-z 0-9 + = , . @ _ -.", at: entry.key.position)
        }
        guard let fields = reader.fields(of: entry.value, context: context, owner: entry.key.position, allowed: ["users", "clusters", "org_path", "attach", "proxies"], required: ["users"]) else { return nil }
        let positions = fields.positions

        var users: [String] = []
        var listed = Set<String>()
        var valid = true
        if let items = fields["users"].flatMap({ reader.textList($0.value, what: "\(context) users") }) {
            listed.reserveCapacity(items.count)
            users.reserveCapacity(items.count)
            if items.isEmpty { reader.error("\(context) users is empty; list the database users it may connect as.", at: entry.key.position) }
            for item in items {
                // A user without an error, as nearly all are, is declared: asked first.
                if reach.includesUser(named: item.value) {
                    if listed.insert(item.value).inserted { users.append(item.value) }
                } else if !declared.users.contains(item.value) {
                    reader.error("\(context) names user '\(item.value)', which is not defined under users.\(Suggestion.didYouMean(item.value, among: declared.users.sorted()))", at: item.position)
                    valid = false
                } else {
                    valid = false
                }
            }
        } else {
            valid = false
        }
        var clusters: [String]?
        if let node = fields["clusters"]?.value {
            switch decodeClusterSelection(node, what: "\(context) clusters") {
            case .all?: clusters = nil
            case .named(let names)?: clusters = names
            case nil: valid = false
            }
        }
        var orgPath: String?
        if let scalar = fields["org_path"].flatMap({ reader.text($0.value, what: "\(context) org_path") }) {
            if declared.organization {
                if let organization, organization.path(named: scalar.value) != nil {
                    orgPath = scalar.value
                } else if declared.paths.contains(scalar.value) {
                    valid = false
                } else {
                    reader.error("org_path '\(scalar.value)' is not a key of organization.paths.\(Suggestion.didYouMean(scalar.value, among: declared.paths.sorted()))", at: scalar.position)
                    valid = false
                }
            } else {
                reader.error("org_path needs an `organization:` section with `paths:` to look '\(scalar.value)' up in.", at: scalar.position)
                valid = false
            }
        }
        var proxies: [String] = []
        if let items = fields["proxies"].flatMap({ reader.textList($0.value, what: "\(context) proxies") }) {
            for item in items {
                if !NameRules.isProxyResourceID(item.value) {
                    let hint = NameRules.isDBIdentifier(item.value)
                        ? " It looks like the proxy's name; find its id with: aws rds describe-db-proxies --query \"DBProxies[*].[DBProxyName,DBProxyArn]\" (the id ends the ARN)." : ""
                    reader.error("\(context) proxies: '\(item.value)' is not an RDS Proxy resource id (prx- and 8 to 64 lower-case letters or digits).\(hint)", at: item.position)
                    valid = false
                } else if proxies.contains(item.value) {
                    reader.error("\(context) proxies lists '\(item.value)' twice.", at: item.position)
                } else {
                    proxies.append(item.value)
                }
            }
        }
        var attachment = PolicyAttachment.none
        if let attach = fields["attach"] {
            if let decoded = decodeAttachment(attach, context: context, aws: aws) { attachment = decoded } else { valid = false }
        }
        guard valid else { return nil }
        let permissionSet = PermissionSet(
            name: name, users: users, clusters: clusters, orgPath: orgPath, attachment: attachment, proxies: proxies, position: entry.key.position,
            fields: positions)
        // Without `clusters:` it reaches every cluster its users are on, and each user is on one.
        if clusters == nil ? users.isEmpty : !reach.reachesAnyCluster(permissionSet) {
            reader.error("\(context) reaches no cluster: none of its users is on the clusters it names, so its policy would allow nothing.", at: entry.key.position)
            return nil
        }
        // An IAM policy and the role it is attached to live in one partition. Asked once per
        // cluster reached, not once per user on it.
        var clustersReached: [Int] = []
        var partitions: [Partition] = []
        for connection in reach.connections(of: permissionSet) where !clustersReached.contains(connection.clusterIndex) {
            clustersReached.append(connection.clusterIndex)
            let partition = connection.cluster.partition
            if !partitions.contains(partition) { partitions.append(partition) }
        }
        if partitions.count > 1 {
            reader.error("\(context) reaches clusters in the partitions \(partitions.map(\.rawValue).joined(separator: " and ")), but a policy names ARNs of one partition only; split it into one permission set per partition.", at: entry.key.position)
            return nil
        }
        if case .role(let arn) = attachment, let partition = partitions.first, !arn.hasPrefix("arn:\(partition.rawValue):") {
            reader.error("\(context) attaches its policy to \(arn), but its clusters are in the \(partition.rawValue) partition; attach it to a role of that partition.", at: fields["attach"]?.value.position ?? entry.key.position)
            return nil
        }
        return permissionSet
    }
}

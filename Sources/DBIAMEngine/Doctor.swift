import AWSAuth
import DBIAMCore
import FoundationEssentials
import MariaDB

/// Walks the path an IAM login takes and says where it breaks: name, network, TLS,
/// admin login, the account, and a token login.
public struct Doctor: Sendable {
    public struct Step: Sendable {
        public enum Outcome: Sendable {
            case passed(String)
            /// What went wrong and what to do about it.
            case failed(String)
            /// Not tried because an earlier step failed.
            case skipped(String)
            /// Not checked, for a reason that does not fail the login (AWS unreachable).
            case noted(String)
        }

        public var title: String
        public var outcome: Outcome

        public var passed: Bool {
            switch outcome {
            case .passed, .noted: true
            case .failed, .skipped: false
            }
        }
    }

    public var cluster: Cluster
    public var user: User?
    public var login: ClusterLogin
    /// Seconds for the TCP step: a security group that drops packets shows as silence.
    public var tcpTimeout: Int
    /// Signs a token for `user` with the caller's AWS credentials.
    public var userToken: @Sendable () async throws -> Secret
    /// Which credentials signed it (source and access key id, never the secret).
    public var credentialsDescription: @Sendable () async -> String
    /// The checks of the AWS half, run first; nil leaves AWS out.
    public var aws: AWSDoctor?

    public init(
        cluster: Cluster, user: User?, login: ClusterLogin, tcpTimeout: Int = 3,
        userToken: @escaping @Sendable () async throws -> Secret,
        credentialsDescription: @escaping @Sendable () async -> String
    ) {
        self.cluster = cluster
        self.user = user
        self.login = login
        self.tcpTimeout = tcpTimeout
        self.userToken = userToken
        self.credentialsDescription = credentialsDescription
    }

    /// Runs the checks in order, handing each to `report` as it finishes; true when all pass.
    public func run(report: @Sendable (Step) -> Void) async -> Bool {
        var steps: [Step] = []
        @discardableResult
        func record(_ step: Step) -> Bool {
            steps.append(step)
            report(step)
            return step.passed
        }
        let place = "\(cluster.endpoint):\(cluster.port)"
        for step in await aws?.steps() ?? [] { record(step) }

        // 1. Name resolution.
        var addresses: [String] = []
        switch NetworkProbe.resolve(cluster.endpoint) {
        case .success(let resolved):
            addresses = resolved
            record(Step(title: "resolve \(cluster.endpoint)", outcome: .passed(resolved.joined(separator: ", "))))
        case .failure(let error):
            record(Step(title: "resolve \(cluster.endpoint)", outcome: .failed(
                "the name does not resolve (\(error)). Check the endpoint (aws rds describe-db-clusters --query \"DBClusters[*].Endpoint\"); a private endpoint resolves only inside its VPC or over its DNS.")))
        }

        // 2. TCP.
        var reachable = false
        if let address = addresses.first {
            let title = "TCP connect to \(address):\(cluster.port)"
            switch NetworkProbe.connect(address: address, port: cluster.port, timeout: tcpTimeout) {
            case .connected(let milliseconds):
                reachable = true
                record(Step(title: title, outcome: .passed("\(milliseconds) ms")))
            case .refused:
                record(Step(title: title, outcome: .failed(
                    "the connection was refused: nothing listens on port \(cluster.port) there. Check the port in the manifest and that the cluster is available.")))
            case .timedOut:
                record(Step(title: title, outcome: .failed(
                    "no answer within \(tcpTimeout) s. The cluster's security group must allow inbound TCP \(cluster.port) from this machine (from a bastion: from the bastion's security group); also check network ACLs and routes.")))
            case .failed(let message):
                record(Step(title: title, outcome: .failed("\(message).")))
            }
        } else {
            record(Step(title: "TCP connect to \(place)", outcome: .skipped("the name did not resolve")))
        }

        // 3. TLS.
        let caFile = cluster.tlsCA.map(login.resolvePath)
        var tlsWorks = false
        if !reachable {
            record(Step(title: "TLS", outcome: .skipped("no TCP connection")))
        } else if let caFile {
            tlsWorks = record(tlsStep(caFile: caFile, written: cluster.tlsCA ?? caFile))
        } else {
            record(Step(title: "TLS", outcome: .failed(
                "the manifest says `tls: disabled`. IAM tokens are sent in cleartext and need TLS: download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem, set tls_ca to it and remove `tls: disabled`.")))
        }

        // 4. Admin login, and 5. the account.
        var adminConnection: Connection?
        if reachable {
            let title = "admin login as \(cluster.admin.user)"
            do {
                let connection = try Connection(try await login.options(for: cluster))
                adminConnection = connection
                record(Step(title: title, outcome: .passed(connection.serverVersion)))
            } catch let error as MariaDBError {
                record(Step(title: title, outcome: .failed(ConnectionFailure.explain(error, cluster: cluster, timeout: login.connectTimeout) + ".")))
            } catch {
                record(Step(title: title, outcome: .failed("\(error).")))
            }
        } else {
            record(Step(title: "admin login as \(cluster.admin.user)", outcome: .skipped("no TCP connection")))
        }

        if let user {
            for account in user.accounts {
                if let adminConnection {
                    record(accountStep(account, roles: user.roles, connection: adminConnection))
                } else {
                    record(Step(title: "account \(account)", outcome: .skipped("needs the admin login")))
                }
            }
            if tlsWorks {
                record(await tokenLoginStep(user: user))
            } else {
                record(Step(title: "token login as \(user.name)", outcome: .skipped("needs TLS")))
            }
        }
        return steps.allSatisfy(\.passed)
    }

    /// A login attempt as a user that does not exist: reaching "access denied" proves
    /// the TLS handshake with the CA worked, without needing any credentials.
    private func tlsStep(caFile: String, written: String) -> Step {
        let title = "TLS with \(written)"
        guard FileManager.default.isReadableFile(atPath: caFile) else {
            return Step(title: title, outcome: .failed("\(caFile) does not exist or is not readable. Download https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem there."))
        }
        let probe = login.options(for: cluster, user: "dbiam_doctor_tls_probe", password: Secret("-"), cleartextPassword: false)
        do {
            _ = try Connection(probe)
            return Step(title: title, outcome: .passed("certificate verified"))
        } catch where error.code == MariaDBError.tlsFailed {
            return Step(title: title, outcome: .failed(
                "the server certificate does not verify with this CA bundle (\(error.message)). Use the RDS bundle (global-bundle.pem) and connect to the cluster endpoint the certificate was issued for."))
        } catch where error.isConnectionFailure {
            return Step(title: title, outcome: .failed("\(error)."))
        } catch {
            return Step(title: title, outcome: .passed("certificate verified"))
        }
    }

    /// `roles`: the manifest's roles of the user, which must be granted and default.
    private func accountStep(_ account: AccountName, roles: [String], connection: Connection) -> Step {
        let title = "account \(account)"
        let state: LiveState
        do {
            state = try connection.during("read the grant tables") { connection throws(MariaDBError) in try StateReader.read(from: connection) }
        } catch {
            return Step(title: title, outcome: .failed("could not read the accounts: \(error)."))
        }
        guard let live = state.account(named: account) else {
            let others = state.accounts.filter { $0.name.user == account.user }.map(\.name.description)
            if !others.isEmpty {
                return Step(title: title, outcome: .failed(
                    "the user exists as \(others.joined(separator: ", ")), not with host '\(account.host)' as the manifest says. Run dbiam plan and dbiam apply to converge it."))
            }
            return Step(title: title, outcome: .failed("the account does not exist on the cluster. Run dbiam plan and dbiam apply to create it."))
        }
        guard live.usesIAM else {
            return Step(title: title, outcome: .failed(
                "the account uses \(live.plugin), not \(AccountStatement.pluginName), so tokens cannot log in. Run dbiam plan and dbiam apply to switch it."))
        }
        let wanted = roles.map { state.roleName($0, engine: cluster.engine) }
        let notDefault = wanted.filter { !live.roles.contains($0) || !live.defaultRoles.contains($0) }
        guard notDefault.isEmpty else {
            return Step(title: title, outcome: .failed(
                "the account does not hold \(notDefault.map(\.description).joined(separator: ", ")) as a default role, so the role's privileges are not active at login. Run dbiam plan and dbiam apply to give it."))
        }
        let held = wanted.isEmpty ? "" : ", default \(wanted.count == 1 ? "role" : "roles") \(wanted.map(\.description).joined(separator: ", "))"
        return Step(title: title, outcome: .passed("\(AccountStatement.pluginName), \(live.requireClause)\(held)"))
    }

    private func tokenLoginStep(user: User) async -> Step {
        let title = "token login as \(user.name)"
        let token: Secret
        do {
            token = try await userToken()
        } catch {
            return Step(title: title, outcome: .failed("could not sign a token: \(error)"))
        }
        let options = login.options(for: cluster, user: user.name, password: token, cleartextPassword: true)
        do {
            let connection = try Connection(options)
            let current = try connection.rows("SELECT CURRENT_USER()").rows.first?.first ?? nil
            guard !user.roles.isEmpty else { return Step(title: title, outcome: .passed("logged in as \(current ?? user.name)")) }
            let role = try connection.rows("SELECT CURRENT_ROLE()").rows.first?.first ?? nil
            return Step(title: title, outcome: .passed("logged in as \(current ?? user.name), with role \(role ?? "NONE")"))
        } catch where error.code == MariaDBError.accessDenied {
            let now = Date()
            return Step(title: title, outcome: .failed("""
                the server refused the token (ERROR 1045). On IAM authentication that means one of:
                - the IAM policy must allow rds-db:connect on exactly \(cluster.connectARN(user: user.name)) \
                (the resource id \(cluster.resourceID), not the cluster name, and the exact, case-sensitive user name);
                - the token was signed with credentials of another account than \(cluster.account) \
                (signed with: \(await credentialsDescription()));
                - the credentials expired, or the token is older than 15 minutes;
                - this machine's clock is off (it reads \(RFC3339.string(from: now))).
                """))
        } catch {
            return Step(title: title, outcome: .failed(ConnectionFailure.explain(error, cluster: cluster, timeout: login.connectTimeout) + "."))
        }
    }
}

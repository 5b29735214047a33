import AWSAuth
import DBIAMCore
import DBIAMEngine
import FoundationEssentials
import MariaDB

/// Signs IAM database tokens with the credentials the AWS CLI would use. They are
/// resolved once per run, however many tokens are signed: a `credential_process` may
/// be slow or ask for a login.
actor IAMTokens {
    let chain: AWSCredentialChain
    let profile: String?
    private var credentials: AWSCredentials?

    init(profile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.chain = AWSCredentialChain(environment: environment)
        self.profile = profile
    }

    func token(_ request: RDSAuthTokenRequest, at time: Date = Date()) async throws(CredentialError) -> Secret {
        Secret(RDSAuthToken.make(request, credentials: try await resolvedCredentials(), at: time))
    }

    /// A token for `user` on `cluster`, from the manifest's endpoint, port and region.
    func token(cluster: Cluster, user: String, at time: Date = Date()) async throws(CredentialError) -> Secret {
        try await token(RDSAuthTokenRequest(cluster: cluster, user: user), at: time)
    }

    /// How dbiam logs in to clusters as their admin; IAM admins get tokens signed here.
    /// `statementTimeout` bounds reads and writes (nil: `ClusterLogin`'s default); `trace`
    /// hears of every login and round trip (`-v`).
    nonisolated func clusterLogin(
        connectTimeout: Int, statementTimeout: Int? = nil, resolvePath: @escaping @Sendable (String) -> String,
        trace: (@Sendable (String, RoundTrip) -> Void)?
    ) -> ClusterLogin {
        var login = ClusterLogin(
            connectTimeout: connectTimeout, environment: ProcessInfo.processInfo.environment, resolvePath: resolvePath,
            iamToken: { try await self.token(cluster: $0, user: $0.admin.user) })
        login.trace = trace
        if let statementTimeout {
            login.readTimeout = statementTimeout
            login.writeTimeout = statementTimeout
        }
        return login
    }

    /// Where the credentials came from (never the secret), for messages.
    func resolvedCredentials() async throws(CredentialError) -> AWSCredentials {
        if let credentials { return credentials }
        let resolved = try await chain.credentials(profile: profile)
        credentials = resolved
        return resolved
    }
}

extension RDSAuthTokenRequest {
    /// For `user` on `cluster`, at the manifest's endpoint, port and region.
    init(cluster: Cluster, user: String) {
        self.init(hostname: cluster.endpoint, port: cluster.port, region: cluster.region, username: user)
    }
}

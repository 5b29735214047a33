import AWSAuth
import DBIAMCore
import Foundation
import MariaDB

/// Signs the IAM tokens dbiam logs in with when a cluster's admin has `iam: true`.
/// The credentials are resolved once per run, however many clusters need a token:
/// a `credential_process` may be slow or ask for a login.
actor AdminToken {
    private let chain: AWSCredentialChain
    private let profile: String?
    private var credentials: AWSCredentials?

    init(profile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.chain = AWSCredentialChain(environment: environment)
        self.profile = profile
    }

    func sign(_ cluster: Cluster) async throws -> Secret {
        let request = RDSAuthTokenRequest(hostname: cluster.endpoint, port: cluster.port, region: cluster.region, username: cluster.admin.user)
        return Secret(RDSAuthToken.make(request, credentials: try await resolvedCredentials(), at: Date()))
    }

    private func resolvedCredentials() async throws(CredentialError) -> AWSCredentials {
        if let credentials { return credentials }
        let resolved = try await chain.credentials(profile: profile)
        credentials = resolved
        return resolved
    }
}

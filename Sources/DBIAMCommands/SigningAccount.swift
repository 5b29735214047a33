import AWSAPI
import AWSAuth
import DBIAMCore

/// Whether the credentials that sign a token belong to the cluster's account: a token
/// signed in another account is always refused (ERROR 1045, which says nothing more), so
/// `token` and `connect` warn before anyone tries it.
enum SigningAccount {
    /// The account, from STS (one attempt, a few seconds), or read from the access key
    /// id when STS cannot be asked; nil when neither tells.
    static func account(
        of credentials: AWSCredentials, region: String, trace: (@Sendable (AWSCallAttempt) -> Void)?
    ) async -> (account: String, from: String)? {
        var client = AWSClient(
            region: region, credentials: .fixed(credentials), endpoints: AWSEndpointResolver(), timeout: .seconds(3),
            retryPolicy: AWSRetryPolicy(maxAttempts: 1))
        client.trace = trace
        do throws(AWSError) {
            return (try await client.sts.getCallerIdentity().account, "STS")
        } catch {
            return AccessKeyAccount.account(ofAccessKeyID: credentials.accessKeyID).map { ($0, "its key id, as STS could not be asked") }
        }
    }

    static func warnIfOther(_ credentials: AWSCredentials, cluster: Cluster, trace: (@Sendable (AWSCallAttempt) -> Void)?) async {
        guard let (account, source) = await account(of: credentials, region: cluster.region, trace: trace), account != cluster.account else { return }
        Terminal.warning(
            "the token is signed with access key \(credentials.accessKeyID) (\(credentials.source)) of account \(account) (from \(source)), but cluster \(cluster.name) is in account \(cluster.account), which refuses tokens signed in another account (ERROR 1045); sign with credentials of account \(cluster.account), for example with --profile.")
    }
}

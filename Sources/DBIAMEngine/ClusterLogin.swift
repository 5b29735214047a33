import DBIAMCore
import MariaDB

/// How dbiam logs in to a cluster as its admin, built from the manifest and the
/// environment. The password or token is read only here and travels as a `Secret`.
public struct ClusterLogin: Sendable {
    public var connectTimeout: Int
    public var readTimeout: Int
    public var writeTimeout: Int
    public var environment: [String: String]
    /// Turns `~/…` and paths relative to the manifest into absolute paths.
    public var resolvePath: @Sendable (String) -> String
    /// Signs an IAM token for the admin of a cluster whose manifest says `iam: true`.
    public var iamToken: @Sendable (Cluster) async throws -> Secret

    public init(
        connectTimeout: Int = 5, readTimeout: Int = 30, writeTimeout: Int = 30, environment: [String: String],
        resolvePath: @escaping @Sendable (String) -> String, iamToken: @escaping @Sendable (Cluster) async throws -> Secret
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.writeTimeout = writeTimeout
        self.environment = environment
        self.resolvePath = resolvePath
        self.iamToken = iamToken
    }

    /// The admin's login, with its password or a fresh IAM token.
    public func options(for cluster: Cluster) async throws -> ConnectionOptions {
        let password: Secret
        let cleartext: Bool
        switch cluster.admin.method {
        case .passwordEnvironment(let variable):
            guard let value = environment[variable], !value.isEmpty else { throw LoginError.missingPassword(variable: variable, cluster: cluster.name) }
            password = Secret(value)
            cleartext = false
        case .iam:
            guard cluster.tls != .disabled else { throw LoginError.iamWithoutTLS(cluster: cluster.name) }
            password = try await iamToken(cluster)
            cleartext = true
        }
        return options(for: cluster, user: cluster.admin.user, password: password, cleartextPassword: cleartext)
    }

    /// A login as `user` on `cluster`, with the cluster's TLS (verified against its
    /// tls_ca, unless the manifest says `tls: disabled`) and this login's timeouts.
    public func options(for cluster: Cluster, user: String, password: Secret, cleartextPassword: Bool) -> ConnectionOptions {
        let tls: ConnectionOptions.TLS =
            switch cluster.tls {
            case .verified(let caBundle): .verified(caFile: resolvePath(caBundle))
            case .disabled: .disabled
            }
        return ConnectionOptions(
            host: cluster.endpoint, port: cluster.port, user: user, password: password, cleartextPassword: cleartextPassword,
            tls: tls, connectTimeout: connectTimeout, readTimeout: readTimeout, writeTimeout: writeTimeout)
    }
}

public enum LoginError: Error, Sendable, CustomStringConvertible {
    case missingPassword(variable: String, cluster: String)
    case iamWithoutTLS(cluster: String)

    public var description: String {
        switch self {
        case .missingPassword(let variable, let cluster):
            "the admin password of cluster \(cluster) is read from the environment variable \(variable), which is not set; export it (for example from your secrets manager) and run dbiam again"
        case .iamWithoutTLS(let cluster):
            "cluster \(cluster) logs in with an IAM token, which travels in cleartext; set tls_ca to the RDS CA bundle (global-bundle.pem) and remove `tls: disabled` so the connection is encrypted and verified"
        }
    }
}

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
    /// Hears of every login and round trip to a cluster, named (`-v`).
    public var trace: (@Sendable (_ cluster: String, RoundTrip) -> Void)?

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

    /// The admin's login, with its password or a fresh IAM token. A CA bundle that
    /// cannot be read fails here, named, before anything is sent: libmariadb would only
    /// say "TLS/SSL error: No such file or directory".
    public func options(for cluster: Cluster) async throws -> ConnectionOptions {
        if let written = cluster.tlsCA {
            let path = resolvePath(written)
            if let problem = FileProblem.reading(path) {
                throw LoginError.unreadableCABundle(CABundle.describe(path, written: written), problem: problem)
            }
        }
        let password: Secret
        let cleartext: Bool
        switch cluster.admin.method {
        case .passwordEnvironment(let variable):
            guard let value = environment[variable] else { throw LoginError.missingPassword(variable: variable, cluster: cluster.name) }
            guard !value.isEmpty else { throw LoginError.emptyPassword(variable: variable, cluster: cluster.name) }
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
        var options = ConnectionOptions(
            host: cluster.endpoint, port: cluster.port, user: user, password: password, cleartextPassword: cleartextPassword,
            tls: tls, connectTimeout: connectTimeout, readTimeout: readTimeout, writeTimeout: writeTimeout)
        if let trace {
            let name = cluster.name
            options.trace = { trace(name, $0) }
        }
        return options
    }
}

public enum LoginError: Error, Sendable, CustomStringConvertible {
    case missingPassword(variable: String, cluster: String)
    /// Set, but to nothing: a secret that did not arrive (an empty CI secret), not a
    /// variable to export.
    case emptyPassword(variable: String, cluster: String)
    case iamWithoutTLS(cluster: String)
    /// The CA bundle as `CABundle.describe` names it, and why it cannot be read.
    case unreadableCABundle(String, problem: FileProblem)

    public var description: String {
        switch self {
        case .missingPassword(let variable, let cluster):
            "the admin password of cluster \(cluster) is read from the environment variable \(variable), which is not set; export it (for example from your secrets manager) and run dbiam again"
        case .emptyPassword(let variable, let cluster):
            "the admin password of cluster \(cluster) is read from the environment variable \(variable), which is empty; set it to the password (check that the secret it comes from is there) and run dbiam again"
        case .unreadableCABundle(let bundle, let problem):
            "the CA bundle \(bundle) cannot be read: \(problem), so dbiam did not connect; \(CABundle.advice)"
        case .iamWithoutTLS(let cluster):
            "cluster \(cluster) logs in with an IAM token, which travels in cleartext; set tls_ca to the RDS CA bundle (global-bundle.pem) and remove `tls: disabled` so the connection is encrypted and verified"
        }
    }
}

/// How messages name a cluster's CA bundle, and what to do when it is missing.
public enum CABundle {
    /// The resolved path, after `tls_ca` as written when that differs
    /// (`~/global-bundle.pem (/home/me/global-bundle.pem)`).
    public static func describe(_ path: String, written: String) -> String {
        written == path ? "\(path) (tls_ca)" : "\(written) (tls_ca, \(path))"
    }

    public static let advice =
        "download the RDS CA bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) to that path, or correct tls_ca"
}

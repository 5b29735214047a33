import FoundationEssentials

/// What an RDS IAM authentication token is for: one database user on one endpoint.
public struct RDSAuthTokenRequest: Sendable, Hashable {
    public var hostname: String
    public var port: Int
    public var region: String
    public var username: String

    public init(hostname: String, port: Int, region: String, username: String) {
        self.hostname = hostname
        self.port = port
        self.region = region
        self.username = username
    }
}

/// RDS IAM authentication tokens, byte for byte as `aws rds generate-db-auth-token`
/// (botocore's `generate_db_auth_token`) makes them.
public enum RDSAuthToken {
    /// How long a token can be used to log in after its signing time.
    public static let lifetimeSeconds = 900

    /// A token is the presigned URL of the `connect` action of the `rds-db` service,
    /// without its scheme: `HOST:PORT/?Action=connect&DBUser=…&X-Amz-…&X-Amz-Signature=…`.
    public static func make(_ request: RDSAuthTokenRequest, credentials: AWSCredentials, at signingTime: Date) -> String {
        let query = SigV4QueryPresigner.presignedQuery(
            operationParameters: [("Action", "connect"), ("DBUser", request.username)],
            hostHeader: hostHeader(hostname: request.hostname, port: request.port),
            service: "rds-db",
            region: request.region,
            expiresInSeconds: lifetimeSeconds,
            credentials: credentials,
            at: signingTime
        )
        return "\(request.hostname):\(request.port)/?\(query)"
    }

    /// botocore signs the URL `https://HOST:PORT/`, whose Host header is the hostname in
    /// lower case with the port, unless the port is https's default, 443.
    static func hostHeader(hostname: String, port: Int) -> String {
        let host = hostname.lowercased()
        return port == 443 ? host : "\(host):\(port)"
    }
}

/// The AWS services dbiam calls, with what signing, endpoints and messages need to
/// know about each.
public enum AWSService: String, Sendable, Hashable, CaseIterable {
    case rds
    case sts
    case iam
    /// IAM Identity Center's admin API (`sso-admin` in the AWS CLI).
    case ssoAdmin
    case organizations

    /// The name in the credential scope, which is also the host's first label.
    public var signingName: String {
        switch self {
        case .rds: "rds"
        case .sts: "sts"
        case .iam: "iam"
        case .ssoAdmin: "sso"
        case .organizations: "organizations"
        }
    }

    /// The prefix of the service's actions in IAM policies, for "grant rds:DescribeDBClusters".
    public var actionPrefix: String {
        switch self {
        case .ssoAdmin: "sso"
        default: signingName
        }
    }

    /// The SDKs' service id in upper snake case, as in AWS_ENDPOINT_URL_<ID>.
    public var endpointVariableSuffix: String {
        switch self {
        case .rds: "RDS"
        case .sts: "STS"
        case .iam: "IAM"
        case .ssoAdmin: "SSO_ADMIN"
        case .organizations: "ORGANIZATIONS"
        }
    }

    /// The service as the AWS CLI names it (`aws sso-admin …`).
    public var cliName: String {
        switch self {
        case .ssoAdmin: "sso-admin"
        default: rawValue
        }
    }

    /// How messages name the service.
    public var displayName: String {
        switch self {
        case .rds: "RDS"
        case .sts: "STS"
        case .iam: "IAM"
        case .ssoAdmin: "IAM Identity Center"
        case .organizations: "Organizations"
        }
    }

    var wireProtocol: WireProtocol {
        switch self {
        case .rds: .query(version: "2014-10-31")
        case .sts: .query(version: "2011-06-15")
        case .iam: .query(version: "2010-05-08")
        case .ssoAdmin: .json(targetPrefix: "SWBExternalService")
        case .organizations: .json(targetPrefix: "AWSOrganizationsV20161128")
        }
    }
}

/// The two protocols of the services dbiam calls.
enum WireProtocol: Sendable, Equatable {
    /// A form-encoded POST with Action and Version; the answer is XML.
    case query(version: String)
    /// JSON 1.1: a JSON POST naming the operation in X-Amz-Target; the answer is JSON.
    case json(targetPrefix: String)
}

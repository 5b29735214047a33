import HTTPClient

/// The IAM operations dbiam needs: the inline policies it manages on roles.
extension AWSClient {
    public var iam: IAMAPI { IAMAPI(client: self) }
}

public struct IAMAPI: Sendable {
    let client: AWSClient

    /// The name of a role from its ARN (`arn:aws:iam::123456789012:role/path/name` is
    /// `name`); nil when the ARN is not a role's.
    public static func roleName(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "iam", parts[5].hasPrefix("role/"),
            let name = parts[5].split(separator: "/").last, parts[5].count > "role/".count
        else { return nil }
        return String(name)
    }

    /// The policy document, decoded from the URL encoding IAM returns it in. A role or
    /// policy that does not exist is AWSError code NoSuchEntity.
    public func getRolePolicy(roleName: String, policyName: String) async throws(AWSError) -> String {
        let result = try await client.query(
            .iam, action: "GetRolePolicy", parameters: [("RoleName", roleName), ("PolicyName", policyName)])
        let encoded = result.string("PolicyDocument") ?? ""
        guard let document = encoded.percentDecoded() else {
            throw AWSError(
                service: .iam, operation: "GetRolePolicy", endpoint: nil, attempts: 1,
                reason: .unreadableResponse(httpStatus: 200, problem: "the policy document is not URL-encoded UTF-8"))
        }
        return document
    }

    /// Creates or replaces the inline policy.
    public func putRolePolicy(roleName: String, policyName: String, document: String) async throws(AWSError) {
        _ = try await client.query(
            .iam, action: "PutRolePolicy",
            parameters: [("RoleName", roleName), ("PolicyName", policyName), ("PolicyDocument", document)])
    }

    public func deleteRolePolicy(roleName: String, policyName: String) async throws(AWSError) {
        _ = try await client.query(
            .iam, action: "DeleteRolePolicy", parameters: [("RoleName", roleName), ("PolicyName", policyName)])
    }
}

import FoundationEssentials

/// An IAM Identity Center instance.
public struct IdentityCenterInstance: Sendable, Equatable, Decodable {
    public init(instanceARN: String, identityStoreID: String? = nil) {
        self.instanceARN = instanceARN
        self.identityStoreID = identityStoreID
    }

    public var instanceARN: String
    public var identityStoreID: String?

    enum CodingKeys: String, CodingKey {
        case instanceARN = "InstanceArn"
        case identityStoreID = "IdentityStoreId"
    }
}

public struct PermissionSet: Sendable, Equatable, Decodable {
    public init(arn: String, name: String, description: String? = nil) {
        self.arn = arn
        self.name = name
        self.description = description
    }

    public var arn: String
    public var name: String
    public var description: String?

    enum CodingKeys: String, CodingKey {
        case arn = "PermissionSetArn"
        case name = "Name"
        case description = "Description"
    }
}

/// Where a ProvisionPermissionSet request is.
public struct PermissionSetProvisioning: Sendable, Equatable, Decodable {
    public init(requestID: String, status: String, failureReason: String? = nil) {
        self.requestID = requestID
        self.status = status
        self.failureReason = failureReason
    }

    public var requestID: String
    /// IN_PROGRESS, FAILED or SUCCEEDED.
    public var status: String
    public var failureReason: String?

    public var isInProgress: Bool { status == "IN_PROGRESS" }
    public var succeeded: Bool { status == "SUCCEEDED" }

    enum CodingKeys: String, CodingKey {
        case requestID = "RequestId"
        case status = "Status"
        case failureReason = "FailureReason"
    }
}

extension AWSClient {
    /// IAM Identity Center's admin API; call it in the instance's home region (`inRegion`).
    public var identityCenter: IdentityCenterAPI { IdentityCenterAPI(client: self) }
}

/// The Identity Center operations dbiam needs: finding a permission set by name and
/// managing its inline policy.
public struct IdentityCenterAPI: Sendable {
    let client: AWSClient

    private struct Instance: Encodable {
        var InstanceArn: String
    }

    private struct PermissionSetRef: Encodable {
        var InstanceArn: String
        var PermissionSetArn: String
    }

    private struct Page: Encodable {
        var InstanceArn: String?
        var NextToken: String?
        var MaxResults: Int?
    }

    public func listInstances() async throws(AWSError) -> [IdentityCenterInstance] {
        struct Answer: Decodable {
            var Instances: [IdentityCenterInstance]?
            var NextToken: String?
        }
        var all: [IdentityCenterInstance] = []
        var token: String?
        repeat {
            let answer = try await client.json(
                .ssoAdmin, operation: "ListInstances", input: Page(NextToken: token), as: Answer.self)
            all += answer.Instances ?? []
            token = answer.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return all
    }

    /// The ARNs of every permission set of the instance, all pages read.
    public func listPermissionSets(instanceARN: String, pageSize: Int? = nil) async throws(AWSError) -> [String] {
        struct Answer: Decodable {
            var PermissionSets: [String]?
            var NextToken: String?
        }
        var all: [String] = []
        var token: String?
        repeat {
            let answer = try await client.json(
                .ssoAdmin, operation: "ListPermissionSets",
                input: Page(InstanceArn: instanceARN, NextToken: token, MaxResults: pageSize), as: Answer.self)
            all += answer.PermissionSets ?? []
            token = answer.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return all
    }

    public func describePermissionSet(instanceARN: String, permissionSetARN: String) async throws(AWSError)
        -> PermissionSet
    {
        struct Answer: Decodable { var PermissionSet: PermissionSet }
        return try await client.json(
            .ssoAdmin, operation: "DescribePermissionSet",
            input: PermissionSetRef(InstanceArn: instanceARN, PermissionSetArn: permissionSetARN), as: Answer.self
        ).PermissionSet
    }

    /// The permission set called `name`; nil when the instance has none. The API finds
    /// permission sets by ARN only, so this lists them and describes each in turn.
    public func permissionSet(named name: String, instanceARN: String) async throws(AWSError) -> PermissionSet? {
        for arn in try await listPermissionSets(instanceARN: instanceARN) {
            let permissionSet = try await describePermissionSet(instanceARN: instanceARN, permissionSetARN: arn)
            if permissionSet.name == name { return permissionSet }
        }
        return nil
    }

    /// The inline policy; nil when the permission set has none (the API answers an empty string).
    public func getInlinePolicy(instanceARN: String, permissionSetARN: String) async throws(AWSError) -> String? {
        struct Answer: Decodable { var InlinePolicy: String? }
        let policy = try await client.json(
            .ssoAdmin, operation: "GetInlinePolicyForPermissionSet",
            input: PermissionSetRef(InstanceArn: instanceARN, PermissionSetArn: permissionSetARN), as: Answer.self
        ).InlinePolicy
        return policy.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Replaces the inline policy. Accounts see it only after `provisionPermissionSet`.
    public func putInlinePolicy(instanceARN: String, permissionSetARN: String, document: String) async throws(AWSError) {
        struct Input: Encodable {
            var InstanceArn: String
            var PermissionSetArn: String
            var InlinePolicy: String
        }
        _ = try await client.json(
            .ssoAdmin, operation: "PutInlinePolicyToPermissionSet",
            input: Input(InstanceArn: instanceARN, PermissionSetArn: permissionSetARN, InlinePolicy: document),
            as: Empty.self)
    }

    public func deleteInlinePolicy(instanceARN: String, permissionSetARN: String) async throws(AWSError) {
        _ = try await client.json(
            .ssoAdmin, operation: "DeleteInlinePolicyFromPermissionSet",
            input: PermissionSetRef(InstanceArn: instanceARN, PermissionSetArn: permissionSetARN), as: Empty.self)
    }

    /// Starts pushing the permission set to every account it is provisioned to.
    public func provisionPermissionSet(instanceARN: String, permissionSetARN: String) async throws(AWSError)
        -> PermissionSetProvisioning
    {
        struct Input: Encodable {
            var InstanceArn: String
            var PermissionSetArn: String
            var TargetType = "ALL_PROVISIONED_ACCOUNTS"
        }
        return try await client.json(
            .ssoAdmin, operation: "ProvisionPermissionSet",
            input: Input(InstanceArn: instanceARN, PermissionSetArn: permissionSetARN), as: ProvisioningAnswer.self
        ).PermissionSetProvisioningStatus
    }

    public func describeProvisioningStatus(instanceARN: String, requestID: String) async throws(AWSError)
        -> PermissionSetProvisioning
    {
        struct Input: Encodable {
            var InstanceArn: String
            var ProvisionPermissionSetRequestId: String
        }
        return try await client.json(
            .ssoAdmin, operation: "DescribePermissionSetProvisioningStatus",
            input: Input(InstanceArn: instanceARN, ProvisionPermissionSetRequestId: requestID), as: ProvisioningAnswer.self
        ).PermissionSetProvisioningStatus
    }

    /// Provisions and polls every `pollInterval` until the request is no longer in
    /// progress, within the client's timeout (then AWSError `.timedOut`). Returns the
    /// final status, FAILED included: whether that is an error is the caller's call.
    public func provisionAndWait(
        instanceARN: String, permissionSetARN: String, pollInterval: Duration = .seconds(2)
    ) async throws(AWSError) -> PermissionSetProvisioning {
        let deadline = ContinuousClock.now + client.timeout
        var status = try await provisionPermissionSet(instanceARN: instanceARN, permissionSetARN: permissionSetARN)
        while status.isInProgress {
            guard ContinuousClock.now + pollInterval < deadline else {
                throw AWSError(
                    service: .ssoAdmin, operation: "DescribePermissionSetProvisioningStatus", endpoint: nil, attempts: 1,
                    reason: .timedOut(after: client.timeout))
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw AWSError(
                    service: .ssoAdmin, operation: "DescribePermissionSetProvisioningStatus", endpoint: nil, attempts: 1,
                    reason: .cancelled)
            }
            status = try await describeProvisioningStatus(instanceARN: instanceARN, requestID: status.requestID)
        }
        return status
    }

    private struct ProvisioningAnswer: Decodable {
        var PermissionSetProvisioningStatus: PermissionSetProvisioning
    }
}

/// The answer of an operation that returns nothing worth reading.
struct Empty: Decodable {}

import AWSAPI
import DBIAMCore

/// Writes the attached policies `PolicyRollout` orders: an Identity Center permission
/// set's inline policy, then its provisioning to every account it is assigned in
/// (polled to the end, within the client's timeout); or a role's inline policy.
public struct PolicyWriter: Sendable {
    public var reader: AWSReader

    public init(reader: AWSReader) {
        self.reader = reader
    }

    /// What was done, in words, for the progress line; throws what went wrong.
    public func write(_ write: PolicyRollout.Write, manifest: Manifest) async throws(AWSError) -> String {
        let target = write.attachment.target(of: write.permissionSet)
        switch write.attachment {
        case .none:
            return "\(target): nothing to write"
        case .identityCenter:
            guard let center = manifest.aws.identityCenter else { return "\(target): no Identity Center instance in the manifest" }
            let client = try PolicyTarget.client(reader, region: center.region, profile: manifest.aws.profile, service: .ssoAdmin)
            guard let found = try await client.identityCenter.permissionSet(named: write.permissionSet, instanceARN: center.instanceARN) else {
                throw AWSError(
                    service: .ssoAdmin, operation: "DescribePermissionSet", endpoint: nil, attempts: 1,
                    reason: .response(httpStatus: 404, code: "ResourceNotFoundException", message: PolicyTarget.missingPermissionSet(write.permissionSet, instanceARN: center.instanceARN), requestID: nil))
            }
            switch write.change {
            case .put(let document):
                try await client.identityCenter.putInlinePolicy(instanceARN: center.instanceARN, permissionSetARN: found.arn, document: document)
            case .delete:
                try await client.identityCenter.deleteInlinePolicy(instanceARN: center.instanceARN, permissionSetARN: found.arn)
            }
            let provisioning = try await client.identityCenter.provisionAndWait(instanceARN: center.instanceARN, permissionSetARN: found.arn)
            guard provisioning.succeeded else {
                throw AWSError(
                    service: .ssoAdmin, operation: "ProvisionPermissionSet", endpoint: nil, attempts: 1,
                    reason: .response(httpStatus: 200, code: provisioning.status, message: provisioning.failureReason ?? "provisioning did not succeed", requestID: provisioning.requestID))
            }
            return write.change == .delete ? "\(target): inline policy deleted and provisioned" : "\(target): inline policy written and provisioned"
        case .role(let arn):
            let client = try PolicyTarget.client(reader, region: PolicyTarget.iamRegion(manifest), profile: manifest.aws.profile, service: .iam)
            let roleName = IAMAPI.roleName(fromARN: arn) ?? arn
            let policyName = PolicyAttachment.rolePolicyName(of: write.permissionSet)
            switch write.change {
            case .put(let document):
                try await client.iam.putRolePolicy(roleName: roleName, policyName: policyName, document: document)
                return "\(target): written"
            case .delete:
                try await client.iam.deleteRolePolicy(roleName: roleName, policyName: policyName)
                return "\(target): deleted"
            }
        }
    }
}

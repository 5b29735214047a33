/// What the policy documents become in an infrastructure-as-code pipeline: the inline
/// policy of an IAM Identity Center permission set, or a customer managed policy to
/// attach to roles.
public enum PolicyExportTarget: String, Sendable, Hashable, CaseIterable {
    case permissionSet = "permission-set"
    case managedPolicy = "managed-policy"

    /// The size problems that stop a document from being used as this target, as errors:
    /// the inline limits of a permission set, or the managed-policy limit.
    public func problems(_ document: PolicyDocument) -> [Diagnostic] {
        switch self {
        case .permissionSet: document.size.isOverInline ? [.error(PolicyLimits.overInlineMessage(document), at: document.position)] : []
        case .managedPolicy: PolicyLimits.check(document, asManagedPolicy: true)
        }
    }

    /// The description each permission set or managed policy carries: plain ASCII, as
    /// permission set descriptions allow.
    static func description(of document: PolicyDocument) -> String {
        "rds-db:connect as the database users of permission set \(document.permissionSet); written by dbiam."
    }

    /// The ARN of an IAM Identity Center instance, as `aws sso-admin list-instances` prints it.
    static let instanceARNPattern = "^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):sso:::instance/(sso)?ins-[-.a-zA-Z0-9]{16}$"
    static let instanceARNExample = "arn:aws:sso:::instance/ssoins-0123456789abcdef"
    /// ISO 8601 durations from one to twelve hours, what a permission set's session may last.
    static let sessionDurationPattern = "^PT([1-9]|1[0-2])H$"
    static let defaultSessionDuration = "PT1H"
}

/// Names that IaC languages accept for the resource of each permission set, made
/// from the permission set names: characters they do not allow are dropped or replaced,
/// and names that then collide get a number, in manifest order.
enum ExportNames {
    static func unique(_ names: [String], _ transform: (String) -> String) -> [String] {
        var used = Set<String>()
        return names.map { name in
            let base = transform(name)
            var candidate = base
            var number = 2
            while used.contains(candidate) {
                candidate = "\(base)\(number)"
                number += 1
            }
            used.insert(candidate)
            return candidate
        }
    }
}

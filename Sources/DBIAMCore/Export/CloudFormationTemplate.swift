/// The policy documents as one CloudFormation template (JSON), so a stack applies the
/// IAM side of a manifest: per permission set an `AWS::SSO::PermissionSet` carrying
/// the document as its `InlinePolicy`, or an `AWS::IAM::ManagedPolicy`. The documents
/// are the ones `dbiam policy` writes, embedded as they are.
public enum CloudFormationTemplate {
    public static func render(_ documents: [PolicyDocument], target: PolicyExportTarget, manifestPath: String) -> String {
        let logicalIDs = ExportNames.unique(documents.map(\.permissionSet)) { name in
            String(name.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
                + (target == .permissionSet ? "PermissionSet" : "Policy")
        }
        var template: [(String, JSONText)] = [
            ("AWSTemplateFormatVersion", .string("2010-09-09")),
            ("Description", .string(description(target, manifestPath: manifestPath))),
        ]
        if target == .permissionSet {
            template.append(("Parameters", .object([
                ("InstanceArn", .object([
                    ("Type", .string("String")),
                    ("Description", .string("The ARN of the IAM Identity Center instance (aws sso-admin list-instances).")),
                    ("AllowedPattern", .string(PolicyExportTarget.instanceARNPattern)),
                    ("ConstraintDescription", .string("must be an IAM Identity Center instance ARN such as \(PolicyExportTarget.instanceARNExample)")),
                ])),
                ("SessionDuration", .object([
                    ("Type", .string("String")),
                    ("Description", .string("How long a session of these permission sets lasts, from PT1H to PT12H.")),
                    ("Default", .string(PolicyExportTarget.defaultSessionDuration)),
                    ("AllowedPattern", .string(PolicyExportTarget.sessionDurationPattern)),
                    ("ConstraintDescription", .string("must be a whole number of hours from PT1H to PT12H")),
                ])),
            ])))
        }
        let resources = zip(logicalIDs, documents).map { logicalID, document in
            (logicalID, resource(document, target: target))
        }
        template.append(("Resources", .object(resources)))
        return JSONText.object(template).rendered()
    }

    private static func description(_ target: PolicyExportTarget, manifestPath: String) -> String {
        let what = target == .permissionSet ? "IAM Identity Center permission sets" : "IAM managed policies"
        return "\(what) that may connect to the databases of \(manifestPath) (rds-db:connect); written by dbiam policy."
    }

    private static func resource(_ document: PolicyDocument, target: PolicyExportTarget) -> JSONText {
        switch target {
        case .permissionSet:
            .object([
                ("Type", .string("AWS::SSO::PermissionSet")),
                ("Properties", .object([
                    ("InstanceArn", .object([("Ref", .string("InstanceArn"))])),
                    ("Name", .string(document.permissionSet)),
                    ("Description", .string(PolicyExportTarget.description(of: document))),
                    ("SessionDuration", .object([("Ref", .string("SessionDuration"))])),
                    ("InlinePolicy", document.json),
                ])),
            ])
        case .managedPolicy:
            .object([
                ("Type", .string("AWS::IAM::ManagedPolicy")),
                ("Properties", .object([
                    ("ManagedPolicyName", .string(document.permissionSet)),
                    ("Description", .string(PolicyExportTarget.description(of: document))),
                    ("PolicyDocument", document.json),
                ])),
            ])
        }
    }
}

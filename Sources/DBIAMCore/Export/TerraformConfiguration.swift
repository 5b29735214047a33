/// The policy documents as Terraform JSON configuration (`.tf.json`), so an existing
/// Terraform pipeline applies the IAM side of a manifest: per permission set an
/// `aws_ssoadmin_permission_set` and its `aws_ssoadmin_permission_set_inline_policy`
/// (the instance from `variable "instance_arn"`), or an `aws_iam_policy`. The
/// documents are the ones `dbiam policy` writes, as the JSON strings those resources take.
public enum TerraformConfiguration {
    public static func render(_ documents: [PolicyDocument], target: PolicyExportTarget) -> String {
        let names = ExportNames.unique(documents.map(\.permissionSet), resourceName)
        var configuration: [(String, JSONText)] = []
        switch target {
        case .permissionSet:
            configuration.append(("variable", .object([
                ("instance_arn", .object([
                    ("type", .string("string")),
                    ("description", .string("The ARN of the IAM Identity Center instance (aws sso-admin list-instances).")),
                    ("validation", .array([.object([
                        ("condition", .string("${can(regex(\(quotedInExpression(PolicyExportTarget.instanceARNPattern)), var.instance_arn))}")),
                        ("error_message", .string("The instance_arn must be an IAM Identity Center instance ARN such as \(PolicyExportTarget.instanceARNExample).")),
                    ])])),
                ])),
                ("session_duration", .object([
                    ("type", .string("string")),
                    ("description", .string("How long a session of these permission sets lasts, from PT1H to PT12H.")),
                    ("default", .string(PolicyExportTarget.defaultSessionDuration)),
                    ("validation", .array([.object([
                        ("condition", .string("${can(regex(\(quotedInExpression(PolicyExportTarget.sessionDurationPattern)), var.session_duration))}")),
                        ("error_message", .string("The session_duration must be a whole number of hours from PT1H to PT12H.")),
                    ])])),
                ])),
            ])))
            let permissionSets = zip(names, documents).map { name, document in
                (name, JSONText.object([
                    ("name", literal(document.permissionSet)),
                    ("description", literal(PolicyExportTarget.description(of: document))),
                    ("instance_arn", .string("${var.instance_arn}")),
                    ("session_duration", .string("${var.session_duration}")),
                ]))
            }
            let inlinePolicies = zip(names, documents).map { name, document in
                (name, JSONText.object([
                    ("instance_arn", .string("${var.instance_arn}")),
                    ("permission_set_arn", .string("${aws_ssoadmin_permission_set.\(name).arn}")),
                    ("inline_policy", literal(document.text)),
                ]))
            }
            configuration.append(("resource", .object([
                ("aws_ssoadmin_permission_set", .object(permissionSets)),
                ("aws_ssoadmin_permission_set_inline_policy", .object(inlinePolicies)),
            ])))
        case .managedPolicy:
            let policies = zip(names, documents).map { name, document in
                (name, JSONText.object([
                    ("name", literal(document.permissionSet)),
                    ("description", literal(PolicyExportTarget.description(of: document))),
                    ("policy", literal(document.text)),
                ]))
            }
            configuration.append(("resource", .object([("aws_iam_policy", .object(policies))])))
        }
        return JSONText.object(configuration).rendered()
    }

    /// Terraform names: letters, digits, `_` and `-`, not starting with a digit.
    static func resourceName(_ permissionSet: String) -> String {
        let name = String(permissionSet.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" })
        return name.first?.isNumber == true ? "_" + name : name
    }

    /// Every JSON string in a `.tf.json` file is a template: `${` and `%{` start
    /// interpolations and directives. IAM's own escapes (`${*}`, `${?}`, `${$}`) must
    /// reach AWS as they are, so Terraform's escapes `$${` and `%%{` are written for them.
    static func literal(_ text: String) -> JSONText {
        var escaped = ""
        var previous: Character?
        for character in text {
            if character == "{", previous == "$" || previous == "%" { escaped.append(previous!) }
            escaped.append(character)
            previous = character
        }
        return .string(escaped)
    }

    /// A string literal inside a Terraform expression: backslashes and quotes escaped.
    private static func quotedInExpression(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            if character == "\\" || character == "\"" { quoted += "\\" }
            quoted.append(character)
        }
        return quoted + "\""
    }
}

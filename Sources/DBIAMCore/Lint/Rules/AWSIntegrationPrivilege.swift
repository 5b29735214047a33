/// DBIAM207: Aurora privileges that act with the cluster's IAM role.
public struct AWSIntegrationPrivilege: LintRule {
    public init() {}

    public let id = "DBIAM207"
    public let name = "AWSIntegrationPrivilege"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user is granted an Aurora privilege that calls AWS services with the cluster's IAM role (S3, Lambda, SageMaker, Comprehend, Bedrock)."
    public let help = """
        Aurora MySQL's `AWS_SELECT_S3_ACCESS` / `SELECT INTO S3`, `AWS_LOAD_S3_ACCESS` / \
        `LOAD FROM S3`, `AWS_LAMBDA_ACCESS` / `INVOKE LAMBDA` and the machine-learning \
        privileges make the cluster call AWS on the user's behalf, with the IAM role \
        attached to the cluster, not the person's own. `SELECT ... INTO OUTFILE S3` can copy \
        every table the user can read to any bucket that role may write, outside the \
        person's IAM permissions and without their identity in CloudTrail.

        Give these privileges to the application or batch accounts that need them, not to \
        people's IAM logins; if a person must, scope the cluster's role to one bucket.
        """

    static let integrationPrivileges: Set<Privilege> = Set([
        "AWS_SELECT_S3_ACCESS", "AWS_LOAD_S3_ACCESS", "AWS_LAMBDA_ACCESS", "AWS_SAGEMAKER_ACCESS",
        "AWS_COMPREHEND_ACCESS", "AWS_BEDROCK_ACCESS",
        "SELECT INTO S3", "LOAD FROM S3", "INVOKE LAMBDA", "INVOKE SAGEMAKER", "INVOKE COMPREHEND",
    ].map(Privilege.init))

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: Self.integrationPrivileges.contains).flatMap { user, grant in
            grant.privileges(where: Self.integrationPrivileges.contains).map { privilege in
                finding(
                    "\(user) is granted \(privilege), which acts with the cluster's IAM role rather than the person's; keep it to accounts that need it.",
                    at: grant.position(of: privilege))
            }
        }
    }
}

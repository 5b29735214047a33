/// DBIAM303: dbiam's own login uses a long-lived password.
public struct AdminPasswordLogin: LintRule {
    public init() {}

    public let id = "DBIAM303"
    public let name = "AdminPasswordLogin"
    public let severity = Diagnostic.Severity.note
    public let summary = "dbiam logs in to a cluster with a password (`password_env`) where an IAM login would do."
    public let help = """
        With `admin.password_env` dbiam logs in with a password from the environment: a \
        long-lived secret that must be stored in CI, rotated by hand, and that works from \
        anywhere for anyone who copies it. With `admin.iam: true` dbiam signs a 15-minute \
        token with the AWS credentials it already runs with, so access to the admin login \
        is an IAM permission that CloudTrail records and that can be revoked at once.

        Create the admin account with AWSAuthenticationPlugin, grant it what dbiam needs \
        (CREATE USER and the privileges it grants, WITH GRANT OPTION), allow its \
        `rds-db:connect` to the role that runs dbiam, and write `iam: true` (it requires \
        `tls_ca`).
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.clusters.compactMap { cluster in
            guard case .passwordEnvironment(let variable) = cluster.admin.method else { return nil }
            return finding(
                "cluster '\(cluster.name)' has dbiam log in with the password in \(variable); an IAM admin login (iam: true) needs no long-lived secret.",
                at: cluster.fields["admin"] ?? cluster.position)
        }
    }
}

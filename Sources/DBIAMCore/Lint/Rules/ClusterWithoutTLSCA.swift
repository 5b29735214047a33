/// DBIAM302: a cluster whose connections dbiam cannot encrypt and verify.
public struct ClusterWithoutTLSCA: LintRule {
    public init() {}

    public let id = "DBIAM302"
    public let name = "ClusterWithoutTLSCA"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A cluster has no `tls_ca`, so dbiam's admin session to it is not encrypted."
    public let help = """
        Without `tls_ca` dbiam connects to the cluster without TLS: its admin session, \
        which reads `mysql.user` and runs CREATE USER and GRANT, crosses the network in the \
        clear, and nothing proves that the server is the cluster rather than something in \
        between. The users' own logins need TLS too (their IAM tokens are cleartext \
        passwords), and `dbiam connect` and `dbiam doctor` take the CA bundle from the same \
        field.

        Download the RDS CA bundle \
        (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) and set \
        `tls_ca:` to it.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.clusters.filter { $0.tlsCA == nil }.map { cluster in
            finding(
                "cluster '\(cluster.name)' has no tls_ca, so dbiam's admin session to it is unencrypted and unverified; set tls_ca to the RDS CA bundle (global-bundle.pem).",
                at: cluster.position)
        }
    }
}

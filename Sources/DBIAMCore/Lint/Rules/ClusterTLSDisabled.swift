/// DBIAM302: a cluster whose connections dbiam does not encrypt or verify.
public struct ClusterTLSDisabled: LintRule {
    public init() {}

    public let id = "DBIAM302"
    public let name = "ClusterTLSDisabled"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A cluster says `tls: disabled`, so dbiam's admin session to it is not encrypted."
    public let help = """
        With `tls: disabled` dbiam connects to the cluster without TLS: its admin session, \
        which reads the grant tables and runs CREATE USER and GRANT, is in the clear, and \
        nothing proves that the server is the one it claims to be. dbiam allows it only for \
        a server on this machine (an endpoint of 127.0.0.1, ::1 or localhost), and even \
        there it never sends a password or token in cleartext: an IAM admin login is \
        refused, and a password login may use mysql_native_password only, whatever the \
        server asks for.

        For any real cluster, download the RDS CA bundle \
        (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem), set `tls_ca:` \
        to it and remove `tls: disabled`.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.clusters.filter { $0.tls == .disabled }.map { cluster in
            finding(
                "cluster '\(cluster.name)' has `tls: disabled`, so dbiam's admin session to it is unencrypted and unverified; for anything but a throwaway local server, set tls_ca to the RDS CA bundle (global-bundle.pem).",
                at: cluster.fields["tls"] ?? cluster.position)
        }
    }
}

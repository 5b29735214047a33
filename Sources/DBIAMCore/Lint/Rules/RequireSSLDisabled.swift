/// DBIAM209: an IAM user whose login may run without TLS.
public struct RequireSSLDisabled: LintRule {
    public init() {}

    public let id = "DBIAM209"
    public let name = "RequireSSLDisabled"
    public let severity = Diagnostic.Severity.warning
    public let summary = "`require_ssl: false` on a user or in defaults."
    public let help = """
        An IAM login sends its token as a cleartext password (mysql_clear_password): \
        whoever reads the connection has a credential valid for 15 minutes, and sees every \
        query and result of the session. `REQUIRE SSL` makes the server refuse a login that \
        is not encrypted, so a client that forgets `--ssl-ca` (or a MariaDB client that \
        falls back to plaintext) fails instead of leaking the token.

        Remove `require_ssl: false` (the default is true). In `defaults`, it applies to \
        every user that does not set `require_ssl` itself.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        if !manifest.defaults.requireSSL, let position = manifest.defaults.fields["require_ssl"] {
            let inheriting = manifest.users.filter { $0.fields["require_ssl"] == nil }.map { "'\($0.name)'" }
            let who = inheriting.isEmpty ? "every user added without require_ssl" : "users \(inheriting.joined(separator: ", "))"
            findings.append(finding(
                "defaults.require_ssl is false, so \(who) may log in without TLS and send the IAM token in cleartext; remove it (the default is true).",
                at: position))
        }
        for user in manifest.users where !user.requireSSL {
            guard let position = user.fields["require_ssl"] else { continue }
            findings.append(finding(
                "user '\(user.name)' has require_ssl: false, so its IAM token may travel in cleartext; remove it (the default is true).",
                at: position))
        }
        return findings
    }
}

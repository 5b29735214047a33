import DBIAMTestSupport
import Foundation
import Testing

/// Memory stays bounded when a cluster holds many accounts.
@Suite(.serialized)
struct ResourceTests {
    @Test func planningTenThousandAccountsStaysWithinBoundedMemory() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        // Written straight into the grant table: CREATE USER for each would take minutes.
        try connection.query("""
            INSERT INTO mysql.global_priv (Host, User, Priv) SELECT '%', CONCAT('dbiam_mem_', seq), \
            '{"access":0,"plugin":"awsauthenticationplugin","authentication_string":"RDS","ssl_type":1}' FROM mysql.seq_1_to_10000;
            FLUSH PRIVILEGES
            """)
        defer {
            _ = try? connection.query("DELETE FROM mysql.global_priv WHERE User LIKE 'dbiam\\\\_mem\\\\_%'; FLUSH PRIVILEGES")
        }
        var dbiam = try DBIAMProcess()
        let report = dbiam.directory.appendingPathComponent("memory").path
        dbiam.wrapper = ["/usr/bin/time", "-f", "%M", "-o", report]
        try dbiam.write(LocalServer.manifestText(users: "  ssotest:\n    clusters: [local]\n"), to: "local.yaml")
        let plan = try dbiam.run(["plan", "local.yaml"])
        #expect(plan.status == 0, "\(plan.stderr.suffix(400))")
        #expect(plan.stdout.contains(", 1000"), "the 10,000 accounts were read: \(plan.stdout.prefix(200))")
        let kilobytes = try #require(Int(try String(contentsOfFile: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // About 45 MB measured (debug build); the bound leaves room and still catches a
        // copy of the state per account.
        #expect(kilobytes < 200_000, "dbiam plan peaked at \(kilobytes / 1024) MB")
    }
}

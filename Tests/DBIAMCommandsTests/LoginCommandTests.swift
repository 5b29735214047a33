import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// `dbiam token`, `connect` and `doctor`, with the stand-in's test keys as the AWS
/// credentials and its plugin checking the tokens.
@Suite(.serialized)
struct LoginCommandTests {
    static let users = """
          ssotest:
            clusters: [local]
            grants:
              - on: dbiam_test_shop.*
                privileges: [SELECT]
        """

    /// The user exists on the server and `local.yaml` describes it.
    func prepare(converged: Bool = true) throws -> DBIAMProcess {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials()
        try dbiam.write(LocalServer.manifestText(users: Self.users), to: "local.yaml")
        if converged {
            let apply = try dbiam.run(["apply", "local.yaml", "--auto-approve"])
            #expect(apply.status == 0, "\(apply.output)")
        }
        return dbiam
    }

    // MARK: token

    @Test func tokenMatchesBotocoreForTheReferenceVector() throws {
        var dbiam = try DBIAMProcess()
        dbiam.environment["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
        dbiam.environment["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
        let result = try dbiam.run([
            "token", "--hostname", "orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com", "--port", "3306",
            "--region", "ap-northeast-1", "--username", "ssotest", "--at", "2026-11-29T12:00:00Z",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306/?Action=connect&DBUser=ssotest&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261129%2Fap-northeast-1%2Frds-db%2Faws4_request&X-Amz-Date=20261129T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=2ce76d19f9eccf69a71a9a65942ab8317cb487657f2919cdc8f5102b673e16cb\n")
    }

    @Test func tokenFromTheManifestTakesEndpointPortAndRegion() throws {
        let dbiam = try prepare(converged: false)
        let result = try dbiam.run(["token", "local.yaml", "--cluster", "local", "--user", "ssotest", "--at", "2026-11-29T12:00:00Z"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("127.0.0.1:\(LocalServer.port)/?Action=connect&DBUser=ssotest&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIALOCALTEST0000001%2F20261129%2F\(LocalServer.region)%2Frds-db%2Faws4_request&X-Amz-Date=20261129T120000Z&X-Amz-Expires=900"))
    }

    @Test func tokenWithoutCredentialsSaysWhereItLooked() throws {
        let result = try DBIAMProcess().run(["token", "--hostname", "h", "--region", "us-east-1", "--username", "u"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("AWS_ACCESS_KEY_ID"), "\(result.stderr)")
        #expect(result.stderr.contains(".aws/credentials"))
    }

    @Test func tokenFlagMistakesAreUsageErrors() throws {
        let dbiam = try DBIAMProcess()
        let badTime = try dbiam.run(["token", "--hostname", "h", "--username", "u", "--at", "yesterday"])
        #expect(badTime.status == 64)
        #expect(badTime.stderr.contains("--at must be a time such as 2026-11-29T12:00:00Z"))
        let mixed = try dbiam.run(["token", "m.yaml", "--hostname", "h", "--cluster", "c", "--user", "u"])
        #expect(mixed.status == 64)
        #expect(mixed.stderr.contains("--hostname comes from the manifest"))
        let unknownUser = try prepare(converged: false).run(["token", "local.yaml", "--cluster", "local", "--user", "nobody"])
        #expect(unknownUser.status == 64)
        #expect(unknownUser.stderr.contains("--user nobody: local.yaml defines no such user"))
    }

    // MARK: connect

    @Test func connectLogsInThroughTheMariaDBClientWithAFreshToken() throws {
        let dbiam = try prepare()
        let before = try temporaryOptionFolders()
        let result = try dbiam.run(["connect", "local.yaml", "--cluster", "local", "--user", "ssotest", "--", "--batch", "--skip-column-names", "-e", "SELECT CURRENT_USER()"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout == "ssotest@%\n")
        // The private option file holding the token is gone.
        #expect(try temporaryOptionFolders() == before)
    }

    @Test func connectWithAnotherAccountsCredentialsIsRefused() throws {
        var dbiam = try prepare()
        dbiam.useTestCredentials(LocalServer.otherAccountKey)
        let result = try dbiam.run(["connect", "local.yaml", "--cluster", "local", "--user", "ssotest", "--", "-e", "SELECT 1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("ERROR 1045"), "\(result.stderr)")
    }

    private func temporaryOptionFolders() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path).filter { $0.hasPrefix("dbiam-connect-") })
    }

    // MARK: doctor

    @Test func doctorPassesOnAWorkingSetup() throws {
        let dbiam = try prepare()
        let result = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 0, "\(result.output)")
        for step in ["resolve 127.0.0.1", "TCP connect to 127.0.0.1:\(LocalServer.port)", "TLS with \(LocalServer.caFile)", "admin login as dbiam_admin", "account 'ssotest'@'%'", "token login as ssotest"] {
            #expect(result.stdout.contains("  ok      \(step)"), "\(step) in \(result.stdout)")
        }
        #expect(result.stdout.contains("logged in as ssotest@%"))
    }

    /// A user whose privileges come from a role: the doctor checks the role is its
    /// default role, and shows the role a token login gets; a role taken away by hand fails.
    @Test func doctorChecksTheUsersRole() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials()
        let roles = "roles:\n  dbiam_test_reader:\n    clusters: [local]\n    grants:\n      - on: dbiam_test_shop.*\n        privileges: [SELECT]\n"
        let users = "  ssotest:\n    clusters: [local]\n    roles: [dbiam_test_reader]\n"
        try dbiam.write(LocalServer.manifestText(users: users, roles: roles), to: "local.yaml")
        let apply = try dbiam.run(["apply", "local.yaml", "--auto-approve"])
        #expect(apply.status == 0, "\(apply.output)")
        let result = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("  ok      account 'ssotest'@'%': AWSAuthenticationPlugin, REQUIRE SSL, default role 'dbiam_test_reader'"), "\(result.stdout)")
        #expect(result.stdout.contains("logged in as ssotest@%, with role dbiam_test_reader"), "\(result.stdout)")

        try connection.query("SET DEFAULT ROLE NONE FOR 'ssotest'@'%'")
        let broken = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("does not hold 'dbiam_test_reader' as a default role"), "\(broken.stdout)")
        #expect(broken.stdout.contains("with role NONE"), "\(broken.stdout)")
    }

    @Test func doctorFindsTheMissingUser() throws {
        let dbiam = try prepare(converged: false)
        let result = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("  FAILED  account 'ssotest'@'%': the account does not exist on the cluster. Run dbiam plan and dbiam apply to create it."))
        #expect(result.stdout.contains("  FAILED  token login as ssotest: the server refused the token (ERROR 1045)"))
    }

    @Test func doctorExplainsATokenFromAnotherAccount() throws {
        var dbiam = try prepare()
        dbiam.useTestCredentials(LocalServer.otherAccountKey)
        let result = try dbiam.run(["doctor", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("signed with: access key AKIAOTHERACCOUNT0001 from"), "\(result.stdout)")
        #expect(result.stdout.contains("dbuser:cluster-LOCALAURORASTANDIN00000000/ssotest"))
    }

    @Test func doctorOnAClosedPort() throws {
        let dbiam = try prepare(converged: false)
        let port = try ClosedPort.reserve()
        try dbiam.write(LocalServer.manifestText(users: Self.users).replacingOccurrences(of: "port: \(LocalServer.port)", with: "port: \(port)"), to: "closed.yaml")
        let result = try dbiam.run(["doctor", "closed.yaml", "--cluster", "local"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("  FAILED  TCP connect to 127.0.0.1:\(port): the connection was refused"), "\(result.stdout)")
        #expect(result.stdout.contains("  skipped admin login as dbiam_admin: no TCP connection"))
    }

    @Test func doctorOnAPortThatNeverAnswers() throws {
        let dbiam = try prepare(converged: false)
        let silent = try SilentListener()
        try dbiam.write(LocalServer.manifestText(users: Self.users).replacingOccurrences(of: "port: \(LocalServer.port)", with: "port: \(silent.port)"), to: "silent.yaml")
        let result = try dbiam.run(["doctor", "silent.yaml", "--cluster", "local", "--connect-timeout", "1"])
        #expect(result.status == 1)
        // The listener accepts, so TCP passes; the MySQL handshake never comes.
        #expect(result.stdout.contains("  FAILED  TLS with"), "\(result.stdout)")
        #expect(result.stdout.contains("  FAILED  admin login as dbiam_admin"))
    }

    @Test func doctorWithTheWrongCertificateAuthority() throws {
        let dbiam = try prepare(converged: false)
        let bogus = dbiam.directory.appendingPathComponent("bogus-ca.pem")
        try SelfSignedCA.write(to: bogus)
        try dbiam.write(LocalServer.manifestText(users: Self.users).replacingOccurrences(of: LocalServer.caFile, with: bogus.path), to: "wrongca.yaml")
        let result = try dbiam.run(["doctor", "wrongca.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("  FAILED  TLS with \(bogus.path): the server certificate does not verify with this CA bundle"), "\(result.stdout)")
    }
}

import DBIAMTestSupport
import Foundation
import MariaDB
import Testing

/// `dbiam import` against the local server: accounts made by hand become a manifest
/// that validates, plans to "No changes." and applies nothing.
@Suite(.serialized)
struct ImportCommandTests {
    static let flags = [
        "--endpoint", LocalServer.host, "--port", String(LocalServer.port), "--admin-user", LocalServer.adminUser,
        "--password-env", "DBIAM_LOCAL_ADMIN_PASSWORD", "--tls-ca", LocalServer.caFile, "--name", "local",
        "--account", LocalServer.account, "--region", LocalServer.region, "--resource-id", "cluster-LOCALAURORASTANDIN00000000",
        "--engine", "mariadb",
    ]

    /// Accounts as a DBA makes them: several users, global, database and table grants,
    /// GRANT OPTION, with and without REQUIRE SSL, a password account and a local one.
    static let handMade = """
        CREATE DATABASE dbiam_test_shop;
        CREATE TABLE dbiam_test_shop.orders (id INT);
        CREATE USER 'analyst'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
        GRANT SELECT, SHOW VIEW ON `dbiam\\_test\\_shop`.* TO 'analyst'@'%';
        CREATE USER 'oncall'@'10.0.%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
        GRANT PROCESS, SHOW DATABASES ON *.* TO 'oncall'@'10.0.%' WITH GRANT OPTION;
        GRANT SELECT, INSERT ON dbiam_test_shop.orders TO 'oncall'@'10.0.%';
        CREATE USER 'it''s "odd" #1: yes'@'%' IDENTIFIED WITH awsauthenticationplugin AS 'RDS' REQUIRE SSL;
        GRANT ALL PRIVILEGES ON `dbiam\\_test\\_shop`.* TO 'it''s "odd" #1: yes'@'%';
        CREATE USER 'viewer'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
        CREATE USER 'password_user'@'%' IDENTIFIED BY 'not-an-iam-user';
        GRANT SELECT ON *.* TO 'password_user'@'%';
        CREATE USER 'local_iam'@'localhost' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'
        """

    func prepare(_ sql: String = Self.handMade) throws -> (DBIAMProcess, Connection) {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        try connection.query(sql)
        return (try DBIAMProcess(), connection)
    }

    @Test func importedManifestValidatesPlansToNoChangesAndAppliesNothing() throws {
        let (dbiam, connection) = try prepare()
        let imported = try dbiam.run(["import"] + Self.flags + ["--out", "imported.yaml"])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.stdout == "imported.yaml\n")
        #expect(imported.stderr.contains("dbiam: warning: 'local_iam'@'localhost' is left out: its host only matches logins from the database server itself"), "\(imported.stderr)")
        let text = try #require(dbiam.read("imported.yaml"))
        let header = try #require(text.split(separator: "\n").first)
        #expect(header.hasPrefix("# Imported by dbiam import from \(LocalServer.host):\(LocalServer.port) (server \(connection.serverVersion)) at 20"), "\(header)")
        #expect(header.hasSuffix("Z."))
        #expect(text.contains("permission sets"))
        #expect(text.contains("""
              analyst:
                clusters: [local]
                grants:
                  - on: dbiam_test_shop.*
                    privileges: [SELECT, SHOW VIEW]
            """))
        #expect(text.contains("""
              "it's \\"odd\\" #1: yes":
                clusters: [local]
                grants:
                  - on: dbiam_test_shop.*
                    privileges: [ALL PRIVILEGES]
            """))
        #expect(text.contains("""
              oncall:
                clusters: [local]
                host: "10.0.%"
                require_ssl: false
                grants:
                  - on: "*.*"
                    privileges: [PROCESS, SHOW DATABASES, GRANT OPTION]
                  - on: dbiam_test_shop.orders
                    privileges: [INSERT, SELECT]
            """))
        #expect(text.contains("  viewer:\n    clusters: [local]\n"))
        #expect(!text.contains("password_user"))
        #expect(!text.contains(LocalServer.adminPassword))

        let validate = try dbiam.run(["validate", "imported.yaml"])
        #expect(validate.status == 0, "\(validate.output)")
        let plan = try dbiam.run(["plan", "imported.yaml", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stdout.contains("\nNo changes. The clusters match the manifest.\n"))
        let before = try Self.grantTables(connection)
        let apply = try dbiam.run(["apply"])
        #expect(apply.status == 0, "\(apply.output)")
        #expect(apply.stdout.contains("The plan has no changes to apply, and the clusters still match it.\n"))
        #expect(try Self.grantTables(connection) == before)
    }

    /// Roles made by hand and given to IAM users: import writes them under `roles:` with
    /// their grants, each user lists its role, and the manifest plans to "No changes.".
    @Test func rolesUsersHoldAreImportedAndPlanToNoChanges() throws {
        let (dbiam, _) = try prepare("""
            CREATE ROLE dbiam_test_reader;
            GRANT SELECT ON `dbiam\\_test\\_shop`.* TO dbiam_test_reader;
            CREATE USER 'analyst'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
            GRANT dbiam_test_reader TO 'analyst'@'%';
            SET DEFAULT ROLE dbiam_test_reader FOR 'analyst'@'%'
            """)
        let imported = try dbiam.run(["import"] + Self.flags + ["--out", "imported.yaml"])
        #expect(imported.status == 0, "\(imported.output)")
        let text = try #require(dbiam.read("imported.yaml"))
        #expect(text.contains("""
            roles:
              dbiam_test_reader:
                clusters: [local]
                grants:
                  - on: dbiam_test_shop.*
                    privileges: [SELECT]
            """), "\(text)")
        #expect(text.contains("  analyst:\n    clusters: [local]\n    roles: [dbiam_test_reader]\n"), "\(text)")
        let plan = try dbiam.run(["plan", "imported.yaml", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stdout.contains("\nNo changes. The clusters match the manifest.\n"))
    }

    /// `MANIFEST --cluster NAME` takes the connection and login from the manifest and
    /// gives the same manifest as the flags.
    @Test func manifestAndFlagsGiveTheSameManifest() throws {
        let (dbiam, _) = try prepare()
        try dbiam.write(LocalServer.manifestText(users: "  someone:\n    clusters: [local]\n"), to: "source.yaml")
        let fromManifest = try dbiam.run(["import", "source.yaml", "--cluster", "local"])
        #expect(fromManifest.status == 0, "\(fromManifest.output)")
        let fromFlags = try dbiam.run(["import"] + Self.flags)
        #expect(fromFlags.status == 0, "\(fromFlags.output)")
        let withoutTime = { (text: String) in text.split(separator: "\n").dropFirst().joined(separator: "\n") }
        #expect(withoutTime(fromManifest.stdout) == withoutTime(fromFlags.stdout))
        #expect(fromManifest.stdout.contains("  analyst:\n"))

        let unknown = try dbiam.run(["import", "source.yaml", "--cluster", "nope"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("--cluster nope: source.yaml has no cluster of that name; it has local."))
    }

    /// A database-level grant on a wildcard pattern cannot be written in a manifest: a
    /// comment in the output, a warning, and the plan shows it would be revoked.
    @Test func wildcardDatabaseGrantsAreLeftOutWithAWarning() throws {
        let (dbiam, _) = try prepare("""
            CREATE USER 'reporter'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
            GRANT SELECT ON `dbiam_test%`.* TO 'reporter'@'%';
            GRANT SELECT ON `dbiam\\_test\\_shop`.* TO 'reporter'@'%'
            """)
        let result = try dbiam.run(["import"] + Self.flags)
        #expect(result.status == 0, "\(result.output)")
        let leftOut = "GRANT SELECT ON `dbiam_test%`.* TO 'reporter'@'%' is left out: its database name is a pattern with wildcards"
        #expect(result.stderr.contains("dbiam: warning: " + leftOut), "\(result.stderr)")
        #expect(result.stdout.contains("      - on: dbiam_test_shop.*\n        privileges: [SELECT]\n      # " + leftOut))
        try dbiam.write(result.stdout, to: "imported.yaml")
        let plan = try dbiam.run(["plan", "imported.yaml"])
        #expect(plan.stdout.contains("  - revoke SELECT ON `dbiam_test%`.* FROM 'reporter'@'%'\n"), "\(plan.stdout)")
    }

    /// An IAM admin login: dbiam signs the token, the manifest says `iam: true`, and
    /// the admin account itself is left out (a manifest never manages it).
    @Test func iamAdminLoginImportsAndPlans() throws {
        var (dbiam, _) = try prepare()
        dbiam.useTestCredentials()
        var flags = Self.flags.filter { $0 != "--password-env" && $0 != "DBIAM_LOCAL_ADMIN_PASSWORD" } + ["--iam"]
        flags[flags.firstIndex(of: LocalServer.adminUser)!] = LocalServer.iamAdminUser
        let imported = try dbiam.run(["import"] + flags + ["--out", "imported.yaml"])
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.stderr.contains("'\(LocalServer.iamAdminUser)'@'%' is left out: it belongs to AWS, the server or dbiam's own login"))
        let text = try #require(dbiam.read("imported.yaml"))
        #expect(text.contains("    admin:\n      user: \(LocalServer.iamAdminUser)\n      iam: true\n"))
        let plan = try dbiam.run(["plan", "imported.yaml", "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.output)")
        #expect(plan.stdout.contains("\nNo changes. The clusters match the manifest.\n"))
    }

    @Test func unreachableClusterIsAnError() throws {
        let port = try ClosedPort.reserve()
        var flags = Self.flags
        flags[flags.firstIndex(of: String(LocalServer.port))!] = String(port)
        let result = try DBIAMProcess().run(["import"] + flags)
        #expect(result.status == 1)
        #expect(result.stderr.contains("dbiam: error: cannot read cluster local: cannot connect to \(LocalServer.host):\(port)"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(arguments: [
        (["--endpoint", "db.example.com"], "without a manifest, give --admin-user, --name, --account, --region, --resource-id, --engine"),
        (["m.yaml"], "with a manifest, name the cluster to read with --cluster."),
        (["m.yaml", "--cluster", "c", "--endpoint", "x"], "--endpoint comes from the manifest"),
        (["--cluster", "c"], "--cluster names a cluster of a manifest"),
    ])
    func usageErrorsNameTheFlags(_ arguments: [String], _ message: String) throws {
        let result = try DBIAMProcess().run(["import"] + arguments)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test(arguments: [
        ("--account", "1234", "--account must be the 12 digits of the AWS account id"),
        ("--resource-id", "orders-prod", "--resource-id must be the resource id rds-db:connect policies need"),
        ("--region", "Tokyo", "--region must be an AWS region"),
        ("--name", "1cluster", "--name must be a DB identifier"),
        ("--password-env", "NOT A VARIABLE", "--password-env must name an environment variable"),
    ])
    func badClusterValuesNameTheFlag(_ flag: String, _ value: String, _ message: String) throws {
        var flags = Self.flags
        flags[flags.firstIndex(of: flag)! + 1] = value
        let result = try DBIAMProcess().run(["import"] + flags)
        #expect(result.status == 64)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func iamAdminNeedsTLSAndExcludesAPassword() throws {
        let withoutTLS = Self.flags.filter { $0 != "--tls-ca" && $0 != LocalServer.caFile }
            .filter { $0 != "--password-env" && $0 != "DBIAM_LOCAL_ADMIN_PASSWORD" } + ["--iam"]
        let noTLS = try DBIAMProcess().run(["import"] + withoutTLS)
        #expect(noTLS.status == 64)
        #expect(noTLS.stderr.contains("give --tls-ca FILE (the RDS CA bundle, global-bundle.pem) to verify the server, or --no-tls"), "\(noTLS.stderr)")
        let iamWithoutTLS = try DBIAMProcess().run(["import"] + withoutTLS.map { $0 == LocalServer.host ? "127.0.0.1" : $0 } + ["--no-tls"])
        #expect(iamWithoutTLS.status == 64)
        #expect(iamWithoutTLS.stderr.contains("--no-tls cannot go with an IAM admin login"), "\(iamWithoutTLS.stderr)")
        let both = try DBIAMProcess().run(["import"] + Self.flags + ["--iam"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("--password-env and --iam are two ways to log in; give one."))
    }

    /// What a change on the server would show: accounts with their plugin, TLS and grants.
    static func grantTables(_ connection: Connection) throws -> [[String?]] {
        try connection.rows("SELECT User, Host, Priv FROM mysql.global_priv ORDER BY User, Host").rows.map(Array.init)
            + connection.rows("SELECT * FROM mysql.db ORDER BY User, Host, Db").rows.map(Array.init)
            + connection.rows("SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv ORDER BY User, Host, Db, Table_name").rows.map(Array.init)
    }
}

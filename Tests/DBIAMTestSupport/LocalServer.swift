import Foundation
import MariaDB

/// The local Aurora stand-in that `make db-up` starts (aurora-standin/README.md).
/// Tests that need it fail when it is not running; they never skip.
public enum LocalServer {
    private static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The repository, found from this file's place in it.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var host: String { environment["DBIAM_TEST_HOST"] ?? "127.0.0.1" }
    public static var port: Int { Int(environment["DBIAM_TEST_PORT"] ?? "") ?? 33306 }
    public static let account = "012345678901"
    public static let region = "ap-northeast-1"
    public static let adminUser = "dbiam_admin"
    public static let iamAdminUser = "dbiam_iam_admin"
    public static var adminPassword: String { environment["DBIAM_LOCAL_ADMIN_PASSWORD"] ?? "local-admin-secret" }

    public static var caFile: String {
        environment["DBIAM_TEST_TLS_CA"] ?? repositoryRoot.appendingPathComponent(".local/aurora/tls/ca.pem").path
    }

    public static func adminOptions(connectTimeout: Int = 5) -> ConnectionOptions {
        ConnectionOptions(
            host: host, port: port, user: adminUser, password: Secret(adminPassword),
            tls: .verified(caFile: caFile), connectTimeout: connectTimeout)
    }

    /// An admin connection, or an error that says how to start the server.
    public static func connect() throws -> Connection {
        _ = exclusiveUse
        do {
            return try Connection(adminOptions())
        } catch {
            throw NotRunning(underlying: error)
        }
    }

    /// Test processes that use the one local server take turns: the first use in a
    /// process waits for this lock, and the process holds it until it exits. (Only
    /// matters when several checkouts test at once; `make test` is one process.)
    private static let exclusiveUse: Int32 = {
        // Close-on-exec: a server started by a test must not inherit (and keep) the lock.
        let descriptor = open("/tmp/dbiam-local-server.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        if descriptor >= 0 { flock(descriptor, LOCK_EX) }
        return descriptor
    }()

    public struct NotRunning: Error, CustomStringConvertible {
        public var underlying: MariaDBError
        public var description: String {
            "the local Aurora stand-in is not reachable at \(LocalServer.host):\(LocalServer.port) (\(underlying)); start it with `make db-up` (make test does this itself)"
        }
    }

    /// Accounts that belong to the server or to the stand-in's setup, never dropped.
    public static let permanentUsers: Set<String> = ["root", "mariadb.sys", "PUBLIC", adminUser, iamAdminUser, ""]

    /// Drops every account and database that tests made, and brings back the
    /// stand-in's IAM admin if a prune test dropped it, so each test starts clean.
    public static func reset(_ connection: Connection) throws {
        let accounts = try connection.rows(
            "SELECT User, Host FROM mysql.global_priv WHERE IFNULL(JSON_EXTRACT(Priv, '$.is_role'), 'false') <> 'true'").rows
        var statements: [String] = []
        for row in accounts {
            let user = row[0] ?? "", host = row[1] ?? ""
            if permanentUsers.contains(user) { continue }
            statements.append("DROP USER \(quote(user))@\(quote(host))")
        }
        let roles = try connection.rows(
            "SELECT User FROM mysql.global_priv WHERE JSON_EXTRACT(Priv, '$.is_role') = 'true'").rows
        for row in roles { statements.append("DROP ROLE \(quote(row[0] ?? ""))") }
        let databases = try connection.rows("SHOW DATABASES LIKE 'dbiam\\_test%'").rows.compactMap { $0.first ?? nil }
        for database in databases { statements.append("DROP DATABASE `\(database.replacingOccurrences(of: "`", with: "``"))`") }
        statements += [
            "CREATE USER IF NOT EXISTS '\(iamAdminUser)'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL",
            "GRANT ALL PRIVILEGES ON *.* TO '\(iamAdminUser)'@'%' WITH GRANT OPTION",
        ]
        try connection.query(statements.joined(separator: ";\n"))
    }

    private static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}

extension LocalServer {
    /// A manifest for the local server with the given `users:` block (YAML-lite,
    /// indented by two spaces) and optional `permission_sets:` block.
    /// `roles`: a whole `roles:` section, or nothing.
    public static func manifestText(users: String, roles: String = "", permissionSets: String = "", prune: Bool = false, iamAdmin: Bool = false) -> String {
        let admin = iamAdmin
            ? "user: \(iamAdminUser)\n      iam: true"
            : "user: \(adminUser)\n      password_env: DBIAM_LOCAL_ADMIN_PASSWORD"
        return """
            version: 1
            clusters:
              local:
                account: "\(account)"
                region: \(region)
                resource_id: cluster-LOCALAURORASTANDIN00000000
                endpoint: \(host)
                port: \(port)
                engine: mariadb
                tls_ca: \(caFile)
                prune: \(prune)
                admin:
                  \(admin)
            \(roles)
            users:
            \(users)
            \(permissionSets)
            """
    }

    /// The local cluster and `down`, a cluster at a port where nothing listens, with
    /// ssotest on both.
    public static func manifestWithAnUnreachableCluster(port: Int) -> String {
        let down = """
              down:
                account: "\(account)"
                region: \(region)
                resource_id: cluster-DOWNDOWNDOWNDOWNDOWNDOWN00
                endpoint: 127.0.0.1
                port: \(port)
                engine: mariadb
                tls_ca: \(caFile)
                admin:
                  user: \(adminUser)
                  password_env: DBIAM_LOCAL_ADMIN_PASSWORD
            users:
            """
        return manifestText(users: "  ssotest:\n    clusters: [\"*\"]\n").replacingOccurrences(of: "users:", with: down)
    }

    /// The test keys of aurora-standin/test-access-keys: key id and secret.
    public static let testKey = (id: "AKIALOCALTEST0000001", secret: "local-test-secret-0001-not-an-aws-secret")
    public static let otherAccountKey = (id: "AKIAOTHERACCOUNT0001", secret: "other-account-secret-0001-not-an-aws-secret")
}

extension LocalServer {
    /// Kills the server as a crash would (SIGKILL), and waits until it is gone.
    public static func kill() throws {
        let pidFile = repositoryRoot.appendingPathComponent(".local/aurora/mariadbd.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw NotRunning(underlying: MariaDBError(code: 2002, sqlState: "HY000", message: "no pid file at \(pidFile.path)"))
        }
        Glibc.kill(pid, SIGKILL)
        for _ in 0..<100 where Glibc.kill(pid, 0) == 0 { usleep(50_000) }
    }

    /// Starts the server again with the project's own script. Spawned and reaped
    /// directly: Foundation's Process does not always notice the end of a script that
    /// leaves a daemon behind.
    public static func start() throws {
        let script = repositoryRoot.appendingPathComponent("aurora-standin/db-up").path
        var pid: pid_t = 0
        let arguments = [strdup(script), nil]
        defer { free(arguments[0]) }
        guard posix_spawn(&pid, script, nil, nil, arguments, environ) == 0 else {
            throw NotRunning(underlying: MariaDBError(code: 2002, sqlState: "HY000", message: "could not run \(script)"))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw NotRunning(underlying: MariaDBError(code: 2002, sqlState: "HY000", message: "aurora-standin/db-up failed"))
        }
    }
}

import DBIAMTestSupport
import Foundation
import Testing

/// `dbiam connect` with a fake client, a shell script that records its arguments, its
/// environment and the signal it gets. The token is signed with the stand-in's test key;
/// no server is contacted.
@Suite(.serialized)
struct ConnectProcessTests {
    /// `local` and `down`, whose admins' passwords are in two variables.
    static let manifest: String = {
        var text = LocalServer.manifestWithAnUnreachableCluster(port: 1)
        let down = text.range(of: "password_env: DBIAM_LOCAL_ADMIN_PASSWORD", options: .backwards)!
        text.replaceSubrange(down, with: "password_env: DOWN_ADMIN_PASSWORD")
        return text
    }()

    /// A working folder with the manifest, the fake client (in `client/`, where it
    /// records) and an environment holding AWS credentials, the admin passwords and a
    /// marker the client must still see.
    func prepare() throws -> (DBIAMProcess, record: URL) {
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials()
        dbiam.environment["AWS_SESSION_TOKEN"] = "session-token-value"
        dbiam.environment["AWS_PROFILE"] = "default"
        dbiam.environment["DOWN_ADMIN_PASSWORD"] = "down-admin-secret"
        dbiam.environment["MYSQL_PWD"] = "mysql-pwd-secret"
        dbiam.environment["DBIAM_TEST_MARKER"] = "kept"
        #expect(Self.manifest.contains("password_env: DOWN_ADMIN_PASSWORD") && Self.manifest.contains("password_env: DBIAM_LOCAL_ADMIN_PASSWORD"))
        try dbiam.write(Self.manifest, to: "local.yaml")
        let record = dbiam.directory.appendingPathComponent("client")
        let script = """
            #!/bin/sh
            cd '\(record.path)'
            if [ "$1" = "--version" ]; then env > version-env; echo "mariadb  Ver 15.1 Distrib 10.11.19-MariaDB"; exit 0; fi
            trap 'echo TERM > signal; kill $sleeper; exit 143' TERM
            trap 'echo HUP > signal; kill $sleeper; exit 129' HUP
            printf '%s\\n' "$@" > argv
            grep '^SigIgn:' /proc/$$/status > ignored-signals
            grep '^SigBlk:' /proc/$$/status > blocked-signals
            # The fifth field of stat is the process group; dbiam is the parent.
            if [ "$(cut -d' ' -f5 /proc/$$/stat)" = "$(cut -d' ' -f5 /proc/$PPID/stat)" ]; then echo same; else echo other; fi > process-group
            env > env.tmp && mv env.tmp env
            sleep 60 & sleeper=$!
            wait $sleeper
            """
        let path = try dbiam.write(script, to: "client/fake-mariadb")
        chmod(path, 0o755)
        return (dbiam, record)
    }

    func optionFile(in record: URL) throws -> String {
        let argv = try String(contentsOf: record.appendingPathComponent("argv"), encoding: .utf8)
        let flag = try #require(argv.split(separator: "\n").first { $0.hasPrefix("--defaults-extra-file=") })
        return String(flag.dropFirst("--defaults-extra-file=".count))
    }

    @Test(arguments: [(SIGTERM, Int32(143), "TERM"), (SIGHUP, Int32(129), "HUP")])
    func aSignalRemovesTheTokenFileAndReachesTheClient(signal: Int32, exitCode: Int32, name: String) throws {
        let (dbiam, record) = try prepare()
        let connect = try dbiam.start(["connect", "local.yaml", "--cluster", "local", "--user", "ssotest", "--client", record.appendingPathComponent("fake-mariadb").path])
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: record.appendingPathComponent("env").path) && Date() < deadline { usleep(20_000) }
        let file = try optionFile(in: record)
        #expect(FileManager.default.fileExists(atPath: file), "the client runs with the token's file")
        connect.send(signal)
        let result = connect.finish()
        #expect(result.status == exitCode, "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: file))
        #expect(!FileManager.default.fileExists(atPath: (file as NSString).deletingLastPathComponent))
        // dbiam passed the signal on and waited for the client to end.
        #expect(try String(contentsOf: record.appendingPathComponent("signal"), encoding: .utf8) == name + "\n")
    }

    /// Runs `dbiam connect` with the fake client, and ends it once the client has
    /// recorded what it got.
    func runUntilTheClientHasStarted(_ dbiam: DBIAMProcess, record: URL) throws {
        let connect = try dbiam.start(["connect", "local.yaml", "--cluster", "local", "--user", "ssotest", "--client", record.appendingPathComponent("fake-mariadb").path])
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: record.appendingPathComponent("env").path) && Date() < deadline { usleep(20_000) }
        connect.send(SIGTERM)
        _ = connect.finish()
    }

    /// dbiam ignores Ctrl-C while the client runs (and Swift ignores SIGPIPE), but the
    /// client must not start with them ignored: Ctrl-C would not stop it.
    @Test func theClientStartsWithNoSignalIgnored() throws {
        let (dbiam, record) = try prepare()
        try runUntilTheClientHasStarted(dbiam, record: record)
        let line = try String(contentsOf: record.appendingPathComponent("ignored-signals"), encoding: .utf8)
        let mask = try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16), "\(line)")
        for signal in [SIGINT, SIGPIPE, SIGTERM, SIGHUP, SIGQUIT] {
            #expect(mask & (1 << UInt64(signal - 1)) == 0, "signal \(signal) is ignored in the client: \(line)")
        }
    }

    /// The client is interactive: it runs in dbiam's process group, the terminal's
    /// foreground one (in a group of its own it could not read the terminal, and Ctrl-C
    /// would not reach it), with no signal blocked.
    @Test func theClientRunsInTheForegroundWithNoSignalBlocked() throws {
        let (dbiam, record) = try prepare()
        try runUntilTheClientHasStarted(dbiam, record: record)
        #expect(try String(contentsOf: record.appendingPathComponent("process-group"), encoding: .utf8) == "same\n")
        let line = try String(contentsOf: record.appendingPathComponent("blocked-signals"), encoding: .utf8)
        let mask = try #require(UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16), "\(line)")
        #expect(mask == 0, "signals blocked in the client: \(line)")
    }

    @Test func theClientGetsNoCredentialsAndNoAdminPasswords() throws {
        let (dbiam, record) = try prepare()
        try runUntilTheClientHasStarted(dbiam, record: record)
        // As asked its version, and as run.
        for name in ["version-env", "env"] {
            let environment = try String(contentsOf: record.appendingPathComponent(name), encoding: .utf8).split(separator: "\n")
            #expect(!environment.contains { $0.hasPrefix("AWS_") }, "\(name): \(environment)")
            for variable in ["DBIAM_LOCAL_ADMIN_PASSWORD", "DOWN_ADMIN_PASSWORD", "MYSQL_PWD"] {
                #expect(!environment.contains { $0.hasPrefix(variable + "=") }, "\(variable) in \(name): \(environment)")
            }
            #expect(environment.contains("DBIAM_TEST_MARKER=kept"), "\(name)")
            #expect(environment.contains { $0.hasPrefix("PATH=") }, "\(name)")
        }
        // dbiam itself had them: the token was signed with the key.
        #expect(dbiam.environment["AWS_SECRET_ACCESS_KEY"] != nil && dbiam.environment["DBIAM_LOCAL_ADMIN_PASSWORD"] != nil)
    }
}

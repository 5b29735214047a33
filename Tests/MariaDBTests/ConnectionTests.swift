import DBIAMTestSupport
import Foundation
import Synchronization
import Testing
@testable import MariaDB

@Suite(.serialized)
struct ConnectionTests {
    @Test func connectsOverVerifiedTLS() throws {
        let connection = try LocalServer.connect()
        #expect(connection.serverVersion.contains("MariaDB"))
        let cipher = try connection.rows("SHOW SESSION STATUS LIKE 'Ssl_cipher'").rows.first?[1] ?? nil
        #expect(cipher?.isEmpty == false)
    }

    @Test func wrongPasswordIsAccessDeniedWithoutThePassword() throws {
        var options = LocalServer.adminOptions()
        options.password = Secret("not-the-password-123")
        do {
            _ = try Connection(options)
            Issue.record("a wrong password logged in")
        } catch {
            #expect(error.code == 1045)
            #expect(error.sqlState == "28000")
            #expect(!error.message.contains("not-the-password-123"))
            #expect(!"\(error)".contains("not-the-password-123"))
        }
    }

    /// What the trace of `-v` heard, from the connection's queue.
    final class Heard: Sendable {
        let trips = Mutex<[RoundTrip]>([])
    }

    /// The trace hears of the login and of each round trip, by number and purpose: the
    /// caller's, else the statement's first keyword, never its text.
    @Test func traceNamesEachRoundTripByItsPurpose() throws {
        let heard = Heard()
        var options = LocalServer.adminOptions()
        options.trace = { trip in heard.trips.withLock { $0.append(trip) } }
        let connection = try Connection(options)
        try connection.during("count the accounts") { connection throws(MariaDBError) in
            try connection.rows("SELECT COUNT(*) FROM mysql.global_priv")
        }
        _ = connection.run("select 'a-value-never-traced'; SELEC nonsense")
        let trips = heard.trips.withLock { $0 }
        #expect(trips.map(\.number) == [0, 1, 2])
        #expect(trips.map(\.purpose) == ["log in to \(LocalServer.host):\(LocalServer.port) as \(LocalServer.adminUser)", "count the accounts", "SELECT"])
        #expect(trips.map(\.failed) == [false, false, true])
    }

    @Test func secretsDoNotPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(LocalServer.adminOptions(), to: &dumped)
        #expect(!dumped.contains(LocalServer.adminPassword))
    }

    @Test func closedPortFailsAtOnce() throws {
        var options = LocalServer.adminOptions()
        options.port = try ClosedPort.reserve()
        do {
            _ = try Connection(options)
            Issue.record("connected to a closed port")
        } catch {
            #expect([2002, 2003].contains(error.code))
            #expect(error.isConnectionFailure)
        }
    }

    /// `localhost` is reached over TCP at the port given, as an SSH tunnel at
    /// localhost:13306 needs, not through the Unix socket libmariadb picks for that name.
    @Test func localhostIsReachedOverTCPAtItsPort() throws {
        _ = try LocalServer.connect()
        var options = LocalServer.adminOptions()
        options.host = "localhost"
        let connection = try Connection(options)
        // The server shows a TCP client as address:port, a socket client as `localhost`.
        let row = try connection.rows("SELECT @@port, HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()").rows.first
        #expect(row?[0] == String(LocalServer.port))
        #expect((row?[1] ?? nil)?.hasPrefix("127.0.0.1:") == true, "\(String(describing: row))")
    }

    @Test func silentServerTimesOut() throws {
        let listener = try SilentListener()
        var options = LocalServer.adminOptions(connectTimeout: 1)
        options.port = listener.port
        options.readTimeout = 1
        let started = Date()
        do {
            _ = try Connection(options)
            Issue.record("connected to a server that never answers")
        } catch {
            #expect(error.isConnectionFailure, "\(error)")
        }
        // The bound is generous: the point is that it returns, not how fast.
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func wrongCertificateAuthorityIsRefused() throws {
        var options = LocalServer.adminOptions()
        let bogusCA = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-test-bogus-ca.pem")
        try SelfSignedCA.write(to: bogusCA)
        options.tls = .verified(caFile: bogusCA.path)
        do {
            _ = try Connection(options)
            Issue.record("TLS succeeded with the wrong CA")
        } catch {
            #expect(error.code == 2026, "\(error)")
        }
    }

    @Test func rowsKeepNullsAndText() throws {
        let connection = try LocalServer.connect()
        let result = try connection.rows("SELECT NULL AS a, 'x''y' AS b, _utf8mb4'データ' AS c, 42 AS d")
        #expect(result.columns == ["a", "b", "c", "d"])
        #expect(result.rows.map(Array.init) == [[nil, "x'y", "データ", "42"]])
    }

    /// dbiam's SQL escapes with backslashes; a server whose default mode takes them
    /// literally still reads them as escapes, from a connection's first statement on,
    /// and the setup costs no round trip of its own.
    @Test func backslashEscapesHoldWhateverTheServerDefault() throws {
        let admin = try LocalServer.connect()
        let original = try admin.rows("SELECT @@GLOBAL.sql_mode").rows.first?[0] ?? ""
        try admin.query("SET GLOBAL sql_mode = CONCAT_WS(',', NULLIF(@@GLOBAL.sql_mode, ''), 'NO_BACKSLASH_ESCAPES')")
        // A mode is a list of names: letters, digits, underscores and commas.
        defer { _ = try? admin.query("SET GLOBAL sql_mode = '\(original)'") }
        let connection = try LocalServer.connect()
        let result = try connection.rows(#"SELECT 'a\\b', @@SESSION.sql_mode LIKE '%NO_BACKSLASH_ESCAPES%'"#)
        #expect(result.rows.map(Array.init) == [[#"a\b"#, "0"]])
        #expect(connection.roundTrips == 1)
    }

    @Test func multiStatementBatchStopsAtTheFirstFailure() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        let before = connection.roundTrips
        let outcome = connection.run("""
            CREATE DATABASE dbiam_test_batch;
            CREATE TABLE dbiam_test_batch.t (a INT);
            INSERT INTO dbiam_test_batch.missing VALUES (1);
            INSERT INTO dbiam_test_batch.t VALUES (2)
            """)
        #expect(connection.roundTrips == before + 1)
        #expect(outcome.results.count == 2)
        #expect(outcome.error?.code == 1146)
        #expect(outcome.error?.sqlState == "42S02")
        let count = try connection.rows("SELECT COUNT(*) FROM dbiam_test_batch.t").rows.first?[0] ?? nil
        #expect(count == "0")
        try LocalServer.reset(connection)
    }

    @Test func queryReturnsOneResultPerStatement() throws {
        let connection = try LocalServer.connect()
        let results = try connection.query("SELECT 1; SELECT 2, 3; DO 0")
        #expect(results.map { $0.rows.map(Array.init) } == [[["1"]], [["2", "3"]], []])
    }
}

internal import CMariaDB

/// One open connection to a MariaDB or MySQL server, over libmariadb.
///
/// Every session reads string literals with backslash escapes, whatever the server's
/// default `sql_mode`: the first round trip turns NO_BACKSLASH_ESCAPES off before its
/// statements run, so no round trip is spent on it alone.
///
/// Not Sendable on purpose: a connection belongs to the one task or actor that opened
/// it, as libmariadb requires. The handle is closed when the connection is released,
/// and on every path where opening it fails.
public final class Connection {
    private let handle: UnsafeMutablePointer<MYSQL>
    /// `SELECT VERSION()` as the handshake reported it, e.g. `10.11.19-MariaDB-0+deb12u1`.
    public let serverVersion: String
    /// Queries sent so far (each may hold several statements): the figure that shows
    /// reading a cluster costs the same for 10 accounts as for 10,000.
    public private(set) var roundTrips = 0
    /// Whether a round trip has run `sessionSetup`.
    private var sessionIsSetUp = false
    private let trace: (@Sendable (RoundTrip) -> Void)?
    /// What the round trips are for, for `trace`; nil: the statement's first word.
    private var purpose: String?

    public init(_ options: ConnectionOptions) throws(MariaDBError) {
        MariaDBLibrary.initialize()
        guard let handle = mysql_init(nil) else {
            throw MariaDBError(code: MariaDBError.outOfMemory, sqlState: "HY000", message: "libmariadb could not allocate a connection handle")
        }
        do throws(MariaDBError) {
            try Self.configure(handle, options)
            let started = ContinuousClock.now
            let connected = options.password.withRevealed { password in
                mysql_real_connect(
                    handle, options.host, options.user, password, nil, UInt32(clamping: options.port), nil,
                    dbiam_client_multi_statements())
            }
            options.trace?(RoundTrip(
                number: 0, purpose: "log in to \(options.host):\(options.port) as \(options.user)", duration: .now - started,
                failed: connected == nil))
            guard connected != nil else { throw Self.lastError(handle).withholding(options.password) }
        } catch {
            mysql_close(handle)
            throw error
        }
        self.handle = handle
        self.trace = options.trace
        self.serverVersion = String(cString: mysql_get_server_info(handle))
    }

    deinit {
        mysql_close(handle)
    }

    /// Removes NO_BACKSLASH_ESCAPES from the session's `sql_mode` and keeps the rest.
    private static let sessionSetup =
        "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))"

    /// Plugins that never put the password itself on the wire.
    static let pluginsWithoutTLS = "mysql_native_password,client_ed25519"
    /// Over verified TLS, MySQL 8's plugins too, which send the password inside TLS.
    static let pluginsOverTLS = "mysql_native_password,client_ed25519,caching_sha2_password,sha256_password"

    private static func configure(_ handle: UnsafeMutablePointer<MYSQL>, _ options: ConnectionOptions) throws(MariaDBError) {
        var failed = false
        // libmariadb takes `localhost` for its Unix socket and ignores the port: an SSH
        // tunnel at localhost:13306 would reach whatever server owns the socket, or none.
        // A cluster is always the endpoint and port the manifest names.
        failed = dbiam_set_uint_option(handle, MYSQL_OPT_PROTOCOL, MYSQL_PROTOCOL_TCP.rawValue) != 0 || failed
        failed = dbiam_set_uint_option(handle, MYSQL_OPT_CONNECT_TIMEOUT, UInt32(clamping: options.connectTimeout)) != 0 || failed
        failed = dbiam_set_uint_option(handle, MYSQL_OPT_READ_TIMEOUT, UInt32(clamping: options.readTimeout)) != 0 || failed
        failed = dbiam_set_uint_option(handle, MYSQL_OPT_WRITE_TIMEOUT, UInt32(clamping: options.writeTimeout)) != 0 || failed
        failed = dbiam_set_string_option(handle, MYSQL_SET_CHARSET_NAME, "utf8mb4") != 0 || failed
        failed = dbiam_set_bool_option(handle, MYSQL_OPT_LOCAL_INFILE, 0) != 0 || failed
        let allowedPlugins: String
        switch (options.tls, options.cleartextPassword) {
        case (.disabled, true):
            throw MariaDBError(
                code: MariaDBError.unknownClientError, sqlState: "HY000",
                message: "a cleartext password (an IAM token) is only ever sent over TLS verified against a CA bundle, and this connection has no TLS")
        case (.disabled, false):
            allowedPlugins = Self.pluginsWithoutTLS
        case (.verified(let caFile), let cleartext):
            failed = dbiam_set_bool_option(handle, MYSQL_OPT_SSL_ENFORCE, 1) != 0 || failed
            if let caFile {
                failed = dbiam_set_string_option(handle, MYSQL_OPT_SSL_CA, caFile) != 0 || failed
            }
            failed = dbiam_set_bool_option(handle, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, 1) != 0 || failed
            if cleartext {
                failed = dbiam_set_string_option(handle, MYSQL_DEFAULT_AUTH, "mysql_clear_password") != 0 || failed
                failed = dbiam_set_bool_option(handle, MYSQL_ENABLE_CLEARTEXT_PLUGIN, 1) != 0 || failed
                allowedPlugins = "mysql_clear_password"
            } else {
                allowedPlugins = Self.pluginsOverTLS
            }
        }
        // libmariadb follows a server's request to switch plugins, including to the
        // cleartext one: the list is what keeps a password from a server that asks.
        failed = dbiam_set_string_option(handle, MARIADB_OPT_RESTRICTED_AUTH, allowedPlugins) != 0 || failed
        if failed {
            throw MariaDBError(code: MariaDBError.unknownClientError, sqlState: "HY000", message: "libmariadb refused a connection option")
        }
    }

    /// Runs `body` with its round trips said to be for `purpose` (`read the grant
    /// tables`), for the trace: the code that knows why sends the SQL through others.
    @discardableResult
    public func during<Result, Failure: Error>(_ purpose: String, _ body: (Connection) throws(Failure) -> Result) throws(Failure) -> Result {
        let outer = self.purpose
        self.purpose = purpose
        defer { self.purpose = outer }
        return try body(self)
    }

    /// Runs one statement or several separated by `;` and returns one result per
    /// statement. Stops at the first statement the server refuses.
    @discardableResult
    public func query(_ sql: String) throws(MariaDBError) -> [ResultSet] {
        let outcome = run(sql)
        if let error = outcome.error { throw error }
        return outcome.results
    }

    /// The rows of a single SELECT.
    public func rows(_ sql: String) throws(MariaDBError) -> ResultSet {
        try query(sql).first ?? ResultSet(affectedRows: 0)
    }

    /// Sends statements in one round trip and says how many ran before the first one
    /// the server refused (the server runs none after it).
    public func run(_ sql: String) -> BatchOutcome {
        // Without a purpose, the statement's first word, a keyword (SELECT, GRANT): never
        // a name or a value.
        let purpose = trace == nil ? nil : self.purpose ?? String(sql.prefix { $0.isLetter }).uppercased()
        guard sessionIsSetUp else {
            var outcome = send(Self.sessionSetup + ";\n" + sql, purpose: purpose)
            // Empty: the setup itself was refused, and none of `sql` ran.
            guard !outcome.results.isEmpty else { return outcome }
            outcome.results.removeFirst()
            sessionIsSetUp = true
            return outcome
        }
        return send(sql, purpose: purpose)
    }

    private func send(_ sql: String, purpose: String?) -> BatchOutcome {
        guard let trace, let purpose else { return exchange(sql) }
        let started = ContinuousClock.now
        let outcome = exchange(sql)
        trace(RoundTrip(number: roundTrips, purpose: purpose, duration: .now - started, failed: outcome.error != nil))
        return outcome
    }

    private func exchange(_ sql: String) -> BatchOutcome {
        var results: [ResultSet] = []
        roundTrips += 1
        let status = sql.utf8CString.withUnsafeBufferPointer { buffer in
            mysql_real_query(handle, buffer.baseAddress, UInt(buffer.count - 1))
        }
        guard status == 0 else { return BatchOutcome(results: results, error: Self.lastError(handle)) }
        while true {
            if let result = mysql_store_result(handle) {
                let read = Self.read(result)
                mysql_free_result(result)
                guard let read else {
                    // The rest of the batch is read and dropped, so the connection stays in step.
                    while mysql_next_result(handle) == 0 {
                        if let rest = mysql_store_result(handle) { mysql_free_result(rest) }
                    }
                    return BatchOutcome(results: results, error: MariaDBError(code: MariaDBError.outOfMemory, sqlState: "HY000", message: "a result set was larger than 2 GiB"))
                }
                results.append(read)
            } else if mysql_field_count(handle) == 0 {
                results.append(ResultSet(affectedRows: Int(truncatingIfNeeded: mysql_affected_rows(handle))))
            } else {
                return BatchOutcome(results: results, error: Self.lastError(handle))
            }
            let next = mysql_next_result(handle)
            if next > 0 { return BatchOutcome(results: results, error: Self.lastError(handle)) }
            if next < 0 { return BatchOutcome(results: results, error: nil) }
        }
    }

    /// The rows of `result`, copied into a `ResultSet`; nil when they are too many
    /// bytes for one (2 GiB).
    private static func read(_ result: UnsafeMutablePointer<MYSQL_RES>) -> ResultSet? {
        let fieldCount = Int(mysql_num_fields(result))
        var columns: [String] = []
        columns.reserveCapacity(fieldCount)
        if let fields = mysql_fetch_fields(result) {
            for index in 0..<fieldCount { columns.append(String(cString: fields[index].name)) }
        }
        var cells = ResultSet.Cells(reservingRows: Int(truncatingIfNeeded: mysql_num_rows(result)), columns: fieldCount)
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            for index in 0..<fieldCount {
                let cell = row[index].map { UnsafeRawBufferPointer(start: $0, count: Int(lengths[index])) }
                guard cells.append(cell) else { return nil }
            }
        }
        return ResultSet(columns: columns, cells: cells)
    }

    private static func lastError(_ handle: UnsafeMutablePointer<MYSQL>) -> MariaDBError {
        MariaDBError(
            code: Int(mysql_errno(handle)),
            sqlState: String(cString: mysql_sqlstate(handle)),
            message: String(cString: mysql_error(handle)))
    }
}

/// What a multi-statement round trip did: one result per statement that ran, and the
/// error of the statement that stopped it.
public struct BatchOutcome: Sendable {
    public var results: [ResultSet]
    public var error: MariaDBError?
}

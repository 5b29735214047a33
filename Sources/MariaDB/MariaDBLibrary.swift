internal import CMariaDB

/// libmariadb's global state. `mysql_library_init` is not thread-safe, so it runs
/// exactly once, through a lazily initialized global (which Swift guards with a
/// once-token), when the first `Connection` is made: a run that connects to no server
/// never pays for it. A process must not `exit` while a connection is being made (the
/// exit handlers tear OpenSSL down under it): commands wait for their connections, and
/// signals end the process with `_exit`.
public enum MariaDBLibrary {
    // `mysql_library_init` is a C macro for `mysql_server_init`.
    private static let initialized: Bool = mysql_server_init(0, nil, nil) == 0

    /// Initializes the client library; later calls do nothing.
    public static func initialize() {
        precondition(initialized, "libmariadb failed to initialize")
    }
}

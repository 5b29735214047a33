internal import CMariaDB

/// libmariadb's global state. `mysql_library_init` is not thread-safe, so it runs
/// exactly once, through a lazily initialized global (which Swift guards with a
/// once-token); the entry point calls `initialize()` before any task starts.
public enum MariaDBLibrary {
    // `mysql_library_init` is a C macro for `mysql_server_init`.
    private static let initialized: Bool = mysql_server_init(0, nil, nil) == 0

    /// Initializes the client library; later calls do nothing.
    public static func initialize() {
        precondition(initialized, "libmariadb failed to initialize")
    }
}

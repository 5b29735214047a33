import Glibc

/// Why a file dbiam must read (a manifest, a cluster's CA bundle) cannot be read, in
/// words for a message: the caller says which file it is and what to do.
public enum FileProblem: Sendable, Equatable, CustomStringConvertible {
    case missing
    case directory
    /// The system's reason, such as `Permission denied`.
    case unreadable(String)

    /// What stands in the way of reading `path`, or nil when it can be read.
    public static func reading(_ path: String) -> FileProblem? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .unreadable(String(cString: strerror(code)))
        }
        if status.st_mode & S_IFMT == S_IFDIR { return .directory }
        // Opened rather than checked with access(2), which answers for the real user id.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .unreadable(String(cString: strerror(errno))) }
        close(descriptor)
        return nil
    }

    public var description: String {
        switch self {
        case .missing: "there is no such file"
        case .directory: "it is a directory, not a file"
        case .unreadable(let reason): "it cannot be read (\(reason))"
        }
    }
}

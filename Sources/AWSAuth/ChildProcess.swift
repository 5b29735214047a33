import FoundationEssentials
import Glibc

/// A program dbiam runs (a credential_process's shell, the database client), started with
/// posix_spawn: the executable checked first, so that a missing one is an error rather
/// than a child that fails; its path, made absolute, as argv[0]; exactly the environment
/// given; the working directory and standard input inherited; no signal blocked, and
/// SIGPIPE at its default; no descriptor of dbiam's but the standard ones. Here, the
/// lowest module that runs programs, for the others to use.
public struct ChildProcess: Sendable {
    public let processID: pid_t
    /// The read end of the pipe from the program's standard output, when `.pipe` was asked
    /// for; the caller reads it and closes it.
    public let standardOutput: Int32?
    /// The same for standard error.
    public let standardError: Int32?

    /// Where the program's standard output or standard error goes.
    public enum Output: Sendable {
        case inherited
        /// To /dev/null.
        case discarded
        /// To a pipe whose read end the caller gets.
        case pipe
    }

    /// Why a program could not be started.
    public struct StartFailure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Cause: Sendable, Equatable {
            /// The executable cannot be looked at, is not executable, or did not start.
            case cannotRun(errorNumber: Int32)
            /// The executable is not a regular file.
            case notAFile
            /// A pipe or the start's set-up failed.
            case setUp(errorNumber: Int32)
        }

        public var executable: String
        public var cause: Cause

        /// The cause, as the system words it.
        public var reason: String {
            switch cause {
            case .cannotRun(let errorNumber), .setUp(let errorNumber): String(cString: strerror(errorNumber))
            case .notAFile: "it is not a file"
            }
        }

        public var description: String { "cannot run \(executable): \(reason)" }
    }

    /// Starts `executable` (relative to the working directory unless absolute) with
    /// `arguments` after its path.
    ///
    /// `ownProcessGroup`: the program leads a process group of its own, so that killing
    /// the group also ends what it started; otherwise it stays in dbiam's, the
    /// terminal's foreground group, where an interactive program must be to read the
    /// terminal and to get Ctrl-C.
    public static func start(
        _ executable: String, arguments: [String], environment: [String: String],
        standardOutput: Output = .inherited, standardError: Output = .inherited, ownProcessGroup: Bool
    ) throws(StartFailure) -> ChildProcess {
        func failure(_ cause: StartFailure.Cause) -> StartFailure { StartFailure(executable: executable, cause: cause) }
        let path = URL(fileURLWithPath: executable).path

        // posix_spawn reports a program that cannot be run no better than one that fails.
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(.cannotRun(errorNumber: errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw failure(.notAFile) }
        guard access(path, X_OK) == 0 else { throw failure(.cannotRun(errorNumber: errno)) }

        func check(_ result: Int32) throws(StartFailure) {
            if result != 0 { throw failure(.setUp(errorNumber: result)) }
        }
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        try check(posix_spawn_file_actions_init(&actions))
        defer { posix_spawn_file_actions_destroy(&actions) }
        try check(posix_spawnattr_init(&attributes))
        defer { posix_spawnattr_destroy(&attributes) }

        // The ends the child writes to are closed here once it has them (or did not start);
        // the read ends go to the caller, or are closed when the start fails.
        var writeEnds: [Int32] = []
        var readEnds: [Int32] = []
        defer { writeEnds.forEach { _ = close($0) } }
        func redirect(_ output: Output, of descriptor: Int32) throws(StartFailure) -> Int32? {
            switch output {
            case .inherited:
                return nil
            case .discarded:
                try check(posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", O_RDWR, 0))
                return nil
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard pipe(&ends) == 0 else { throw failure(.setUp(errorNumber: errno)) }
                readEnds.append(ends[0])
                writeEnds.append(ends[1])
                // Close-on-exec too, for a program started at the same moment (pipe2 is
                // hidden from Swift, like every GNU extension).
                for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
                try check(posix_spawn_file_actions_adddup2(&actions, ends[1], descriptor))
                return ends[0]
            }
        }

        do throws(StartFailure) {
            let outputPipe = try redirect(standardOutput, of: STDOUT_FILENO)
            let errorPipe = try redirect(standardError, of: STDERR_FILENO)
            // After the dup2s, so the pipes' own descriptors go too. Closing one that was
            // closed meanwhile is no error to posix_spawn.
            for descriptor in openDescriptorsAboveStandardError() {
                try check(posix_spawn_file_actions_addclose(&actions, descriptor))
            }
            // No signal blocked, whatever the starting thread blocks (a dispatch thread
            // blocks most of them, and a program keeps the mask it starts with).
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            try check(posix_spawnattr_setsigmask(&attributes, &noSignals))
            // The Swift runtime ignores SIGPIPE, and a program keeps the signals it starts
            // with ignored: a pipeline in it would not end when its reader does. Signals
            // the user had ignored (nohup) stay so.
            var pipeSignal = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            try check(posix_spawnattr_setsigdefault(&attributes, &pipeSignal))
            let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (ownProcessGroup ? POSIX_SPAWN_SETPGROUP : 0)
            try check(posix_spawnattr_setflags(&attributes, Int16(flags)))
            var processID = pid_t()
            let result = withCStrings([path] + arguments) { argv in
                withCStrings(environment.map { "\($0.key)=\($0.value)" }) { envp in
                    posix_spawn(&processID, path, &actions, &attributes, argv, envp)
                }
            }
            guard result == 0 else { throw failure(.cannotRun(errorNumber: result)) }
            return ChildProcess(processID: processID, standardOutput: outputPipe, standardError: errorPipe)
        } catch {
            readEnds.forEach { _ = close($0) }
            throw error
        }
    }

    /// Waits for the program to end and reaps it. Its exit status, or the number of the
    /// signal that ended it, as Process's terminationStatus had it.
    public func waitForExit() -> Int32 {
        var status: Int32 = 0
        while waitpid(processID, &status, 0) == -1 && errno == EINTR {}
        // WIFSIGNALED and WTERMSIG, WEXITSTATUS otherwise: macros Swift does not import.
        let signal = status & 0x7F
        return signal != 0 && signal != 0x7F ? signal : (status >> 8) & 0xFF
    }

    /// The descriptors dbiam has open above standard error, for the program not to inherit
    /// (posix_spawn_file_actions_addclosefrom_np is a GNU extension, hidden from Swift).
    /// Without /proc, every number up to the limit, as Process did.
    private static func openDescriptorsAboveStandardError() -> [Int32] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else {
            return Array(STDERR_FILENO + 1..<getdtablesize())
        }
        return names.compactMap { Int32($0) }.filter { $0 > STDERR_FILENO }
    }

    /// `strings` as the NULL-terminated array of C strings that argv and envp are.
    private static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let copies = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

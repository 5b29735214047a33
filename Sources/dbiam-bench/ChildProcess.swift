import Foundation

/// A program the bench runs and measures: `dbiam`, the `mariadb` client, Python,
/// `ansible-playbook`. Spawned directly (not through Foundation's `Process`).
///
/// Peak memory comes from GNU time, not from `wait4` here: posix_spawn starts the child
/// in the bench's own address space (vfork), and Linux counts that space's peak, the
/// bench's, as the child's. GNU time forks a small process of its own first.
struct ChildProcess {
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    /// Files for standard input, output and error; output goes to files, which never
    /// fill up and block the child as pipes can.
    var input = "/dev/null"
    var output = "/dev/null"
    var errors = "/dev/null"

    /// How a finished child went.
    struct Finished: Sendable {
        /// The exit code, or 128 + the signal that ended it.
        var status: Int32
        /// From just before the spawn to just after the child was reaped.
        var seconds: Double
        /// Peak resident memory of the child (0 when not measured).
        var maxResidentBytes: Int
    }

    /// Runs the child to its end. `onStart` gets its process id, so that an
    /// interrupted bench can stop it.
    func run(onStart: (pid_t) -> Void = { _ in }) throws(BenchError) -> Finished {
        let clock = ContinuousClock()
        let started = clock.now
        let pid = try spawn()
        onStart(pid)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw .failed("could not wait for \(executable): \(String(cString: strerror(errno)))") }
        }
        let signal = status & 0x7f
        return Finished(
            status: signal == 0 ? (status >> 8) & 0xff : 128 + signal,
            seconds: Timing.seconds(clock.now - started),
            maxResidentBytes: memoryReport.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.map { $0 * 1024 } ?? 0)
    }

    /// Where GNU time writes the peak memory, when this child is measured.
    var memoryReport: String?

    /// The same program under GNU time, which reports its peak memory.
    func measuringMemory(reportTo path: String) -> ChildProcess {
        var measured = self
        measured.executable = "/usr/bin/time"
        measured.arguments = ["-f", "%M", "-o", path, executable] + arguments
        measured.memoryReport = path
        return measured
    }

    /// Runs the child and fails, with the end of its error output, unless it exits 0.
    @discardableResult
    func check(what: String, onStart: (pid_t) -> Void = { _ in }) throws(BenchError) -> Finished {
        let finished = try run(onStart: onStart)
        guard finished.status == 0 else {
            let detail = [errors, output].compactMap { path in
                (try? String(contentsOfFile: path, encoding: .utf8)).map { $0.split(separator: "\n").suffix(8).joined(separator: "\n") }
            }.filter { !$0.isEmpty }.joined(separator: "\n")
            throw .failed("\(what) exited with status \(finished.status)\(detail.isEmpty ? "" : ":\n" + detail)")
        }
        return finished
    }

    /// Starts the child and returns at once (the latency proxy).
    func start() throws(BenchError) -> pid_t {
        try spawn()
    }

    private func spawn() throws(BenchError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts with no signal blocked and SIGINT and SIGTERM at their
        // defaults, whatever the spawning thread had: libdispatch's threads block
        // signals, and the bench ignores these two to handle them itself.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw .failed("could not start \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Ends a child and reaps it: SIGTERM, and SIGKILL if it is still there after 5 s.
    static func stop(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}

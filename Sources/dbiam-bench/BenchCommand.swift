import ArgumentParser
import Foundation
import MariaDB

/// `make bench`: measures dbiam against its references on the local server, in one
/// run, and prints one table (also written as JSON).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dbiam-bench",
        abstract: "Measure dbiam against its references on the local Aurora stand-in.",
        discussion: """
            Run it from the repository root through `make bench`, which installs the references \
            (bench/setup), builds dbiam in release mode and starts the local server. It takes the \
            local server's lock for the whole run, so it never runs at the same time as the tests, \
            and removes every account it made (all named bench_…) however it ends.
            """
    )

    enum Section: String, CaseIterable, ExpressibleByArgument {
        case parse, plan, apply, ansible, latency, aws
    }

    @Option(name: .customLong("only"), help: "Measure only these figures (repeatable): \(Section.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sections: [Section] = []

    @Option(help: "Runs of each quick figure; the figure is their median.")
    var runs = 5

    @Option(help: ArgumentHelp("The dbiam executable (default: next to this one).", valueName: "path"))
    var dbiam: String?

    @Option(help: ArgumentHelp("Python of the bench virtualenv, with PyYAML and Ansible.", valueName: "path"))
    var python = ".venv-bench/bin/python"

    @Option(help: ArgumentHelp("CA certificate of the local server.", valueName: "path"))
    var tlsCA = ".local/aurora/tls/ca.pem"

    @Option(help: "Host of the local server.")
    var host = "127.0.0.1"

    @Option(help: "Port of the local server.")
    var port = 33306

    @Option(help: ArgumentHelp("Where the results are written as JSON.", valueName: "path"))
    var results = ".local/bench/results.json"

    @Flag(help: "Keep the work folder (manifests, plans, logs) and say where it is.")
    var keepWork = false

    func validate() throws {
        if runs < 1 { throw ValidationError("--runs must be at least 1.") }
    }

    func run() async throws {
        MariaDBLibrary.initialize()
        let programs = try locatePrograms()
        let caFile = absolute(tlsCA)
        guard FileManager.default.isReadableFile(atPath: caFile) else {
            throw fail("the local server's CA certificate \(caFile) does not exist; start the server with `make db-up`, or give --tls-ca")
        }
        let password = ProcessInfo.processInfo.environment["DBIAM_LOCAL_ADMIN_PASSWORD"] ?? "local-admin-secret"
        let options = ConnectionOptions(
            host: host, port: port, user: "dbiam_admin", password: Secret(password),
            tls: .verified(caFile: caFile), connectTimeout: 5, readTimeout: 600, writeTimeout: 600)

        let lock = try takeServerLock()
        defer { close(lock) }
        let server: BenchServer
        do { server = try BenchServer(options: options) } catch { throw fail("\(error)") }

        let cleanup = Cleanup(serverOptions: options)
        let signalSources = cleanup.handleSignals()
        defer {
            cleanup.run()
            withExtendedLifetime(signalSources) {}
        }
        let run: BenchRun
        let otherAccounts: Int
        do {
            run = try BenchRun(programs: programs, server: server, caFile: caFile, adminPassword: password, runs: runs, cleanup: cleanup)
            if keepWork { cleanup.keepWorkDirectory() }
            // Accounts left by a bench that was killed before it could clean up.
            try server.removeBenchAccounts()
            otherAccounts = try server.otherAccountCount()
        } catch {
            throw fail("\(error)")
        }

        if otherAccounts > 100 {
            run.progress("warning: the server holds \(otherAccounts.grouped) accounts the bench did not make (left by tests?); every read of the grant tables reads them too, so the plan figures are slower than on a clean server")
        }
        let startedAt = Date()
        let clock = ContinuousClock()
        let started = clock.now
        var figures: [Figure] = []
        do {
            for section in sections.isEmpty ? Section.allCases : sections {
                figures += try await measure(section, run)
            }
        } catch {
            if cleanup.interrupted {
                // The signal handler is cleaning up; wait for it rather than report the
                // child it stopped.
                cleanup.run()
                throw ExitCode(130)
            }
            if keepWork { run.progress("the work folder is kept: \(run.work)") }
            throw fail("\(error)")
        }
        let report = BenchReport(
            startedAt: ISO8601DateFormatter().string(from: startedAt), wallSeconds: Timing.seconds(clock.now - started),
            machine: Machine.describe(serverVersion: server.serverVersion, otherAccounts: otherAccounts), figures: figures)
        print(ResultTable.render(figures))
        print("ratio: dbiam ÷ reference. Times: median of \(runs) runs; apply of 10,000 users and Ansible: 1 run.")
        print("Machine: \(report.machine.summary). Measured in \(Int(report.wallSeconds.rounded())) s.")
        try writeResults(report)
        print("Results: \(results)")
        if keepWork { run.progress("the work folder is kept: \(run.work)") }
    }

    private func measure(_ section: Section, _ run: BenchRun) async throws(BenchError) -> [Figure] {
        switch section {
        case .parse: try ParseFigures.measure(run)
        case .plan: try await PlanFigures.measure(run)
        case .apply: try ApplyFigures.measure(run)
        case .ansible: try AnsibleFigures.measure(run)
        case .latency: try await LatencyFigures.measure(run)
        case .aws: try await AWSFigures.measure(run)
        }
    }

    private func locatePrograms() throws -> BenchRun.Programs {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let dbiamPath = absolute(dbiam ?? here.appendingPathComponent("dbiam").path)
        guard FileManager.default.isExecutableFile(atPath: dbiamPath) else {
            throw fail("there is no dbiam executable at \(dbiamPath); build it with `swift build -c release --product dbiam` (make bench does), or give --dbiam")
        }
        let pythonPath = absolute(python)
        let playbook = (pythonPath as NSString).deletingLastPathComponent + "/ansible-playbook"
        guard FileManager.default.isExecutableFile(atPath: pythonPath), FileManager.default.isExecutableFile(atPath: playbook) else {
            throw fail("the bench virtualenv is missing (\(pythonPath), with ansible-playbook next to it); make it with bench/setup (make bench does), or give --python")
        }
        let benchDirectory = absolute("bench")
        guard FileManager.default.fileExists(atPath: benchDirectory + "/latency_proxy.py") else {
            throw fail("run dbiam-bench from the repository root: \(benchDirectory)/latency_proxy.py is not there")
        }
        return BenchRun.Programs(dbiam: dbiamPath, python: pythonPath, ansiblePlaybook: playbook, benchDirectory: benchDirectory)
    }

    /// The lock the server tests take (LocalServer in Tests/DBIAMTestSupport), held
    /// until the bench exits, so that tests never see the bench's accounts.
    private func takeServerLock() throws -> Int32 {
        let path = "/tmp/dbiam-local-server.lock"
        // Close-on-exec: a server the bench starts must not inherit (and keep) the lock.
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw fail("cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            FileHandle.standardError.write(Data("bench: waiting for the local server, which tests are using (\(path))\n".utf8))
            flock(descriptor, LOCK_EX)
        }
        return descriptor
    }

    private func writeResults(_ report: BenchReport) throws {
        let path = absolute(results)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try report.json().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw fail("could not write the results to \(path): \(error)")
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Prints the reason and exits 1.
    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("dbiam-bench: error: \(message)\n".utf8))
        return ExitCode.failure
    }
}

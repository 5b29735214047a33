import DBIAMCore
import DBIAMEngine
import Foundation
import MariaDB

/// One run of the bench: the programs it measures, its work folder, the server, and
/// how it runs children.
final class BenchRun {
    struct Programs {
        var dbiam: String
        var python: String
        var ansiblePlaybook: String
        /// The repository's `bench/` folder: the Python references and the playbook.
        var benchDirectory: String
    }

    let programs: Programs
    let server: BenchServer
    let caFile: String
    let adminPassword: String
    /// Runs per timed figure (the cheap ones; the slow ones run once).
    let runs: Int
    let cleanup: Cleanup
    /// A private folder (0700) for manifests, plans, logs and the client option file.
    let work: String
    /// What every child gets: this environment, without colour, with the admin password.
    let environment: [String: String]

    init(programs: Programs, server: BenchServer, caFile: String, adminPassword: String, runs: Int, cleanup: Cleanup) throws(BenchError) {
        self.programs = programs
        self.server = server
        self.caFile = caFile
        self.adminPassword = adminPassword
        self.runs = runs
        self.cleanup = cleanup
        var template = Array((FileManager.default.temporaryDirectory.path + "/dbiam-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw .failed("could not make a work folder: \(String(cString: strerror(errno)))") }
        work = String(cString: made)
        cleanup.removeAtEnd(directory: work)
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["DBIAM_LOCAL_ADMIN_PASSWORD"] = adminPassword
        self.environment = environment
        try writeClientOptions()
    }

    func path(_ name: String) -> String { work + "/" + name }

    @discardableResult
    func write(_ text: String, to name: String) throws(BenchError) -> String {
        let file = path(name)
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw .failed("could not write \(file): \(error)")
        }
        return file
    }

    func progress(_ message: String) {
        FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
    }

    // MARK: children

    /// Runs a child, tracked so that an interrupted bench stops it, and checks its status.
    @discardableResult
    func measure(_ child: ChildProcess, what: String) throws(BenchError) -> ChildProcess.Finished {
        var started: pid_t?
        defer { if let started { cleanup.untrack(started) } }
        return try child.check(what: what) { pid in
            started = pid
            cleanup.track(pid)
        }
    }

    /// `dbiam ARGUMENTS`, its output in the work folder under `log`.
    func dbiam(_ arguments: [String], log: String) -> ChildProcess {
        ChildProcess(
            executable: programs.dbiam, arguments: arguments, environment: environment,
            output: path("\(log).out"), errors: path("\(log).err"))
    }

    /// The `mariadb` client as the admin, over verified TLS, with the password in a
    /// private option file rather than on the command line.
    func mariadb(_ arguments: [String], input: String = "/dev/null", log: String) -> ChildProcess {
        ChildProcess(
            executable: "mariadb", arguments: ["--defaults-extra-file=\(path("client.cnf"))"] + arguments,
            environment: environment, input: input, output: "/dev/null", errors: path("\(log).err"))
    }

    func python(_ script: String, _ arguments: [String], log: String) -> ChildProcess {
        ChildProcess(
            executable: programs.python, arguments: [programs.benchDirectory + "/" + script] + arguments,
            environment: environment, output: path("\(log).out"), errors: path("\(log).err"))
    }

    private func writeClientOptions() throws(BenchError) {
        func quoted(_ value: String) -> String {
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let options = server.options
        let text = """
            [client]
            host=\(options.host)
            port=\(options.port)
            user=\(options.user)
            password=\(quoted(adminPassword))
            ssl-ca=\(quoted(caFile))
            ssl-verify-server-cert

            """
        let file = path("client.cnf")
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw .failed("could not write \(file)")
        }
    }

    // MARK: dbiam in process

    /// How the engine logs in to the bench's manifests (password admin, no IAM).
    var login: ClusterLogin {
        ClusterLogin(
            environment: environment, resolvePath: { $0 },
            iamToken: { cluster in throw BenchError.failed("cluster \(cluster.name) asks for an IAM admin; bench manifests use the password admin") })
    }

    /// Loads a generated manifest, which must be valid.
    func manifest(_ text: String, name: String) throws(BenchError) -> Manifest {
        let result = ManifestLoader.load(Array(text.utf8))
        guard let manifest = result.manifest, !result.hasErrors else {
            let problems = result.diagnostics.prefix(5).map { $0.formatted(file: name) }.joined(separator: "\n")
            throw .failed("the generated manifest \(name) is not valid:\n\(problems)")
        }
        return manifest
    }

    /// Reads the clusters and plans them, as `dbiam plan` does, without saving.
    func planInProcess(_ manifest: Manifest, parallelism: Int) async throws(BenchError) -> (plan: Plan, readings: [Fleet.Reading]) {
        let readings = await Fleet.read(manifest.clusters, login: login, parallelism: parallelism)
        if let failed = readings.first(where: { $0.failure != nil }) {
            throw .failed("reading cluster \(failed.cluster) failed: \(failed.failure ?? "")")
        }
        let builder = PlanBuilder(
            manifest: manifest, dbiamVersion: "bench", manifestReference: "bench", manifestDigest: "", digest: { Digest.sha256($0) })
        let plan = builder.build(readings: Dictionary(uniqueKeysWithValues: readings.map { ($0.cluster, $0.asClusterReading) }))
        return (plan, readings)
    }
}

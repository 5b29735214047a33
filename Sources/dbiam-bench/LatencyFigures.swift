import DBIAMCore
import DBIAMEngine
import Foundation
import MariaDB

/// 20 clusters 50 ms of round trip away against one such cluster: what parallel work
/// across clusters buys. Every "cluster" is the local server behind its own port of
/// bench/latency_proxy.py, with its own users so that the plans do not overlap.
///
/// `dbiam apply` itself cannot run on these 20 clusters: its lock (`GET_LOCK`) is
/// server-wide, as it must be, and they are one server, so the second cluster is
/// refused. The apply figure is therefore the engine's part of an apply, driven in
/// process the way `dbiam apply` drives it: connect to all, then for each cluster in
/// turn the lock query's round trip (without taking the lock) and the re-read, then
/// apply the clusters in parallel. A third line compares that with `dbiam apply` on
/// one cluster.
enum LatencyFigures {
    static let clusterCount = 20
    static let usersPerCluster = 10
    static let oneWayDelayMilliseconds = 25
    /// dbiam's default `--parallelism`, used by the engine figure as the command uses it.
    static let parallelism = 8

    static func measure(_ run: BenchRun) async throws(BenchError) -> [Figure] {
        let proxy = try LatencyProxy.start(run, listeners: clusterCount + 1, oneWayDelayMilliseconds: oneWayDelayMilliseconds)
        defer { proxy.stop(run) }
        let many = (1...clusterCount).map { index in
            ManifestGenerator.LocalCluster(
                name: "bench-lat-\(pad(index, 2))", port: proxy.ports[index - 1],
                users: (0..<usersPerCluster).map { BenchServer.userPrefix + "l\(pad(index, 2))_\(pad($0, 2))" })
        }
        let solo = ManifestGenerator.LocalCluster(
            name: "bench-lat-solo", port: proxy.ports[clusterCount],
            users: (0..<usersPerCluster).map { BenchServer.userPrefix + "ls_\(pad($0, 2))" })
        let host = run.server.options.host
        let manyText = ManifestGenerator.local(many, host: host, caFile: run.caFile)
        let soloText = ManifestGenerator.local([solo], host: host, caFile: run.caFile)
        let manyFile = try run.write(manyText, to: "latency-\(clusterCount).yaml")
        let soloFile = try run.write(soloText, to: "latency-1.yaml")
        let manyManifest = try run.manifest(manyText, name: manyFile)
        let soloManifest = try run.manifest(soloText, name: soloFile)

        try run.server.removeBenchAccounts()
        run.progress("latency: dbiam plan of \(clusterCount) clusters and of 1, \(run.runs) runs")
        var planMany: [Double] = [], planSolo: [Double] = []
        for _ in 0..<run.runs {
            planSolo.append(try run.measure(
                run.dbiam(["plan", soloFile, "--out-dir", run.path("out-latency-1")], log: "latency-plan-1"),
                what: "dbiam plan of 1 cluster behind the latency proxy").seconds)
            planMany.append(try run.measure(
                run.dbiam(["plan", manyFile, "--out-dir", run.path("out-latency-\(clusterCount)")], log: "latency-plan-\(clusterCount)"),
                what: "dbiam plan of \(clusterCount) clusters behind the latency proxy").seconds)
        }

        run.progress("latency: dbiam apply of 1 cluster, and the engine's apply of \(clusterCount) clusters and of 1, \(run.runs) runs")
        var applySoloBinary: [Double] = [], applySolo: [Double] = [], applyMany: [Double] = []
        for _ in 0..<run.runs {
            try run.server.removeBenchAccounts()
            try run.measure(
                run.dbiam(["plan", soloFile, "--out-dir", run.path("out-latency-1")], log: "latency-plan-1"),
                what: "dbiam plan of 1 cluster behind the latency proxy")
            applySoloBinary.append(try run.measure(
                run.dbiam(["apply", "--out-dir", run.path("out-latency-1")], log: "latency-apply-1"),
                what: "dbiam apply of 1 cluster behind the latency proxy").seconds)
            try ApplyFigures.expectAccounts(usersPerCluster, run)

            try run.server.removeBenchAccounts()
            applySolo.append(try await engineApply(soloManifest, run))
            try ApplyFigures.expectAccounts(usersPerCluster, run)

            try run.server.removeBenchAccounts()
            applyMany.append(try await engineApply(manyManifest, run))
            try ApplyFigures.expectAccounts(usersPerCluster * clusterCount, run)
        }
        try run.server.removeBenchAccounts()

        let method = "median of \(run.runs)"
        let latency = "\(2 * oneWayDelayMilliseconds) ms away"
        return [
            Figure(
                "plan \(clusterCount) clusters vs 1, all \(latency)", reference: "dbiam plan of 1 such cluster", unit: .seconds,
                dbiam: Timing.median(planMany), reference: Timing.median(planSolo), target: .ratio(1.5), method: method),
            Figure(
                "apply \(clusterCount) clusters vs 1, all \(latency)*", reference: "the same engine apply of 1 such cluster", unit: .seconds,
                dbiam: Timing.median(applyMany), reference: Timing.median(applySolo), target: .ratio(1.5), method: method),
            Figure(
                "apply 1 cluster: dbiam apply vs the engine's part*", reference: "the engine's part of apply, in process", unit: .seconds,
                dbiam: Timing.median(applySoloBinary), reference: Timing.median(applySolo), method: method, detail: true),
        ]
    }

    /// Plans `manifest` (not timed), then times what `dbiam apply` does after loading
    /// the plan (ApplyCommand.execute): connect to every cluster; lock and re-read each
    /// one after the other; apply the clusters in parallel.
    private static func engineApply(_ manifest: Manifest, _ run: BenchRun) async throws(BenchError) -> Double {
        let (plan, _) = try await run.planInProcess(manifest, parallelism: parallelism)
        let clock = ContinuousClock()
        let started = clock.now
        let sessions = await Fleet.connect(manifest.clusters, login: run.login, parallelism: parallelism)
        var prepared: [(ClusterPlan, ClusterSession)] = []
        for cluster in plan.clusters where !cluster.actions.isEmpty {
            guard let session = sessions.first(where: { $0.cluster == cluster.name })?.session else {
                throw .failed("could not connect to cluster \(cluster.name) behind the latency proxy")
            }
            do {
                // The round trip of the lock query, without taking the lock.
                _ = try await session.withConnection { connection throws(MariaDBError) in
                    try connection.rows("SELECT IS_FREE_LOCK(\(SQLText.string(ApplyLock.name)))")
                }
                _ = try await session.readState()
            } catch {
                throw .failed("re-reading cluster \(cluster.name) failed: \(error)")
            }
            prepared.append((cluster, session))
        }
        let outcomes = await Fleet.forEach(prepared, parallelism: parallelism) { cluster, session in
            await session.apply(cluster.actions, cluster: cluster.name) { _ in }
        }
        let seconds = Timing.seconds(clock.now - started)
        if let failed = outcomes.first(where: { !$0.succeeded }) {
            throw .failed("applying cluster \(failed.cluster) failed: \(failed.failure.map { "\($0.error)" } ?? "incomplete")")
        }
        return seconds
    }
}

/// bench/latency_proxy.py: one port per cluster, each forwarding to the local server
/// with a delay on every chunk in both directions.
struct LatencyProxy {
    let pid: pid_t
    let ports: [Int]

    private struct Ready: Decodable {
        var ports: [Int]
    }

    static func start(_ run: BenchRun, listeners: Int, oneWayDelayMilliseconds: Int) throws(BenchError) -> LatencyProxy {
        let options = run.server.options
        let child = run.python(
            "latency_proxy.py",
            ["--target", "\(options.host):\(options.port)", "--listeners", String(listeners), "--delay-ms", String(oneWayDelayMilliseconds)],
            log: "proxy")
        let pid = try child.start()
        run.cleanup.track(pid)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        while clock.now < deadline {
            if let text = try? String(contentsOfFile: child.output, encoding: .utf8), let line = text.split(separator: "\n").first,
                let ready = try? JSONDecoder().decode(Ready.self, from: Data(line.utf8)), ready.ports.count == listeners
            {
                return LatencyProxy(pid: pid, ports: ready.ports)
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                run.cleanup.untrack(pid)
                let errors = (try? String(contentsOfFile: child.errors, encoding: .utf8)) ?? ""
                throw .failed("bench/latency_proxy.py exited at start:\n\(errors.split(separator: "\n").suffix(8).joined(separator: "\n"))")
            }
            usleep(50_000)
        }
        LatencyProxy(pid: pid, ports: []).stop(run)
        throw .failed("bench/latency_proxy.py did not open its ports within 20 s")
    }

    func stop(_ run: BenchRun) {
        ChildProcess.stop(pid)
        run.cleanup.untrack(pid)
    }
}

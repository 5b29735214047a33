import DBIAMCore
import DBIAMEngine
import Foundation
import MariaDB

/// 20 clusters 50 ms of round trip away against one such cluster: what parallel work
/// across clusters buys. Every "cluster" is the local server behind its own port of
/// bench/latency_proxy.py, with its own users and resource id (which names its apply
/// lock) so that the plans and applies do not overlap.
enum LatencyFigures {
    static let clusterCount = 20
    static let usersPerCluster = 10
    static let oneWayDelayMilliseconds = 25

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

        run.progress("latency: dbiam plan and apply of \(clusterCount) clusters and of 1, \(run.runs) runs")
        var planMany: [Double] = [], planSolo: [Double] = [], applyMany: [Double] = [], applySolo: [Double] = []
        for _ in 0..<run.runs {
            let solo = try planAndApply(soloFile, clusters: 1, run)
            planSolo.append(solo.plan)
            applySolo.append(solo.apply)
            let many = try planAndApply(manyFile, clusters: clusterCount, run)
            planMany.append(many.plan)
            applyMany.append(many.apply)
        }
        try run.server.removeBenchAccounts()

        let method = "median of \(run.runs)"
        let latency = "\(2 * oneWayDelayMilliseconds) ms away"
        return [
            Figure(
                "plan \(clusterCount) clusters vs 1, all \(latency)", reference: "dbiam plan of 1 such cluster", unit: .seconds,
                dbiam: Timing.median(planMany), reference: Timing.median(planSolo), target: .ratio(1.5), method: method),
            Figure(
                "apply \(clusterCount) clusters vs 1, all \(latency)", reference: "dbiam apply of 1 such cluster", unit: .seconds,
                dbiam: Timing.median(applyMany), reference: Timing.median(applySolo), target: .ratio(1.5), method: method),
        ]
    }
}

extension LatencyFigures {
    /// Times `dbiam plan` and then `dbiam apply` of a manifest from a server without its users.
    private static func planAndApply(_ file: String, clusters: Int, _ run: BenchRun) throws(BenchError) -> (plan: Double, apply: Double) {
        try run.server.removeBenchAccounts()
        let out = run.path("out-latency-\(clusters)")
        let plan = try run.measure(
            run.dbiam(["plan", file, "--out-dir", out], log: "latency-plan-\(clusters)"),
            what: "dbiam plan of \(clusters) clusters behind the latency proxy").seconds
        let apply = try run.measure(
            run.dbiam(["apply", "--out-dir", out], log: "latency-apply-\(clusters)"),
            what: "dbiam apply of \(clusters) clusters behind the latency proxy").seconds
        try ApplyFigures.expectAccounts(usersPerCluster * clusters, run)
        return (plan, apply)
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

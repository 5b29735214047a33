import DBIAMCore
import DBIAMEngine
import Foundation

/// Planning one cluster that already holds 10, 1,000 and 10,000 of the manifest's
/// accounts (a plan with no changes), against the `mariadb` client reading the same
/// grant-table rows.
enum PlanFigures {
    static let accountCounts = [10, 1000, 10_000]
    /// The rows dbiam reads, as a person would read them with the client.
    static let clientQuery = "SELECT User, Host, Priv FROM mysql.global_priv; SELECT * FROM mysql.db; SELECT * FROM mysql.tables_priv"

    private struct Sample {
        var count: Int
        var binary: [Double] = []
        var binaryPeakBytes = 0
        var inProcess: [Double] = []
        var roundTrips = 0
        var client: [Double] = []
        var clientPeakBytes = 0
        /// `dbiam plan --offline` of the same manifest, as if the cluster were empty, and
        /// `dbiam validate` of it.
        var offline: [Double] = []
        var validate: [Double] = []
    }

    static func measure(_ run: BenchRun) async throws(BenchError) -> [Figure] {
        var samples: [Sample] = []
        for count in accountCounts {
            samples.append(try await sample(count, run))
        }
        let method = "median of \(run.runs)"
        let client = "mariadb -e \"\(clientQuery)\" > /dev/null"
        var figures: [Figure] = []
        for sample in samples {
            let largest = sample.count == accountCounts.last
            figures.append(Figure(
                "plan 1 cluster of \(sample.count.grouped) accounts vs mariadb client", reference: client, unit: .seconds,
                dbiam: Timing.median(sample.binary), reference: Timing.median(sample.client),
                target: largest ? Figure.Target(maxRatio: 2, maxValue: 0.5) : nil, method: method))
            figures.append(Figure(
                "read + plan \(sample.count.grouped) accounts in process vs client", reference: client, unit: .seconds,
                dbiam: Timing.median(sample.inProcess), reference: Timing.median(sample.client), method: method, detail: true))
        }
        let fewest = samples[0]
        for sample in samples.dropFirst() {
            figures.append(Figure(
                "round trips to read \(sample.count.grouped) accounts vs \(fewest.count)", reference: "the same at \(fewest.count) accounts",
                unit: .roundTrips, dbiam: Double(sample.roundTrips), reference: Double(fewest.roundTrips),
                target: .ratio(1), method: "counted"))
        }
        if let largest = samples.last {
            figures.append(Figure(
                "peak memory, plan of \(largest.count.grouped) accounts vs client", reference: client,
                unit: .megabytes, dbiam: Double(largest.binaryPeakBytes) / 1_000_000,
                reference: Double(largest.clientPeakBytes) / 1_000_000, target: Figure.Target(maxRatio: nil, maxValue: 40),
                method: "max RSS (GNU time), largest of \(run.runs)"))
            figures.append(Figure(
                "plan --offline of \(largest.count.grouped) new users vs validate", reference: "dbiam validate of the same manifest",
                unit: .seconds, dbiam: Timing.median(largest.offline), reference: Timing.median(largest.validate),
                target: Figure.Target(maxRatio: nil, maxValue: 0.150), method: method))
        }
        return figures
    }

    private static func sample(_ count: Int, _ run: BenchRun) async throws(BenchError) -> Sample {
        run.progress("plan: seeding \(count.grouped) accounts")
        try run.server.removeBenchAccounts()
        let names = (0..<count).map { BenchServer.userPrefix + "p" + pad($0, 5) }
        try run.server.seedIAMAccounts(names)
        let cluster = ManifestGenerator.LocalCluster(name: "bench-local", port: run.server.options.port, users: names)
        let text = ManifestGenerator.local([cluster], host: run.server.options.host, caFile: run.caFile)
        let file = try run.write(text, to: "plan-\(count).yaml")
        let manifest = try run.manifest(text, name: file)

        var sample = Sample(count: count)
        run.progress("plan: \(count.grouped) accounts, \(run.runs) runs")
        // The three are interleaved, so a busy moment of this shared machine falls on all.
        for _ in 0..<run.runs {
            // Exit code 0 with --detailed-exitcode: the accounts matched, nothing to change.
            let binary = try run.measure(
                run.dbiam(["plan", file, "--out-dir", run.path("out"), "--detailed-exitcode"], log: "plan-\(count)")
                    .measuringMemory(reportTo: run.path("plan-\(count).memory")),
                what: "dbiam plan of \(count) unchanged accounts")
            sample.binary.append(binary.seconds)
            sample.binaryPeakBytes = max(sample.binaryPeakBytes, binary.maxResidentBytes)

            let (seconds, planned) = try await timeInProcess(manifest, run)
            guard !planned.plan.hasChanges, (planned.readings.first?.state?.accounts.count ?? 0) >= count else {
                throw .failed("the in-process plan of \(count) seeded accounts found changes or missed accounts")
            }
            sample.inProcess.append(seconds)
            sample.roundTrips = planned.readings.first?.roundTrips ?? 0

            let client = try run.measure(
                run.mariadb(["-e", clientQuery], log: "client-read").measuringMemory(reportTo: run.path("client-read.memory")),
                what: "the mariadb client")
            sample.client.append(client.seconds)
            sample.clientPeakBytes = max(sample.clientPeakBytes, client.maxResidentBytes)

            guard count == accountCounts.last else { continue }
            // Offline, every user is new: the plan writes a CREATE USER and a GRANT each.
            let offline = try run.measure(
                run.dbiam(["plan", file, "--offline", "--out-dir", run.path("out-offline")], log: "plan-offline-\(count)"),
                what: "dbiam plan --offline of \(count) users")
            sample.offline.append(offline.seconds)
            let validate = try run.measure(run.dbiam(["validate", file], log: "validate-\(count)"), what: "dbiam validate of \(count) users")
            sample.validate.append(validate.seconds)
        }
        return sample
    }

    private static func timeInProcess(_ manifest: Manifest, _ run: BenchRun) async throws(BenchError) -> (Double, (plan: Plan, readings: [Fleet.Reading])) {
        let clock = ContinuousClock()
        let started = clock.now
        let planned = try await run.planInProcess(manifest, parallelism: 1)
        return (Timing.seconds(clock.now - started), planned)
    }
}

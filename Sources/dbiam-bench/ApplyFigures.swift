import Foundation

/// Applying a plan that creates 200 and 10,000 users (each with one grant), against the
/// naive floor: the same SQL file dbiam saved, piped into one `mariadb` session, which
/// sends one statement per round trip.
enum ApplyFigures {
    static func measure(_ run: BenchRun) throws(BenchError) -> [Figure] {
        [
            try figure(users: 200, runs: run.runs, target: 1.5, run),
            // Creating 10,000 accounts takes the server minutes whoever sends the
            // statements, so this one runs once.
            try figure(users: 10_000, runs: 1, target: 0.5, run),
        ]
    }

    private static func figure(users count: Int, runs: Int, target: Double, _ run: BenchRun) throws(BenchError) -> Figure {
        try run.server.removeBenchAccounts()
        let stem = "apply-\(count)"
        let names = (0..<count).map { BenchServer.userPrefix + "n" + pad($0, 5) }
        let cluster = ManifestGenerator.LocalCluster(name: "bench-local", port: run.server.options.port, users: names)
        let file = try run.write(ManifestGenerator.local([cluster], host: run.server.options.host, caFile: run.caFile), to: "\(stem).yaml")
        let outDirectory = run.path("out-\(stem)")
        run.progress("apply: planning \(count.grouped) new users")
        try run.measure(run.dbiam(["plan", file, "--out-dir", outDirectory], log: "\(stem)-plan"), what: "dbiam plan of \(count) new users")
        let sqlFile = try savedPlanFolder(log: run.path("\(stem)-plan.out")) + "/sql/\(cluster.name).sql"

        var dbiam: [Double] = [], floor: [Double] = []
        for index in 1...runs {
            run.progress("apply: \(count.grouped) new users, run \(index) of \(runs): dbiam apply")
            // The saved plan stays valid: removing the bench accounts brings the
            // server back to the state it was planned on.
            try run.server.removeBenchAccounts()
            dbiam.append(try run.measure(
                run.dbiam(["apply", "--out-dir", outDirectory], log: "\(stem)-apply"), what: "dbiam apply of \(count) new users").seconds)
            try expectAccounts(count, run)

            run.progress("apply: \(count.grouped) new users, run \(index) of \(runs): mariadb < \(cluster.name).sql")
            try run.server.removeBenchAccounts()
            floor.append(try run.measure(run.mariadb([], input: sqlFile, log: "\(stem)-floor"), what: "mariadb < \(sqlFile)").seconds)
            try expectAccounts(count, run)
        }
        try run.server.removeBenchAccounts()
        return Figure(
            "apply \(count.grouped) new users vs mariadb < its SQL" + (runs == 1 ? " (1 run)" : ""),
            reference: "the SQL file dbiam plan saved, piped into one mariadb session",
            unit: .seconds, dbiam: Timing.median(dbiam), reference: Timing.median(floor),
            target: .ratio(target), method: runs == 1 ? "1 run" : "median of \(runs)")
    }

    /// Where plan saved its files, as its last line says (`Saved the plan to FOLDER/plan.json: …`).
    static func savedPlanFolder(log: String) throws(BenchError) -> String {
        let lead = "Saved the plan to "
        guard let text = try? String(contentsOfFile: log, encoding: .utf8),
            let line = text.split(separator: "\n").last(where: { $0.hasPrefix(lead) }),
            let end = line.range(of: "/plan.json")
        else { throw .failed("dbiam plan did not say where it saved the plan (\(log))") }
        return String(line[line.index(line.startIndex, offsetBy: lead.count)..<end.lowerBound])
    }

    static func expectAccounts(_ count: Int, _ run: BenchRun) throws(BenchError) {
        let found = try run.server.benchAccountCount()
        guard found == count else { throw .failed("expected \(count) bench accounts on the server after applying, found \(found)") }
    }
}

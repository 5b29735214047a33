import DBIAMCore
import Foundation

/// Parsing and validating a large manifest in process, against PyYAML's libyaml
/// loader on the same file (which only parses: no schema, no checks).
enum ParseFigures {
    private struct Reference: Decodable {
        var with_libyaml: Bool
        var version: String
        var seconds: [Double]
    }

    static func measure(_ run: BenchRun) throws(BenchError) -> [Figure] {
        let shape = ManifestGenerator.Large()
        let text = shape.text()
        let bytes = Array(text.utf8)
        let file = try run.write(text, to: "large.yaml")
        let megabytes = Double(bytes.count) / 1_000_000
        run.progress("parsing a \(String(format: "%.1f", megabytes)) MB manifest: \(shape.description)")

        let manifest = try run.manifest(text, name: file)
        guard manifest.users.count == shape.users, manifest.clusters.count == shape.clusters else {
            throw .failed("the generated manifest has \(manifest.users.count) users and \(manifest.clusters.count) clusters, not \(shape.users) and \(shape.clusters)")
        }
        var seconds: [Double] = []
        let clock = ContinuousClock()
        for _ in 0..<run.runs {
            let started = clock.now
            let result = ManifestLoader.load(bytes)
            seconds.append(Timing.seconds(clock.now - started))
            guard result.manifest?.users.count == shape.users else { throw .failed("a repeated load gave another manifest") }
        }

        try run.measure(run.python("yaml_load.py", [file, String(run.runs)], log: "yaml-load"), what: "the PyYAML reference (bench/yaml_load.py)")
        let reference: Reference
        do {
            reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: run.path("yaml-load.out"))))
        } catch {
            throw .failed("bench/yaml_load.py printed no result: \(error)")
        }
        guard reference.with_libyaml else { throw .failed("PyYAML in .venv-bench has no libyaml; run bench/setup again") }

        let dbiam = Timing.median(seconds), libyaml = Timing.median(reference.seconds)
        let method = "median of \(run.runs)"
        let size = String(format: "%.1f MB", megabytes)
        return try validateFigures(run) + [
            Figure(
                "parse + validate a \(size) manifest vs PyYAML CBaseLoader",
                reference: "PyYAML \(reference.version) yaml.load(text, Loader=yaml.CBaseLoader), the load only; dbiam: ManifestLoader.load in process", unit: .seconds, dbiam: dbiam, reference: libyaml,
                target: .ratio(1), method: method),
            Figure(
                "parse + validate throughput", reference: "PyYAML CBaseLoader", unit: .megabytesPerSecond,
                dbiam: megabytes / dbiam, reference: megabytes / libyaml, method: method, detail: true),
        ]
    }

    /// `dbiam validate` as a process, on the 1 MB manifest of 10,000 users: the whole run a
    /// person or a CI job waits for, against PyYAML's libyaml loader only parsing it.
    private static func validateFigures(_ run: BenchRun) throws(BenchError) -> [Figure] {
        let text = ManifestGenerator.validation(caFile: run.caFile)
        let file = try run.write(text, to: "validate-10000.yaml")
        let megabytes = Double(text.utf8.count) / 1_000_000
        var seconds: [Double] = []
        for _ in 0..<run.runs {
            let finished = try run.measure(run.dbiam(["validate", file], log: "validate-10000"), what: "dbiam validate of 10,000 users")
            seconds.append(finished.seconds)
        }
        try run.measure(run.python("yaml_load.py", [file, String(run.runs)], log: "yaml-load-validate"), what: "the PyYAML reference (bench/yaml_load.py)")
        let reference: Reference
        do {
            reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath: run.path("yaml-load-validate.out"))))
        } catch {
            throw .failed("bench/yaml_load.py printed no result: \(error)")
        }
        return [
            Figure(
                "dbiam validate, \(String(format: "%.1f", megabytes)) MB of 10,000 users vs PyYAML load", reference: "PyYAML \(reference.version) CBaseLoader, the load only, in process",
                unit: .seconds, dbiam: Timing.median(seconds), reference: Timing.median(reference.seconds),
                target: Figure.Target(maxRatio: nil, maxValue: 0.060), method: "median of \(run.runs), process start included"),
        ]
    }
}

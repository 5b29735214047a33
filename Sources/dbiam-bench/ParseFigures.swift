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
        return [
            Figure(
                "parse + validate a \(size) manifest vs PyYAML CBaseLoader",
                reference: "PyYAML \(reference.version) yaml.load(text, Loader=yaml.CBaseLoader), the load only; dbiam: ManifestLoader.load in process", unit: .seconds, dbiam: dbiam, reference: libyaml,
                target: .ratio(1), method: method),
            Figure(
                "parse + validate throughput", reference: "PyYAML CBaseLoader", unit: .megabytesPerSecond,
                dbiam: megabytes / dbiam, reference: megabytes / libyaml, method: method, detail: true),
        ]
    }
}

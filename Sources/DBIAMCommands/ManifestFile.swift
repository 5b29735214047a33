import DBIAMCore
import DBIAMEngine
import Foundation

/// A manifest read from disk: its bytes, where it is, and the validated model.
struct ManifestFile {
    var path: String
    var bytes: [UInt8]
    var manifest: Manifest
    /// Warnings (errors stop loading).
    var diagnostics: [Diagnostic]

    /// `prod` for `manifests/prod.yaml`: names the output folder.
    var stem: String { URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
    var digest: String { Digest.sha256(bytes) }

    /// Reads and validates; prints every problem as `FILE:LINE:COLUMN: …` and fails
    /// with exit code 1 when there is an error. `clustersAreValid`: see `ManifestLoader.load`.
    static func load(_ path: String, clustersAreValid: ([Cluster]) -> Void = { _ in }) throws -> ManifestFile {
        let result = try read(path, clustersAreValid: clustersAreValid)
        for diagnostic in result.diagnostics { Terminal.writeError(diagnostic.formatted(file: path) + "\n") }
        guard let manifest = result.manifest, !result.hasErrors else {
            let count = result.diagnostics.count { $0.severity == .error }
            Terminal.error("\(path) has \(count) \(count == 1 ? "problem" : "problems"); fix \(count == 1 ? "it" : "them") and run dbiam again.")
            throw ExitCodes.failure
        }
        return ManifestFile(path: path, bytes: result.bytes, manifest: manifest, diagnostics: result.diagnostics)
    }

    /// Reads and validates without printing.
    static func read(_ path: String, clustersAreValid: ([Cluster]) -> Void = { _ in }) throws -> (bytes: [UInt8], manifest: Manifest?, diagnostics: [Diagnostic], hasErrors: Bool) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it is not readable" : "there is no such file"
            Terminal.error("cannot read manifest \(path): \(reason).")
            throw ExitCodes.failure
        }
        let bytes = [UInt8](data)
        let result = ManifestLoader.load(bytes, clustersAreValid: clustersAreValid)
        return (bytes, result.manifest, result.diagnostics, result.hasErrors)
    }

    /// Resolves a path written in the manifest: `~` is the home directory, and a
    /// relative path is relative to the manifest's folder, so the manifest means the
    /// same file wherever dbiam runs.
    /// The cluster `--cluster` names; a missing or unknown name is a usage error that
    /// lists the manifest's clusters.
    func cluster(named name: String?) throws -> Cluster {
        let known = manifest.clusters.map(\.name).joined(separator: ", ")
        guard let name else {
            Terminal.error("name the cluster with --cluster; \(path) has \(known).")
            throw ExitCodes.usage
        }
        guard let found = manifest.cluster(named: name) else {
            Terminal.error("--cluster \(name): \(path) has no cluster of that name; it has \(known).")
            throw ExitCodes.usage
        }
        return found
    }

    func resolve(_ written: String) -> String { Self.resolve(written, nextTo: path) }

    static func resolve(_ written: String, nextTo manifestPath: String) -> String {
        if written == "~" || written.hasPrefix("~/") {
            return NSString(string: written).expandingTildeInPath
        }
        if written.hasPrefix("/") { return written }
        // Through the absolute path of the folder: a URL relative to the working directory
        // loses its base when standardized.
        let directory = URL(fileURLWithPath: manifestPath).deletingLastPathComponent().path
        return URL(fileURLWithPath: directory).appendingPathComponent(written).standardized.path
    }
}

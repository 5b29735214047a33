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
    /// The policy documents the lint rules made, when the manifest was linted.
    private var lintedDocuments: [PolicyDocument]?

    /// The policy documents, made once: by the lint rules, or now.
    var policyDocuments: [PolicyDocument] { lintedDocuments ?? PolicyDocument.documents(for: manifest) }

    /// As people name it: relative to the working directory, without `./`.
    var displayPath: String { FilePaths.display(path) }
    /// As the files written for review name it (the SQL files' headers, the CloudFormation
    /// template): from the root of its repository, so they do not change with the way the
    /// manifest was typed or the folder dbiam ran in.
    var reviewPath: String { FilePaths.repositoryRelative(path) }
    var digest: String { Digest.sha256(bytes) }

    /// Reads and validates; prints every problem as `FILE:LINE:COLUMN: …` and fails
    /// with exit code 1 when there is an error. With `lint`, the lint rules that find
    /// errors run too and fail it exactly as they fail `dbiam validate`: what changes
    /// clusters or writes policies must not accept what validate rejects. Warnings and
    /// notes are left to validate, whose output is made for them.
    /// `bytes`: the file's, when the caller has read it already. `clustersAreValid`: see
    /// `ManifestLoader.load`.
    static func load(
        _ path: String, bytes: [UInt8]? = nil, lint: Bool = false, clustersAreValid: ([Cluster]) -> Void = { _ in }
    ) throws -> ManifestFile {
        let result: (bytes: [UInt8], manifest: Manifest?, diagnostics: [Diagnostic])
        do {
            result = try read(path, bytes: bytes, clustersAreValid: clustersAreValid)
        } catch {
            Terminal.error(error.message)
            throw ExitCodes.failure
        }
        var findings = result.diagnostics
        var documents: [PolicyDocument]?
        if lint {
            let context = result.manifest.map(LintContext.init)
            documents = context?.documents
            findings = Linter.lint(result.manifest, loading: result.diagnostics, rules: LintRegistry.errorRules, context: context)
        }
        for finding in findings { Terminal.writeError(finding.formatted(file: path) + "\n") }
        let count = findings.count { $0.severity == .error }
        guard let manifest = result.manifest, count == 0 else {
            Terminal.error("\(path) has \(count.counted("problem")); fix \(count == 1 ? "it" : "them") and run dbiam again.")
            throw ExitCodes.failure
        }
        return ManifestFile(path: path, bytes: result.bytes, manifest: manifest, diagnostics: result.diagnostics, lintedDocuments: documents)
    }

    /// A manifest file that could not be read.
    struct Unreadable: Error {
        var path: String
        var problem: FileProblem

        /// Why, and what to do: `there is no such file; check the path`.
        var reason: String {
            let advice = switch problem {
            case .missing: "check the path"
            case .directory: "give the manifest file in it"
            case .unreadable: "check its permissions"
            }
            return "\(problem); \(advice)"
        }

        var message: String { "cannot read manifest \(path): \(reason)." }
    }

    /// Reads and validates without printing.
    static func read(
        _ path: String, bytes given: [UInt8]? = nil, clustersAreValid: ([Cluster]) -> Void = { _ in }
    ) throws(Unreadable) -> (bytes: [UInt8], manifest: Manifest?, diagnostics: [Diagnostic]) {
        guard let bytes = given ?? FileManager.default.contents(atPath: path).map([UInt8].init) else {
            // Nothing in the way of opening it: the read itself failed.
            throw Unreadable(path: path, problem: FileProblem.reading(path) ?? .unreadable("reading it failed"))
        }
        let result = ManifestLoader.load(bytes, clustersAreValid: clustersAreValid)
        return (bytes, result.manifest, result.diagnostics)
    }

    /// The clusters whose `tls_ca` names a file that cannot be read, as errors at that
    /// line: the core checks what a manifest says, and reads no file to do it.
    static func unreadableCABundles(of manifest: Manifest, manifestPath: String) -> [Diagnostic] {
        manifest.clusters.compactMap { cluster in
            guard let written = cluster.tlsCA else { return nil }
            let path = resolve(written, nextTo: manifestPath)
            guard let problem = FileProblem.reading(path) else { return nil }
            return .error(
                "cluster '\(cluster.name)': the CA bundle \(CABundle.describe(path, written: written)) cannot be read: \(problem); \(CABundle.advice).",
                at: cluster.fields["tls_ca"] ?? cluster.position, ruleID: LintRegistry.fileRule.id)
        }
    }

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

    /// Resolves a path written in the manifest: `~` is the home directory, and a
    /// relative path is relative to the manifest's folder, so the manifest means the
    /// same file wherever dbiam runs.
    func resolve(_ written: String) -> String { Self.resolve(written, nextTo: path) }

    static func resolve(_ written: String, nextTo manifestPath: String) -> String {
        if written == "~" || written.hasPrefix("~/") { return FilePaths.expandingHome(written) }
        return FilePaths.absolute(written, from: FilePaths.folder(of: manifestPath))
    }
}

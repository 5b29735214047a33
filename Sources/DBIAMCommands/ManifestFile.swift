import DBIAMCore
import DBIAMEngine
import FoundationEssentials
import Glibc

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
    var displayPath: String { isStandardInput ? name : FilePaths.display(path) }
    /// As the files written for review name it (the SQL files' headers, the CloudFormation
    /// template): from the root of its repository, so they do not change with the way the
    /// manifest was typed or the folder dbiam ran in; standard input as `<stdin>`.
    var reviewPath: String { isStandardInput ? name : FilePaths.repositoryRelative(path) }

    /// The manifest path `-`: standard input, for a manifest made by another program.
    static let standardInput = "-"

    var isStandardInput: Bool { path == Self.standardInput }

    /// How messages name the manifest at `path`: as given, and standard input `<stdin>`.
    static func name(of path: String) -> String { path == standardInput ? "<stdin>" : path }

    var name: String { Self.name(of: path) }
    var digest: String { Digest.sha256(bytes) }

    /// Reads and validates; prints every problem as `FILE:LINE:COLUMN: …` and fails
    /// with exit code 1 when there is an error. With `lint`, the lint rules that find
    /// errors run too and fail it exactly as they fail `dbiam validate`: what changes
    /// clusters or writes policies must not accept what validate rejects. Warnings and
    /// notes are left to validate, whose output is made for them.
    /// `bytes`: the file's, when the caller has read it already. `inParallel`,
    /// `sharedWith` and `clustersAreValid`: see `ManifestLoader.load`.
    static func load(
        _ path: String, bytes: [UInt8]? = nil, lint: Bool = false, inParallel: Bool = true, sharedWith helper: SharedParts? = nil,
        clustersAreValid: (([Cluster]) -> Void)? = nil
    ) throws -> ManifestFile {
        let result: (bytes: [UInt8], manifest: Manifest?, diagnostics: [Diagnostic], tree: ManifestLoadResult.KeptTree?)
        do {
            result = try read(path, bytes: bytes, inParallel: inParallel, sharedWith: helper, clustersAreValid: clustersAreValid)
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
        for finding in findings { Terminal.writeError(finding.formatted(file: name(of: path)) + "\n") }
        let count = findings.count { $0.severity == .error }
        guard let manifest = result.manifest, count == 0 else {
            Terminal.error("\(name(of: path)) has \(count.counted("problem")); fix \(count == 1 ? "it" : "them") and run dbiam again.")
            throw ExitCodes.failure
        }
        return ManifestFile(path: path, bytes: result.bytes, manifest: manifest, diagnostics: result.diagnostics, lintedDocuments: documents)
    }

    /// A manifest file that could not be read.
    struct Unreadable: Error {
        var path: String
        /// Nil for standard input that is a terminal: dbiam would wait for a manifest typed in.
        var problem: FileProblem?

        /// Why, and what to do: `there is no such file; check the path`.
        var reason: String {
            guard let problem else {
                return "standard input is a terminal; send the manifest to it, as in - < manifests/prod.yaml or generate-manifest | dbiam validate -"
            }
            let advice = switch problem {
            case .missing: "check the path"
            case .directory: "give the manifest file in it"
            case .unreadable: "check its permissions"
            }
            return "\(problem); \(advice)"
        }

        var message: String { "cannot read manifest \(ManifestFile.name(of: path)): \(reason)." }
    }

    /// The manifest on standard input, read to its end.
    static func readStandardInput() throws(Unreadable) -> [UInt8] {
        guard isatty(STDIN_FILENO) == 0 else { throw Unreadable(path: standardInput, problem: nil) }
        do {
            return try FileDescriptors.read(STDIN_FILENO)
        } catch {
            throw Unreadable(path: standardInput, problem: .unreadable(String(cString: strerror(error.errorNumber))))
        }
    }

    /// Reads and validates without printing. `keepingTree`: see `ManifestLoader.load`.
    static func read(
        _ path: String, bytes given: [UInt8]? = nil, inParallel: Bool = true, sharedWith helper: SharedParts? = nil, keepingTree: Bool = false,
        clustersAreValid: (([Cluster]) -> Void)? = nil
    ) throws(Unreadable) -> (bytes: [UInt8], manifest: Manifest?, diagnostics: [Diagnostic], tree: ManifestLoadResult.KeptTree?) {
        let bytes: [UInt8]
        if let given {
            bytes = given
        } else if path == standardInput {
            bytes = try readStandardInput()
        } else if let contents = FileManager.default.contents(atPath: path) {
            bytes = [UInt8](contents)
        } else {
            // Nothing in the way of opening it: the read itself failed.
            throw Unreadable(path: path, problem: FileProblem.reading(path) ?? .unreadable("reading it failed"))
        }
        let result = ManifestLoader.load(bytes, inParallel: inParallel, sharedWith: helper, keepingTree: keepingTree, clustersAreValid: clustersAreValid)
        return (bytes, result.manifest, result.diagnostics, result.tree)
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
            Terminal.error("name the cluster with --cluster; \(self.name) has \(known).")
            throw ExitCodes.usage
        }
        guard let found = manifest.cluster(named: name) else {
            Terminal.error("--cluster \(name): \(self.name) has no cluster of that name; it has \(known).")
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
        // A manifest on standard input has no folder: its paths are the working directory's, as a shell's are.
        let folder = manifestPath == standardInput ? FilePaths.workingDirectory : FilePaths.folder(of: manifestPath)
        return FilePaths.absolute(written, from: folder)
    }
}

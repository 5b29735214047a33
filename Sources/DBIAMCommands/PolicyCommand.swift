import ArgumentParser
import DBIAMCore
import FoundationEssentials

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Write the IAM policy documents of a manifest, without connecting anywhere.",
        discussion: """
            One document per permission set: rds-db:connect on every (cluster, user) pair it covers. \
            --format json writes <permission set>.json (default folder out/<manifest path>/policies); \
            --format cloudformation writes one template <manifest stem>.cfn.json and --format \
            terraform one <manifest stem>.tf.json with every permission set (default folder \
            out/<manifest path>/exports), as permission sets with an inline policy or, with \
            --target managed-policy, as managed policies.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, cloudformation, terraform
    }

    @Argument(help: "The manifest.")
    var manifest: String

    @Option(name: .long, help: ArgumentHelp("The folder to write the documents to.", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("json (policy documents), cloudformation (a template) or terraform (.tf.json).", valueName: "format"))
    var format: Format = .json

    @Option(help: ArgumentHelp(
        "With cloudformation or terraform: permission-set (the inline policy of an IAM Identity Center permission set) or managed-policy (default: permission-set).",
        valueName: "target"))
    var target: PolicyExportTarget?

    func validate() throws {
        if out?.isEmpty == true { throw ValidationError("--out needs a folder.") }
        if let target, format == .json {
            throw ValidationError("--target \(target.rawValue) chooses what --format cloudformation or terraform writes; add one of those, or drop --target.")
        }
    }

    func run() async throws {
        // Lint errors (the inline limits among them) fail here exactly as in dbiam validate.
        let file = try ManifestFile.load(manifest, lint: true)
        let documents = file.policyDocuments
        let exportTarget = target ?? .permissionSet
        // A managed policy has a smaller limit, which lint only warns about.
        let problems = format == .json ? [] : documents.flatMap(exportTarget.problems)
        for problem in problems { Terminal.writeError(problem.formatted(file: file.name) + "\n") }
        if problems.contains(where: { $0.severity == .error }) { throw ExitCodes.failure }

        let layout = OutputLayout(root: "out", manifestPath: manifest)
        if out == nil { try layout.refuseAnotherManifest(file) }
        let folder = out ?? (format == .json ? layout.policiesFolder : layout.exportsFolder)
        let stem = file.isStandardInput ? "stdin" : FilePaths.deletingExtension(of: FilePaths.lastComponent(of: manifest))
        let files: [(name: String, text: String)] = switch format {
        case .json:
            documents.map { ("\($0.permissionSet).json", $0.text) }
        case .cloudformation:
            [("\(stem).cfn.json", CloudFormationTemplate.render(documents, target: exportTarget, manifestPath: file.reviewPath))]
        case .terraform:
            [("\(stem).tf.json", TerraformConfiguration.render(documents, target: exportTarget))]
        }
        var changes = files.map { OutputFiles.Change.write($0.text, to: FilePaths.appending($0.name, to: folder)) }
        // In dbiam's own folder, as dbiam plan does: a permission set removed from the
        // manifest must not leave a document behind that still looks current.
        var removed: [String] = []
        if format == .json && out == nil {
            let kept = Set(documents.map(\.permissionSet))
            removed = OutputFiles.names(in: folder, withExtension: "json").filter { !kept.contains($0) }
            changes += removed.map { .remove(layout.policyPath(permissionSet: $0)) }
        }
        do {
            try OutputFiles(root: out ?? layout.root, followsRoot: out != nil).apply(changes)
        } catch {
            Terminal.error(error.message(otherwise: "make the folder writable or choose another with --out."))
            throw ExitCodes.failure
        }
        for change in changes {
            if case .write(_, let path, _) = change { Terminal.write("\(path)\n") }
        }
        for name in removed {
            Terminal.write("removed \(layout.policyPath(permissionSet: name)): \(name) is no longer in the manifest\n")
        }
    }
}

extension PolicyExportTarget: ExpressibleByArgument {}

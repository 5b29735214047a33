import ArgumentParser
import DBIAMCore
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Write the IAM policy documents of a manifest, without connecting anywhere.",
        discussion: """
            One document per permission set: rds-db:connect on every (cluster, user) pair it covers. \
            --format json writes <permission set>.json; --format cloudformation writes one template \
            <manifest stem>.cfn.json and --format terraform one <manifest stem>.tf.json with every \
            permission set, as permission sets with an inline policy or, with --target \
            managed-policy, as managed policies.
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
        if let target, format == .json {
            throw ValidationError("--target \(target.rawValue) chooses what --format cloudformation or terraform writes; add one of those, or drop --target.")
        }
    }

    func run() async throws {
        let file = try ManifestFile.load(manifest)
        let documents = PolicyDocument.documents(for: file.manifest)
        let exportTarget = target ?? .permissionSet
        let problems = documents.flatMap { format == .json ? PolicyLimits.check($0) : exportTarget.problems($0) }
        for problem in problems { Terminal.writeError(problem.formatted(file: manifest) + "\n") }
        if problems.contains(where: { $0.severity == .error }) { throw ExitCodes.failure }

        let folder = out ?? OutputLayout(root: "out", stem: file.stem).policiesFolder
        let files: [(name: String, text: String)] = switch format {
        case .json:
            documents.map { ("\($0.permissionSet).json", $0.text) }
        case .cloudformation:
            [("\(file.stem).cfn.json", CloudFormationTemplate.render(documents, target: exportTarget, manifestPath: manifest))]
        case .terraform:
            [("\(file.stem).tf.json", TerraformConfiguration.render(documents, target: exportTarget))]
        }
        for (name, text) in files {
            let path = (folder as NSString).appendingPathComponent(name)
            try OutputFiles.write(text, to: path)
            Terminal.write("\(path)\n")
        }
    }
}

extension PolicyExportTarget: ExpressibleByArgument {}

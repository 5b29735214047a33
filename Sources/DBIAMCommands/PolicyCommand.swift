import ArgumentParser
import DBIAMCore
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Write the IAM policy documents of a manifest, without connecting anywhere.",
        discussion: "One document per permission set: rds-db:connect on every (cluster, user) pair it covers."
    )

    @Argument(help: "The manifest.")
    var manifest: String

    @Option(name: .long, help: ArgumentHelp("The folder to write the documents to.", valueName: "dir"))
    var out: String?

    func run() async throws {
        let file = try ManifestFile.load(manifest)
        let documents = PolicyDocument.documents(for: file.manifest)
        let problems = documents.flatMap { PolicyLimits.check($0) }
        for problem in problems { Terminal.writeError(problem.formatted(file: manifest) + "\n") }
        if problems.contains(where: { $0.severity == .error }) { throw ExitCodes.failure }

        let folder = out ?? OutputLayout(root: "out", stem: file.stem).policiesFolder
        for document in documents {
            let path = (folder as NSString).appendingPathComponent("\(document.permissionSet).json")
            try OutputFiles.write(document.text, to: path)
            Terminal.write("\(path)\n")
        }
    }
}

import ArgumentParser
import DBIAMCore
import Foundation

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests without connecting to any server.",
        discussion: "Prints every problem as FILE:LINE:COLUMN: error|warning: message and exits 1 if there is an error."
    )

    @Argument(help: "The manifests to check.")
    var manifests: [String]

    func validate() throws {
        if manifests.isEmpty { throw ValidationError("Name at least one manifest, e.g. dbiam validate manifests/prod.yaml.") }
    }

    func run() async throws {
        var failed = false
        for path in manifests {
            let result = try ManifestFile.read(path)
            for diagnostic in result.diagnostics { Terminal.writeError(diagnostic.formatted(file: path) + "\n") }
            if let manifest = result.manifest, !result.hasErrors {
                var warnings = result.diagnostics.count { $0.severity == .warning }
                let documents = PolicyDocument.documents(for: manifest)
                for problem in documents.flatMap({ PolicyLimits.check($0) }) {
                    Terminal.writeError(problem.formatted(file: path) + "\n")
                    if problem.severity == .error { failed = true } else { warnings += 1 }
                }
                let counts = "\(manifest.clusters.count) clusters, \(manifest.users.count) users, \(manifest.permissionSets.count) permission sets"
                Terminal.write("\(path): ok (\(counts)\(warnings > 0 ? ", \(warnings) warnings" : ""))\n")
            } else {
                failed = true
            }
        }
        if failed { throw ExitCodes.failure }
    }
}

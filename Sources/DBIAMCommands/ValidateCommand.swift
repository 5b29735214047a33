import ArgumentParser
import DBIAMCore
import FoundationEssentials

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests without connecting to any server.",
        discussion: """
            Reports every syntax and schema problem and every lint finding, each with a rule \
            id, as FILE:LINE:COLUMN: severity: message [ID] (or as JSON or SARIF with \
            --format). Exits 1 if there is an error, or with --strict a warning; notes never \
            fail. `dbiam validate --explain ID` says what a rule catches and why.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: "The manifests to check.")
    var manifests: [String] = []

    @Option(help: "text: one line per finding on stderr and a summary per file on stdout; json: an array of findings; sarif: a SARIF 2.1.0 log for code-review systems.")
    var format: Format = .text

    @Flag(help: "Fail on warnings too, not only on errors.")
    var strict = false

    @Option(help: ArgumentHelp("Print what the rule with this id catches, why it matters and how to fix it.", valueName: "id"))
    var explain: String?

    func validate() throws {
        if let explain {
            guard LintRegistry.descriptor(id: explain) != nil else {
                let ids = LintRegistry.descriptors.map(\.id).joined(separator: ", ")
                throw ValidationError("--explain \(explain): no rule has that id. The rule ids are \(ids).")
            }
            if !manifests.isEmpty { throw ValidationError("--explain prints a rule's help and checks no manifest; leave out the manifests.") }
        } else if manifests.isEmpty {
            throw ValidationError("Name at least one manifest, e.g. dbiam validate manifests/prod.yaml.")
        }
        if manifests.count(where: { $0 == ManifestFile.standardInput }) > 1 {
            throw ValidationError("- reads a manifest from standard input, which holds one; give - once.")
        }
    }

    func run() async throws {
        if let explain, let rule = LintRegistry.descriptor(id: explain) {
            Terminal.write(Self.explanation(of: rule))
            return
        }
        var files: [LintedFile] = []
        var failed = false
        // The last file's manifest and tree live until the process ends (see `finish`).
        var checked: (Manifest?, ManifestLoadResult.KeptTree?)
        // A file that cannot be read is an error of its own, and the others are still
        // checked: one run reports every problem, and JSON and SARIF stay whole documents.
        for path in manifests {
            let name = ManifestFile.name(of: path)
            let manifest: Manifest?
            let findings: [Diagnostic]
            do {
                let loaded = try ManifestFile.read(path, keepingTree: true)
                checked = (loaded.manifest, loaded.tree)
                manifest = loaded.manifest
                let bundles = loaded.manifest.map { ManifestFile.unreadableCABundles(of: $0, manifestPath: path) } ?? []
                findings = (Linter.lint(loaded.manifest, loading: loaded.diagnostics) + bundles).sortedByPosition()
            } catch {
                if format == .text { Terminal.error(error.message) }
                manifest = nil
                findings = [.error("cannot read the manifest: \(error.reason).", at: .wholeFile, ruleID: LintRegistry.fileRule.id)]
            }
            let fails = findings.contains { $0.severity == .error || (strict && $0.severity == .warning) }
            failed = failed || fails
            files.append(LintedFile(path: name, findings: findings))
            if format == .text {
                // A file that could not be read was said above, as dbiam's own error.
                for finding in findings where finding.position != .wholeFile { Terminal.writeError(finding.formatted(file: name) + "\n") }
                Terminal.write(Self.summary(path: name, manifest: manifest, findings: findings, fails: fails))
            }
        }
        switch format {
        case .text: break
        case .json: Terminal.write(LintJSONRenderer.render(files))
        case .sarif:
            let renderer = LintSARIFRenderer(toolVersion: DBIAM.configuration.version)
            Terminal.write(renderer.render(files))
        }
        withExtendedLifetime(checked) {}
        Self.finish(failed ? ExitCodes.failure : nil)
    }

    /// `prod.yaml: ok (3 clusters, 1 user, 3 permission sets, 1 warning)`.
    static func summary(path: String, manifest: Manifest?, findings: [Diagnostic], fails: Bool) -> String {
        var parts: [String] = []
        if let manifest {
            parts += [manifest.clusters.count.counted("cluster"), manifest.users.count.counted("user"), manifest.permissionSets.count.counted("permission set")]
        }
        for severity in Diagnostic.Severity.allCases {
            let count = findings.count { $0.severity == severity }
            if count > 0 { parts.append(count.counted(severity.rawValue)) }
        }
        let details = parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
        return "\(path): \(fails ? "failed" : "ok")\(details)\n"
    }

    /// The id, name and severity, the summary, and the help wrapped for a terminal.
    static func explanation(of rule: LintRuleDescriptor) -> String {
        let paragraphs = rule.help.components(separatedBy: "\n\n").map { wrapped($0, width: 80) }
        return "\(rule.id) \(rule.name) (\(rule.severity.rawValue))\n\(wrapped(rule.summary, width: 80))\n\n"
            + paragraphs.joined(separator: "\n\n") + "\n"
    }

    /// Words joined into lines of at most `width` characters (a longer word gets its own line).
    static func wrapped(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: \.isWhitespace) {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

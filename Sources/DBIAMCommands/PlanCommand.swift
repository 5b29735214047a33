import ArgumentParser
import DBIAMCore
import FoundationEssentials

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compare a manifest with the live clusters; print and save the SQL, policies and plan.",
        discussion: """
            Saves, under out/ at the manifest's path (manifests/prod.yaml: out/manifests/prod.yaml/), \
            sql/<cluster>.sql, policies/<permission set>.json and plan.json, \
            the plan that `dbiam apply` applies. A plan with a cluster that could not be read, or \
            of a manifest with errors, cannot be applied. Exit codes: 0 success, 1 error; with \
            --detailed-exitcode 0 no changes, 1 error, 2 changes (policy files are not changes: \
            dbiam apply does not deploy them).
            """
    )

    @Argument(help: "The manifest.")
    var manifest: String

    @OptionGroup var clusterOptions: ClusterOptions

    @OptionGroup var colorOptions: ColorOptions

    @OptionGroup var formatOptions: PlanFormatOptions

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitCode = false

    @Flag(help: "Plan without connecting, as if every cluster held none of the manifest's users (cannot be applied).")
    var offline = false

    func validate() throws {
        if offline && clusterOptions.aws == true {
            throw ValidationError("--offline reads nothing, AWS included; give --aws or --offline, not both.")
        }
    }

    func run() async throws {
        var planning: Planning
        do {
            planning = try await Planning.load(manifest, options: clusterOptions, offline: offline)
        } catch let exit as ExitCode where exit == ExitCodes.failure {
            Planning.recordFailure(of: manifest, because: "it could not be read or has errors (dbiam validate \(manifest) lists them)", options: clusterOptions)
            throw exit
        }
        let (plan, made) = try await planning.makePlan()
        var readings = consume made
        // A plan of thousands of statements: its JSON is encoded while the SQL files and
        // the printed plan are made.
        async let encoding = SavedPlan.Encoded(plan)
        let prepared = try planning.prepareSave(plan, readings: readings)
        let format = formatOptions.chosen
        let printed: String? = switch format {
        case .text: PlanTextRenderer(color: colorOptions.useColor).render(plan, run: prepared.run)
        case .markdown: PlanMarkdownRenderer.render(plan, run: prepared.run)
        case .json: nil
        }
        let encoded = await encoding
        let unsaved = planning.finishSave(prepared, encoded: encoded)
        Terminal.write(printed ?? encoded.json)
        planning.warn(about: plan)
        // The plan is worth reading even when its files could not be written.
        if let unsaved { throw planning.reportUnsaved(unsaved) }
        // Like Terraform's -out hint; beside a JSON or markdown plan it must not be part of it.
        let hint = Self.savedPlanHint(plan, path: planning.layout.planPath, fromStandardInput: planning.file.isStandardInput) + "\n"
        if format == .text { Terminal.write("\n" + hint) } else { Terminal.writeError(hint) }
        if !plan.failedClusters.isEmpty {
            let failed = plan.failedClusters.count
            Terminal.error("\(failed) of \(plan.clusters.count.counted("cluster")) could not be planned; fix what the \(failed == 1 ? "error" : "errors") above \(failed == 1 ? "says" : "say") and run dbiam plan again.")
            throw ExitCodes.failure
        }
        if !plan.offline, let reason = plan.whyNotApplicable {
            Terminal.error("the plan cannot be applied: \(reason); fix what the errors above say and run dbiam plan again.")
            throw ExitCodes.failure
        }
        planning.closeConnections(of: &readings)
        withExtendedLifetime((planning, readings)) {}
        Self.finish(detailedExitCode && plan.hasChanges ? ExitCodes.changesPresent : nil)
    }

    /// The last line: where the plan is and how to apply it, or why it cannot be.
    /// `fromStandardInput`: apply reads the manifest again, to check it is the one planned.
    static func savedPlanHint(_ plan: Plan, path: String, fromStandardInput: Bool) -> String {
        if let reason = plan.whyNotApplicable {
            return "Saved the plan to \(path) for review; it cannot be applied: \(reason)."
        }
        guard plan.hasChanges else { return "Saved the plan to \(path); it has no changes to apply." }
        let input = fromStandardInput ? ", with the same manifest on standard input" : ""
        return "Saved the plan to \(path): dbiam apply \(FilePaths.shellWord(path))\(input)"
    }
}

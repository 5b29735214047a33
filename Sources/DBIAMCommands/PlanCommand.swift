import ArgumentParser
import DBIAMCore
import Foundation

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Compare a manifest with the live clusters; print and save the SQL, policies and plan.",
        discussion: """
            Saves out/<manifest stem>/sql/<cluster>.sql, out/<manifest stem>/policies/<permission set>.json \
            and the plan that `dbiam apply` applies. Exit codes: 0 success, 1 error; with \
            --detailed-exitcode 0 no changes, 1 error, 2 changes.
            """
    )

    @Argument(help: "The manifest.")
    var manifest: String

    @OptionGroup var clusterOptions: ClusterOptions

    @Option(help: ArgumentHelp("How to print the plan: text, json, or markdown (a pull-request comment).", valueName: "format"))
    var format: PlanFormat?

    @Flag(help: "Print the plan as JSON (the same as --format json).")
    var json = false

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 2 when there are changes, 0 when there are none.")
    var detailedExitCode = false

    @Flag(help: "Plan without connecting, as if every cluster held none of the manifest's users (cannot be applied).")
    var offline = false

    enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("--json means --format json; give one of them, not --json with --format \(format.rawValue).")
        }
    }

    func run() async throws {
        let planning = try await Planning.load(manifest, options: clusterOptions, offline: offline)
        let (plan, _) = try await planning.makePlan()
        let planJSON = try PlanJSONRenderer.render(plan)
        try planning.save(plan, json: planJSON)
        switch format ?? (json ? .json : .text) {
        case .text: Terminal.write(PlanTextRenderer(color: Terminal.useColor).render(plan))
        case .json: Terminal.write(planJSON)
        case .markdown: Terminal.write(PlanMarkdownRenderer.render(plan))
        }
        for drop in clusterOptions.massDrops(in: plan) {
            Terminal.warning("\(clusterOptions.describe(drop)); dbiam apply refuses it without --allow-mass-drop.")
        }
        if !plan.failedClusters.isEmpty {
            Terminal.error("\(plan.failedClusters.count) of \(plan.clusters.count) clusters could not be planned; see the errors above.")
            throw ExitCodes.failure
        }
        if detailedExitCode && plan.hasChanges { throw ExitCodes.changesPresent }
    }
}

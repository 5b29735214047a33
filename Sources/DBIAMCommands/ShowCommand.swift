import ArgumentParser
import DBIAMCore
import FoundationEssentials

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a saved plan without connecting anywhere.",
        discussion: """
            Prints the plan.json that dbiam plan saved as dbiam plan printed it (text), as the \
            JSON that dbiam plan --json printed, or as the pull-request comment of --format \
            markdown. What one run of dbiam plan saw besides the plan (how many accounts each \
            cluster held, which policy files were new or changed) is not saved, so it is not \
            shown. A file that is not a plan dbiam saved, was changed after dbiam wrote it or \
            cannot be read is an error (exit code 1).
            """
    )

    @Argument(help: ArgumentHelp("The saved plan: plan.json in out/<manifest path>/.", valueName: "plan"))
    var plan: String

    @OptionGroup var formatOptions: PlanFormatOptions

    @OptionGroup var colorOptions: ColorOptions

    func validate() throws {
        if plan.isEmpty { throw ValidationError("Give dbiam show a saved plan, such as out/manifests/prod.yaml/plan.json.") }
    }

    func run() async throws {
        let saved: Plan
        do {
            saved = try SavedPlan.load(plan)
        } catch {
            Terminal.error(error.message(command: "show"))
            throw ExitCodes.failure
        }
        // The manifest as the plan's SQL files name it, from the plan's folder.
        let manifest = FilePaths.absolute(saved.manifest, from: FilePaths.physical(FilePaths.folder(of: plan)))
        let run = PlanRun(manifestPath: FilePaths.repositoryRelative(manifest))
        switch formatOptions.chosen {
        case .text: Terminal.write(PlanTextRenderer(color: colorOptions.useColor).render(saved, run: run))
        case .json: Terminal.write(PlanJSONRenderer.render(saved))
        case .markdown: Terminal.write(PlanMarkdownRenderer.render(saved, run: run))
        }
    }
}

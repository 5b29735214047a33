import ArgumentParser

/// How a plan is printed: by `plan` for the plan it makes, by `show` for a saved one.
struct PlanFormatOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: ArgumentHelp("How to print the plan: text, json, or markdown (a pull-request comment).", valueName: "format"))
    var format: Format?

    @Flag(help: "Print the plan as JSON (the same as --format json).")
    var json = false

    /// The format asked for; text unless told.
    var chosen: Format { format ?? (json ? .json : .text) }

    func validate() throws {
        if json, let format, format != .json {
            throw ValidationError("--json means --format json; give one of them, not --json with --format \(format.rawValue).")
        }
    }
}

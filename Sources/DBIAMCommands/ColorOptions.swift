import ArgumentParser

/// `--no-color`, on every command that prints colour.
struct ColorOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Print without colour, even on a terminal (as NO_COLOR set to a non-empty value does).")
    var noColor = false

    /// Whether this run's output to stdout is coloured.
    var useColor: Bool { Terminal.useColor(noColorFlag: noColor) }
}

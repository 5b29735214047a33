import ArgumentParser

/// The exit codes of cli.md: 0 success, 1 error, 2 changes (`plan --detailed-exitcode`),
/// 64 bad usage (swift-argument-parser's validation errors).
enum ExitCodes {
    static let failure = ExitCode(1)
    static let changesPresent = ExitCode(2)
    static let usage = ExitCode(64)
}

extension ParsableCommand {
    /// Ends the process as returning from `run` would (or throwing `exitCode`), but at
    /// once: returning frees every user, grant and finding one by one, milliseconds for a
    /// manifest of thousands, in a process about to end. Output is written unbuffered, so
    /// nothing is lost.
    static func finish(_ exitCode: ExitCode? = nil) -> Never {
        exit(withError: exitCode)
    }
}

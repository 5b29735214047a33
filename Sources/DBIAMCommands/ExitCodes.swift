import ArgumentParser

/// The exit codes of cli.md: 0 success, 1 error, 2 changes (`plan --detailed-exitcode`),
/// 64 bad usage (swift-argument-parser's validation errors).
enum ExitCodes {
    static let failure = ExitCode(1)
    static let changesPresent = ExitCode(2)
    static let usage = ExitCode(64)
}

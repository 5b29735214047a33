import ArgumentParser

/// The `dbiam` command: manifest-driven IAM database users for Aurora and RDS MySQL.
public struct DBIAM: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dbiam",
        abstract: "Manage IAM-authenticated MySQL users on Aurora and RDS from one manifest.",
        discussion: """
            Like Terraform: `dbiam plan MANIFEST` compares the manifest with the live \
            mysql.user of every cluster and saves the SQL and IAM policies for review; \
            `dbiam apply` applies the saved plan. Shell completions: \
            `dbiam --generate-completion-script bash|zsh|fish` (make install puts them, and \
            this manual, where the shells and man look).
            """,
        version: "0.1.0",
        subcommands: [
            ValidateCommand.self, PlanCommand.self, ApplyCommand.self, ShowCommand.self, PolicyCommand.self, TokenCommand.self,
            ConnectCommand.self, DoctorCommand.self, ImportCommand.self, DiscoverCommand.self,
        ]
    )

    public init() {}

    /// swift-argument-parser prints the errors it reports (bad usage, and an error thrown
    /// out of a command that is not an ExitCode) after this prefix of the command whose
    /// `main` runs, `Error: ` by default: dbiam's are said the way dbiam says its own.
    public static var _errorPrefix: String { Terminal.errorPrefix }
}

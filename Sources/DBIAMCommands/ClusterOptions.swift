import ArgumentParser

/// Flags shared by the commands that connect to clusters.
struct ClusterOptions: ParsableArguments {
    @Option(name: .customLong("cluster"), help: ArgumentHelp("Only this cluster (repeatable).", valueName: "name"))
    var clusters: [String] = []

    @Option(help: "How many clusters to work on at once.")
    var parallelism: Int = 8

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Seconds to wait for a cluster to answer.", valueName: "seconds"))
    var connectTimeout: Int = 5

    @Option(help: ArgumentHelp("The AWS profile whose credentials sign IAM admin logins (default: AWS_PROFILE).", valueName: "name"))
    var profile: String?

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Where plans, SQL and policies are saved.", valueName: "dir"))
    var outDirectory: String = "out"

    func validate() throws {
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1.") }
        if !(1...3600).contains(connectTimeout) { throw ValidationError("--connect-timeout must be from 1 to 3600 seconds.") }
    }
}

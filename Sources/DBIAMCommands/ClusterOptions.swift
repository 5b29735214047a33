import ArgumentParser
import DBIAMCore

/// Flags shared by the commands that connect to clusters.
struct ClusterOptions: ParsableArguments {
    /// The clusters on which a plan drops more IAM users than `--max-drop-percent` allows.
    func massDrops(in plan: Plan) -> [Plan.MassDrop] {
        plan.massDrops(maximumShare: maximumDropShare)
    }

    var maximumDropShare: Double { Double(maxDropPercent) / 100 }

    func describe(_ drop: Plan.MassDrop) -> String {
        "cluster \(drop.cluster): the plan drops \(drop.drops) of its \(drop.iamAccounts.counted("IAM user")) (\(drop.percent)%), more than --max-drop-percent \(maxDropPercent) allows"
    }

    @Option(name: .customLong("cluster"), help: ArgumentHelp("Only this cluster (repeatable).", valueName: "name"))
    var clusters: [String] = []

    /// Work on a cluster is mostly waiting for the network, and each cluster has a
    /// connection and a thread of its own, so many can wait at once. The numbers are
    /// parsed `.unconditional`ly: `-1` is the value that validate() then refuses, not a
    /// flag that would leave the option "missing" its value.
    @Option(parsing: .unconditional, help: "How many clusters to work on at once.")
    var parallelism: Int = 32

    @Option(name: .customLong("connect-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds to wait for a cluster to answer.", valueName: "seconds"))
    var connectTimeout: Int = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds a cluster may take to answer a statement before dbiam gives up on it.", valueName: "seconds"))
    var timeout: Int = 30

    @Option(help: ArgumentHelp("The AWS profile whose credentials sign IAM admin logins (default: AWS_PROFILE).", valueName: "name"))
    var profile: String?

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Where plans, SQL and policies are saved.", valueName: "dir"))
    var outDirectory: String = "out"

    @Flag(
        inversion: .prefixedNo,
        help: "Read the AWS half too: RDS facts of the clusters, attached policies (default: when the manifest has an aws section or an attach).")
    var aws: Bool?

    @Option(name: .customLong("max-drop-percent"), parsing: .unconditional, help: ArgumentHelp("The largest share of a cluster's IAM users a plan may drop without --allow-mass-drop.", valueName: "percent"))
    var maxDropPercent: Int = 50

    @OptionGroup var verboseOptions: VerboseOptions

    func validate() throws {
        if !(0...100).contains(maxDropPercent) { throw ValidationError("--max-drop-percent must be from 0 to 100.") }
        if parallelism < 1 { throw ValidationError("--parallelism needs a positive whole number, such as 8 (how many clusters to work on at once), not \(parallelism).") }
        if !(1...3600).contains(connectTimeout) { throw ValidationError("--connect-timeout must be from 1 to 3600 seconds.") }
        if !(1...86400).contains(timeout) { throw ValidationError("--timeout must be from 1 to 86400 seconds.") }
        if outDirectory.isEmpty { throw ValidationError("--out-dir needs a folder, such as out.") }
    }
}

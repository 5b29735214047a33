import AWSAPI
import ArgumentParser
import DBIAMCore
import DBIAMEngine

struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Print an account's DB clusters and instances as manifest entries, with their resource ids.",
        discussion: """
            Lists the clusters and instances of one account and region (RDS describe calls, \
            with credentials found as the AWS CLI finds them) and prints them as manifest \
            `clusters:` entries: resource id, writer endpoint, port, engine, and whether IAM \
            database authentication is on. Policies need the resource id, not the cluster's name.
            """
    )

    @Option(help: "The AWS region to list.")
    var region: String

    @Option(help: ArgumentHelp("The AWS profile whose credentials list the account (default: AWS_PROFILE).", valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("Which engines: \(DiscoveredClusters.Selection.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "engine"))
    var engine: DiscoveredClusters.Selection = .all

    /// `.unconditional`: `-1` is a value for validate() to refuse, not a flag.
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds each AWS call may take, retries included.", valueName: "seconds"))
    var timeout: Int = 30

    @OptionGroup var verboseOptions: VerboseOptions

    func validate() throws {
        if !Partition.isRegionName(region) { throw ValidationError("--region '\(region)' is not an AWS region name such as ap-northeast-1.") }
        if !(1...3600).contains(timeout) { throw ValidationError("--timeout must be from 1 to 3600 seconds.") }
    }

    func run() async throws {
        let timeout = Duration.seconds(timeout)
        let reader = AWSReader.configured(defaultProfile: profile, timeout: timeout, trace: verboseOptions.awsCalls)
        do throws(AWSError) {
            let (account, resources) = try await reader.discover(region: region, profile: profile)
            Terminal.write(DiscoveredClusters.render(account: account, region: region, resources: resources, selection: engine))
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.failure
        }
    }
}

extension DiscoveredClusters.Selection: ExpressibleByArgument {}

import ArgumentParser
import DBIAMCore
import DBIAMEngine
import FoundationEssentials

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check each step of an IAM login to a cluster and say where it breaks.",
        discussion: """
            With AWS reachable: whose credentials sign tokens and whether they are of the \
            cluster's account, IAM authentication on the cluster, and the attached policies \
            for --user. Then name resolution, TCP, TLS with the CA bundle, the admin login, and \
            with --user the account and a token login. Exits 0 only when every check passes \
            (a check noted as skipped, such as AWS out of reach, does not fail).
            """
    )

    @Argument(help: "The manifest.")
    var manifest: String

    @OptionGroup var target: ClusterUserOptions

    @OptionGroup var verboseOptions: VerboseOptions

    /// `.unconditional`: `-1` is a value for validate() to refuse, not a flag.
    @Option(name: .customLong("connect-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds to wait at each network step.", valueName: "seconds"))
    var connectTimeout: Int = 3

    func validate() throws {
        if !(1...600).contains(connectTimeout) { throw ValidationError("--connect-timeout must be from 1 to 600 seconds.") }
    }

    func run() async throws {
        let file = try ManifestFile.load(manifest)
        let cluster = try target.selectedCluster(in: file)
        let user = try target.user.map { _ in try target.selectedUser(in: file, on: cluster) }
        let tokens = IAMTokens(profile: target.profile)
        let login = tokens.clusterLogin(
            connectTimeout: connectTimeout, statementTimeout: connectTimeout, resolvePath: { file.resolve($0) }, trace: verboseOptions.roundTrips)
        var doctor = Doctor(
            cluster: cluster, user: user, login: login, tcpTimeout: connectTimeout,
            userToken: { try await tokens.token(cluster: cluster, user: user?.name ?? "") },
            credentialsDescription: {
                guard let credentials = try? await tokens.resolvedCredentials() else { return "no credentials found" }
                return "access key \(credentials.accessKeyID) from \(credentials.source)"
            })
        let timeout = Duration.seconds(max(connectTimeout, 5))
        let reader = AWSReader.configured(defaultProfile: target.profile, timeout: timeout, trace: verboseOptions.awsCalls)
        doctor.aws = AWSDoctor(reader: reader, manifest: file.manifest, cluster: cluster, user: user)
        Terminal.write("cluster \(cluster.name) (\(cluster.endpoint):\(cluster.port))\(user.map { ", user \($0.name)" } ?? "")\n")
        let healthy = await doctor.run { step in Terminal.write(Self.render(step)) }
        if !healthy { throw ExitCodes.failure }
    }

    static func render(_ step: Doctor.Step) -> String {
        let (label, detail): (String, String) = switch step.outcome {
        case .passed(let detail): ("ok     ", detail)
        case .failed(let reason): ("FAILED ", reason)
        case .skipped(let reason): ("skipped", reason)
        case .noted(let reason): ("note   ", reason)
        }
        let indented = detail.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n          ")
        return "  \(label) \(step.title): \(indented)\n"
    }
}

import ArgumentParser
import DBIAMCore
import Foundation

struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Log in to a cluster as a database user with a fresh IAM token.",
        discussion: """
            Runs the mariadb or mysql client with the flags that client needs for an IAM \
            login, verified TLS, and the token in a private option file (never on the \
            command line). Arguments after -- go to the client, e.g. -- -e "SELECT 1".
            """
    )

    @Argument(help: "The manifest.")
    var manifest: String

    @OptionGroup var target: ClusterUserOptions

    @Option(help: ArgumentHelp("The client to run (default: mariadb, else mysql, on PATH).", valueName: "path"))
    var client: String?

    @Argument(parsing: .postTerminator, help: "Arguments for the client, after --.")
    var clientArguments: [String] = []

    func run() async throws {
        let file = try ManifestFile.load(manifest)
        let cluster = try target.selectedCluster(in: file)
        let user = try target.selectedUser(in: file, on: cluster)
        guard let caFile = cluster.tlsCA.map(file.resolve) else {
            Terminal.error("cluster \(cluster.name) has no tls_ca; IAM tokens are sent in cleartext and need TLS. Set tls_ca to the RDS CA bundle (global-bundle.pem).")
            throw ExitCodes.failure
        }
        let environment = ProcessInfo.processInfo.environment
        let databaseClient = try DatabaseClient.find(explicit: client, environment: environment)
        let token: String
        do {
            token = try await IAMTokens(profile: target.profile).token(cluster: cluster, user: user.name).withRevealed { $0 }
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.failure
        }
        let optionFile = try PrivateOptionFile(password: token)
        defer { optionFile.remove() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: databaseClient.path)
        process.arguments = databaseClient.arguments(
            defaultsFile: optionFile.path, host: cluster.endpoint, port: cluster.port, user: user.name, caFile: caFile,
            extra: clientArguments)
        // The client owns the terminal: Ctrl-C is for it, and dbiam stays to clean up.
        signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, SIG_DFL) }
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
    }
}

import AWSAuth
import ArgumentParser
import DBIAMCore
import Dispatch
import FoundationEssentials
import Glibc
import Synchronization

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

    @OptionGroup var verboseOptions: VerboseOptions

    @Option(help: ArgumentHelp("The client to run (default: mariadb, else mysql, on PATH).", valueName: "path"))
    var client: String?

    @Argument(parsing: .postTerminator, help: "Arguments for the client, after --.")
    var clientArguments: [String] = []

    func run() async throws {
        let file = try ManifestFile.load(manifest)
        let cluster = try target.selectedCluster(in: file)
        let user = try target.selectedUser(in: file, on: cluster)
        guard let caFile = cluster.tlsCA.map(file.resolve) else {
            Terminal.error("cluster \(cluster.name) has `tls: disabled`; IAM tokens are sent in cleartext and need TLS. Set tls_ca to the RDS CA bundle (global-bundle.pem) and remove `tls: disabled`.")
            throw ExitCodes.failure
        }
        let environment = DatabaseClient.environment(from: ProcessInfo.processInfo.environment, manifest: file.manifest)
        let databaseClient = try DatabaseClient.find(explicit: client, environment: environment)
        let token: String
        do {
            let tokens = IAMTokens(profile: target.profile)
            token = try await tokens.token(cluster: cluster, user: user.name).withRevealed { $0 }
            await SigningAccount.warnIfOther(try await tokens.resolvedCredentials(), cluster: cluster, trace: verboseOptions.awsCalls)
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.failure
        }
        let session = ClientSession()
        defer { session.end() }
        try session.hold(PrivateOptionFile(password: token))
        guard let optionFile = session.optionFile else { throw session.exitCode }

        let arguments = databaseClient.arguments(
            defaultsFile: optionFile.path, host: cluster.endpoint, port: cluster.port, user: user.name, caFile: caFile,
            extra: clientArguments)
        // The client owns the terminal: Ctrl-C is for it, and dbiam stays to clean up.
        // A handler that does nothing rather than SIG_IGN: a program starts with the
        // signals its parent ignores still ignored, so Ctrl-C would not stop the client.
        let previousInterrupt = signal(SIGINT, { _ in })
        defer { signal(SIGINT, previousInterrupt) }
        let process = try ChildProcess.start(databaseClient.path, arguments: arguments, environment: environment, ownProcessGroup: false)
        session.started(process.processID)
        let status = process.waitForExit()
        if session.signal != 0 { throw session.exitCode }
        if status != 0 { throw ExitCode(status) }
    }
}

/// SIGTERM and SIGHUP (a service manager, a closed terminal) while `connect` holds a
/// token: the token's option file is removed at once, the client gets the signal, and
/// dbiam exits 128 + its number once the client has ended. Without this the default
/// action would end dbiam on the spot and leave the token on disk.
final class ClientSession {
    private struct State {
        var signal: Int32 = 0
        var optionFile: PrivateOptionFile?
        var client: pid_t = 0
    }

    /// What the signal handlers share with the command.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared: Shared
    private let catcher: SignalCatcher

    /// Catches the signals from now until `end`.
    init() {
        let shared = Shared()
        self.shared = shared
        catcher = SignalCatcher([SIGTERM, SIGHUP]) { number in
            shared.state.withLock { state in
                if state.signal == 0 { state.signal = number }
                state.optionFile?.remove()
                state.optionFile = nil
                if state.client != 0 { kill(state.client, number) }
            }
        }
    }

    /// The first signal received, or 0.
    var signal: Int32 { shared.state.withLock { $0.signal } }

    var exitCode: ExitCode { Interruption.exitCode(signal) }

    /// The file, kept until `end` or a signal; one that came before it is removed at once.
    func hold(_ file: PrivateOptionFile) {
        shared.state.withLock { state in
            if state.signal == 0 { state.optionFile = file } else { file.remove() }
        }
    }

    var optionFile: PrivateOptionFile? { shared.state.withLock { $0.optionFile } }

    /// The client, to pass a signal on to; one that came while it was starting goes to it now.
    func started(_ client: pid_t) {
        shared.state.withLock { state in
            state.client = client
            if state.signal != 0 { kill(client, state.signal) }
        }
    }

    /// Removes the file and gives the signals back their handling from before.
    func end() {
        shared.state.withLock { state in
            state.optionFile?.remove()
            state.optionFile = nil
            state.client = 0
        }
        catcher.end()
    }
}

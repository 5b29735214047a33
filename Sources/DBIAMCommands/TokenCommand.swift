import AWSAuth
import ArgumentParser
import DBIAMCore
import FoundationEssentials

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a 15-minute IAM authentication token for a database user.",
        discussion: """
            Either the flags of `aws rds generate-db-auth-token` (--hostname, --port, --region, \
            --username, --profile) or MANIFEST --cluster C --user U, which take the endpoint, port \
            and region from the manifest. Credentials are found as the AWS CLI finds them.
            """
    )

    @Argument(help: "A manifest to take the endpoint, port and region from.")
    var manifest: String?

    @OptionGroup var target: ClusterUserOptions

    @OptionGroup var verboseOptions: VerboseOptions

    @Option(help: "The database endpoint (without a manifest).")
    var hostname: String?

    /// `.unconditional`: `-1` is a value for validate() to refuse, not a flag.
    @Option(parsing: .unconditional, help: "The database port.")
    var port: Int?

    @Option(help: "The AWS region of the database.")
    var region: String?

    @Option(help: "The database user name (without a manifest).")
    var username: String?

    @Option(help: ArgumentHelp("Sign for this time instead of now, e.g. 2026-11-29T12:00:00Z.", valueName: "time"))
    var at: String?

    func validate() throws {
        if manifest != nil {
            for (flag, value) in [("--hostname", hostname), ("--username", username), ("--region", region)] where value != nil {
                throw ValidationError("\(flag) comes from the manifest; give either a manifest with --cluster and --user, or the flags of aws rds generate-db-auth-token.")
            }
            if port != nil { throw ValidationError("--port comes from the manifest; drop it or drop the manifest.") }
            if target.cluster == nil || target.user == nil {
                throw ValidationError("with a manifest, name the cluster and the user: --cluster C --user U.")
            }
        } else {
            if target.cluster != nil || target.user != nil {
                throw ValidationError("--cluster and --user need a manifest; without one, use --hostname and --username.")
            }
            if hostname == nil || username == nil {
                throw ValidationError("give --hostname and --username (and --port, --region), or MANIFEST --cluster C --user U.")
            }
        }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be from 1 to 65535.") }
        if let at, RFC3339.date(from: at) == nil {
            throw ValidationError("--at must be a time such as 2026-11-29T12:00:00Z, not '\(at)'.")
        }
    }

    func run() async throws {
        let tokens = IAMTokens(profile: target.profile)
        let request: RDSAuthTokenRequest
        var cluster: Cluster?
        if let manifest {
            let file = try ManifestFile.load(manifest)
            let selected = try target.selectedCluster(in: file)
            let user = try target.selectedUser(in: file, on: selected)
            request = RDSAuthTokenRequest(cluster: selected, user: user.name)
            cluster = selected
        } else {
            let resolvedRegion: String
            do {
                resolvedRegion = try tokens.chain.region(explicit: region, profile: target.profile)
            } catch {
                Terminal.error("\(error)")
                throw ExitCodes.failure
            }
            request = RDSAuthTokenRequest(hostname: hostname ?? "", port: port ?? 3306, region: resolvedRegion, username: username ?? "")
        }
        let time = at.flatMap(RFC3339.date(from:)) ?? Date()
        do {
            let token = try await tokens.token(request, at: time)
            token.withRevealed { Terminal.write($0 + "\n") }
            if let cluster { await SigningAccount.warnIfOther(try await tokens.resolvedCredentials(), cluster: cluster, trace: verboseOptions.awsCalls) }
        } catch {
            Terminal.error("\(error)")
            throw ExitCodes.failure
        }
    }
}

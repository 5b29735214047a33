import AWSAuth
import ArgumentParser
import DBIAMCore
import DBIAMEngine
import FoundationEssentials

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read a live cluster's IAM users and grants and print the manifest that describes them.",
        discussion: """
            Either MANIFEST --cluster NAME, which connects as that cluster's admin, or the flags \
            --endpoint, --admin-user with --password-env or --iam, and the values a manifest needs \
            that the server cannot tell: --name, --account, --region, --resource-id and --engine. \
            Accounts and grants a manifest cannot express are left out, with a warning and a comment. \
            Permission sets are not on the server: add them to the manifest by hand.
            """
    )

    @Argument(help: "A manifest to take the cluster's connection settings and admin login from.")
    var manifest: String?

    @Option(help: ArgumentHelp("The cluster to read, by its name in the manifest.", valueName: "name"))
    var cluster: String?

    @Option(help: ArgumentHelp("The cluster's endpoint (without a manifest).", valueName: "host"))
    var endpoint: String?

    /// The numbers are parsed `.unconditional`ly: `-1` is a value for validate() to
    /// refuse, not a flag.
    @Option(parsing: .unconditional, help: "The cluster's port (default: 3306).")
    var port: Int?

    @Option(name: .customLong("admin-user"), help: ArgumentHelp("The user dbiam logs in as to read the grant tables.", valueName: "user"))
    var adminUser: String?

    @Option(name: .customLong("password-env"), help: ArgumentHelp("The environment variable that holds the admin password.", valueName: "variable"))
    var passwordEnvironment: String?

    @Flag(help: "Log in as the admin with an IAM token signed by your AWS credentials (needs --tls-ca).")
    var iam = false

    @Option(name: .customLong("tls-ca"), help: ArgumentHelp("The CA bundle to verify the server with (global-bundle.pem).", valueName: "file"))
    var tlsCA: String?

    @Flag(name: .customLong("no-tls"), help: "Connect without TLS: a server on this machine only (writes `tls: disabled`).")
    var tlsDisabled = false

    @Option(help: ArgumentHelp("The cluster's name in the manifest.", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("The AWS account id of the cluster (12 digits).", valueName: "id"))
    var account: String?

    @Option(help: "The AWS region of the cluster.")
    var region: String?

    @Option(name: .customLong("resource-id"), help: ArgumentHelp("The cluster's DbClusterResourceId (cluster-…) or the instance's DbiResourceId (db-…).", valueName: "id"))
    var resourceID: String?

    @Option(help: ArgumentHelp("The engine: \(Engine.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "engine"))
    var engine: Engine?

    @Option(help: ArgumentHelp("The AWS profile whose credentials sign an IAM admin login (default: AWS_PROFILE).", valueName: "name"))
    var profile: String?

    @Option(name: .customLong("connect-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds to wait for the cluster to answer.", valueName: "seconds"))
    var connectTimeout: Int = 5

    @Option(help: ArgumentHelp("Write the manifest to this file instead of standard output.", valueName: "file"))
    var out: String?

    @OptionGroup var verboseOptions: VerboseOptions

    func validate() throws {
        if !(1...3600).contains(connectTimeout) { throw ValidationError("--connect-timeout must be from 1 to 3600 seconds.") }
        if manifest != nil {
            if cluster == nil { throw ValidationError("with a manifest, name the cluster to read with --cluster.") }
            let clusterFlags: [(String, Bool)] = [
                ("--endpoint", endpoint != nil), ("--port", port != nil), ("--admin-user", adminUser != nil),
                ("--password-env", passwordEnvironment != nil), ("--iam", iam), ("--tls-ca", tlsCA != nil), ("--no-tls", tlsDisabled),
                ("--name", name != nil),
                ("--account", account != nil), ("--region", region != nil), ("--resource-id", resourceID != nil),
                ("--engine", engine != nil),
            ]
            for (flag, given) in clusterFlags where given {
                throw ValidationError("\(flag) comes from the manifest; give either a manifest with --cluster, or the cluster's flags without a manifest.")
            }
            return
        }
        if cluster != nil {
            throw ValidationError("--cluster names a cluster of a manifest; give the manifest too, or describe the cluster with --endpoint and the other flags.")
        }
        let required: [(String, Bool)] = [
            ("--endpoint", endpoint != nil), ("--admin-user", adminUser != nil), ("--name", name != nil),
            ("--account", account != nil), ("--region", region != nil), ("--resource-id", resourceID != nil),
            ("--engine", engine != nil),
        ]
        let missing = required.filter { !$0.1 }.map(\.0)
        if !missing.isEmpty {
            throw ValidationError("without a manifest, give \(missing.joined(separator: ", ")) (or MANIFEST --cluster NAME).")
        }
        switch (tlsCA, tlsDisabled) {
        case (nil, false): throw ValidationError("give --tls-ca FILE (the RDS CA bundle, global-bundle.pem) to verify the server, or --no-tls for a server on this machine.")
        case (_?, true): throw ValidationError("--tls-ca and --no-tls contradict each other; give one.")
        default: break
        }
        switch (passwordEnvironment, iam) {
        case (nil, false): throw ValidationError("say how dbiam logs in as --admin-user: --password-env VARIABLE or --iam.")
        case (_?, true): throw ValidationError("--password-env and --iam are two ways to log in; give one.")
        default: break
        }
        for problem in definitionFromFlags().problems {
            throw ValidationError("\(Self.flag(problem.field)) \(problem.message).")
        }
    }

    /// The cluster the flags describe (valid after `validate()`).
    private func definitionFromFlags() -> Cluster {
        Cluster(
            name: name ?? "", account: account ?? "", region: region ?? "", resourceID: resourceID ?? "",
            endpoint: endpoint ?? "", port: port ?? 3306, engine: engine ?? .auroraMySQL3,
            tls: tlsCA.map { .verified(caBundle: Self.absolutePath($0)) } ?? .disabled,
            admin: AdminLogin(user: adminUser ?? "", method: passwordEnvironment.map(AdminLogin.Method.passwordEnvironment) ?? .iam))
    }

    private static func flag(_ field: Cluster.Field) -> String {
        switch field {
        case .name: "--name"
        case .account: "--account"
        case .region: "--region"
        case .resourceID: "--resource-id"
        case .endpoint: "--endpoint"
        case .port: "--port"
        case .tlsCA: "--tls-ca"
        case .tlsDisabled: "--no-tls"
        case .adminUser: "--admin-user"
        case .passwordEnvironment: "--password-env"
        }
    }

    /// A path from the command line, made absolute so the manifest means the same file
    /// wherever it is saved; `~` is kept for the manifest to expand.
    private static func absolutePath(_ path: String) -> String {
        path.hasPrefix("~") ? path : URL(fileURLWithPath: path).standardized.path
    }

    func run() async throws {
        var definition: Cluster
        let resolvePath: @Sendable (String) -> String
        if let manifest {
            let file = try ManifestFile.load(manifest)
            definition = try file.cluster(named: cluster)
            // A relative tls_ca is relative to the source manifest; the new one may be saved elsewhere.
            if case .verified(let caBundle) = definition.tls, !caBundle.hasPrefix("~") { definition.tls = .verified(caBundle: file.resolve(caBundle)) }
            resolvePath = { file.resolve($0) }
        } else {
            definition = definitionFromFlags()
            resolvePath = { FilePaths.expandingHome($0) }
        }

        let login = IAMTokens(profile: profile).clusterLogin(connectTimeout: connectTimeout, resolvePath: resolvePath, trace: verboseOptions.roundTrips)
        let readings = await Fleet.read([definition], login: login, parallelism: 1)
        guard let state = readings.first?.state else {
            Terminal.error("cannot read cluster \(definition.name): \(readings.first?.failure ?? "it was not read").")
            throw ExitCodes.failure
        }

        let imported = ImportedManifest(cluster: definition, live: state, readAt: RFC3339.string(from: Date()))
        for reason in imported.skipped { Terminal.warning(reason) }
        let text = ManifestWriter.render(imported)
        if let out {
            // The folder is the one the user named; the file itself is never a link followed.
            let folder = FilePaths.deletingLastComponent(of: out)
            do {
                try OutputFiles(root: folder.isEmpty ? "." : folder, followsRoot: true).apply([.write(text, to: out)])
            } catch {
                Terminal.error(error.message(otherwise: "make the folder writable or choose another --out."))
                throw ExitCodes.failure
            }
            Terminal.write("\(out)\n")
        } else {
            Terminal.write(text)
        }
    }
}

extension Engine: ExpressibleByArgument {}

import ArgumentParser
import DBIAMCore

/// `MANIFEST --cluster C --user U`: one database user on one cluster of a manifest,
/// as `token`, `connect` and `doctor` take it.
struct ClusterUserOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The cluster, by its name in the manifest.", valueName: "name"))
    var cluster: String?

    @Option(help: ArgumentHelp("The database user, by its name in the manifest.", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("The AWS profile whose credentials sign the token (default: AWS_PROFILE).", valueName: "name"))
    var profile: String?

    /// The cluster named by `--cluster`; a missing or unknown name is a usage error.
    func selectedCluster(in file: ManifestFile) throws -> Cluster {
        try file.cluster(named: cluster)
    }

    /// The user named by `--user`, which must be one the manifest puts on `cluster`.
    func selectedUser(in file: ManifestFile, on cluster: Cluster) throws -> User {
        guard let name = user else {
            Terminal.error("name the database user with --user.")
            throw ExitCodes.usage
        }
        guard let found = file.manifest.user(named: name) else {
            Terminal.error("--user \(name): \(file.name) defines no such user; it has \(file.manifest.users.map(\.name).joined(separator: ", ")).")
            throw ExitCodes.usage
        }
        guard found.isOn(cluster.name) else {
            Terminal.error("--user \(name) is not on cluster \(cluster.name) in \(file.name); add the cluster to its clusters list first.")
            throw ExitCodes.usage
        }
        return found
    }
}

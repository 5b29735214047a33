import DBIAMCore
import DBIAMTestSupport
import Foundation
import MariaDB
@testable import DBIAMEngine

/// A manifest for the local server, with the users given in YAML-lite.
func localManifest(users: String, roles: String = "", prune: Bool = false) -> Manifest {
    let result = ManifestLoader.load(Array(LocalServer.manifestText(users: users, roles: roles, prune: prune).utf8))
    guard let manifest = result.manifest else {
        fatalError("test manifest is invalid: \(result.diagnostics.map { $0.formatted(file: "local") })")
    }
    return manifest
}

/// Reads the local server, plans the manifest against it and applies the plan: what
/// `dbiam plan` then `dbiam apply` do, without the command layer.
struct LocalCluster {
    let manifest: Manifest
    var cluster: Cluster { manifest.clusters[0] }

    func session() async throws -> ClusterSession {
        try await ClusterSession.open(LocalServer.adminOptions(), label: "test")
    }

    func plan() async throws -> Planner.Decision {
        Planner(manifest: manifest).plan(cluster, live: try await session().readState())
    }

    /// Locks, reads, plans from what it read and applies, as `dbiam apply` does; returns
    /// the outcome.
    @discardableResult
    func converge() async throws -> ApplyOutcome {
        let session = try await session()
        let live = try await session.lockAndRead(localLock)
        let actions = Planner(manifest: manifest).plan(cluster, live: live).actions
        return await session.apply(actions, cluster: cluster.name, engine: .mariadb) { _ in }
    }
}

/// The apply lock of the local cluster of `localManifest`.
let localLock = ApplyLock(resourceID: "cluster-LOCALAURORASTANDIN00000000")

/// A fresh server state for each test: every account and database tests made is gone.
func resetLocalServer() throws -> Connection {
    let connection = try LocalServer.connect()
    try LocalServer.reset(connection)
    return connection
}

import DBIAMCore
import DBIAMTestSupport
import Foundation
import MariaDB
@testable import DBIAMEngine

/// A manifest for the local server, with the users given in YAML-lite.
func localManifest(users: String, prune: Bool = false) -> Manifest {
    let result = ManifestLoader.load(Array(LocalServer.manifestText(users: users, prune: prune).utf8))
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

    func plan() async throws -> (actions: [PlannedAction], warnings: [String], fingerprint: String) {
        let live = try await session().readState()
        let (actions, warnings) = Planner(manifest: manifest).plan(cluster, live: live)
        return (actions, warnings, Digest.fingerprint(live))
    }

    /// Plans and applies; returns the outcome.
    @discardableResult
    func converge() async throws -> ApplyOutcome {
        let (actions, _, fingerprint) = try await plan()
        let session = try await session()
        try await session.prepareApply(lock: localLock, expectedFingerprint: fingerprint)
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

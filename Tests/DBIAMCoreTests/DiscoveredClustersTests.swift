import Testing
@testable import DBIAMCore

/// `dbiam discover`'s entries: what RDS says, in a form the manifest reads back.
struct DiscoveredClustersTests {
    let resources = [
        RDSResource(
            kind: .cluster, identifier: "orders-prod", resourceID: "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ", engine: "aurora-mysql",
            engineVersion: "8.0.mysql_aurora.3.05.2", iamDatabaseAuthentication: false,
            writerEndpoints: ["orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com"], port: 3306),
        RDSResource(
            kind: .instance, identifier: "billing", resourceID: "db-ABCDEFGHIJKLMNOPQRSTUVWXYZ", engine: "mysql", engineVersion: "5.7.44",
            iamDatabaseAuthentication: true, writerEndpoints: ["billing.c8bjhxz2.ap-northeast-1.rds.amazonaws.com"], port: 3307),
        RDSResource(
            kind: .cluster, identifier: "analytics", resourceID: "cluster-PGXXXXXXXXXXXXXXXXXXXXXXXX", engine: "aurora-postgresql",
            engineVersion: "15.4", iamDatabaseAuthentication: true, writerEndpoints: ["analytics.example"], port: 5432),
    ]

    @Test func entriesAreWhatRDSSaysAndReadBackAsAManifest() throws {
        let text = DiscoveredClusters.render(account: "123456789012", region: "ap-northeast-1", resources: resources, selection: .all)
        #expect(text.hasPrefix("# Discovered by dbiam discover in account 123456789012, ap-northeast-1: 2 of 3 DB clusters and instances (--engine all).\n"))
        #expect(text.contains("  orders-prod:  # IAM database authentication: OFF; turn it on with: aws rds modify-db-cluster --db-cluster-identifier orders-prod --enable-iam-database-authentication --apply-immediately --region ap-northeast-1\n"))
        #expect(text.contains("  billing:  # IAM database authentication: on\n"))
        #expect(!text.contains("analytics"), "PostgreSQL has no MySQL accounts to manage")
        let manifest = try #require(ManifestLoader.load(Array(("version: 1\n" + text).utf8)).manifest)
        #expect(manifest.clusters.map(\.name) == ["billing", "orders-prod"])
        #expect(manifest.clusters.map(\.resourceID) == ["db-ABCDEFGHIJKLMNOPQRSTUVWXYZ", "cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ"])
        #expect(manifest.clusters.map(\.engine) == [.mysql57, .auroraMySQL3])
        #expect(manifest.clusters.map(\.port) == [3307, 3306])
        #expect(manifest.clusters[1].endpoint == "orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com")
    }

    @Test func theSelectionFiltersByEngine() {
        let aurora = DiscoveredClusters.render(account: "123456789012", region: "ap-northeast-1", resources: resources, selection: .auroraMySQL)
        #expect(aurora.contains("orders-prod:") && !aurora.contains("billing:"))
        let none = DiscoveredClusters.render(account: "123456789012", region: "ap-northeast-1", resources: [], selection: .all)
        #expect(none.hasSuffix("# None found.\n"))
    }
}

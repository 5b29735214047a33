import Testing
@testable import DBIAMCore

/// A read-only server (a reader endpoint) is an error of its cluster before any
/// statement, naming the writer endpoint when RDS or the endpoint's name gives it.
struct ReaderEndpointTests {
    let manifest = Manifests.valid()
    var orders: Cluster { manifest.clusters[0] }
    let readOnly = LiveState(accounts: [], serverVersion: "8.0.36", readOnly: true)

    @Test func aReadOnlyServerFailsItsClusterBeforeAnyStatement() {
        let plan = Plans.builder(manifest).clusterPlan(orders, reading: .live(readOnly))
        #expect(plan.actions.isEmpty)
        #expect(plan.failure == "\(orders.endpoint) is a reader endpoint (the server is read-only and refuses CREATE USER and GRANT); use the cluster's writer endpoint (aws rds describe-db-clusters --query \"DBClusters[*].Endpoint\")")
        #expect(Plans.builder(manifest).build(readings: ["orders-prod": .live(readOnly)]).whyNotApplicable != nil)
    }

    @Test func theWriterEndpointIsNamedFromTheReadersNameOrFromRDS() {
        var reader = orders
        reader.endpoint = "orders-prod.cluster-ro-c9akciq32.ap-northeast-1.rds.amazonaws.com"
        let fromName = Plans.builder(manifest).clusterPlan(reader, reading: .live(readOnly)).failure
        #expect(fromName?.hasSuffix("use the cluster (writer) endpoint orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com") == true)
        reader.endpoint = "orders-reader.internal.example"
        let resource = RDSResource(
            kind: .cluster, identifier: "orders-prod", resourceID: orders.resourceID, engine: "aurora-mysql", engineVersion: "8.0.mysql_aurora.3.05.2",
            iamDatabaseAuthentication: true, writerEndpoints: ["orders-writer.internal.example"], readerEndpoints: ["orders-reader.internal.example"])
        let fromRDS = Plans.builder(manifest).clusterPlan(reader, reading: .live(readOnly), rds: .listed([resource])).failure
        #expect(fromRDS?.hasSuffix("use the cluster (writer) endpoint orders-writer.internal.example") == true)
    }
}

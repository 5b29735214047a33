import Testing
@testable import DBIAMCore

/// The traps that live on the AWS side, decided from what RDS lists: each an error or a
/// warning that names the cluster and says what to do.
struct RDSCheckTests {
    let manifest = Manifests.valid()
    var orders: Cluster { manifest.clusters[0] }

    /// orders-prod as RDS would list it, with IAM authentication on.
    func ordersCluster(iam: Bool = true, engine: String = "aurora-mysql", version: String = "8.0.mysql_aurora.3.05.2") -> RDSResource {
        RDSResource(
            kind: .cluster, identifier: "orders-prod", resourceID: orders.resourceID, engine: engine, engineVersion: version,
            iamDatabaseAuthentication: iam,
            writerEndpoints: [orders.endpoint, "orders-prod-1.c9akciq32.ap-northeast-1.rds.amazonaws.com"],
            readerEndpoints: ["orders-prod.cluster-ro-c9akciq32.ap-northeast-1.rds.amazonaws.com"], port: 3306)
    }

    let billing = RDSResource(
        kind: .cluster, identifier: "billing-prod", resourceID: "cluster-B1LL1NGXXXXXXXXXXXXXXXXXXX", engine: "aurora-mysql",
        engineVersion: "8.0.mysql_aurora.3.05.2", iamDatabaseAuthentication: true,
        writerEndpoints: ["billing-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com"])

    func check(_ resources: [RDSResource], cluster: Cluster? = nil) -> RDSCheck {
        RDSCheck(cluster: cluster ?? orders, reading: .listed(resources))
    }

    @Test func aClusterAsTheManifestSaysPasses() {
        #expect(check([billing, ordersCluster()]).isEmpty)
    }

    @Test func iamAuthenticationOffIsAnErrorWithTheCommandThatFixesIt() {
        let result = check([ordersCluster(iam: false)])
        #expect(result.errors == [
            "IAM database authentication is off for cluster orders-prod (cluster orders-prod), so every token login is refused; dbiam does not change clusters, so turn it on with: aws rds modify-db-cluster --db-cluster-identifier orders-prod --enable-iam-database-authentication --apply-immediately --region ap-northeast-1",
        ])
        var instance = ordersCluster(iam: false)
        instance.kind = .instance
        #expect(check([instance]).errors.first?.contains("aws rds modify-db-instance --db-instance-identifier orders-prod --enable-iam-database-authentication") == true)
    }

    @Test func anUnknownResourceIdIsAnErrorThatNamesWhatWasMeant() {
        var cluster = orders
        cluster.resourceID = "cluster-NOSUCHCLUSTERXXXXXXXXXXXX"
        let result = check([billing, ordersCluster()], cluster: cluster)
        #expect(result.errors == [
            "no DB cluster or instance in account 123456789012, ap-northeast-1 has the resource id cluster-NOSUCHCLUSTERXXXXXXXXXXXX of cluster orders-prod; cluster orders-prod has \(orders.resourceID). A policy with the wrong resource id allows no login.",
        ])
        #expect(check([], cluster: cluster).errors.first?.contains("aws rds describe-db-clusters --region ap-northeast-1") == true)
    }

    /// The trap of the field note: another cluster's resource id next to this endpoint.
    @Test func anotherClustersResourceIdIsAnError() {
        var cluster = orders
        cluster.resourceID = billing.resourceID
        let result = check([billing, ordersCluster()], cluster: cluster)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.hasPrefix("cluster orders-prod's resource id \(billing.resourceID) is cluster billing-prod's, but its endpoint \(orders.endpoint) is cluster orders-prod's") == true)
    }

    /// The same host on another port is another server: it does not count as the
    /// cluster's endpoint, nor as another cluster's.
    @Test func endpointsMatchWithTheirPort() {
        var elsewhere = orders
        elsewhere.port = 13306
        let result = check([billing, ordersCluster()], cluster: elsewhere)
        #expect(result.errors.isEmpty)
        #expect(result.warnings.first?.contains("is neither the writer endpoint of cluster orders-prod") == true, "\(result.warnings)")
        // Two clusters on one host and port (the local stand-in): the one with the resource id is the one.
        var twin = billing
        twin.writerEndpoints = [orders.endpoint]
        twin.port = 3306
        var onTwin = orders
        onTwin.resourceID = billing.resourceID
        #expect(check([ordersCluster(), twin], cluster: onTwin).isEmpty)
    }

    @Test func aReaderEndpointOrAStrangeEndpointIsAWarning() {
        var reader = orders
        reader.endpoint = "orders-prod.cluster-ro-c9akciq32.ap-northeast-1.rds.amazonaws.com"
        #expect(check([ordersCluster()], cluster: reader).warnings == [
            "the endpoint \(reader.endpoint) of cluster orders-prod is a reader, which cannot run CREATE USER or GRANT; use the writer endpoint \(orders.endpoint)",
        ])
        var proxied = orders
        proxied.endpoint = "orders.db.internal.example"
        #expect(check([ordersCluster()], cluster: proxied).warnings.first?.contains("is neither the writer endpoint of cluster orders-prod") == true)
        #expect(check([ordersCluster()], cluster: proxied).errors.isEmpty)
    }

    @Test func anotherEngineIsAWarning() {
        #expect(check([ordersCluster(version: "5.7.mysql_aurora.2.11.2")]).warnings == [
            "cluster orders-prod says engine aurora-mysql-3, but cluster orders-prod runs aurora-mysql 5.7.mysql_aurora.2.11.2; privilege names and user-name limits follow `engine:`, so correct it",
        ])
        #expect(check([ordersCluster(engine: "mysql", version: "8.0.39")]).warnings.count == 1)
    }

    @Test func credentialsOfAnotherAccountSkipTheChecksWithANote() {
        let result = RDSCheck(cluster: orders, reading: .otherAccount(credentials: "999999999999"))
        #expect(result.errors.isEmpty && result.warnings.isEmpty)
        #expect(result.notes == [
            "RDS checks of cluster orders-prod skipped: the AWS credentials are for account 999999999999, not 123456789012; give the cluster an aws_profile of its account to check it",
        ])
    }

    @Test func aPlanWithAnRDSErrorCannotBeApplied() throws {
        let builder = Plans.builder(manifest)
        let readings: [String: ClusterReading] = ["orders-prod": .live(.empty), "billing-prod": .live(.empty)]
        let checked = builder.build(readings: readings, aws: AWSState(clusters: ["orders-prod": .listed([ordersCluster(iam: false)])]))
        #expect(checked.clusters[0].rds?.errors.count == 1)
        #expect(checked.clusters[1].rds == nil)
        #expect(checked.whyNotApplicable == "RDS shows that orders-prod cannot work as the manifest says (see the errors)")
        #expect(try PlanJSONRenderer.decode(Array(PlanJSONRenderer.render(checked).utf8)) == checked)
        let text = PlanTextRenderer(color: false).render(checked, run: PlanRun(manifestPath: "m.yaml"))
        #expect(text.contains("  error: IAM database authentication is off for cluster orders-prod"))
        #expect(builder.build(readings: readings).whyNotApplicable == nil)
    }
}

import Testing
@testable import DBIAMCore

/// What `dbiam apply` checks of a saved plan against the manifest alone, before reading
/// any cluster.
struct PlanBuilderTests {
    let builder = Plans.builder(Manifests.valid())

    var plan: Plan { builder.build(readings: ["orders-prod": .offline, "billing-prod": .offline]) }

    @Test func aPlanOfTheManifestFollowsFromIt() {
        #expect(plan.selectedClusters == nil)
        #expect(builder.differenceFromManifest(plan) == nil)
        let some = builder.build(readings: ["billing-prod": .offline])
        #expect(some.selectedClusters == ["billing-prod"])
        #expect(builder.differenceFromManifest(some) == nil, "a plan of some clusters (--cluster)")
    }

    /// A cluster taken out of a plan of every cluster is not a plan made with --cluster.
    @Test func aClusterTakenOutIsNotASelection() {
        var edited = plan
        edited.clusters.removeFirst()
        #expect(builder.differenceFromManifest(edited) == "its clusters (billing-prod) are not the manifest's, once each and in its order")
        edited.selectedClusters = ["billing-prod", "orders-prod"]
        #expect(builder.differenceFromManifest(edited) == "its clusters chosen with --cluster (billing-prod, orders-prod) are not some of the manifest's, once each and in its order")
        edited.selectedClusters = ["orders-prod"]
        #expect(builder.differenceFromManifest(edited) == "its clusters (billing-prod) are not the ones chosen with --cluster, once each and in its order")
    }

    @Test func everyFieldTheManifestGivesIsChecked() {
        var edited = plan
        edited.manifest = "../../manifests/other.yaml"
        #expect(builder.differenceFromManifest(edited) == "it names the manifest ../../manifests/other.yaml, not ../../manifests/prod.yaml")
        edited = plan
        edited.policies[0].text += " "
        #expect(builder.differenceFromManifest(edited) == "its policies differ from the manifest's")
        edited = plan
        edited.clusters.append(edited.clusters[0])
        #expect(builder.differenceFromManifest(edited) == "its clusters (orders-prod, billing-prod, orders-prod) are not the manifest's, once each and in its order")
        edited = plan
        edited.clusters.reverse()
        #expect(builder.differenceFromManifest(edited)?.hasPrefix("its clusters (billing-prod, orders-prod)") == true)
        edited = plan
        edited.clusters[0].name = "staging"
        #expect(builder.differenceFromManifest(edited)?.hasPrefix("its clusters (staging, billing-prod)") == true)
        edited = plan
        edited.clusters[1].port = 3307
        #expect(builder.differenceFromManifest(edited) == "it names cluster billing-prod at billing.c8bjhxz2.us-east-1.rds.amazonaws.com:3307, not where the manifest says")
    }
}

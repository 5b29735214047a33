import Testing
@testable import DBIAMCore

/// The clusters are handed over before the users are read, so that the caller can
/// connect while a large manifest is still being decoded; and only once.
struct ManifestLoaderTests {
    func clustersTold(_ text: String) -> (calls: [[String]], result: ManifestLoadResult) {
        var calls: [[String]] = []
        let result = ManifestLoader.load(Array(text.utf8)) { calls.append($0.map(\.name)) }
        return (calls, result)
    }

    @Test func theClustersAreToldOnceBeforeTheUsers() throws {
        let text = Manifests.base
        let prefix = try #require(ManifestLoader.clustersPrefix(Array(text.utf8)))
        #expect(String(decoding: Array(text.utf8)[prefix...], as: UTF8.self).hasPrefix("users:\n"))
        let (calls, result) = clustersTold(text)
        #expect(calls == [["orders-prod", "billing-prod"]])
        #expect(result.manifest != nil)
    }

    /// A mistake among the users does not hold the clusters back; the manifest still fails.
    @Test func aBadUserStillLetsTheClustersBeTold() {
        let (calls, result) = clustersTold(Manifests.replacing("    clusters: [orders-prod]\n    grants", with: "    clusters: [nowhere]\n    grants"))
        #expect(calls == [["orders-prod", "billing-prod"]])
        #expect(result.manifest == nil && result.hasErrors)
    }

    @Test func aBadClusterIsNeverTold() {
        let (calls, result) = clustersTold(Manifests.replacing("region: us-east-1", with: "region: useast1"))
        #expect(calls.isEmpty)
        #expect(result.hasErrors)
    }

    /// Users before the clusters: no prefix to read first, and the clusters are told after
    /// the whole file, once.
    @Test func usersBeforeTheClustersAreReadWithTheWholeFile() {
        let text = Manifests.base
        let users = text[text.range(of: "users:\n")!.lowerBound..<text.range(of: "permission_sets:\n")!.lowerBound]
        let reordered = text.replacingOccurrences(of: users, with: "").replacingOccurrences(of: "clusters:\n  orders-prod:", with: users + "clusters:\n  orders-prod:")
        #expect(ManifestLoader.clustersPrefix(Array(reordered.utf8)) == nil)
        let (calls, result) = clustersTold(reordered)
        #expect(calls == [["orders-prod", "billing-prod"]])
        #expect(result.manifest != nil)
    }

    /// A file of thousands of users is decoded in parts on several cores: the users come
    /// back in file order and the findings of every part in file order.
    @Test func usersDecodedInPartsKeepTheirOrderAndFindings() throws {
        var text = Manifests.base.components(separatedBy: "users:\n")[0] + "users:\n"
        for index in 0..<6000 {
            let cluster = index == 10 || index == 5990 ? "nowhere" : "orders-prod"
            text += "  user_\(index):\n    clusters: [\(cluster)]\n"
        }
        let broken = ManifestLoader.load(Array(text.utf8))
        #expect(broken.diagnostics.map(\.message).count == 2)
        #expect(broken.diagnostics.map(\.position.line) == broken.diagnostics.map(\.position.line).sorted())
        #expect(broken.diagnostics.allSatisfy { $0.message.contains("cluster 'nowhere'") })

        let fixed = text.replacingOccurrences(of: "[nowhere]", with: "[orders-prod]")
        let manifest = try #require(ManifestLoader.load(Array(fixed.utf8)).manifest)
        #expect(manifest.users.map(\.name) == (0..<6000).map { "user_\($0)" })
    }
}

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

    /// The base manifest's clusters, a role, `count` users and a permission set naming the
    /// first and the last user.
    static func largeManifest(users count: Int, user: (Int) -> String = plainUser) -> String {
        var text = Manifests.base.components(separatedBy: "users:\n")[0]
        text += "roles:\n  reader:\n    clusters: [orders-prod]\n    grants:\n      - on: orders.*\n        privileges: [SELECT]\n"
        text += "users:\n"
        for index in 0..<count { text += user(index) }
        text += "permission_sets:\n  DBReadOnly:\n    users: [user_0, user_\(count - 1)]\n    org_path: prod\n"
        return text
    }

    static func plainUser(_ index: Int) -> String {
        "  user_\(index):\n    clusters: [orders-prod]\n" + (index % 3 == 0 ? "    roles: [reader]\n" : "")
            + (index % 5 == 0 ? "    grants:\n      - on: db\(index % 7).*\n        privileges: [SELECT, INSERT]\n" : "")
    }

    /// `ManifestLoader.loadUsersInParts` of a file large enough to be split.
    static func loadUsersInParts(
        _ text: String, inParallel: Bool, keepingTrees: Bool = false, clustersAreValid: ([Cluster]) -> Void
    ) throws -> (manifest: Manifest?, diagnostics: [Diagnostic], trees: [YAMLNode])? {
        let bytes = Array(text.utf8)
        let split = try #require(YAMLLite.split(bytes), "the file is split")
        return ManifestLoader.loadUsersInParts(bytes, split: split, inParallel: inParallel, keepingTrees: keepingTrees, clustersAreValid: clustersAreValid)
    }

    /// Decoding the tree of the whole file: what reading the users in parts must equal.
    static func readWhole(_ text: String) -> (manifest: Manifest?, diagnostics: [Diagnostic]) {
        let parsed = YAMLLite.parse(Array(text.utf8))
        guard let root = parsed.root else { return (nil, parsed.diagnostics) }
        var decoder = ManifestDecoder()
        return decoder.decode(root)
    }

    /// A large file's users are read and decoded part by part, without the tree of the
    /// whole file, on one core or on every core, and give what the whole tree gives.
    @Test(arguments: [true, false])
    func usersReadInPartsDecodeAsTheWholeTree(inParallel: Bool) throws {
        let text = Self.largeManifest(users: 3000)
        let parted = try #require(try Self.loadUsersInParts(text, inParallel: inParallel) { _ in })
        let whole = Self.readWhole(text)
        let manifest = try #require(whole.manifest)
        #expect(parted.0 == manifest)
        #expect(parted.1 == whole.diagnostics)
        #expect(manifest.users.map(\.name) == (0..<3000).map { "user_\($0)" })
        #expect(ManifestLoader.load(Array(text.utf8), inParallel: inParallel).manifest == manifest)
        // Keeping the parts' trees, to spare freeing them, reads the same.
        let kept = ManifestLoader.load(Array(text.utf8), inParallel: inParallel, keepingTree: true)
        #expect(kept.manifest == manifest)
        #expect(kept.tree != nil)
        let parts = try #require(YAMLLite.split(Array(text.utf8))).parted.partCount
        let trees = try #require(try Self.loadUsersInParts(text, inParallel: inParallel, keepingTrees: true) { _ in }).trees
        #expect(parts > 1 && trees.count == 1 + parts, "the rest of the file and every part")
    }

    /// A byte order mark and CRLF line breaks, as an editor on Windows saves the file.
    @Test func aFileWithAByteOrderMarkAndCRLFReadsInPartsAsWhole() throws {
        let text = "\u{FEFF}" + Self.largeManifest(users: 3000).replacing("\n", with: "\r\n")
        let parted = try #require(try Self.loadUsersInParts(text, inParallel: true) { _ in })
        let whole = Self.readWhole(text)
        #expect(whole.manifest?.users.count == 3000)
        #expect(parted.manifest == whole.manifest)
        #expect(parted.diagnostics == whole.diagnostics)
    }

    @Test func mistakesAmongUsersReadInPartsAreThoseTheWholeTreeHas() throws {
        let text = Self.largeManifest(users: 3000) { index in
            switch index {
            case 7: "  user_7:\n    clusters: [nowhere]\n"
            case 1500: "  user_1500:\n    clusters: [orders-prod]\n    roles: [writer]\n"
            case 2999: "  user_2999:\n    clusters: [orders-prod]\n    grants:\n      - on: db.*\n        privileges: [SELEKT]\n"
            default: Self.plainUser(index)
            }
        }
        let parted = try #require(try Self.loadUsersInParts(text, inParallel: true) { _ in })
        let whole = Self.readWhole(text)
        #expect(parted.0 == nil)
        #expect(parted.1 == whole.diagnostics)
        let messages = whole.diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("cluster 'nowhere'") })
        #expect(messages.contains { $0.contains("'writer'") })
        #expect(messages.contains { $0.contains("SELEKT") })
    }

    /// What reading in parts could get wrong is read whole instead: a role with the name
    /// of a user (found where the roles are read, before the users' names are known), a
    /// user in two parts, and a problem of YAML inside a part.
    @Test(arguments: [
        (2000, "  reader:\n    clusters: [orders-prod]\n", "has the name of a user"),
        (2900, "  user_5:\n    clusters: [orders-prod]\n", "duplicate key 'user_5'"),
        (2000, "  user_2000: [unclosed\n", "flow sequence is not closed"),
    ])
    func whatPartsCouldReadWronglyIsReadWhole(index: Int, replacement: String, finding: String) throws {
        let text = Self.largeManifest(users: 3000) { $0 == index ? replacement : Self.plainUser($0) }
        #expect(try Self.loadUsersInParts(text, inParallel: true) { _ in } == nil)
        let whole = Self.readWhole(text)
        let loaded = ManifestLoader.load(Array(text.utf8))
        #expect(loaded.manifest == nil)
        #expect(loaded.diagnostics == whole.diagnostics)
        #expect(whole.diagnostics.contains { $0.message.contains(finding) }, "\(whole.diagnostics.map(\.message))")
    }

    /// The clusters are told once, even when reading in parts told them and then gave way
    /// to reading whole (clusters after the users: nothing is read before the users).
    @Test func clustersToldBeforeReadingWholeAreNotToldAgain() throws {
        let text = Self.largeManifest(users: 3000) { $0 == 2000 ? "  reader:\n    clusters: [orders-prod]\n" : Self.plainUser($0) }
        let clusters = try #require(text.range(of: "clusters:\n  orders-prod:"))
        let roles = try #require(text.range(of: "roles:\n"))
        let end = try #require(text.range(of: "permission_sets:\n"))
        let reordered = String(text[..<clusters.lowerBound]) + text[roles.lowerBound..<end.lowerBound] + text[clusters.lowerBound..<roles.lowerBound] + text[end.lowerBound...]
        #expect(ManifestLoader.clustersPrefix(Array(reordered.utf8)) == nil)
        let (calls, result) = clustersTold(reordered)
        #expect(calls == [["orders-prod", "billing-prod"]])
        #expect(result.diagnostics.contains { $0.message.contains("has the name of a user") })
    }
}

import Foundation
import Testing
@testable import DBIAMCore
import DBIAMTestSupport

/// The deterministic half of `make fuzz`: seeded mutations of valid manifests through
/// the parser and the validator. Whatever the input, loading returns, problems come in
/// file order, and a manifest comes back exactly when there is no error.
struct ManifestFuzzTests {
    static let fragments: [[UInt8]] = [
        "\n", "  ", "- ", ": ", "#", "'", "\"", "[", "]", "{", "}", "&a", "*a", "!t", "|", ">", "\t", "\0", "\u{FEFF}",
        "version: 2", "clusters:", "users:", "ALL", "*.*", "\"*\"", "%", "\\", "é", "\u{2028}",
    ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82]]

    @Test(arguments: 0..<8)
    func mutatedManifestsAreHandled(batch: Int) {
        let bases = [Array(Manifests.base.utf8)]
        var random = SeededGenerator(seed: UInt64(batch) &* 7919 &+ 17)
        for _ in 0..<250 {
            var bytes = bases.randomElement(using: &random)!
            for _ in 0...Int.random(in: 0..<6, using: &random) {
                let at = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes.insert(contentsOf: Self.fragments.randomElement(using: &random)!, at: at)
                case 1: if at < bytes.count { bytes.remove(at: at) }
                case 2: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &random) }
                default: bytes = Array(bytes.prefix(at))
                }
            }
            let result = ManifestLoader.load(bytes)
            let positions = result.diagnostics.map(\.position)
            #expect(positions == positions.sorted())
            #expect(positions.allSatisfy { $0.line >= 1 && $0.column >= 1 })
            #expect((result.manifest == nil) == result.hasErrors)
        }
    }

    @Test func aLargeManifestIsValidated() {
        // About 5 MB: 40,000 users with a grant each.
        var text = Manifests.base.replacingOccurrences(of: "permission_sets:", with: "")
        text = String(text.prefix(upTo: text.range(of: "users:\n")!.upperBound))
        for index in 0..<40_000 {
            text += "  user\(index):\n    clusters: [orders-prod]\n    host: \"10.\(index % 256).%\"\n    grants:\n      - on: \"db\(index % 100).t\(index)\"\n        privileges: [SELECT, INSERT, UPDATE]\n"
        }
        #expect(text.utf8.count > 4_000_000)
        let result = ManifestLoader.load(Array(text.utf8))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
        #expect(result.manifest?.users.count == 40_000)
    }
}

@testable import DBIAMCore

/// Plans for the core's tests, which have no SHA-256 (the core does no cryptography).
enum Plans {
    /// A fingerprint function that tells texts apart as well as the tests need: FNV-1a.
    static let digest: @Sendable ([UInt8]) -> String = { bytes in
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }

    static func builder(_ manifest: Manifest) -> PlanBuilder {
        PlanBuilder(
            manifest: manifest, dbiamVersion: "0.1.0", manifestReference: "../../manifests/prod.yaml", manifestDigest: "0123abcd",
            digest: digest)
    }

    /// What a run that wrote the plan's policies next to `existing` files reports.
    static func run(_ plan: Plan, accountsRead: [String: Int] = [:], existing: [String: String] = [:]) -> PlanRun {
        PlanRun(
            manifestPath: "manifests/prod.yaml", accountsRead: accountsRead,
            policyFiles: PolicyFile.changes(planned: plan.policies, existing: existing, path: { "out/manifests/prod.yaml/policies/\($0).json" }))
    }
}

import FoundationEssentials

/// `OUT/.last-plan`: the plan `dbiam apply` applies when it is given none, or why the
/// last `dbiam plan` saved none (so that apply never falls back on an older plan of
/// another manifest without saying so).
struct LastPlan: Codable {
    /// The saved plan, relative to the out directory.
    var plan: String?
    /// The manifest the last plan failed on, as it was named, and why.
    var failedManifest: String?
    var failure: String?

    private enum CodingKeys: String, CodingKey {
        case plan, failedManifest = "failed_manifest", failure
    }

    static func saved(_ planPath: String, root: String) -> LastPlan {
        LastPlan(plan: FilePaths.relative(planPath, from: root))
    }

    static func failed(_ manifest: String, because failure: String) -> LastPlan {
        LastPlan(failedManifest: manifest, failure: failure)
    }

    static func read(root: String) -> LastPlan? {
        guard let data = FileManager.default.contents(atPath: OutputLayout.lastPlanPointer(root: root)) else { return nil }
        return try? JSONDecoder().decode(LastPlan.self, from: data)
    }

    /// The pointer as a change to the files under `root`. Only dbiam reads it: 0600.
    func change(root: String) -> OutputFiles.Change {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
        return .write(text, to: OutputLayout.lastPlanPointer(root: root), mode: 0o600)
    }

    func write(root: String) throws(OutputFiles.Failure) {
        try OutputFiles(root: root).apply([change(root: root)])
    }
}

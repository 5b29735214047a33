import DBIAMCore
import DBIAMEngine
import Foundation

/// The plan as saved for `dbiam apply`, with a checksum of its content, so a plan file
/// edited by hand is refused rather than applied.
struct SavedPlan: Codable {
    var checksum: String
    var plan: Plan

    /// `{"checksum": …, "plan": …}` around the plan's JSON as `PlanJSONRenderer` wrote
    /// it, which the caller already has: a large plan is encoded once, not again here.
    static func text(planJSON: String) -> String {
        "{\n\"checksum\" : \"\(Digest.sha256(planJSON))\",\n\"plan\" : \(planJSON)}\n"
    }

    /// Reads a saved plan and checks its checksum; explains every failure.
    static func load(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.error("there is no saved plan at \(path); run dbiam plan MANIFEST first.")
            throw ExitCodes.failure
        }
        let saved: SavedPlan
        do {
            saved = try JSONDecoder().decode(SavedPlan.self, from: data)
        } catch {
            Terminal.error("\(path) is not a plan saved by this dbiam; run dbiam plan again.")
            throw ExitCodes.failure
        }
        guard saved.plan.formatVersion == Plan.formatVersion,
            Digest.sha256(try PlanJSONRenderer.render(saved.plan)) == saved.checksum
        else {
            Terminal.error("\(path) was changed after dbiam plan wrote it (its checksum does not match); run dbiam plan again rather than editing the plan.")
            throw ExitCodes.failure
        }
        return saved.plan
    }
}

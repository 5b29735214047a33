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
        "\(checksumPrefix)\(Digest.sha256(planJSON))\(planPrefix)\(planJSON)\(suffix)"
    }

    private static let checksumPrefix = "{\n\"checksum\" : \""
    private static let planPrefix = "\",\n\"plan\" : "
    private static let suffix = "}\n"

    /// The plan's JSON exactly as `text` wrote it, or nil when the file is not laid out so.
    /// Checked on these bytes, the checksum needs no second encoding of the plan.
    private static func writtenPlanJSON(_ bytes: [UInt8], checksum: String) -> ArraySlice<UInt8>? {
        let head = Array((checksumPrefix + checksum + planPrefix).utf8)
        let tail = Array(suffix.utf8)
        guard bytes.count >= head.count + tail.count, bytes.starts(with: head), bytes.suffix(tail.count).elementsEqual(tail) else { return nil }
        return bytes[head.count..<(bytes.count - tail.count)]
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
            let planJSON = writtenPlanJSON([UInt8](data), checksum: saved.checksum),
            Digest.sha256(planJSON) == saved.checksum
        else {
            Terminal.error("\(path) was changed after dbiam plan wrote it (its checksum does not match); run dbiam plan again rather than editing the plan.")
            throw ExitCodes.failure
        }
        return saved.plan
    }
}

import Foundation

/// The plan as JSON: what `--json` prints and what `dbiam apply` reads back. Keys are
/// sorted so the same plan always gives the same bytes.
public enum PlanJSONRenderer {
    public static func render(_ plan: Plan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
    }

    public static func decode(_ bytes: [UInt8]) throws -> Plan {
        try JSONDecoder().decode(Plan.self, from: Data(bytes))
    }
}

import DBIAMCore
import DBIAMEngine
import FoundationEssentials
import Glibc

/// The plan as saved for `dbiam apply`: `{"checksum": …, "manifest": …, "plan": …}`. The
/// checksum catches a careless edit before any cluster is contacted; apply does not
/// trust the plan for more than that: it plans again and compares. `manifest` repeats the
/// plan's own reference to its manifest at the head of the file, where `dbiam plan` reads
/// whose folder it is without reading a plan of thousands of statements.
struct SavedPlan: Decodable {
    var checksum: String
    var manifest: String
    var plan: Plan

    /// A plan's JSON as `PlanJSONRenderer` writes it, and its checksum: made together,
    /// once, on a core of their own while `dbiam plan` makes the SQL files and the
    /// printed plan (the JSON of 10,000 new users is 10 MB).
    struct Encoded: Sendable {
        let json: String
        let checksum: String

        init(_ plan: Plan) {
            json = PlanJSONRenderer.render(plan)
            checksum = Digest.sha256(json)
        }
    }

    /// The file around the plan's JSON, in parts in the order they are written: a plan of
    /// megabytes is not joined into one more copy.
    static func parts(_ encoded: Encoded, manifest: String) -> [String] {
        [head(checksum: encoded.checksum, manifest: manifest), encoded.json, suffix]
    }

    private static func head(checksum: String, manifest: String) -> String {
        "{\n\"checksum\": \"\(checksum)\",\n\(manifestKey)\(JSONText.string(manifest).rendered().dropLast()),\n\"plan\": "
    }

    private static let manifestKey = "\"manifest\": "
    private static let suffix = "}\n"

    /// Whether the file at `path` is a saved plan rather than a manifest: a plan is a
    /// JSON object, and no manifest starts with `{`; a missing `.json` file is taken for
    /// a plan, to say that there is no plan there.
    static func isPlan(_ path: String) -> Bool {
        guard let head = firstBytes(ofFileAt: path, count: 64) else { return path.hasSuffix(".json") }
        return head.first { !$0.isWhitespace } == UInt8(ascii: "{")
    }

    /// The manifest of the plan saved at `path`, as the plan names it (relative to the
    /// plan's folder), read from the head of the file; nil when there is none.
    static func manifestReference(ofPlanAt path: String) -> String? {
        guard let bytes = firstBytes(ofFileAt: path, count: 65_536) else { return nil }
        let head = String(decoding: bytes, as: UTF8.self)
        guard let line = head.split(separator: "\n").dropFirst(2).first, line.hasPrefix(manifestKey), line.hasSuffix(",") else { return nil }
        let value = Data(line.dropFirst(manifestKey.count).dropLast().utf8)
        return try? JSONDecoder().decode(String.self, from: value)
    }

    /// The first `count` bytes of the file at `path` (none when reading fails), nil when
    /// it cannot be opened.
    private static func firstBytes(ofFileAt path: String, count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return (try? FileDescriptors.read(descriptor, upTo: count)) ?? []
    }

    /// The plan's JSON exactly as `text` wrote it, or nil when the file is not laid out so.
    /// Checked on these bytes, the checksum needs no second encoding of the plan.
    private static func writtenPlanJSON(_ bytes: [UInt8], checksum: String, manifest: String) -> ArraySlice<UInt8>? {
        let head = Array(head(checksum: checksum, manifest: manifest).utf8)
        let tail = Array(suffix.utf8)
        guard bytes.count >= head.count + tail.count, bytes.starts(with: head), bytes.suffix(tail.count).elementsEqual(tail) else { return nil }
        return bytes[head.count..<(bytes.count - tail.count)]
    }

    /// Why a file is not a saved plan dbiam can use.
    enum Unusable: Error {
        case unreadable(path: String, problem: FileProblem)
        /// A plan of another format, by another dbiam.
        case otherFormat(path: String, version: Int)
        case notAPlan(path: String)
        /// Not what dbiam wrote: `how` says what gave it away.
        case changed(path: String, how: String)

        /// What is wrong and what to do, for `dbiam command`, which reads plans to apply or
        /// to show them.
        func message(command: String) -> String {
            switch self {
            case .unreadable(let path, .missing):
                "there is no saved plan at \(path); run dbiam plan MANIFEST first."
            case .unreadable(let path, .directory):
                "\(path) is a folder; give dbiam \(command) the plan in it (dbiam \(command) \(FilePaths.shellWord(FilePaths.appending("plan.json", to: path))))."
            case .unreadable(let path, let problem):
                "cannot read the plan \(path): \(problem); check its permissions."
            case .otherFormat(let path, let version):
                "\(path) holds a plan of format \(version), which this dbiam does not \(command); run dbiam plan again."
            case .notAPlan(let path):
                "\(path) is not a plan saved by dbiam plan; give dbiam \(command) a plan file that dbiam plan wrote\(command == "apply" ? ", or a manifest" : "")."
            case .changed(let path, let how):
                "\(path) was changed after dbiam plan wrote it (\(how)); run dbiam plan again rather than editing the plan."
            }
        }
    }

    /// Reads a saved plan and checks that it is, byte for byte, what dbiam writes for the
    /// plan it holds (its checksum, and every field and space).
    static func load(_ path: String) throws(Unusable) -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, problem: FileProblem.reading(path) ?? .unreadable("reading it failed"))
        }
        let saved: SavedPlan
        do {
            saved = try JSONDecoder().decode(SavedPlan.self, from: data)
        } catch {
            if let version = try? JSONDecoder().decode(FormatProbe.self, from: data).version, version != Plan.formatVersion {
                throw .otherFormat(path: path, version: version)
            }
            throw .notAPlan(path: path)
        }
        let bytes = [UInt8](data)
        guard let planJSON = writtenPlanJSON(bytes, checksum: saved.checksum, manifest: saved.manifest), Digest.sha256(planJSON) == saved.checksum else {
            throw .changed(path: path, how: "its checksum does not match")
        }
        guard saved.manifest == saved.plan.manifest, PlanJSONRenderer.render(saved.plan).utf8.elementsEqual(planJSON) else {
            throw .changed(path: path, how: "it is not laid out as dbiam writes the plan it holds")
        }
        return saved.plan
    }

    /// Just the format of a plan that does not decode: one of another dbiam says so.
    private struct FormatProbe: Decodable {
        var version: Int?

        private enum Keys: String, CodingKey { case plan, formatVersion = "format_version", formatVersionOne = "formatVersion" }

        init(from decoder: any Decoder) throws {
            let plan = try decoder.container(keyedBy: Keys.self).nestedContainer(keyedBy: Keys.self, forKey: .plan)
            version = try plan.decodeIfPresent(Int.self, forKey: .formatVersion) ?? plan.decodeIfPresent(Int.self, forKey: .formatVersionOne)
        }
    }
}

private extension UInt8 {
    var isWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

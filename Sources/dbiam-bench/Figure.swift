import Foundation

/// One line of the table: a dbiam figure, its reference measured in the same run,
/// and the target the product must meet.
struct Figure: Codable, Sendable {
    enum Unit: String, Codable, Sendable {
        case seconds = "s"
        case megabytesPerSecond = "MB/s"
        case megabytes = "MB"
        case roundTrips = "round trips"
    }

    /// What the product must reach: dbiam / reference at most `maxRatio`, and the
    /// dbiam figure itself at most `maxValue`, when given.
    struct Target: Codable, Sendable {
        var maxRatio: Double?
        var maxValue: Double?

        static func ratio(_ ratio: Double) -> Target { Target(maxRatio: ratio, maxValue: nil) }

        func met(value: Double, ratio: Double?) -> Bool {
            if let maxValue, value > maxValue { return false }
            if let maxRatio {
                guard let ratio, ratio <= maxRatio else { return false }
            }
            return true
        }
    }

    var name: String
    /// The program or method the dbiam figure is compared with.
    var reference: String
    var unit: Unit
    var dbiamValue: Double
    var referenceValue: Double?
    /// dbiam / reference: below 1, dbiam takes less (time, memory) or has less.
    var ratio: Double?
    var target: Target?
    var met: Bool?
    /// How the figures were taken, e.g. "median of 5 runs".
    var method: String
    /// A closer look at the figure above it (indented in the table).
    var detail: Bool

    init(
        _ name: String, reference: String, unit: Unit, dbiam: Double, reference referenceValue: Double?, target: Target? = nil,
        method: String, detail: Bool = false
    ) {
        self.name = name
        self.reference = reference
        self.unit = unit
        self.dbiamValue = dbiam
        self.referenceValue = referenceValue
        self.ratio = referenceValue.flatMap { $0 > 0 ? dbiam / $0 : nil }
        self.target = target
        self.met = target?.met(value: dbiam, ratio: ratio)
        self.method = method
        self.detail = detail
    }
}

/// The machine a run was made on, for the README and the JSON.
struct Machine: Codable, Sendable {
    var processors: Int
    var cpuModel: String
    var memoryGiB: Double
    var serverVersion: String
    var operatingSystem: String
    /// Accounts on the server that the bench did not make (tests, the demo).
    var otherAccounts: Int

    static func describe(serverVersion: String, otherAccounts: Int) -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let release = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let system = release.split(separator: "\n").first { $0.hasPrefix("PRETTY_NAME=") }
            .map { $0.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "Linux"
        return Machine(
            processors: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model,
            memoryGiB: (Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824 * 10).rounded() / 10,
            serverVersion: serverVersion, operatingSystem: system, otherAccounts: otherAccounts)
    }

    var summary: String {
        "\(processors) cores (\(cpuModel)), \(memoryGiB) GiB, \(operatingSystem), MariaDB \(serverVersion)"
            + (otherAccounts > 0 ? ", \(otherAccounts.grouped) other accounts on the server" : "")
    }
}

/// What `make bench` writes to `.local/bench/results.json`.
struct BenchReport: Codable, Sendable {
    var startedAt: String
    var wallSeconds: Double
    var machine: Machine
    var figures: [Figure]

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

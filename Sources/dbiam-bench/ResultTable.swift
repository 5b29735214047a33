import Foundation

/// The one table `make bench` prints: figure | dbiam | reference | ratio | target | met.
enum ResultTable {
    static func render(_ figures: [Figure]) -> String {
        let header = ["figure", "dbiam", "reference", "ratio", "target", "met"]
        let rows = figures.map { figure in
            [
                (figure.detail ? "  " : "") + figure.name,
                value(figure.dbiamValue, figure.unit),
                figure.referenceValue.map { value($0, figure.unit) } ?? "-",
                figure.ratio.map(ratio) ?? "-",
                figure.target.map { target($0, unit: figure.unit) } ?? "-",
                figure.met.map { $0 ? "yes" : "NO" } ?? "-",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // The figure's name reads left to right; numbers line up on the right.
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ").replacing(/\s+$/, with: "")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func value(_ value: Double, _ unit: Figure.Unit) -> String {
        switch unit {
        case .seconds:
            if value < 0.01 { return String(format: "%.1f ms", value * 1000) }
            return String(format: value < 1 ? "%.3f s" : value < 10 ? "%.2f s" : value < 100 ? "%.1f s" : "%.0f s", value)
        case .megabytesPerSecond: return String(format: "%.1f MB/s", value)
        case .megabytes: return String(format: "%.1f MB", value)
        case .roundTrips: return String(format: "%.0f", value)
        }
    }

    static func ratio(_ ratio: Double) -> String {
        String(format: ratio < 0.1 ? "%.4f×" : "%.2f×", ratio)
    }

    static func target(_ target: Figure.Target, unit: Figure.Unit) -> String {
        var parts: [String] = []
        if let maxRatio = target.maxRatio { parts.append("≤ " + ratio(maxRatio)) }
        if let maxValue = target.maxValue { parts.append("≤ " + value(maxValue, unit)) }
        return parts.joined(separator: ", ")
    }
}

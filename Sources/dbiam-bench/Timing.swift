/// Timing helpers. Every figure is the median of its runs: the middle run is neither
/// the lucky one nor the one another process on this shared machine slowed down.
enum Timing {
    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "a median of no runs")
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

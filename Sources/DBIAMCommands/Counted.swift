extension Int {
    /// `1 cluster`, `2 clusters`, `0 clusters`: the count with its noun in the number it
    /// takes (`plural` when adding an s is wrong).
    func counted(_ singular: String, plural: String? = nil) -> String {
        "\(self) \(self == 1 ? singular : plural ?? singular + "s")"
    }
}

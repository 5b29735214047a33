/// What reading a manifest gives: the manifest when it is valid, and every problem found.
public struct ManifestLoadResult: Sendable {
    public var manifest: Manifest?
    /// In file order.
    public var diagnostics: [Diagnostic]

    public var hasErrors: Bool { diagnostics.hasErrors }
}

public enum ManifestLoader {
    /// Parses and validates the bytes of a manifest file. It never throws: problems are
    /// diagnostics, and `manifest` is nil when there is an error.
    ///
    /// `clustersAreValid` is called with the clusters as soon as they are decoded, when
    /// the file parses and nothing up to the clusters has an error. Users and permission
    /// sets, most of a large manifest, are decoded after it, so a caller can start
    /// connecting in the meantime; the manifest may still turn out to have errors.
    public static func load(_ bytes: [UInt8], clustersAreValid: ([Cluster]) -> Void = { _ in }) -> ManifestLoadResult {
        let parsed = YAMLLite.parse(bytes)
        if !parsed.diagnostics.isEmpty {
            return ManifestLoadResult(manifest: nil, diagnostics: parsed.diagnostics)
        }
        guard let root = parsed.root else {
            return ManifestLoadResult(
                manifest: nil,
                diagnostics: [.error("the manifest is empty; start it with `version: 1`.", at: SourcePosition(line: 1, column: 1))])
        }
        var decoder = ManifestDecoder()
        let (manifest, diagnostics) = decoder.decode(root, clustersAreValid: clustersAreValid)
        return ManifestLoadResult(manifest: manifest, diagnostics: diagnostics)
    }
}

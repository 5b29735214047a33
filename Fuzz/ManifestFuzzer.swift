// libFuzzer entry point for the YAML-lite parser and the manifest validator, compiled
// together with the DBIAMCore sources by scripts/fuzz (`make fuzz`). Besides "no crash,
// no hang", it checks what every caller relies on.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let result = ManifestLoader.load(bytes)
    let positions = result.diagnostics.map(\.position)
    precondition(positions == positions.sorted(), "diagnostics are not in file order")
    precondition(positions.allSatisfy { $0.line >= 1 && $0.column >= 1 }, "a diagnostic points before the start of the file")
    precondition((result.manifest == nil) == result.hasErrors, "a manifest came back with errors, or none without")
    if let manifest = result.manifest {
        // What plan and policy do next with a valid manifest must not fail either.
        for document in PolicyDocument.documents(for: manifest) { _ = document.text }
        let planner = Planner(manifest: manifest)
        for cluster in manifest.clusters {
            let (actions, _) = planner.plan(cluster, live: .empty)
            _ = CombinedStatement.combine(actions.map(\.statement))
        }
    }
    return 0
}

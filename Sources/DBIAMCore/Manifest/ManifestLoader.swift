import Dispatch

/// What reading a manifest gives: the manifest when it is valid, and every problem found.
public struct ManifestLoadResult: Sendable {
    public var manifest: Manifest?
    /// In file order.
    public var diagnostics: [Diagnostic]
    /// The YAML trees the manifest was read from, when the caller asked to keep them
    /// (`keepingTree`).
    public var tree: KeptTree?

    /// Trees kept only so that they are not freed: there is nothing to read in them.
    public struct KeptTree: Sendable {
        fileprivate let nodes: [YAMLNode]
    }

    public var hasErrors: Bool { diagnostics.hasErrors }
}

public enum ManifestLoader {
    /// Parses and validates the bytes of a manifest file. It never throws: problems are
    /// diagnostics, and `manifest` is nil when there is an error.
    ///
    /// `clustersAreValid` is called once with the clusters as soon as they are decoded,
    /// when nothing up to the clusters has an error. When the clusters come before the
    /// users, that is before the rest of the file is even parsed. Users and permission
    /// sets, most of a large manifest, are read after it, so a caller can start
    /// connecting (and only reading) in the meantime; the manifest may still turn out to
    /// have errors, syntax errors after the clusters included.
    ///
    /// `inParallel`: decode a large file's users on every core. A caller that starts
    /// reading clusters from `clustersAreValid` passes false: the reads need a core to
    /// start on (and a server on the same machine, as in the bench, its own), more than
    /// the users need a second one.
    ///
    /// `sharedWith`: when not `inParallel`, a large file's users are decoded one part after
    /// another on the caller's thread, and on one more thread too once it calls
    /// `SharedParts.help()` (the reads, when they are done).
    ///
    /// `keepingTree`: hand the YAML trees back in the result rather than free them.
    /// Freeing the trees of a large file, node by node, takes milliseconds (15 ms of work
    /// for 10,000 users); a process that ends right after its work need not spend them.
    /// Otherwise the users' parts are freed as they are decoded, and a tree of the whole
    /// file on another thread.
    public static func load(
        _ bytes: [UInt8], inParallel: Bool = true, sharedWith helper: SharedParts? = nil, keepingTree: Bool = false,
        clustersAreValid: (([Cluster]) -> Void)? = nil
    ) -> ManifestLoadResult {
        // The clusters first, from the lines before the section that follows them, so a
        // caller connects while the rest of a large file (its users) is still being read;
        // without such a caller, they are read once, with the rest.
        var toldEarly = false
        if let clustersAreValid, let prefix = clustersPrefix(bytes), let root = YAMLLite.parse(Array(bytes[..<prefix])).root {
            var decoder = ManifestDecoder()
            _ = decoder.decode(root) { clusters in
                clustersAreValid(clusters)
                toldEarly = true
            }
        }
        let tellOnce: ([Cluster]) -> Void = { clusters in
            if !toldEarly { clustersAreValid?(clusters) }
            toldEarly = true
        }
        let split = YAMLLite.split(bytes)
        if let split,
            let loaded = loadUsersInParts(bytes, split: split, inParallel: inParallel, sharedWith: helper, keepingTrees: keepingTree, clustersAreValid: tellOnce)
        {
            return ManifestLoadResult(manifest: loaded.manifest, diagnostics: loaded.diagnostics, tree: keepingTree ? ManifestLoadResult.KeptTree(nodes: loaded.trees) : nil)
        }
        let parsed = YAMLLite.parse(bytes, split: inParallel ? split : nil)
        if !parsed.diagnostics.isEmpty {
            return ManifestLoadResult(manifest: nil, diagnostics: parsed.diagnostics)
        }
        guard let root = parsed.root else {
            return ManifestLoadResult(
                manifest: nil,
                diagnostics: [.error("the manifest is empty; start it with `version: 1`.", at: SourcePosition(line: 1, column: 1))])
        }
        var decoder = ManifestDecoder()
        decoder.decodesInParallel = inParallel
        let (manifest, diagnostics) = decoder.decode(root, clustersAreValid: tellOnce)
        if keepingTree {
            return ManifestLoadResult(manifest: manifest, diagnostics: diagnostics, tree: ManifestLoadResult.KeptTree(nodes: [root]))
        }
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(parsed) {} }
        return ManifestLoadResult(manifest: manifest, diagnostics: diagnostics)
    }

    /// A large manifest whose users are most of it, read without the tree of the whole:
    /// each part of the users is read and decoded (on a core of its own when `inParallel`)
    /// and its tree let go, which saves the memory of that tree (about 9 MB for 10,000
    /// users) and merging it on one core; `keepingTrees` hands the parts' trees back
    /// instead (see `load`). Nil when the file must be read whole, as any doubt about reading
    /// in parts makes it (`YAMLPartedParse`, `ManifestDecoder.decode(_:userParts:clustersAreValid:)`).
    static func loadUsersInParts(
        _ bytes: [UInt8], split: YAMLLite.Split, inParallel: Bool, sharedWith helper: SharedParts? = nil, keepingTrees: Bool = false,
        clustersAreValid: ([Cluster]) -> Void
    ) -> (manifest: Manifest?, diagnostics: [Diagnostic], trees: [YAMLNode])? {
        let (parted, start) = split
        guard parted.key == "users", let rest = parted.rest(bytes, from: start) else { return nil }
        var decoder = ManifestDecoder()
        decoder.decodesInParallel = inParallel
        decoder.keepsUserParts = keepingTrees
        decoder.sharedParts = helper
        let parts = ManifestDecoder.UserParts(count: parted.partCount) { parted.part($0, in: bytes) }
        guard let (manifest, diagnostics) = decoder.decode(.mapping(rest), userParts: parts, clustersAreValid: clustersAreValid) else { return nil }
        return (manifest, diagnostics, [.mapping(rest)] + decoder.keptUserParts.map(YAMLNode.mapping))
    }

    /// Where the top-level key after `clusters:` begins, when the users and the other
    /// large sections all come after the clusters; nil otherwise (then the whole file is
    /// read first). A top-level key is a line that starts with a letter.
    static func clustersPrefix(_ bytes: [UInt8]) -> Int? {
        var lineStart = 0
        var seenClusters = false
        while lineStart < bytes.count {
            let first = bytes[lineStart]
            if (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")) {
                if seenClusters { return lineStart }
                let line = bytes[lineStart...]
                if ["users:", "roles:", "permission_sets:"].contains(where: { line.starts(with: $0.utf8) }) { return nil }
                seenClusters = line.starts(with: "clusters:".utf8)
            }
            guard let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            lineStart = newline + 1
        }
        return nil
    }
}

public struct YAMLParseResult: Sendable {
    /// Nil for a document with no content (only comments and blank lines), or when there
    /// are diagnostics. A document of only `---` holds an empty scalar, as in YAML.
    public var root: YAMLNode?
    /// Errors, in file order.
    public var diagnostics: [Diagnostic]

    public init(root: YAMLNode?, diagnostics: [Diagnostic]) {
        self.root = root
        self.diagnostics = diagnostics
    }
}

/// The manifest format: a strict subset of YAML 1.2 that reads every document exactly as a
/// YAML parser reading all scalars as text would (PyYAML's `BaseLoader`), and rejects, with a
/// message naming the feature and its place, whatever falls outside the subset.
public enum YAMLLite {
    /// Deeper nesting is rejected: trees this deep are no manifest, and the tree's own
    /// recursive operations (comparison, destruction) must stay well within the stack.
    public static let maximumNestingDepth = 256

    /// Beyond this many problems the rest are left out; they are most likely one cause
    /// (a file that is not YAML at all) seen many times.
    public static let maximumReportedProblems = 100

    /// `inParallel`: read a large document's largest top-level mapping on every core
    /// (`YAMLPartedParse`); the result is the same.
    public static func parse(_ bytes: [UInt8], inParallel: Bool = false) -> YAMLParseResult {
        parse(bytes, split: inParallel ? split(bytes) : nil)
    }

    /// `parse`, reading in parts when `split` is the document's split (`split(bytes)`),
    /// for a caller that has it already.
    static func parse(_ bytes: [UInt8], split: Split?) -> YAMLParseResult {
        if let split, let root = split.parted.parse(bytes, from: split.start) {
            return YAMLParseResult(root: root, diagnostics: [])
        }
        let start = documentStart(bytes)
        let characterCheck = YAMLCharacterCheck(bytes, from: start)
        let (root, parseDiagnostics) = YAMLTreeBuilder.build(bytes, from: start, stoppingAt: characterCheck.firstRejectedOffset)
        let diagnostics = inFileOrder(characterCheck.diagnostics + parseDiagnostics)
        return YAMLParseResult(root: diagnostics.isEmpty ? root : nil, diagnostics: diagnostics)
    }

    /// More parts than most machines have cores, so that a core that finishes early takes another.
    private static let parallelParts = 8

    /// A large document split for reading its largest top-level mapping in parts.
    typealias Split = (parted: YAMLPartedParse, start: Int)

    /// The split of a large document, for `parse` or for a caller that handles each part
    /// as it is read rather than the whole tree; nil when the document must be read whole
    /// (`parse` then says why, if anything is wrong).
    static func split(_ bytes: [UInt8]) -> Split? {
        let start = documentStart(bytes)
        guard bytes.count >= splitAndCheckedAtOnce else {
            // Most files are too small to split: they are not checked twice.
            guard let parted = YAMLPartedParse(bytes, from: start, parts: parallelParts), YAMLCharacterCheck(bytes, from: start).diagnostics.isEmpty else { return nil }
            return (parted, start)
        }
        // A large file is split and its characters checked at once, on two cores: both
        // read every byte, before anything else can start.
        let found = Parallel.map(2) { task -> (parted: YAMLPartedParse?, clean: Bool) in
            task == 0 ? (YAMLPartedParse(bytes, from: start, parts: parallelParts), true) : (nil, YAMLCharacterCheck(bytes, from: start).diagnostics.isEmpty)
        }
        guard let parted = found[0].parted, found[1].clean else { return nil }
        return (parted, start)
    }

    /// From this size (a mapping of `YAMLPartedParse.minimumLines` lines or more is
    /// several times larger), `split` checks the characters while it splits.
    private static let splitAndCheckedAtOnce = 1 << 16

    /// After the byte order mark, if there is one.
    private static func documentStart(_ bytes: [UInt8]) -> Int {
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        return bytes.starts(with: byteOrderMark) ? byteOrderMark.count : 0
    }

    public static func parse(_ text: String) -> YAMLParseResult {
        parse(Array(text.utf8))
    }

    private static func inFileOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let sorted = diagnostics.sortedByPosition()
        guard sorted.count > maximumReportedProblems else { return sorted }
        let omission = Diagnostic.error(
            YAMLLiteProblem.tooManyProblems(shown: maximumReportedProblems).message,
            at: sorted[maximumReportedProblems].position
        )
        return sorted.prefix(maximumReportedProblems) + [omission]
    }
}

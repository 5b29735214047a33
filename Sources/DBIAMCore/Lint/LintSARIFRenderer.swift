/// `dbiam validate --format sarif`: a SARIF 2.1.0 log with one run, which code-review
/// systems (GitHub code scanning, Azure DevOps, GitLab) show inline on the manifest.
public struct LintSARIFRenderer: Sendable {
    public var toolVersion: String
    /// The tool's home page, when it has a public one; SARIF makes it optional.
    public var informationURI: String?
    public var rules: [LintRuleDescriptor]

    public init(toolVersion: String, informationURI: String? = nil, rules: [LintRuleDescriptor] = LintRegistry.descriptors) {
        self.toolVersion = toolVersion
        self.informationURI = informationURI
        self.rules = rules
    }

    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public func render(_ files: [LintedFile]) -> String {
        let ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var driverMembers: [(String, JSONText)] = [("name", .string("dbiam")), ("version", .string(toolVersion))]
        if let informationURI { driverMembers.append(("informationUri", .string(informationURI))) }
        driverMembers.append(("rules", .array(rules.map(Self.reportingDescriptor))))
        let driver: JSONText = .object(driverMembers)
        let results = files.flatMap { file in
            file.findings.map { Self.result($0, file: file.path, ruleIndex: ruleIndex) }
        }
        let run: JSONText = .object([
            ("tool", .object([("driver", driver)])),
            // SourcePosition counts Unicode scalars, which SARIF calls code points.
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(results)),
        ])
        return JSONText.object([
            ("$schema", .string(Self.schemaURI)),
            ("version", .string("2.1.0")),
            ("runs", .array([run])),
        ]).rendered()
    }

    private static func reportingDescriptor(_ rule: LintRuleDescriptor) -> JSONText {
        .object([
            ("id", .string(rule.id)),
            ("name", .string(rule.name)),
            ("shortDescription", .object([("text", .string(rule.summary))])),
            // The help's first paragraph says why the rule matters; the rest, what to do.
            ("fullDescription", .object([("text", .string(rule.help.components(separatedBy: "\n\n")[0]))])),
            // The help texts use Markdown's backquotes for code, and read well as plain text.
            ("help", .object([("text", .string(rule.help)), ("markdown", .string(rule.help))])),
            ("defaultConfiguration", .object([("level", .string(rule.severity.rawValue))])),
        ])
    }

    private static func result(_ finding: Diagnostic, file: String, ruleIndex: [String: Int]) -> JSONText {
        var members: [(String, JSONText)] = []
        if let id = finding.ruleID {
            members.append(("ruleId", .string(id)))
            if let index = ruleIndex[id] { members.append(("ruleIndex", .number(index))) }
        }
        var location: [(String, JSONText)] = [("artifactLocation", .object([("uri", .string(uri(forPath: file)))]))]
        // A finding about the whole file (one that could not be read) is a result on the
        // file without a region: SARIF's lines start at 1.
        if finding.position != .wholeFile {
            location.append(("region", .object([
                ("startLine", .number(finding.position.line)),
                ("startColumn", .number(finding.position.column)),
            ])))
        }
        members += [
            ("level", .string(finding.severity.rawValue)),
            ("message", .object([("text", .string(finding.message))])),
            ("locations", .array([.object([("physicalLocation", .object(location))])])),
        ]
        return .object(members)
    }

    /// The path as a URI reference: relative paths stay relative (code-review systems
    /// resolve them against the repository root), absolute ones become `file://` URIs,
    /// and bytes outside RFC 3986's path characters are percent-encoded (`:` too, which
    /// would make `a:b.yaml` read as a URI with scheme `a`).
    static func uri(forPath path: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@/".utf8)
        var encoded = ""
        for byte in path.utf8 {
            if allowed.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}

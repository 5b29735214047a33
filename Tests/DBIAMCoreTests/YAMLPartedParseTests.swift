@testable import DBIAMCore
import Testing

/// Reading a large mapping in parts gives the tree and the diagnostics of reading the
/// document whole, whatever stands where a part begins; anything that would read
/// differently in parts falls back to reading whole.
@Suite struct YAMLPartedParseTests {
    /// A manifest-shaped document: `users` of `count` entries between other sections, with
    /// `variation` lines (comments, blank lines, quoted keys, flow and block values, an
    /// empty value) sprinkled through it.
    static func document(users count: Int, lineBreak: String = "\n", usersLast: Bool = false, edit: (inout [String]) -> Void = { _ in }) -> [UInt8] {
        var lines = ["# generated", "version: 1", "clusters:", "  a:", "    engine: mariadb", "", "roles:"]
        var users = ["users:   # the people"]
        for index in 0..<count {
            switch index % 7 {
            case 0: users += ["  user_\(index):", "    clusters: [a]", "    grants:", "      - on: db_\(index).*", "        privileges: [SELECT, 'SHOW VIEW']"]
            case 1: users += ["  \"quoted \(index)\":", "    clusters:", "      - a", "# a comment at column 1", "    hosts: ['10.0.%']"]
            case 2: users += ["  user_\(index): [a, b]", "", "    "]
            case 3: users += ["  user_\(index):"]  // an empty value, perhaps the last of a part
            case 4: users += ["  user_\(index):   # trailing", "      clusters: [\"a\"]", "      require_ssl: false"]
            case 5: users += ["  'single \(index)':", "    clusters: [a, b, c]  # flow", "    grants: []"]
            default: users += ["  user_\(index):", "    clusters:", "    - a", "    grants:", "    - on: '*.*'", "      privileges: [PROCESS]"]
            }
        }
        let permissionSets = ["permission_sets:", "  team:", "    users: [user_0]"]
        lines += usersLast ? permissionSets + users : users + permissionSets
        edit(&lines)
        return [UInt8](lines.joined(separator: lineBreak).utf8) + [UInt8](lineBreak.utf8)
    }

    static func expectSameAsWhole(_ bytes: [UInt8], partsUsed: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = YAMLLite.parse(bytes)
        let parted = YAMLLite.parse(bytes, inParallel: true)
        #expect(parted.root == whole.root, sourceLocation: sourceLocation)
        #expect(parted.diagnostics == whole.diagnostics, sourceLocation: sourceLocation)
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let tree = YAMLPartedParse(bytes, from: start, parts: 8)?.parse(bytes, from: start)
        #expect((tree != nil) == partsUsed, "read in parts: \(tree != nil)", sourceLocation: sourceLocation)
        if let tree { #expect(tree == whole.root, sourceLocation: sourceLocation) }
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func aLargeMappingReadInPartsIsTheWholeTree(lineBreak: String) {
        let bytes = Self.document(users: 2000, lineBreak: lineBreak)
        #expect(YAMLLite.parse(bytes).diagnostics == [])
        Self.expectSameAsWhole(bytes, partsUsed: true)
    }

    @Test func theMappingMayBeLastAndTheFileMayStartWithAByteOrderMark() {
        Self.expectSameAsWhole(Self.document(users: 2000, usersLast: true), partsUsed: true)
        Self.expectSameAsWhole([0xEF, 0xBB, 0xBF] + Self.document(users: 2000), partsUsed: true)
    }

    @Test func everyPlaceAPartCanBeginReadsTheSame() {
        // Parts begin near fixed fractions of the mapping; shifting the users under them
        // line by line puts each kind of entry, the empty value included, at a part's end.
        for shift in 0..<7 {
            let bytes = Self.document(users: 1500 + shift)
            Self.expectSameAsWhole(bytes, partsUsed: true)
        }
    }

    @Test func aSmallMappingIsReadWhole() {
        Self.expectSameAsWhole(Self.document(users: 100), partsUsed: false)
    }

    @Test func aKeyInTwoPartsIsReportedAsReadingWholeReportsIt() {
        let bytes = Self.document(users: 2000) { lines in
            let last = lines.lastIndex { $0.hasPrefix("  user_1995:") }!
            lines[last] = "  user_0:"
        }
        let whole = YAMLLite.parse(bytes)
        #expect(whole.diagnostics.map(\.message).contains { $0.contains("duplicate key 'user_0'") })
        Self.expectSameAsWhole(bytes, partsUsed: false)
    }

    @Test func aFlowSequenceAcrossLinesThatLookLikeEntriesFallsBackToReadingWhole() {
        // Every other line indented as an entry ends a flow sequence (which YAML-lite
        // rejects): some part begins at one, and the problem is reported where it is.
        var text = "users:\n"
        for index in 0..<3000 { text += "  user_\(index):\n    clusters: [a,\n  b]\n" }
        let bytes = Array(text.utf8)
        #expect(!YAMLLite.parse(bytes).diagnostics.isEmpty)
        Self.expectSameAsWhole(bytes, partsUsed: false)
    }

    @Test(arguments: [
        "\tuser_tab: x",  // a tab where the indentation is
        "  user_bad: [unclosed",
        " user_shallow: x",  // less indented than the entries
        "  - item",  // a sequence item among the entries
        "  user_block: |",  // a block scalar
        "  *alias: x",
    ])
    func aProblemInThePartsIsReportedAsReadingWholeReportsIt(line: String) {
        let bytes = Self.document(users: 2000) { lines in lines.insert(line, at: lines.count * 2 / 3) }
        #expect(!YAMLLite.parse(bytes).diagnostics.isEmpty)
        Self.expectSameAsWhole(bytes, partsUsed: false)
    }

    /// A large file is split while its characters are checked, on two cores: a character
    /// no YAML reader accepts, deep in the users, still makes it read whole and report.
    @Test(arguments: [[0x01], [0xFF], Array("\u{2028}".utf8), [0xEF, 0xBB, 0xBF], [0xC3]] as [[UInt8]])
    func aRejectedCharacterInALargeFileIsReportedAsReadingWholeReportsIt(character: [UInt8]) throws {
        let marked = Self.document(users: 2000) { lines in lines.insert("  user_marked: before MARK after", at: lines.count * 2 / 3) }
        let mark = try #require(marked.indices.first { marked[$0...].starts(with: Array("MARK".utf8)) })
        let bytes = Array(marked[..<mark]) + character + Array(marked[(mark + 4)...])
        #expect(bytes.count >= 1 << 16, "large enough to be split and checked at once")
        #expect(YAMLLite.split(bytes) == nil)
        let whole = YAMLLite.parse(bytes)
        #expect(whole.diagnostics.count == 1)
        #expect(whole.diagnostics.first?.position.line == Self.line(of: mark, in: bytes))
        #expect(YAMLLite.parse(bytes, inParallel: true).diagnostics == whole.diagnostics)
    }

    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].count { $0 == UInt8(ascii: "\n") } + 1
    }

    @Test func aProblemOutsideTheMappingIsReportedAsReadingWholeReportsIt() {
        let bytes = Self.document(users: 2000) { lines in lines[1] = "version: [1" }
        Self.expectSameAsWhole(bytes, partsUsed: false)
    }

    @Test func aManifestLoadsTheSameEitherWay() {
        var text = "version: 1\nclusters:\n  a:\n    account: \"012345678901\"\n    region: us-east-1\n    resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0\n"
        text += "    endpoint: a.cluster-abc.us-east-1.rds.amazonaws.com\n    engine: aurora-mysql-3\n    tls_ca: /etc/ca.pem\n"
        text += "    admin:\n      user: admin\n      password_env: ADMIN_PASSWORD\nusers:\n"
        for index in 0..<1500 {
            text += "  app_\(index):\n    clusters: [a]\n    grants:\n      - on: db\(index % 7).*\n        privileges: [SELECT]\n"
        }
        let parallel = ManifestLoader.load(Array(text.utf8), inParallel: true)
        let sequential = ManifestLoader.load(Array(text.utf8), inParallel: false)
        #expect(parallel.diagnostics == sequential.diagnostics)
        #expect(parallel.manifest == sequential.manifest)
        #expect(parallel.manifest?.users.count == 1500)
    }
}

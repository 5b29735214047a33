import Foundation
import Testing
@testable import DBIAMCore

struct PolicyDocumentTests {
    @Test func documentsMatchTheGoldenFiles() throws {
        let documents = PolicyDocument.documents(for: Manifests.valid())
        #expect(documents.map(\.permissionSet) == ["DBReadOnly", "DBOncall"])
        for document in documents {
            try Golden.check(document.text, "policies/\(document.permissionSet).json")
        }
    }

    /// The text is written straight into bytes, without the tree `json` builds: the two
    /// must never differ, with or without a condition, proxies, several clusters and
    /// partitions, and names that need escapes.
    @Test func textIsTheDocumentsJSONRendered() {
        let manifests = [
            Manifests.base,
            Manifests.replacing("    users: [oncall_dba]\n    clusters: [orders-prod]\n", with: "    users: [oncall_dba]\n"),
            Manifests.replacing("    users: [ssotest]\n", with: "    users: [ssotest]\n    proxies: [prx-0123456789abcdef0]\n"),
            Manifests.replacing("region: us-east-1", with: "region: cn-north-1"),
            Manifests.replacing("  ssotest:\n", with: "  \"sso*te?st$\":\n", in: Manifests.replacing("users: [ssotest]", with: "users: [\"sso*te?st$\"]")),
        ]
        for text in manifests {
            for document in PolicyDocument.documents(for: Manifests.valid(text)) {
                #expect(document.text == document.json.rendered(), "\(document.permissionSet)")
                #expect(document.size == PolicyLimits.Size(of: document.json.rendered()))
            }
        }
    }

    /// Byte order, which policies list their ARNs in, compared eight bytes at a time:
    /// checked against comparing the bytes one by one, around every word boundary.
    @Test func byteOrderIsTheOrderOfTheBytes() {
        let stems = ["", "a", "abcdefg", "abcdefgh", "abcdefghi", "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABC/"]
        var texts: [String] = []
        for stem in stems {
            for tail in ["", "a", "b", "ab", "ba", "é", "\u{7F}", "\u{80}", "zzzzzzzzz", "A"] { texts.append(stem + tail) }
        }
        for left in texts {
            for right in texts {
                #expect(UTF8Bytes.precede(left, right) == Array(left.utf8).lexicographicallyPrecedes(Array(right.utf8)), "\(left) < \(right)")
                #expect(UTF8Bytes.equal(left, right) == (Array(left.utf8) == Array(right.utf8)))
            }
        }
    }

    @Test func sameInputGivesTheSameBytes() {
        let first = PolicyDocument.documents(for: Manifests.valid()).map(\.text)
        let second = PolicyDocument.documents(for: Manifests.valid()).map(\.text)
        #expect(first == second)
    }

    @Test func resourcesCoverEveryClusterOfEachUserSorted() {
        let documents = PolicyDocument.documents(for: Manifests.valid(Manifests.replacing("    users: [oncall_dba]\n    clusters: [orders-prod]\n", with: "    users: [oncall_dba]\n")))
        let oncall = try! #require(documents.first { $0.permissionSet == "DBOncall" })
        #expect(oncall.resources == [
            "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/oncall_dba",
            "arn:aws:rds-db:us-east-1:012345678901:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/oncall_dba",
        ])
        #expect(oncall.organizationPath == nil)
        #expect(!oncall.text.contains("Condition"))
    }

    @Test func organizationPathAddsTheCondition() {
        let readOnly = PolicyDocument.documents(for: Manifests.valid())[0]
        #expect(readOnly.organizationPath == "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*")
        #expect(readOnly.text.contains("\"ForAnyValue:StringLike\": {\n"))
        #expect(readOnly.text.contains("\"aws:PrincipalOrgPaths\": [\n"))
    }

    @Test func partitionFollowsTheRegion() {
        #expect(Partition(region: "cn-north-1") == .awsChina)
        #expect(Partition(region: "cn-northwest-1") == .awsChina)
        #expect(Partition(region: "us-gov-west-1") == .awsGovCloud)
        #expect(Partition(region: "ap-northeast-1") == .aws)
        let manifest = Manifests.valid(Manifests.replacing("region: us-east-1", with: "region: cn-north-1"))
        #expect(manifest.clusters[1].connectARN(user: "u") == "arn:aws-cn:rds-db:cn-north-1:012345678901:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/u")
    }

    @Test func wildcardCharactersInUserNamesStayLiteral() {
        #expect(IAMPolicyText.literal("a*b?c$d") == "a${*}b${?}c${$}d")
        #expect(IAMPolicyText.literal("plain_user") == "plain_user")
    }

    @Test func documentsOverTheIAMLimitsAreErrorsNamingThePermissionSet() {
        let resources = (0..<400).map { "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/user_\($0)" }
        let big = PolicyDocument(permissionSet: "Huge", resources: resources, organizationPath: nil, position: SourcePosition(line: 9, column: 3))
        let problems = PolicyLimits.check(big)
        #expect(problems.map(\.severity) == [.error, .warning])
        #expect(problems[0].message.contains("permission set 'Huge'"))
        #expect(problems[0].message.contains("over the 32,768 and 10,240 IAM Identity Center allows for a permission set's inline policy"))
        #expect(problems[0].position == SourcePosition(line: 9, column: 3))

        let medium = PolicyDocument(permissionSet: "Medium", resources: Array(resources.prefix(80)), organizationPath: nil, position: SourcePosition(line: 1, column: 1))
        #expect(PolicyLimits.check(medium).map(\.severity) == [.warning])
        #expect(PolicyLimits.check(medium, asManagedPolicy: true).map(\.severity) == [.error])
        #expect(PolicyLimits.check(PolicyDocument.documents(for: Manifests.valid())[0]).isEmpty)
    }

    @Test func jsonStringsAreEscaped() {
        #expect(JSONText.string("a\"b\\c\nd\u{1}").rendered() == "\"a\\\"b\\\\c\\nd\\u0001\"\n")
        #expect(JSONText.object([]).rendered() == "{}\n")
    }

    /// A document of plain ASCII resources, the last one padded so that the document has
    /// exactly `nonWhitespace` characters other than white space.
    static func document(named name: String, nonWhitespace: Int) -> PolicyDocument {
        let resources = (0..<100).map { "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/user_\($0)" }
        let position = SourcePosition(line: 4, column: 3)
        let unpadded = PolicyDocument(permissionSet: name, resources: resources, organizationPath: nil, position: position)
        let padding = String(repeating: "x", count: nonWhitespace - unpadded.size.nonWhitespace)
        return PolicyDocument(permissionSet: name, resources: resources.dropLast() + [resources.last! + padding], organizationPath: nil, position: position)
    }

    @Test func permissionSetPoliciesAreLimitedTo10240CharactersOtherThanWhiteSpace() {
        let over = Self.document(named: "Wide", nonWhitespace: 10_241)
        #expect(over.size.nonWhitespace == 10_241)
        #expect(over.size.characters < PolicyLimits.permissionSetInline)
        #expect(over.size.isOverInline)
        let problems = PolicyLimits.check(over)
        #expect(problems.map(\.severity) == [.error, .warning])
        #expect(problems[0].message == "the policy of permission set 'Wide' has 10,241 characters other than white space, over the 10,240 IAM Identity Center allows for a permission set's inline policy; split its users over several permission sets or name fewer clusters.")
        #expect(problems[0].position == SourcePosition(line: 4, column: 3))
        #expect(PolicyExportTarget.permissionSet.problems(over).map(\.message) == [problems[0].message])

        let atTheLimit = Self.document(named: "Wide", nonWhitespace: 10_240)
        #expect(!atTheLimit.size.isOverInline)
        #expect(PolicyLimits.check(atTheLimit).map(\.severity) == [.warning])
        #expect(PolicyExportTarget.permissionSet.problems(atTheLimit).isEmpty)
    }

    /// The policy of a permission set for `user` on orders-prod.
    static func document(forUser user: String) -> PolicyDocument {
        let cluster = Manifests.valid().clusters[0]
        return PolicyDocument(permissionSet: "P", resources: [cluster.connectARN(user: user)], organizationPath: nil, position: SourcePosition(line: 1, column: 1))
    }

    @Test func charactersIAMRejectsAreWrittenAsUnicodeEscapes() throws {
        #expect(Self.document(forUser: "jos\u{E9}").text.contains("/jos\u{E9}\""))
        #expect(Self.document(forUser: "m\u{FC}ller").text.contains("/m\u{FC}ller\""))
        #expect(Self.document(forUser: "b\u{43E}b").text.contains("/b\\u043eb\""))
        #expect(Self.document(forUser: "fun\u{1F600}").text.contains("/fun\\ud83d\\ude00\""))
        #expect(JSONText.string("\u{7F}\u{80}\u{FF}\u{100}\u{2028}").rendered() == "\"\u{7F}\u{80}\u{FF}\\u0100\\u2028\"\n")

        for user in ["jos\u{E9}", "b\u{43E}b", "fun\u{1F600}", "\u{1F600}\"\\\u{1}\u{439}"] {
            let document = Self.document(forUser: user)
            #expect(document.text.unicodeScalars.allSatisfy { $0 == "\t" || $0 == "\n" || $0 == "\r" || (0x20...0xFF).contains($0.value) })
            let parsed = try JSONSerialization.jsonObject(with: Data(document.text.utf8)) as? [String: Any]
            let statement = (parsed?["Statement"] as? [[String: Any]])?.first
            #expect(statement?["Resource"] as? [String] == document.resources)
        }
    }

    @Test func sizesCountTheEscapes() {
        let ascii = Self.document(forUser: "bob")
        // U+043E is six characters, `\u043e`; U+1F600 twelve, a surrogate pair.
        let cyrillic = Self.document(forUser: "b\u{43E}b")
        #expect(cyrillic.size.characters == ascii.size.characters + 5)
        #expect(cyrillic.size.nonWhitespace == ascii.size.nonWhitespace + 5)
        let emoji = Self.document(forUser: "b\u{1F600}b")
        #expect(emoji.size.characters == ascii.size.characters + 11)
        #expect(emoji.size.nonWhitespace == ascii.size.nonWhitespace + 11)
        // Latin-1 is written as it is: one character each.
        #expect(Self.document(forUser: "b\u{E9}b").size == ascii.size)
    }
}

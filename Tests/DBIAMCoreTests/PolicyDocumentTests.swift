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
        #expect(problems[0].message.contains("32768"))
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
}

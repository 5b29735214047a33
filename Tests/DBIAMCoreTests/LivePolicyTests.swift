import Testing
@testable import DBIAMCore

/// Attached policies against what AWS holds: compared as JSON values, shown as a diff,
/// counted as changes, and saved and read back with the plan.
struct LivePolicyTests {
    let planned = PolicyDocument(
        permissionSet: "DBReadOnly", resources: ["arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABC/ssotest"],
        organizationPath: nil, position: SourcePosition(line: 1, column: 1)
    ).text

    @Test func theSameValueInAnotherLayoutIsTheSame() {
        let compact = #"{"Statement":[{"Resource":["arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABC/ssotest"],"Action":["rds-db:connect"],"Effect":"Allow","Sid":"DBIAMConnect"}],"Version":"2012-10-17"}"#
        #expect(LivePolicy(planned: planned, reading: .document(compact)) == .same)
        #expect(LivePolicy(planned: planned, reading: .document(planned)) == .same)
    }

    @Test func anotherDocumentDiffersAndShowsPrettyPrinted() {
        let other = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"*"}]}"#
        guard case .differs(let previous) = LivePolicy(planned: planned, reading: .document(other)) else {
            Issue.record("a wildcard policy is not the planned one")
            return
        }
        #expect(previous == "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"rds-db:connect\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n")
        let policy = PlannedPolicy(permissionSet: "DBReadOnly", text: planned, attachment: .identityCenter, live: .differs(previous: previous))
        let diff = policy.liveDiff ?? ""
        #expect(diff.contains("--- Identity Center permission set DBReadOnly (on AWS)"))
        #expect(diff.contains("-      \"Resource\": \"*\"") && diff.contains("+      \"Sid\": \"DBIAMConnect\""), "\(diff)")
    }

    @Test func textThatIsNotJSONIsComparedAsText() {
        #expect(LivePolicy(planned: planned, reading: .document("{not json")) == .differs(previous: "{not json"))
    }

    @Test func noPolicyAMissingTargetAndAFailure() {
        #expect(LivePolicy(planned: planned, reading: .document(nil)) == .absent)
        #expect(LivePolicy(planned: planned, reading: .missingTarget("no permission set DBReadOnly")) == .unreadable("no permission set DBReadOnly"))
        #expect(LivePolicy(planned: planned, reading: .failed("throttled")) == .unreadable("throttled"))
    }

    @Test(arguments: [
        (#"{"a": [1, -2, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"]}"#, true), ("[]", true), ("{}", true), ("  {\"a\" : {}}  ", true),
        ("{", false), ("[1,]", false), ("{\"a\" 1}", false), ("1.5", false), ("\"\\x\"", false), ("\"\u{1}\"", false), ("[] []", false),
        (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), false),
    ])
    func jsonIsReadStrictly(text: String, valid: Bool) {
        #expect((JSONText(parsing: text) != nil) == valid)
    }

    @Test func escapesAreDecoded() {
        #expect(JSONText(parsing: #""\u00e9\ud83d\ude00\n""#) == .string("é😀\n"))
    }

    /// A new or changed attached policy is a change for --detailed-exitcode; an unchanged
    /// one is not, and a policy file without attach never is.
    @Test func attachedPoliciesCountAndTravelWithThePlan() throws {
        let manifest = Manifests.valid(Manifests.replacing("    org_path: prod\n", with: "    org_path: prod\n    attach:\n      role: arn:aws:iam::123456789012:role/bastion\n"))
        let builder = Plans.builder(manifest)
        let readings: [String: ClusterReading] = ["orders-prod": .live(.empty)]
        let base = builder.build(readings: readings).summary
        let absent = builder.build(readings: readings, aws: AWSState(policies: ["DBReadOnly": .document(nil), "DBOncall": .document(nil)]))
        #expect(absent.policies.map(\.live) == [.absent, nil])
        #expect(absent.summary.toAdd == base.toAdd + 1)
        let text = try #require(absent.policies.first?.text)
        let same = builder.build(readings: readings, aws: AWSState(policies: ["DBReadOnly": .document(text)]))
        #expect(same.summary == base)
        let missing = builder.build(readings: readings, aws: AWSState(policies: ["DBReadOnly": .missingTarget("role bastion does not exist")]))
        #expect(missing.whyNotApplicable == "the policies of DBReadOnly could not be read (see the errors)")
        for plan in [absent, same, missing] {
            #expect(try PlanJSONRenderer.decode(Array(PlanJSONRenderer.render(plan).utf8)) == plan)
            #expect(builder.differenceFromManifest(plan) == nil)
        }
        let shown = PlanTextRenderer(color: false).render(absent, run: PlanRun(manifestPath: "m.yaml"))
        #expect(shown.contains("+ policy DBReadOnly  inline policy dbiam-DBReadOnly of role arn:aws:iam::123456789012:role/bastion\n    --- inline policy"), "\(shown)")
        #expect(PlanTextRenderer(color: false).render(same, run: PlanRun(manifestPath: "m.yaml")).contains("= policy DBReadOnly  inline policy dbiam-DBReadOnly of role arn:aws:iam::123456789012:role/bastion  (unchanged)"))
        #expect(PlanMarkdownRenderer.render(absent, run: PlanRun(manifestPath: "m.yaml")).contains("### Attached policies"))
    }
}

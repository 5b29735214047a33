import Testing
@testable import DBIAMCore

/// The manifest's AWS additions (aws.md): `aws:`, `aws_profile`, `attach`.
struct AWSManifestTests {
    static let awsSection = """
        aws:
          profile: org-admin
          identity_center:
            instance_arn: arn:aws:sso:::instance/ssoins-1234567890abcdef
            region: us-east-1

        """

    func withAWS(_ section: String = awsSection, attach: String = "    attach: identity_center\n") -> String {
        Manifests.replacing("clusters:\n  orders-prod:\n", with: section + "clusters:\n  orders-prod:\n",
            in: Manifests.replacing("    org_path: prod\n", with: "    org_path: prod\n" + attach))
    }

    func expectError(_ text: String, _ message: String, at needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let result = Manifests.load(text)
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(errors.map { $0.formatted(file: "m") })", sourceLocation: sourceLocation)
        #expect(errors.first?.message.contains(message) == true, "\(errors.first?.message ?? "")", sourceLocation: sourceLocation)
        #expect(errors.first?.position == Manifests.position(of: needle, in: text), sourceLocation: sourceLocation)
    }

    @Test func aManifestWithoutAWSDoesNotUseIt() {
        let manifest = Manifests.valid()
        #expect(!manifest.usesAWS)
        #expect(manifest.permissionSets.allSatisfy { $0.attachment == .none })
    }

    @Test func theAWSSectionProfilesAndAttachmentsAreRead() throws {
        let text = withAWS(attach: "    attach: identity_center\n")
            .replacingOccurrences(of: "    users: [oncall_dba]\n", with: "    users: [oncall_dba]\n    attach:\n      role: arn:aws:iam::123456789012:role/ops/bastion\n")
            .replacingOccurrences(of: "    engine: aurora-mysql-3\n", with: "    engine: aurora-mysql-3\n    aws_profile: orders-prod-read\n")
        let manifest = try #require(Manifests.load(text).manifest, "\(Manifests.load(text).diagnostics.map { $0.formatted(file: "m") })")
        #expect(manifest.usesAWS)
        #expect(manifest.aws.profile == "org-admin")
        #expect(manifest.aws.identityCenter?.instanceARN == "arn:aws:sso:::instance/ssoins-1234567890abcdef")
        #expect(manifest.aws.identityCenter?.region == "us-east-1")
        #expect(manifest.cluster(named: "orders-prod")?.awsProfile == "orders-prod-read")
        #expect(manifest.cluster(named: "billing-prod")?.awsProfile == nil)
        #expect(manifest.permissionSets.map(\.attachment) == [.identityCenter, .role(arn: "arn:aws:iam::123456789012:role/ops/bastion")])
        #expect(PolicyAttachment.rolePolicyName(of: "BastionRole") == "dbiam-BastionRole")
    }

    @Test func attachNoneIsFilesOnly() throws {
        let manifest = try #require(Manifests.load(withAWS(attach: "    attach: none\n")).manifest)
        #expect(manifest.permissionSets[0].attachment == .none)
        #expect(manifest.usesAWS, "the aws: section alone asks for AWS")
    }

    @Test func identityCenterAttachmentNeedsTheInstance() {
        expectError(Manifests.replacing("    org_path: prod\n", with: "    org_path: prod\n    attach: identity_center\n"),
            "has `attach: identity_center`, which needs the Identity Center instance: add aws.identity_center", at: "identity_center")
    }

    @Test func attachmentsAreCheckedWithAdvice() {
        expectError(withAWS(attach: "    attach: identity-center\n"), "attach must be `none`, `identity_center`, or a mapping with `role: ROLE_ARN`, not 'identity-center'. Did you mean 'identity_center'?", at: "identity-center")
        expectError(withAWS(attach: "    attach:\n      role: bastion\n"), "attach role 'bastion' is not an IAM role ARN", at: "bastion")
        expectError(withAWS(attach: "    attach:\n      role: arn:aws:iam::123456789012:user/bastion\n"), "is not an IAM role ARN", at: "arn:aws:iam::123456789012:user")
        let misspelt = Manifests.load(withAWS(attach: "    attach:\n      rol: arn:aws:iam::123456789012:role/b\n"))
        #expect(misspelt.manifest == nil)
        #expect(misspelt.diagnostics.map(\.message).contains { $0.hasPrefix("unknown key 'rol' in permission set 'DBReadOnly' attach. Did you mean 'role'?") })
    }

    @Test func theIdentityCenterInstanceIsChecked() {
        expectError(withAWS(Self.awsSection.replacingOccurrences(of: "ssoins-1234567890abcdef", with: "ssoins-XYZ_")), "is not an IAM Identity Center instance ARN", at: "arn:aws:sso")
        expectError(withAWS(Self.awsSection.replacingOccurrences(of: "region: us-east-1", with: "region: useast1")), "aws.identity_center.region 'useast1' is not an AWS region", at: "useast1")
        expectError(withAWS(Self.awsSection.replacingOccurrences(of: "    region: us-east-1\n", with: "")), "aws.identity_center needs 'region'", at: "identity_center:")
    }

    @Test func profilesAreNamesOfTheConfigFile() {
        expectError(withAWS(Self.awsSection.replacingOccurrences(of: "profile: org-admin", with: "profile: \"org admin\"")), "aws.profile 'org admin' is not a profile name", at: "\"org admin\"")
    }

    /// A policy's ARNs are all of one partition, and so is the role it is attached to.
    @Test func aPolicyStaysInOnePartition() {
        let china = Manifests.replacing(
            "region: us-east-1\n", with: "region: cn-north-1\n",
            in: Manifests.replacing("    users: [oncall_dba]\n    clusters: [orders-prod]\n", with: "    users: [oncall_dba]\n"))
        expectError(china, "permission set 'DBOncall' reaches clusters in the partitions aws and aws-cn", at: "DBOncall:")
        let roleElsewhere = withAWS(attach: "    attach:\n      role: arn:aws-cn:iam::123456789012:role/bastion\n")
        expectError(roleElsewhere, "attaches its policy to arn:aws-cn:iam::123456789012:role/bastion, but its clusters are in the aws partition", at: "role: arn")
    }

    @Test(arguments: [
        ("arn:aws:iam::123456789012:role/bastion", true), ("arn:aws-cn:iam::123456789012:role/a/b/c", true),
        ("arn:aws-iso-e:iam::123456789012:role/x", true), ("arn:aws:iam::12345678901:role/x", false),
        ("arn:aws:iam::123456789012:role/", false), ("arn:aws:iam::123456789012:role//x", false), ("arn:aws:sts::123456789012:role/x", false),
        ("arn:aws:iam::123456789012:role/" + String(repeating: "a", count: 65), false),
    ])
    func roleARNs(arn: String, valid: Bool) {
        #expect(NameRules.isRoleARN(arn) == valid)
    }
}

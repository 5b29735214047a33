import Testing
@testable import DBIAMCore

/// The order of policy writes around the database changes: nobody holds a permission for
/// an account that does not exist yet, and access goes before accounts do.
struct PolicyRolloutTests {
    /// DBReadOnly (ssotest on orders-prod) attached to a role.
    let manifest = Manifests.valid(Manifests.replacing("    org_path: prod\n", with: "    org_path: prod\n    attach:\n      role: arn:aws:iam::123456789012:role/bastion\n"))
    let ssotest = AccountName(user: "ssotest", host: "%")
    var document: String { PolicyDocument.documents(for: manifest)[0].text }

    func plan(creating: Bool, live: LivePolicy) -> Plan {
        var actions: [PlannedAction] = []
        if creating { actions.append(PlannedAction(.createUser(ssotest, requireSSL: true), reason: "new")) }
        return Plan(
            dbiamVersion: "t", manifest: "m", manifestDigest: "d", offline: false,
            clusters: [ClusterPlan(name: "orders-prod", endpoint: "e", port: 3306, actions: actions)],
            policies: [PlannedPolicy(permissionSet: "DBReadOnly", text: document, attachment: .role(arn: "arn:aws:iam::123456789012:role/bastion"), live: live)])
    }

    @Test func aPolicyForANewAccountWaitsForTheAccount() {
        let rollout = PolicyRollout(plan: plan(creating: true, live: .absent), manifest: manifest)
        #expect(rollout.beforeDatabase.isEmpty, "no policy may name ssotest before it exists")
        #expect(rollout.afterDatabase(succeeded: []).isEmpty, "orders-prod failed: its users get no permission")
        #expect(rollout.afterDatabase(succeeded: ["orders-prod"]).map(\.change) == [.put(document)])
        #expect(rollout.waitingFor == ["DBReadOnly": ["orders-prod"]])
    }

    /// The live policy allows more (a user since removed): it is narrowed first.
    @Test func aNarrowingGoesFirst() {
        let wider = PolicyDocument(
            permissionSet: "DBReadOnly",
            resources: ["arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/leaver", "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/ssotest"],
            organizationPath: "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*", position: SourcePosition(line: 1, column: 1)).text
        let rollout = PolicyRollout(plan: plan(creating: false, live: .differs(previous: wider)), manifest: manifest)
        #expect(rollout.beforeDatabase.map(\.change) == [.put(document)])
        #expect(rollout.afterDatabase(succeeded: ["orders-prod"]).isEmpty)
    }

    /// A policy that both narrows and widens: the narrowed part before, the new account after.
    @Test func aMixedChangeIsSplit() {
        var manifest = self.manifest
        manifest.permissionSets[0].users = ["ssotest", "oncall_dba"]
        let stale = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"rds-db:connect","Resource":"*"}]}"#
        let rollout = PolicyRollout(plan: plan(creating: true, live: .differs(previous: stale)), manifest: manifest)
        guard case .put(let before)? = rollout.beforeDatabase.first?.change, rollout.beforeDatabase.count == 1 else {
            Issue.record("the narrowed part goes before the database")
            return
        }
        #expect(before.contains("/oncall_dba\"") && !before.contains("/ssotest\""), "\(before)")
        guard case .put(let full)? = rollout.afterDatabase(succeeded: ["orders-prod"]).first?.change else {
            Issue.record("the new account is added after the database")
            return
        }
        #expect(full.contains("/ssotest\"") && full.contains("/oncall_dba\""))
    }

    @Test func aLivePolicyForAccountsThatAllGoIsDeletedFirst() {
        let rollout = PolicyRollout(plan: plan(creating: true, live: .differs(previous: "{}")), manifest: manifest)
        #expect(rollout.beforeDatabase.map(\.change) == [.delete])
    }

    @Test func unchangedUnreadAndFileOnlyPoliciesAreNotWritten() {
        for live in [LivePolicy.same, .unreadable("throttled")] {
            let rollout = PolicyRollout(plan: plan(creating: true, live: live), manifest: manifest)
            #expect(rollout.beforeDatabase.isEmpty && rollout.afterDatabase(succeeded: ["orders-prod"]).isEmpty)
        }
        var fileOnly = plan(creating: false, live: .absent)
        fileOnly.policies[0].attachment = .none
        #expect(PolicyRollout(plan: fileOnly, manifest: Manifests.valid()).beforeDatabase.isEmpty)
    }

    /// The live document in AWS's layout equal to the planned one needs no write.
    @Test func aLiveDocumentOfTheSameValueIsNotWrittenAgain() {
        let compact = document.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "  ", with: "")
        let rollout = PolicyRollout(plan: plan(creating: false, live: .differs(previous: compact)), manifest: manifest)
        #expect(rollout.beforeDatabase.isEmpty)
    }
}

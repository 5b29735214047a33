@testable import DBIAMCore
import Testing

/// A manifest on which no lint rule finds anything, and helpers that run one rule on an
/// edited copy of it.
enum LintManifests {
    static let clean = """
        version: 1
        organization:
          id: o-a1b2c3d4e5
          paths:
            prod: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*
        defaults:
          host: "%"
          require_ssl: true
          prune: false
        clusters:
          orders-prod:
            account: "123456789012"
            region: ap-northeast-1
            resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ
            endpoint: orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
            engine: aurora-mysql-3
            tls_ca: ~/global-bundle.pem
            admin:
              user: orders_admin
              iam: true
          billing-prod:
            account: "123456789012"
            region: ap-northeast-1
            resource_id: cluster-B1LL1NGPR0DXXXXXXXXXXXXXXX
            endpoint: billing-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
            engine: aurora-mysql-3
            tls_ca: ~/global-bundle.pem
            admin:
              user: billing_admin
              iam: true
        users:
          ssotest:
            clusters: [orders-prod]
            grants:
              - on: orders.*
                privileges: [SELECT, SHOW VIEW]
          analyst:
            clusters: [orders-prod, billing-prod]
            grants:
              - on: billing.invoices
                privileges: [SELECT]
        permission_sets:
          DBReadOnly:
            users: [ssotest, analyst]
            org_path: prod

        """

    /// `clean` with a user appended under `users:`.
    static func addingUser(_ yaml: String, to text: String = clean) -> String {
        Manifests.replacing("permission_sets:\n", with: yaml + "permission_sets:\n", in: text)
    }

    /// `clean` with a grant of `privileges` on `target` given to ssotest (on orders-prod).
    static func granting(_ privileges: String, on target: String) -> String {
        Manifests.replacing(
            "        privileges: [SELECT, SHOW VIEW]\n",
            with: "        privileges: [SELECT, SHOW VIEW]\n      - on: \"\(target)\"\n        privileges: [\(privileges)]\n", in: clean)
    }

    /// The findings of one rule on a manifest that must load.
    static func findings(of rule: some LintRule, in text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
        let result = Manifests.load(text)
        guard let manifest = result.manifest else {
            Issue.record("test manifest is invalid: \(result.diagnostics.map { $0.formatted(file: "m") })", sourceLocation: sourceLocation)
            return []
        }
        return Linter.run([rule], on: manifest)
    }

    /// Expects `rule` to find exactly `count` problems in `text`, each with the rule's id
    /// and `severity`; the first at `needle` and saying `message`.
    static func expectFinding(
        _ rule: some LintRule, _ severity: Diagnostic.Severity, in text: String, at needle: String, occurrence: Int = 1,
        saying message: String, count: Int = 1, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let found = findings(of: rule, in: text, sourceLocation: sourceLocation)
        #expect(found.count == count, "expected \(count) findings, got \(found.map { $0.formatted(file: "m") })", sourceLocation: sourceLocation)
        guard let first = found.first else { return }
        for finding in found {
            #expect(finding.ruleID == rule.id, sourceLocation: sourceLocation)
            #expect(finding.severity == severity, sourceLocation: sourceLocation)
        }
        #expect(first.position == Manifests.position(of: needle, in: text, occurrence: occurrence), "\(first.formatted(file: "m"))", sourceLocation: sourceLocation)
        #expect(first.message.contains(message), "message was: \(first.message)", sourceLocation: sourceLocation)
    }

    static func expectNoFinding(_ rule: some LintRule, in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let found = findings(of: rule, in: text, sourceLocation: sourceLocation)
        #expect(found.isEmpty, "expected no findings, got \(found.map { $0.formatted(file: "m") })", sourceLocation: sourceLocation)
    }
}

@testable import DBIAMCore
import Foundation
import Testing

/// Manifests for tests: a valid base, and loading helpers.
enum Manifests {
    static let base = """
        version: 1
        organization:
          id: o-a1b2c3d4e5
          paths:
            prod: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*
        clusters:
          orders-prod:
            account: "123456789012"
            region: ap-northeast-1
            resource_id: cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ
            endpoint: orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com
            engine: aurora-mysql-3
            tls_ca: ~/global-bundle.pem
            admin:
              user: dbiam_admin
              iam: true
          billing-prod:
            account: "012345678901"
            region: us-east-1
            resource_id: db-ABCDEFGHIJKLMNOPQRSTUVWXYZ
            endpoint: billing.c8bjhxz2.us-east-1.rds.amazonaws.com
            port: 13306
            engine: mysql-8.0
            tls_ca: ~/global-bundle.pem
            admin:
              user: dbiam_admin
              password_env: BILLING_ADMIN_PASSWORD
        users:
          ssotest:
            clusters: [orders-prod]
            grants:
              - on: orders.*
                privileges: [SELECT, SHOW VIEW]
          oncall_dba:
            clusters: ["*"]
            grants:
              - on: "*.*"
                privileges: [PROCESS, SELECT, SHOW DATABASES]
        permission_sets:
          DBReadOnly:
            users: [ssotest]
            org_path: prod
          DBOncall:
            users: [oncall_dba]
            clusters: [orders-prod]

        """

    static func load(_ text: String) -> ManifestLoadResult {
        ManifestLoader.load(Array(text.utf8))
    }

    static func valid(_ text: String = base) -> Manifest {
        let result = load(text)
        guard let manifest = result.manifest else {
            fatalError("test manifest is invalid: \(result.diagnostics.map { $0.formatted(file: "test") })")
        }
        return manifest
    }

    /// The base manifest with one piece of text replaced (it must occur exactly once).
    static func replacing(_ old: String, with new: String, in text: String = base) -> String {
        let parts = text.components(separatedBy: old)
        if parts.count != 2 {
            Issue.record("'\(old)' occurs \(parts.count - 1) times in the test manifest; a test edit must name one place")
        }
        return parts.joined(separator: new)
    }
}

extension Manifests {
    /// Line and column (1-based, in Unicode scalars) of the first occurrence of `needle`.
    static func position(of needle: String, in text: String, occurrence: Int = 1) -> SourcePosition {
        var line = 1
        var column = 1
        var seen = 0
        let scalars = Array(text.unicodeScalars)
        let pattern = Array(needle.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index...].starts(with: pattern) {
                seen += 1
                if seen == occurrence { return SourcePosition(line: line, column: column) }
            }
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        Issue.record("'\(needle)' is not in the test manifest")
        return SourcePosition(line: 0, column: 0)
    }
}

import Testing
@testable import DBIAMCore

/// `permission_sets.<n>.proxies`: RDS Proxy in IAM end-to-end mode checks
/// `rds-db:connect` on `dbuser:prx-…/USER`, so the policy names the proxy too.
struct ProxyPolicyTests {
    func withProxies(_ list: String) -> String {
        Manifests.replacing("    users: [ssotest]\n", with: "    users: [ssotest]\n    proxies: \(list)\n")
    }

    @Test func thePolicyNamesEachUserThroughEachProxy() throws {
        let manifest = Manifests.valid(withProxies("[prx-0123456789abcdef0, prx-0fedcba98765432100]"))
        #expect(manifest.permissionSets[0].proxies == ["prx-0123456789abcdef0", "prx-0fedcba98765432100"])
        let document = try #require(PolicyDocument.documents(for: manifest).first)
        #expect(document.resources == [
            "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/ssotest",
            "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:prx-0123456789abcdef0/ssotest",
            "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:prx-0fedcba98765432100/ssotest",
        ])
    }

    @Test func proxyIdsAreCheckedLikeResourceIds() {
        let named = withProxies("[orders-proxy]")
        let result = Manifests.load(named)
        #expect(result.manifest == nil)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message == "permission set 'DBReadOnly' proxies: 'orders-proxy' is not an RDS Proxy resource id (prx- and 8 to 64 lower-case letters or digits). It looks like the proxy's name; find its id with: aws rds describe-db-proxies --query \"DBProxies[*].[DBProxyName,DBProxyArn]\" (the id ends the ARN).")
        #expect(error?.position == Manifests.position(of: "orders-proxy", in: named))
        let twice = Manifests.load(withProxies("[prx-0123456789abcdef0, prx-0123456789abcdef0]"))
        #expect(twice.diagnostics.contains { $0.message == "permission set 'DBReadOnly' proxies lists 'prx-0123456789abcdef0' twice." })
        #expect(Manifests.load(withProxies("[PRX-0123456789ABCDEF0]")).manifest == nil)
    }
}

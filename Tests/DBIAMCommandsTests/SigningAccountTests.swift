import DBIAMTestSupport
import Foundation
import Testing

/// `dbiam token` and `connect` say at once when the signing credentials belong to
/// another account than the cluster's, whose server would refuse the token.
struct SigningAccountTests {
    /// A key id that carries account 999988887777, as AWS writes it.
    static let otherAccountKey = (id: "AKIA6RU73QDQQAAAAAAA", secret: "other-account-secret-not-an-aws-secret")

    func dbiam(key: (id: String, secret: String), endpoint: String) throws -> DBIAMProcess {
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials(key)
        dbiam.environment["AWS_ENDPOINT_URL"] = endpoint
        try dbiam.write(LocalServer.manifestText(users: "  ssotest:\n    clusters: [local]\n    grants: []"), to: "local.yaml")
        return dbiam
    }

    /// STS cannot be asked: the account comes from the key id.
    @Test func anotherAccountsKeyIsNamedWhenSTSIsUnreachable() throws {
        let result = try dbiam(key: Self.otherAccountKey, endpoint: "http://127.0.0.1:1").run(["token", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 0, "the token is still printed: \(result.stderr)")
        #expect(result.stdout.contains("X-Amz-Credential=\(Self.otherAccountKey.id)"))
        #expect(result.stderr.contains("access key \(Self.otherAccountKey.id) (environment) of account 999988887777 (from its key id, as STS could not be asked), but cluster local is in account \(LocalServer.account)"), "\(result.stderr)")
        #expect(!result.stderr.contains(Self.otherAccountKey.secret))
    }

    /// STS answers (the local stand-in plays it, for account 012345678901): no warning.
    @Test func theClustersAccountGivesNoWarning() throws {
        try LocalAWS.requireRunning()
        let result = try dbiam(key: LocalServer.testKey, endpoint: LocalAWS.endpoint).run(["token", "local.yaml", "--cluster", "local", "--user", "ssotest"])
        #expect(result.status == 0)
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
    }
}

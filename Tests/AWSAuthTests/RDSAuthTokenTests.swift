import Foundation
import Testing

@testable import AWSAuth

/// One token made by botocore, with the inputs that made it.
struct ReferenceToken: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var hostname: String
    var port: Int
    var region: String
    var username: String
    var accessKeyID: String
    var secretAccessKey: String
    var sessionToken: String?
    var at: String
    var token: String

    enum CodingKeys: String, CodingKey {
        case name, hostname, port, region, username, at, token
        case accessKeyID = "access_key_id"
        case secretAccessKey = "secret_access_key"
        case sessionToken = "session_token"
    }

    var testDescription: String { name }

    static func load(_ fileName: String) throws -> [ReferenceToken] {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: fixtures.appendingPathComponent(fileName))
        return try JSONDecoder().decode([ReferenceToken].self, from: data)
    }

    /// The vectors that came with the project, and the ones make-rds-auth-tokens-extra.py makes.
    static let all: [ReferenceToken] = {
        (try? load("rds-auth-tokens.json") + load("rds-auth-tokens-extra.json")) ?? []
    }()
}

@Suite struct RDSAuthTokenTests {
    @Test func bothVectorFilesLoad() throws {
        #expect(try ReferenceToken.load("rds-auth-tokens.json").count == 4)
        #expect(try ReferenceToken.load("rds-auth-tokens-extra.json").count == 13)
        #expect(ReferenceToken.all.count == 17)
    }

    @Test(arguments: ReferenceToken.all)
    func matchesBotocore(_ reference: ReferenceToken) throws {
        let signingTime = try #require(RFC3339.date(from: reference.at))
        let request = RDSAuthTokenRequest(
            hostname: reference.hostname, port: reference.port, region: reference.region, username: reference.username)
        let credentials = AWSCredentials(
            accessKeyID: reference.accessKeyID, secretAccessKey: reference.secretAccessKey,
            sessionToken: reference.sessionToken, source: "test")
        #expect(RDSAuthToken.make(request, credentials: credentials, at: signingTime) == reference.token)
    }
}

@Suite struct RDSAuthTokenShapeTests {
    let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", source: "test")
    let request = RDSAuthTokenRequest(hostname: "db.example.com", port: 3306, region: "eu-west-1", username: "app")
    let signingTime = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func securityTokenFollowsSignedHeadersAndSignatureComesLast() {
        var temporary = credentials
        temporary.sessionToken = "token/with+chars="
        let token = RDSAuthToken.make(request, credentials: temporary, at: signingTime)
        let names = token.split(separator: "?")[1].split(separator: "&").map { $0.split(separator: "=")[0] }
        #expect(names == [
            "Action", "DBUser", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires",
            "X-Amz-SignedHeaders", "X-Amz-Security-Token", "X-Amz-Signature",
        ])
        #expect(token.contains("&X-Amz-Security-Token=token%2Fwith%2Bchars%3D&"))
    }

    @Test func noSchemeAndFifteenMinutes() {
        let token = RDSAuthToken.make(request, credentials: credentials, at: signingTime)
        #expect(token.hasPrefix("db.example.com:3306/?Action=connect&DBUser=app&"))
        #expect(token.contains("&X-Amz-Expires=900&"))
        #expect(!token.contains("X-Amz-Security-Token"))
    }

    @Test func theSignatureDependsOnTheSecret() {
        var other = credentials
        other.secretAccessKey = "another secret"
        #expect(RDSAuthToken.make(request, credentials: credentials, at: signingTime)
            != RDSAuthToken.make(request, credentials: other, at: signingTime))
    }

    @Test func hostHeaderIsLowerCaseAndOmitsTheHTTPSPort() {
        #expect(RDSAuthToken.hostHeader(hostname: "DB.Example.COM", port: 3306) == "db.example.com:3306")
        #expect(RDSAuthToken.hostHeader(hostname: "db.example.com", port: 443) == "db.example.com")
        #expect(RDSAuthToken.hostHeader(hostname: "db.example.com", port: 80) == "db.example.com:80")
    }

    @Test func canonicalQueryStringIsSortedByNameThenValue() {
        let sorted = SigV4QueryPresigner.canonicalQueryString([
            ("X-Amz-Date", "1"), ("DBUser", "b"), ("Action", "connect"), ("DBUser", "a"), ("X-Amz-Algorithm", "x"),
        ])
        #expect(sorted == "Action=connect&DBUser=a&DBUser=b&X-Amz-Algorithm=x&X-Amz-Date=1")
    }
}

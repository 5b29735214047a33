import Foundation
import Testing

@testable import AWSAuth

/// One request signed by botocore's SigV4Auth, with the inputs that made it.
struct HeaderVector: Decodable, CustomTestStringConvertible, Sendable {
    var name: String
    var accessKeyID: String
    var secretAccessKey: String
    var sessionToken: String?
    var service: String
    var region: String
    var at: String
    var method: String
    var url: String
    var headersIn: [String: String]
    /// For query protocol vectors of the extra file: the parameters botocore form-encoded into `body`.
    var formParameters: [[String]]?
    var body: String
    var signedHeadersOut: [String: String]

    enum CodingKeys: String, CodingKey {
        case name, service, region, at, method, url, body
        case accessKeyID = "access_key_id"
        case secretAccessKey = "secret_access_key"
        case sessionToken = "session_token"
        case headersIn = "headers_in"
        case formParameters = "form_parameters"
        case signedHeadersOut = "signed_headers_out"
    }

    var testDescription: String { name }

    private struct File: Decodable { var vectors: [HeaderVector] }

    static func load(_ fileName: String) throws -> [HeaderVector] {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: fixtures.appendingPathComponent(fileName))
        return try JSONDecoder().decode(File.self, from: data).vectors
    }

    /// The project's vectors and the ones make-sigv4-header-vectors-extra.py makes.
    static let all: [HeaderVector] = {
        (try? load("sigv4-header-vectors.json") + load("sigv4-header-vectors-extra.json")) ?? []
    }()
}

@Suite struct SigV4HeaderSignerTests {
    @Test func bothVectorFilesLoad() throws {
        #expect(try HeaderVector.load("sigv4-header-vectors.json").count == 3)
        #expect(try HeaderVector.load("sigv4-header-vectors-extra.json").count == 15)
        #expect(HeaderVector.all.count == 18)
    }

    @Test(arguments: HeaderVector.all)
    func matchesBotocore(_ vector: HeaderVector) throws {
        let credentials = AWSCredentials(
            accessKeyID: vector.accessKeyID, secretAccessKey: vector.secretAccessKey,
            sessionToken: vector.sessionToken, source: "test")
        let signed = SigV4HeaderSigner.sign(
            method: vector.method, url: try #require(URL(string: vector.url)), headers: vector.headersIn,
            body: Data(vector.body.utf8), service: vector.service, region: vector.region,
            credentials: credentials, at: try #require(RFC3339.date(from: vector.at)))
        #expect(signed == vector.signedHeadersOut)
    }

    /// The query protocol's bodies are form-encoded as botocore encodes them, so the
    /// body that is signed is the body botocore would have sent.
    @Test(arguments: HeaderVector.all.filter { $0.formParameters != nil })
    func formEncodingMatchesBotocore(_ vector: HeaderVector) throws {
        let parameters = try #require(vector.formParameters)
        let body = parameters.map {
            SigV4PercentEncoding.encodeFormComponent($0[0]) + "=" + SigV4PercentEncoding.encodeFormComponent($0[1])
        }.joined(separator: "&")
        #expect(body == vector.body)
    }

    @Test func anOldDateOrTokenHeaderIsReplacedNotSignedTwice() throws {
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", source: "test")
        let signed = SigV4HeaderSigner.sign(
            method: "POST", url: try #require(URL(string: "https://sts.us-east-1.amazonaws.com/")),
            headers: ["x-amz-date": "20000101T000000Z", "X-Amz-Security-Token": "stale"], body: Data(),
            service: "sts", region: "us-east-1", credentials: credentials,
            at: try #require(RFC3339.date(from: "2026-11-29T12:00:00Z")))
        #expect(Set(signed.keys) == ["X-Amz-Date", "Authorization"])
        #expect(signed["X-Amz-Date"] == "20261129T120000Z")
        #expect(signed["Authorization"]?.contains("SignedHeaders=host;x-amz-date,") == true)
    }

    @Test(arguments: [
        ("", "/"), ("/", "/"), ("/a/./b/../c", "/a/c"), ("//a//b/", "/a/b/"), ("/../..", "/"), ("/a/..", "/"),
    ])
    func pathsAreNormalizedAsBotocoreDoes(_ path: String, _ normalized: String) {
        #expect(SigV4HeaderSigner.removingDotSegments(path) == normalized)
    }

    @Test func ipv6HostsAreBracketed() {
        #expect(SigV4HeaderSigner.hostHeader(URLComponents(string: "http://[::1]:45130/")) == "[::1]:45130")
        #expect(SigV4HeaderSigner.hostHeader(URLComponents(string: "http://[::1]:80/")) == "[::1]")
    }
}

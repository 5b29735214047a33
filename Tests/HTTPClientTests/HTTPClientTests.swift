import DBIAMTestSupport
import Foundation
import Testing

@testable import HTTPClient

/// The HTTP client against real servers on loopback (Tests/http_test_server.py): kept
/// connections, the ways an answer can be framed, and the ways a server can lie or fail.
@Suite struct HTTPExchangeTests {
    func get(_ server: ScriptServer, _ path: String, scheme: String = "http", host: String = "127.0.0.1",
             client: HTTPClient = HTTPClient(.init()), within limit: Duration = .seconds(10)) async throws(HTTPError) -> HTTPResponse
    {
        try await client.send(
            HTTPRequest(method: "POST", url: URL(string: "\(scheme)://\(host):\(server.port)\(path)")!, body: Data("me".utf8)),
            within: limit)
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func aKeptConnectionCarriesTheNextRequest() async throws {
        let server = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "http"])
        let client = HTTPClient(.init())
        let first = try await get(server, "/ok", client: client)
        let second = try await get(server, "/ok", client: client)
        #expect(first.status == 200 && Self.text(first) == "hello me")
        #expect(first.headers["x-connection"] != nil)
        #expect(second.headers["X-Connection"] == first.headers["X-Connection"])
        #expect(server.recordedLines == ["POST /ok 2", "POST /ok 2"])
    }

    @Test func connectionsTheServerClosesAreNotKept() async throws {
        let server = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "http"])
        let client = HTTPClient(.init())
        let closing = try await get(server, "/close", client: client)
        let next = try await get(server, "/ok", client: client)
        #expect(Self.text(closing) == "closing")
        #expect(next.headers["X-Connection"] != closing.headers["X-Connection"])

        // HTTP/1.0 without a length: the body ends where the connection does.
        let old = try await get(server, "/http10", client: client)
        #expect(old.status == 200 && Self.text(old) == "until the end")
        let after = try await get(server, "/ok", client: client)
        #expect(after.status == 200)
    }

    @Test func chunkedAndLargeBodiesArriveWhole() async throws {
        let server = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "http"])
        let client = HTTPClient(.init())
        let chunked = try await get(server, "/chunked", client: client)
        #expect(Self.text(chunked) == "first second " + String(repeating: "x", count: 70_000))
        let large = try await get(server, "/large/3000000", client: client)
        #expect(large.body.count == 3_000_000 && large.body.allSatisfy { $0 == UInt8(ascii: "y") })
        // The trailer was read to its end: the connection serves the next request.
        let next = try await get(server, "/ok", client: client)
        #expect(next.headers["X-Connection"] == chunked.headers["X-Connection"])
    }

    @Test(arguments: [
        ("/truncated", "closed the connection after 9 of the answer's 100 bytes"),
        ("/garbage", "is not HTTP/1.x"),
        ("/huge-header", "headers are longer than 64 KiB"),
        ("/claims/999999999999", "larger than dbiam accepts"),
    ])
    func answersThatLieAreErrors(path: String, problem: String) async throws {
        let server = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "http"])
        let error = await #expect(throws: HTTPError.self) { try await get(server, path) }
        #expect(error?.description.contains(problem) == true, "\(String(describing: error))")
        #expect(error?.isTransient == true)
    }

    @Test func aSilentServerTimesOutAtTheLimit() async throws {
        let server = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "http"])
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPError.self) { try await get(server, "/silent", within: .milliseconds(300)) }
        #expect(error == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func cancellingTheTaskEndsTheExchange() async throws {
        let server = try ScriptServer(script: "http_test_server.py", arguments: ["--mode", "http"])
        let started = ContinuousClock.now
        let exchange = Task { () throws(HTTPError) -> HTTPResponse in try await get(server, "/silent") }
        try await Task.sleep(for: .milliseconds(200))
        exchange.cancel()
        let result = await exchange.result
        #expect(throws: HTTPError.cancelled) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func aClosedPortCannotConnect() async throws {
        let port = try ClosedPort.reserve()
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient(.init()).send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/")!), within: .seconds(5))
        }
        guard case .cannotConnect(let detail) = error else {
            Issue.record("\(String(describing: error)) is not cannotConnect")
            return
        }
        #expect(detail.contains("127.0.0.1:\(port) did not accept a connection (Connection refused)"))
    }
}

/// TLS: only a server that proves its name with a trusted certificate hears the request.
@Suite struct HTTPSTests {
    static let certificates = Result { try TestCertificates() }

    func tlsServer(_ pair: (TestCertificates) -> TestCertificates.Pair) throws -> ScriptServer {
        let certificate = pair(try Self.certificates.get())
        return try ScriptServer(
            script: "http_test_server.py", arguments: ["--mode", "http", "--cert", certificate.certificate, "--key", certificate.key])
    }

    func get(_ server: ScriptServer, host: String = "127.0.0.1", caBundle: String?) async throws(HTTPError) -> HTTPResponse {
        try await HTTPClient(.init(caBundle: caBundle)).send(
            HTTPRequest(method: "POST", url: URL(string: "https://\(host):\(server.port)/ok")!, body: Data("secret".utf8)),
            within: .seconds(10))
    }

    @Test func aCertificateFromTheBundlesAuthorityForTheAddressIsTrusted() async throws {
        let server = try tlsServer(\.trusted)
        let client = HTTPClient(.init(caBundle: try Self.certificates.get().caFile))
        let request = HTTPRequest(method: "POST", url: URL(string: "https://127.0.0.1:\(server.port)/ok")!, body: Data("tls".utf8))
        let first = try await client.send(request, within: .seconds(10))
        let second = try await client.send(request, within: .seconds(10))
        #expect(String(decoding: first.body, as: UTF8.self) == "hello tls")
        #expect(first.headers["X-Connection"] == second.headers["X-Connection"], "the TLS connection is kept")
    }

    @Test func aHostNameIsCheckedAgainstTheCertificatesNames() async throws {
        let server = try tlsServer(\.localhost)
        let answer = try await get(server, host: "localhost", caBundle: try Self.certificates.get().caFile)
        #expect(answer.status == 200)
    }

    @Test(arguments: [
        ("trusted", "system", "unable to get local issuer certificate"),
        ("untrusted", "bundle", "certificate"),
        ("other-host", "bundle", "mismatch"),
        ("localhost", "bundle", "mismatch"),
    ])
    func untrustedServersHearNothing(certificate: String, trust: String, problem: String) async throws {
        let certificates = try Self.certificates.get()
        let pairs = ["trusted": certificates.trusted, "untrusted": certificates.untrusted, "other-host": certificates.otherHost,
                     "localhost": certificates.localhost]
        let server = try tlsServer { _ in pairs[certificate]! }
        let error = await #expect(throws: HTTPError.self) {
            try await get(server, caBundle: trust == "bundle" ? certificates.caFile : nil)
        }
        guard case let .untrustedServer(host, detail) = error else {
            Issue.record("\(String(describing: error)) is not untrustedServer")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(detail.contains(problem), "\(detail)")
        #expect(error?.description.contains("AWS_CA_BUNDLE") == true)
        #expect(error?.isTransient == false)
        #expect(server.recordedLines.isEmpty, "the request reached an untrusted server")
    }

    @Test func anUnreadableBundleIsNamed() async throws {
        let server = try tlsServer(\.trusted)
        let error = await #expect(throws: HTTPError.self) { try await get(server, caBundle: "/nonexistent/ca.pem") }
        guard case .badCABundle(let path, _) = error else {
            Issue.record("\(String(describing: error)) is not badCABundle")
            return
        }
        #expect(path == "/nonexistent/ca.pem")
    }
}

/// HTTPS_PROXY: a CONNECT tunnel, with the proxy's own credentials when it asks.
@Suite struct HTTPSProxyTests {
    func servers(credentials: String? = nil) throws -> (target: ScriptServer, proxy: ScriptServer, ca: String) {
        let certificates = try HTTPSTests.certificates.get()
        let target = try ScriptServer(
            script: "http_test_server.py",
            arguments: ["--mode", "http", "--cert", certificates.localhost.certificate, "--key", certificates.localhost.key])
        let proxy = try ScriptServer(
            script: "http_test_server.py", arguments: ["--mode", "proxy"] + (credentials.map { ["--credentials", $0] } ?? []))
        return (target, proxy, certificates.caFile)
    }

    func get(_ target: ScriptServer, through proxy: String, ca: String, noProxy: String? = nil) async throws(HTTPError)
        -> HTTPResponse
    {
        try await HTTPClient(.init(caBundle: ca, httpsProxy: proxy, noProxy: noProxy)).send(
            HTTPRequest(method: "POST", url: URL(string: "https://localhost:\(target.port)/ok")!, body: Data("x".utf8)),
            within: .seconds(10))
    }

    @Test func requestsTunnelThroughTheProxy() async throws {
        let (target, proxy, ca) = try servers()
        let answer = try await get(target, through: "127.0.0.1:\(proxy.port)", ca: ca)
        #expect(String(decoding: answer.body, as: UTF8.self) == "hello x")
        #expect(proxy.recordedLines == ["CONNECT localhost:\(target.port) HTTP/1.1 auth=None"])
        #expect(target.recordedLines == ["POST /ok 1"])
    }

    @Test func theProxysCredentialsComeFromItsURLAndAreNeverShown() async throws {
        let (target, proxy, ca) = try servers(credentials: "me:pa ss@")
        let refused = await #expect(throws: HTTPError.self) {
            try await get(target, through: "http://me:wrong-secret@127.0.0.1:\(proxy.port)", ca: ca)
        }
        #expect(refused?.description.contains("HTTP 407") == true, "\(String(describing: refused))")
        #expect(refused?.description.contains("wrong-secret") == false)
        #expect(refused?.isTransient == false)

        let answer = try await get(target, through: "http://me:pa%20ss%40@127.0.0.1:\(proxy.port)", ca: ca)
        #expect(answer.status == 200)
        let basic = "Basic " + Data("me:pa ss@".utf8).base64EncodedString()
        #expect(proxy.recordedLines.last == "CONNECT localhost:\(target.port) HTTP/1.1 auth=\(basic)")
    }

    @Test func noProxyNamesHostsReachedDirectly() async throws {
        let (target, proxy, ca) = try servers()
        let closed = try ClosedPort.reserve()
        let direct = try await get(target, through: "http://127.0.0.1:\(closed)", ca: ca, noProxy: "example.com, localhost")
        #expect(direct.status == 200)
        #expect(proxy.recordedLines.isEmpty)

        #expect(ProxyRoute.bypasses("rds.us-east-1.amazonaws.com", noProxy: ".amazonaws.com"))
        #expect(ProxyRoute.bypasses("rds.us-east-1.amazonaws.com", noProxy: "amazonaws.com"))
        #expect(ProxyRoute.bypasses("anything", noProxy: "*"))
        #expect(!ProxyRoute.bypasses("notamazonaws.com", noProxy: "amazonaws.com"))
        #expect(!ProxyRoute.bypasses("localhost", noProxy: ""))
    }

    @Test(arguments: ["https://127.0.0.1:3128", "socks5://127.0.0.1:1080", "http://"])
    func unusableProxySettingsAreErrorsThatNameThem(setting: String) async throws {
        let (target, _, ca) = try servers()
        let error = await #expect(throws: HTTPError.self) { try await get(target, through: setting, ca: ca) }
        guard case .proxy(let detail) = error else {
            Issue.record("\(String(describing: error)) is not a proxy error")
            return
        }
        #expect(detail.contains("HTTPS_PROXY"))
    }
}

import Foundation

/// `Tests/fake_mysql_server.py`: a server that pretends to be MySQL to steal passwords,
/// offering TLS with a chosen certificate or none, and asking every client to switch to
/// mysql_clear_password. `received` is everything a client sent it after the greeting,
/// TLS removed, so a test can prove that a password never arrived.
public final class FakeMySQLServer {
    private let server: ScriptServer

    public var port: Int { server.port }

    /// `certificate` nil offers no TLS. `greetingPlugin` is the plugin the greeting
    /// announces (a server may ask for mysql_clear_password from the start).
    public init(certificate: TestCertificates.Pair? = nil, greetingPlugin: String = "mysql_native_password") throws {
        var arguments = ["--greeting-plugin", greetingPlugin]
        if let certificate { arguments += ["--cert", certificate.certificate, "--key", certificate.key] }
        server = try ScriptServer(script: "fake_mysql_server.py", arguments: arguments)
    }

    /// What clients sent, as text (binary parts replaced), one connection after another.
    public var received: String {
        (try? Data(contentsOf: server.record)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// A throwaway CA and certificates signed by it, made with openssl for one test run.
public struct TestCertificates: Sendable {
    public struct Pair: Sendable {
        public var certificate: String
        public var key: String
    }

    public let folder: URL
    /// The CA a client is told to trust.
    public let caFile: String
    /// Issued by the CA for 127.0.0.1: a server the client can verify.
    public let trusted: Pair
    /// Issued by the CA for the name localhost (and no address).
    public let localhost: Pair
    /// Issued by the CA, but for another host name.
    public let otherHost: Pair
    /// For 127.0.0.1, but issued by a CA the client does not trust.
    public let untrusted: Pair

    public init() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-test-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.folder = folder
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dbiam test CA",
                          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                          "-keyout", path("ca.key"), "-out", path("ca.pem")])
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dbiam other CA",
                          "-keyout", path("other-ca.key"), "-out", path("other-ca.pem")])
        func issue(_ name: String, subjectAltName: String, by ca: String) throws -> Pair {
            try Self.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)", "-keyout", path("\(name).key"), "-out", path("\(name).csr")])
            try "subjectAltName=\(subjectAltName)\nextendedKeyUsage=serverAuth\n".write(toFile: path("\(name).ext"), atomically: true, encoding: .utf8)
            try Self.openssl(["x509", "-req", "-in", path("\(name).csr"), "-CA", path("\(ca).pem"), "-CAkey", path("\(ca).key"),
                              "-CAcreateserial", "-days", "1", "-extfile", path("\(name).ext"), "-out", path("\(name).pem")])
            return Pair(certificate: path("\(name).pem"), key: path("\(name).key"))
        }
        caFile = path("ca.pem")
        trusted = try issue("trusted", subjectAltName: "IP:127.0.0.1", by: "ca")
        localhost = try issue("localhost", subjectAltName: "DNS:localhost", by: "ca")
        otherHost = try issue("other-host", subjectAltName: "DNS:db.example.com", by: "ca")
        untrusted = try issue("untrusted", subjectAltName: "IP:127.0.0.1", by: "other-ca")
    }

    private static func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    }
}

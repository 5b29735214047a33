import Dispatch
import FoundationEssentials
import Synchronization

/// An HTTP/1.1 client for the few, small exchanges dbiam has with AWS: https with
/// verified certificates (http only where the caller allows it), a CONNECT proxy from
/// HTTPS_PROXY, and connections kept for the next request to the same server.
///
/// Its own rather than URLSession's: FoundationNetworking loads libcurl and 30 other
/// libraries into every run of dbiam, calls to AWS or not, and OpenSSL is loaded anyway
/// (libmariadb uses it).
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// A PEM file of the certificate authorities to trust instead of the system's.
        public var caBundle: String?
        /// HTTPS_PROXY: the http:// proxy that https requests tunnel through.
        public var httpsProxy: String?
        /// NO_PROXY: hosts (and their subdomains) reached directly; "*" for all.
        public var noProxy: String?

        public init(caBundle: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
            self.caBundle = caBundle
            self.httpsProxy = httpsProxy
            self.noProxy = noProxy
        }

        /// The settings the AWS CLI reads: AWS_CA_BUNDLE, HTTPS_PROXY and NO_PROXY (either case).
        public init(environment: [String: String]) {
            func value(_ name: String) -> String? {
                let value = environment[name] ?? environment[name.lowercased()]
                return value?.isEmpty == false ? value : nil
            }
            self.init(caBundle: value("AWS_CA_BUNDLE"), httpsProxy: value("HTTPS_PROXY"), noProxy: value("NO_PROXY"))
        }
    }

    public let configuration: Configuration
    private let tls = Mutex<TLSContext?>(nil)
    private let pool = Mutex<[Server: [IdleConnection]]>([:])

    /// Connections kept per server: more than dbiam's concurrent calls to one service.
    private static let connectionsKeptPerServer = 8

    /// One client per configuration in the process, so that all clients share connections.
    public static func shared(_ configuration: Configuration) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[configuration] { return client }
            let client = HTTPClient(configuration)
            clients[configuration] = client
            return client
        }
    }

    private static let clients = Mutex<[Configuration: HTTPClient]>([:])

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// The answer to `request`, or an error once `limit` has passed or the task is cancelled.
    /// The blocking work runs on a thread of its own, never on Swift's cooperative pool.
    public func send(_ request: HTTPRequest, within limit: Duration) async throws(HTTPError) -> HTTPResponse {
        let deadline = ContinuousClock.now + limit
        let cancellation = Cancellation()
        let result: Result<HTTPResponse, HTTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(returning: Result { () throws(HTTPError) in
                        try self.exchange(request, until: deadline, cancellation: cancellation)
                    })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return try result.get()
    }

    private func exchange(_ request: HTTPRequest, until deadline: ContinuousClock.Instant, cancellation: Cancellation)
        throws(HTTPError) -> HTTPResponse
    {
        let server = try Server(request.url)
        if let reused = takeIdle(server) {
            reused.socket.cancellation = cancellation
            do {
                return try exchange(request, on: reused, server: server, until: deadline)
            } catch .connectionLost {
                // The server closed a kept connection as the request went out: the usual
                // race of keep-alive, which a new connection settles.
            }
        }
        let fresh = try connect(to: server, until: deadline, cancellation: cancellation)
        return try exchange(request, on: fresh, server: server, until: deadline)
    }

    private func exchange(
        _ request: HTTPRequest, on connection: IdleConnection, server: Server, until deadline: ContinuousClock.Instant
    ) throws(HTTPError) -> HTTPResponse {
        let (response, reusable) = try connection.http.exchange(request, host: server.hostHeader, until: deadline)
        if reusable { keep(connection, for: server) }
        return response
    }

    // MARK: - Connections

    private func connect(to server: Server, until deadline: ContinuousClock.Instant, cancellation: Cancellation)
        throws(HTTPError) -> IdleConnection
    {
        let proxy = try server.isSecure ? ProxyRoute(configuration, host: server.host) : nil
        let socket = try TCPSocket.connect(
            host: proxy?.host ?? server.host, port: proxy?.port ?? server.port, until: deadline, cancellation: cancellation)
        if let proxy {
            try proxy.openTunnel(to: server, over: socket, until: deadline)
        }
        guard server.isSecure else { return IdleConnection(socket: socket, http: HTTPConnection(socket)) }
        let stream = try TLSStream(over: socket, host: server.host, context: try tlsContext(), until: deadline)
        return IdleConnection(socket: socket, http: HTTPConnection(stream))
    }

    private func tlsContext() throws(HTTPError) -> TLSContext {
        try tls.withLock { (context) throws(HTTPError) -> TLSContext in
            if let context { return context }
            let made = try TLSContext(caBundle: configuration.caBundle)
            context = made
            return made
        }
    }

    private func takeIdle(_ server: Server) -> IdleConnection? {
        pool.withLock { pool in
            while let connection = pool[server]?.popLast() {
                if connection.http.isOpenAndQuiet { return connection }
            }
            return nil
        }
    }

    private func keep(_ connection: IdleConnection, for server: Server) {
        pool.withLock { pool in
            if pool[server, default: []].count < Self.connectionsKeptPerServer {
                pool[server, default: []].append(connection)
            }
        }
    }
}

/// A connection and the socket under it, whose cancellation flag each exchange sets.
///
/// Sendable because it is only ever in one place: with the one exchange that uses it, or
/// in the pool, which hands it to the next exchange under its lock. (The compiler cannot
/// follow a value sent into a Mutex's closure, so it is told.)
private struct IdleConnection: @unchecked Sendable {
    var socket: TCPSocket
    var http: HTTPConnection
}

/// Where a request goes: the scheme, host and port of its URL.
struct Server: Hashable {
    var isSecure: Bool
    var host: String
    var port: Int

    init(_ url: URL) throws(HTTPError) {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        guard let scheme = components?.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components?.host, !host.isEmpty
        else {
            throw .cannotConnect("\(url.absoluteString) is not an http(s) URL with a host")
        }
        isSecure = scheme == "https"
        // URLComponents gives an IPv6 address without its brackets.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components?.port ?? (isSecure ? 443 : 80)
    }

    /// The Host header: the host, bracketed if IPv6, with the port unless it is the scheme's own.
    var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isSecure ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// What CONNECT asks a proxy for.
    var authority: String {
        "\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}

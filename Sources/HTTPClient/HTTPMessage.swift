import FoundationEssentials

/// A request to send: the method, the URL (http or https), the headers in order and the body.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: URL
    /// Sent as given after Host, with Content-Length added; no name may repeat Host or Content-Length.
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A whole answer: its status, headers and body (dechunked).
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Response headers, looked up by name without regard to case.
public struct HTTPHeaders: Sendable, Equatable {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    /// The first value of `name`.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Why an exchange did not give an answer.
public enum HTTPError: Error, Sendable, Equatable {
    /// The deadline passed first.
    case timedOut
    /// The waiting task was cancelled.
    case cancelled
    /// No connection: the name did not resolve or no address accepted.
    case cannotConnect(String)
    /// The server's certificate is not trusted for this host name: nothing was sent.
    case untrustedServer(host: String, problem: String)
    /// The CA bundle (AWS_CA_BUNDLE) could not be read as PEM certificates.
    case badCABundle(path: String, problem: String)
    /// The TLS handshake or a TLS record failed for another reason.
    case tls(String)
    /// The connection broke before the whole answer came.
    case connectionLost(String)
    /// What came back is not an HTTP/1.x answer, or is larger than dbiam accepts.
    case malformedResponse(String)
    /// The proxy setting is unusable, or the proxy refused the tunnel.
    case proxy(String)

    /// Whether trying again might help (a new connection, a server that recovers).
    public var isTransient: Bool {
        switch self {
        case .cannotConnect, .connectionLost, .malformedResponse, .tls: true
        case .timedOut, .cancelled, .untrustedServer, .badCABundle, .proxy: false
        }
    }
}

extension HTTPError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .timedOut: "no answer in time"
        case .cancelled: "cancelled"
        case .cannotConnect(let detail), .connectionLost(let detail), .malformedResponse(let detail): detail
        case let .untrustedServer(host, problem):
            "the TLS certificate of \(host) is not trusted (\(problem)); nothing was sent. "
                + "If a proxy or a private endpoint signs with its own authority, set AWS_CA_BUNDLE to its PEM file"
        case let .badCABundle(path, problem): "the CA bundle \(path) could not be read as PEM certificates (\(problem))"
        case .tls(let detail): "TLS failed: \(detail)"
        case .proxy(let detail): detail
        }
    }
}

extension String {
    /// ASCII case-insensitive equality, as HTTP compares header names and tokens.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.elementsEqual(other.utf8) { lowercaseASCII($0) == lowercaseASCII($1) }
    }
}

@inline(__always) func lowercaseASCII(_ byte: UInt8) -> UInt8 {
    (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
}

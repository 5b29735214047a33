import FoundationEssentials

/// The proxy an https request tunnels through, as HTTPS_PROXY and NO_PROXY say; the AWS
/// CLI and curl read them the same way. Plain http goes to this machine only (the
/// endpoint rules allow nothing else), so HTTP_PROXY has nothing to carry.
struct ProxyRoute {
    var host: String
    var port: Int
    /// `Basic …` from the user and password in the proxy URL.
    private var authorization: String?

    /// nil when the request goes directly.
    init?(_ configuration: HTTPClient.Configuration, host target: String) throws(HTTPError) {
        guard let setting = configuration.httpsProxy, !Self.bypasses(target, noProxy: configuration.noProxy ?? "")
        else { return nil }
        let text = setting.contains("://") ? setting : "http://\(setting)"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw .proxy("HTTPS_PROXY '\(Self.redacted(text))' is not a proxy URL such as http://proxy.example.com:3128")
        }
        guard scheme == "http" else {
            throw .proxy(
                "HTTPS_PROXY '\(Self.redacted(text))' is a \(scheme):// proxy; dbiam reaches proxies with http:// "
                    + "and tunnels TLS to AWS through them")
        }
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 80
        if let user = components.percentEncodedUser {
            let credentials = (user.percentDecoded() ?? user) + ":"
                + (components.percentEncodedPassword.map { $0.percentDecoded() ?? $0 } ?? "")
            authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
        }
    }

    /// Asks the proxy for a tunnel to `server`; afterwards the socket reaches the server.
    func openTunnel(to server: Server, over socket: TCPSocket, until deadline: ContinuousClock.Instant) throws(HTTPError) {
        var request = "CONNECT \(server.authority) HTTP/1.1\r\nHost: \(server.authority)\r\n"
        if let authorization { request += "Proxy-Authorization: \(authorization)\r\n" }
        request += "\r\n"
        try socket.write(Array(request.utf8), until: deadline)
        let head: ResponseHead
        do {
            head = try HTTPConnection(socket).readHead(until: deadline)
        } catch .connectionLost(let detail), .malformedResponse(let detail) {
            throw .proxy("the proxy \(host):\(port) did not open a tunnel to \(server.authority): \(detail)")
        }
        guard (200..<300).contains(head.status) else {
            let hint = head.status == 407 ? " (it wants credentials: put them in HTTPS_PROXY as http://user:password@host:port)" : ""
            throw .proxy("the proxy \(host):\(port) refused a tunnel to \(server.authority) with HTTP \(head.status)\(hint)")
        }
    }

    /// Whether NO_PROXY names `host`: "*", the host itself, or a domain it is in
    /// ("example.com" and ".example.com" both cover "rds.example.com").
    static func bypasses(_ host: String, noProxy: String) -> Bool {
        let host = host.lowercased()
        return noProxy.split(separator: ",").contains { entry in
            var pattern = entry.trimmingHorizontalWhitespace().lowercased()
            if pattern == "*" { return true }
            if pattern.hasPrefix("*.") { pattern.removeFirst() }
            if pattern.hasPrefix(".") { pattern.removeFirst() }
            return !pattern.isEmpty && (host == pattern || host.hasSuffix("." + pattern))
        }
    }

    /// The proxy URL without its password, for messages.
    static func redacted(_ setting: String) -> String {
        guard var components = URLComponents(string: setting), components.password != nil else { return setting }
        components.password = "***"
        return components.string ?? "(the proxy URL)"
    }
}

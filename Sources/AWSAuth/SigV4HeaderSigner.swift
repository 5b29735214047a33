import FoundationEssentials

/// Signature Version 4 in the `Authorization` header, as botocore's `SigV4Auth.add_auth`
/// signs the requests of the query and JSON protocols.
public enum SigV4HeaderSigner {
    /// Headers that proxies and HTTP clients add, drop or rewrite on the way; botocore
    /// leaves them out of the signature so that the signature survives them.
    private static let unsignedHeaders: Set<String> = [
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// `headers` with X-Amz-Date, X-Amz-Security-Token (temporary credentials only) and
    /// Authorization added: every header to send. The Host header is signed but not
    /// returned; the HTTP client writes it from `url`, the same way botocore derives it.
    public static func sign(
        method: String,
        url: URL,
        headers: [String: String],
        body: Data,
        service: String,
        region: String,
        credentials: AWSCredentials,
        at signingTime: Date
    ) -> [String: String] {
        let timestamp = SigV4Timestamp(signingTime)
        var signed = headers.filter { !["x-amz-date", "x-amz-security-token", "authorization"].contains($0.key.lowercased()) }
        signed["X-Amz-Date"] = timestamp.dateTime
        if let sessionToken = credentials.sessionToken {
            signed["X-Amz-Security-Token"] = sessionToken
        }

        var canonicalHeaders: [String: String] = [:]
        for (name, value) in signed where !unsignedHeaders.contains(name.lowercased()) {
            canonicalHeaders[name.lowercased()] = trimAll(value)
        }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        if canonicalHeaders["host"] == nil {
            canonicalHeaders["host"] = hostHeader(components)
        }
        let names = canonicalHeaders.keys.sorted()
        let signedHeaderNames = names.joined(separator: ";")

        let canonicalRequest = [
            method.uppercased(),
            SigV4PercentEncoding.encodePath(removingDotSegments(components?.percentEncodedPath ?? "")),
            canonicalQueryString(components?.percentEncodedQuery),
            names.map { "\($0):\(canonicalHeaders[$0] ?? "")\n" }.joined(),
            signedHeaderNames,
            SigV4Signature.sha256Hex(body),
        ].joined(separator: "\n")
        let signature = SigV4Signature.signature(
            canonicalRequest: canonicalRequest, timestamp: timestamp, region: region, service: service,
            secretAccessKey: credentials.secretAccessKey)
        let scope = SigV4Signature.credentialScope(timestamp, region: region, service: service)
        signed["Authorization"] =
            "\(SigV4Signature.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaderNames), Signature=\(signature)"
        return signed
    }

    /// The host in lower case, with the port unless it is the scheme's default, and an
    /// IPv6 address in brackets: what the HTTP client sends as Host.
    static func hostHeader(_ components: URLComponents?) -> String {
        var host = (components?.host ?? "").lowercased()
        if host.contains(":"), !host.hasPrefix("[") {
            host = "[\(host)]"
        }
        let defaultPort = ["http": 80, "https": 443][components?.scheme?.lowercased() ?? ""]
        if let port = components?.port, port != defaultPort {
            host += ":\(port)"
        }
        return host
    }

    /// RFC 3986's remove_dot_segments, with empty segments dropped too (AWS asks for
    /// consecutive slashes to be collapsed): botocore's `normalize_url_path`.
    static func removingDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        return leading + segments.joined(separator: "/") + trailing
    }

    /// The URL's query, already percent-encoded, its pairs sorted by name then value.
    private static func canonicalQueryString(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: String(parts[0]), value: parts.count > 1 ? String(parts[1]) : "")
        }
        return SigV4QueryPresigner.canonicalQueryString(pairs)
    }

    /// SigV4's Trimall: surrounding whitespace removed, inner runs of it made one space.
    private static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

import FoundationEssentials

/// One HTTP/1.1 connection: writes requests and reads their answers, one at a time.
/// Not Sendable: the exchange that takes it from the pool owns it until it puts it back.
final class HTTPConnection {
    private let stream: ByteStream
    /// Bytes read past the end of what was parsed so far.
    private var buffer: [UInt8] = []
    private var parsed = 0

    /// The largest head and body dbiam accepts: AWS's answers are far smaller, and a
    /// server that lies must not make dbiam hold gigabytes.
    static let maximumHeadSize = 64 * 1024
    static let maximumBodySize = 64 * 1024 * 1024

    init(_ stream: ByteStream) {
        self.stream = stream
    }

    var isOpenAndQuiet: Bool { stream.isOpenAndQuiet }

    /// Sends `request` with `host` as its Host header and reads its answer. `reusable` says whether the connection can take another request.
    func exchange(_ request: HTTPRequest, host: String, until deadline: ContinuousClock.Instant)
        throws(HTTPError) -> (response: HTTPResponse, reusable: Bool)
    {
        var head = "\(request.method) \(Self.target(of: request.url)) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in request.headers {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(request.body.count)\r\n\r\n"
        try stream.write(Array(head.utf8) + request.body, until: deadline)

        var answer = try readHead(until: deadline)
        // 100 Continue and 103 Early Hints come before the answer itself.
        while (100..<200).contains(answer.status) && answer.status != 101 {
            answer = try readHead(until: deadline)
        }
        let (body, delimited) = try readBody(of: answer, noBody: request.method == "HEAD", until: deadline)
        let reusable = delimited && answer.keepsConnection
        return (HTTPResponse(status: answer.status, headers: answer.headers, body: Data(body)), reusable)
    }

    /// The status line and headers of an answer (a proxy's answer to CONNECT, too).
    func readHead(until deadline: ContinuousClock.Instant) throws(HTTPError) -> ResponseHead {
        // How many bytes after `parsed` are known to hold no end of head (fill moves them).
        var searched = 0
        while true {
            if let end = Self.endOfHead(in: buffer, from: parsed + searched) {
                guard end - parsed <= Self.maximumHeadSize else { throw Self.headTooLong }
                let head = try ResponseHead(buffer[parsed..<end])
                parsed = end + 4
                return head
            }
            searched = max(0, buffer.count - parsed - 3)
            guard buffer.count - parsed <= Self.maximumHeadSize else { throw Self.headTooLong }
            guard try fill(until: deadline) > 0 else {
                throw buffer.count == parsed
                    ? .connectionLost("the server closed the connection without answering")
                    : .connectionLost("the server closed the connection in the middle of the answer's headers")
            }
        }
    }

    private static let headTooLong = HTTPError.malformedResponse(
        "the answer's headers are longer than \(maximumHeadSize / 1024) KiB")

    /// The body, and whether its end was known without the connection closing.
    private func readBody(of head: ResponseHead, noBody: Bool, until deadline: ContinuousClock.Instant)
        throws(HTTPError) -> (body: ArraySlice<UInt8>, delimited: Bool)
    {
        if noBody || head.status == 204 || head.status == 304 {
            return ([], true)
        }
        if let encoding = head.headers["Transfer-Encoding"] {
            guard encoding.caseInsensitiveEquals("chunked") else {
                throw .malformedResponse("the answer is sent with Transfer-Encoding '\(encoding)', which dbiam does not read")
            }
            return (try readChunks(until: deadline), true)
        }
        if let length = head.headers["Content-Length"] {
            guard let count = Int(length), count >= 0 else {
                throw .malformedResponse("the answer's Content-Length '\(length)' is not a number of bytes")
            }
            guard count <= Self.maximumBodySize else {
                throw .malformedResponse("the answer's body of \(count) bytes is larger than dbiam accepts")
            }
            return (try take(count, until: deadline), true)
        }
        while try fill(until: deadline) > 0 {
            guard buffer.count - parsed <= Self.maximumBodySize else {
                throw .malformedResponse("the answer's body is larger than dbiam accepts")
            }
        }
        defer { parsed = buffer.count }
        return (buffer[parsed...], false)
    }

    private func readChunks(until deadline: ContinuousClock.Instant) throws(HTTPError) -> ArraySlice<UInt8> {
        var body: [UInt8] = []
        while true {
            let sizeLine = try line(until: deadline)
            let digits = sizeLine.prefix { $0 != UInt8(ascii: ";") }.filter { $0 != UInt8(ascii: " ") }
            guard !digits.isEmpty, digits.count <= 8, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16) else {
                throw .malformedResponse("a chunk of the answer has no valid size")
            }
            if size == 0 {
                // Trailers, if any, up to the empty line.
                while try !line(until: deadline).isEmpty {}
                return body[...]
            }
            guard body.count + size <= Self.maximumBodySize else {
                throw .malformedResponse("the answer's body is larger than dbiam accepts")
            }
            body += try take(size, until: deadline)
            guard try line(until: deadline).isEmpty else {
                throw .malformedResponse("a chunk of the answer is longer than its size says")
            }
        }
    }

    /// The next CRLF-terminated line, without its CRLF.
    private func line(until deadline: ContinuousClock.Instant) throws(HTTPError) -> ArraySlice<UInt8> {
        var searched = 0
        while true {
            if let newline = buffer[(parsed + searched)...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > parsed && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                defer { parsed = newline + 1 }
                return buffer[parsed..<end]
            }
            searched = buffer.count - parsed
            guard searched <= 4096 else { throw .malformedResponse("a chunk size line is too long") }
            guard try fill(until: deadline) > 0 else {
                throw .connectionLost("the server closed the connection in the middle of the answer")
            }
        }
    }

    private func take(_ count: Int, until deadline: ContinuousClock.Instant) throws(HTTPError) -> ArraySlice<UInt8> {
        while buffer.count - parsed < count {
            guard try fill(until: deadline) > 0 else {
                throw .connectionLost(
                    "the server closed the connection after \(buffer.count - parsed) of the answer's \(count) bytes")
            }
        }
        defer { parsed += count }
        return buffer[parsed..<parsed + count]
    }

    /// Reads more, first dropping what has been parsed.
    private func fill(until deadline: ContinuousClock.Instant) throws(HTTPError) -> Int {
        if parsed > 0 {
            buffer.removeFirst(parsed)
            parsed = 0
        }
        return try stream.read(into: &buffer, until: deadline)
    }

    private static func endOfHead(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 3 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
                return index
            }
            index += 1
        }
        return nil
    }

    /// The request target: the path (at least "/") and the query.
    private static func target(of url: URL) -> String {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let path = components?.percentEncodedPath ?? ""
        let query = components?.percentEncodedQuery.map { "?\($0)" } ?? ""
        return (path.isEmpty ? "/" : path) + query
    }
}

/// The status line and headers of an answer.
struct ResponseHead {
    var status: Int
    var headers: HTTPHeaders
    /// HTTP/1.1 keeps the connection unless told to close it; HTTP/1.0 only when told to keep it.
    var keepsConnection: Bool

    init(_ bytes: ArraySlice<UInt8>) throws(HTTPError) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }[...]
        guard let statusLine = lines.popFirst(), statusLine.count >= 12 else {
            throw .malformedResponse("the answer is not HTTP (no status line)")
        }
        let version = String(decoding: statusLine.prefix(8), as: UTF8.self)
        let code = statusLine.dropFirst(9).prefix(3)
        guard version == "HTTP/1.1" || version == "HTTP/1.0", statusLine[statusLine.startIndex + 8] == UInt8(ascii: " "),
            code.allSatisfy({ (0x30...0x39).contains($0) }), let status = Int(String(decoding: code, as: UTF8.self))
        else {
            throw .malformedResponse("the answer is not HTTP/1.x (its first line is not a status line)")
        }
        var fields: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw .malformedResponse("the answer has a header line without a name")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingHorizontalWhitespace()
            fields.append((name, value))
        }
        self.status = status
        headers = HTTPHeaders(fields)
        let connection = (headers["Connection"] ?? "").split(separator: ",").map { $0.trimmingHorizontalWhitespace() }
        keepsConnection =
            version == "HTTP/1.1"
            ? !connection.contains { $0.caseInsensitiveEquals("close") }
            : connection.contains { $0.caseInsensitiveEquals("keep-alive") }
    }
}

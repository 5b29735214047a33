import Foundation
import Synchronization

/// An HTTP server on 127.0.0.1 that answers each request with the next of its scripted
/// responses (the last one again once the script runs out) and counts the requests:
/// AWS answering 503 or Throttling, then 200. One request per connection.
public final class ScriptedHTTPServer: Sendable {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String

        public init(status: Int, headers: [String: String] = [:], body: String) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    private struct State {
        var requests: [String] = []
        var stopped = false
    }

    public let port: Int
    private let listener: Int32
    private let script: [Response]
    private let state = Mutex(State())

    public init(_ script: [Response]) throws {
        precondition(!script.isEmpty, "a scripted server needs at least one response")
        (listener, port) = try LoopbackSocket.listen()
        self.script = script
        Thread { [self] in acceptLoop() }.start()
    }

    deinit {
        close(listener)
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// How many requests came in.
    public var requestCount: Int { state.withLock { $0.requests.count } }

    /// Each request's head and body as received, in order.
    public var requests: [String] { state.withLock { $0.requests } }

    /// Stops accepting; every test calls it when done so the thread ends.
    public func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            if state.withLock({ $0.stopped }) {
                close(connection)
                return
            }
            answer(connection)
            close(connection)
        }
    }

    private func answer(_ connection: Int32) {
        guard let request = readRequest(connection) else { return }
        let response = state.withLock { state in
            state.requests.append(request)
            return script[min(state.requests.count, script.count) - 1]
        }
        let reason = [200: "OK", 400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error", 503: "Service Unavailable"]
        var head = "HTTP/1.1 \(response.status) \(reason[response.status] ?? "Status")\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.utf8.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + response.body).utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            sent += written
        }
    }

    /// The head and the Content-Length body of one request; nil when the client went away.
    private func readRequest(_ connection: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            if let headEnd = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: received[..<headEnd.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                if received.count - headEnd.upperBound >= length {
                    return String(decoding: received, as: UTF8.self)
                }
            }
            let count = recv(connection, &buffer, buffer.count, 0)
            if count <= 0 { return nil }
            received += buffer[..<count]
        }
    }
}

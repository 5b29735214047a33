import Foundation
import Synchronization

/// A TCP proxy in front of the local server that a test can break: `cut()` drops every
/// connection at once (a network failure or a failover), `stall()` stops forwarding
/// while keeping the connections open (a hung server). Its threads run until `cut()`,
/// which every test calls when done.
public final class TCPProxy: Sendable {
    private struct State {
        var sockets: Set<Int32> = []
        var stalled = false
        var closed = false
    }

    public let port: Int
    private let listener: Int32
    private let targetPort: Int
    private let state = Mutex(State())

    public init(targetPort: Int = LocalServer.port) throws {
        (listener, port) = try LoopbackSocket.listen()
        self.targetPort = targetPort
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit {
        close(listener)
    }

    /// Drops every open connection and refuses new ones.
    public func cut() {
        let sockets = state.withLock { state in
            state.closed = true
            return state.sockets
        }
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// Stops forwarding: bytes wait in the proxy, as if the server hung.
    public func stall() {
        state.withLock { $0.stalled = true }
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let upstream = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = LoopbackSocket.address(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.closed, connected == 0 else { return false }
                state.sockets.formUnion([client, upstream])
                return true
            }
            guard admitted else {
                close(client)
                close(upstream)
                continue
            }
            Thread { [self] in pump(from: client, to: upstream) }.start()
            Thread { [self] in pump(from: upstream, to: client) }.start()
        }
    }

    private func pump(from source: Int32, to destination: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(source, &buffer, buffer.count)
            guard count > 0 else { break }
            while state.withLock({ $0.stalled && !$0.closed }) { usleep(20_000) }
            if state.withLock({ $0.closed }) { break }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { write(destination, $0.baseAddress! + sent, count - sent) }
                guard written > 0 else { break }
                sent += written
            }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(destination, Int32(SHUT_RDWR))
        state.withLock { state in
            if state.sockets.remove(source) != nil { close(source) }
            if state.sockets.remove(destination) != nil { close(destination) }
        }
    }
}

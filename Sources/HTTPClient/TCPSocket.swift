import Glibc
import Synchronization

/// Set when the task that waits for an exchange is cancelled; every wait of the
/// exchange looks at it at least every `TCPSocket.pollSlice`.
final class Cancellation: Sendable {
    private let flag = Atomic(false)

    func cancel() { flag.store(true, ordering: .relaxed) }

    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// The bytes of one connection, plain or through TLS.
protocol ByteStream: AnyObject {
    /// Appends what arrives to `buffer`; 0 when the peer has closed the connection.
    func read(into buffer: inout [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPError) -> Int
    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPError)
    /// Whether the connection can take another request: not closed by the peer, and
    /// nothing unasked-for waiting to be read.
    var isOpenAndQuiet: Bool { get }
}

/// A non-blocking TCP connection whose every wait ends at a deadline or on cancellation.
/// The descriptor is closed when the socket is released.
final class TCPSocket: ByteStream {
    private let descriptor: Int32
    /// The flag of the exchange using the socket now (a kept socket serves several).
    var cancellation: Cancellation

    /// How long one wait runs before it looks at the cancellation flag again.
    static let pollSlice: Duration = .milliseconds(50)
    /// What one receive reads into, made once per socket rather than at every read.
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    private init(descriptor: Int32, cancellation: Cancellation) {
        self.descriptor = descriptor
        self.cancellation = cancellation
    }

    deinit {
        close(descriptor)
    }

    /// Connects to the first address of `host` that answers.
    static func connect(host: String, port: Int, until deadline: ContinuousClock.Instant, cancellation: Cancellation)
        throws(HTTPError) -> TCPSocket
    {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let first = found else {
            throw .cannotConnect("the name \(host) does not resolve (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(first) }

        var problem = "no address"
        var address: UnsafeMutablePointer<addrinfo>? = first
        while let candidate = address {
            address = candidate.pointee.ai_next
            let descriptor = socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
            guard descriptor >= 0 else {
                problem = String(cString: strerror(errno))
                continue
            }
            let socket = TCPSocket(descriptor: descriptor, cancellation: cancellation)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            var noDelay: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(descriptor, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 {
                return socket
            }
            guard errno == EINPROGRESS else {
                problem = String(cString: strerror(errno))
                continue
            }
            try socket.wait(for: Int16(POLLOUT), until: deadline)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            if error == 0 { return socket }
            problem = String(cString: strerror(error))
        }
        throw .cannotConnect("\(host):\(port) did not accept a connection (\(problem))")
    }

    func read(into buffer: inout [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPError) -> Int {
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 {
                buffer.append(contentsOf: chunk[..<count])
                return count
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR:
                try wait(for: Int16(POLLIN), until: deadline)
            case let code:
                throw .connectionLost("the connection broke while reading (\(String(cString: strerror(code))))")
            }
        }
    }

    func write(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(HTTPError) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count >= 0 {
                sent += count
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK, EINTR:
                try wait(for: Int16(POLLOUT), until: deadline)
            case let code:
                throw .connectionLost("the connection broke while writing (\(String(cString: strerror(code))))")
            }
        }
    }

    var isOpenAndQuiet: Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        // Readable before a request is sent means closed by the peer, or bytes nobody asked for.
        return poll(&entry, 1, 0) == 0
    }

    /// Waits until the socket is ready for `events`.
    private func wait(for events: Int16, until deadline: ContinuousClock.Instant) throws(HTTPError) {
        while true {
            if cancellation.isCancelled { throw .cancelled }
            let remaining = deadline - .now
            guard remaining > .zero else { throw .timedOut }
            let slice = min(remaining, Self.pollSlice)
            let milliseconds = Int32(slice.components.seconds * 1000 + slice.components.attoseconds / 1_000_000_000_000_000)
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&entry, 1, max(milliseconds, 1))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR {
                throw .connectionLost("waiting on the connection failed (\(String(cString: strerror(errno))))")
            }
        }
    }
}

/// IP address literals, which TLS checks against a certificate's IP addresses, not its names.
enum IPAddress {
    static func isLiteral(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}

import Foundation

/// A port on 127.0.0.1 with nothing listening on it.
public enum ClosedPort {
    public static func reserve() throws -> Int {
        let listener = try SilentListener()
        return listener.port
        // The listener closes here, leaving the port closed.
    }
}

/// A TCP listener that accepts connections and never says anything: what a
/// security-group black hole or a wrong service on the port looks like to a client.
public final class SilentListener {
    private let socket: Int32
    public let port: Int

    public init() throws {
        (socket, port) = try LoopbackSocket.listen()
    }

    deinit {
        close(socket)
    }
}

/// Listening sockets on 127.0.0.1, for the test servers and proxies.
enum LoopbackSocket {
    /// A socket listening on a free port of 127.0.0.1, and the port.
    static func listen() throws -> (socket: Int32, port: Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = self.address(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(socket, 64) == 0 else {
            close(socket)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func address(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}

/// A CA certificate that signed nothing the server has.
public enum SelfSignedCA {
    public static func write(to url: URL) throws {
        let key = url.deletingPathExtension().appendingPathExtension("key")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=dbiam bogus CA",
                             "-keyout", key.path, "-out", url.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw POSIXError(.EIO) }
    }
}

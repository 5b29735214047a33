import Glibc

/// Reading from open descriptors (standard input, a file, a program's output pipe) with
/// read(2), as Foundation's FileHandle read them before dbiam left Foundation.
enum FileDescriptors {
    /// A read that failed, with the system's error number.
    struct ReadFailure: Error {
        var errorNumber: Int32
    }

    /// The bytes of `descriptor` up to its end, or its first `limit` bytes. A read that a
    /// signal interrupts is made again.
    static func read(_ descriptor: Int32, upTo limit: Int = .max) throws(ReadFailure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(limit, 65_536))
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadFailure(errorNumber: errno)
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes
    }
}

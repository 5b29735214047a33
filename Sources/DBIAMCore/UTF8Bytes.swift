/// Questions about the UTF-8 bytes of text, asked on its contiguous storage: renderers
/// ask them of every name and statement of a plan, and walking a `UTF8View` element by
/// element costs several times more.
enum UTF8Bytes {
    /// Whether every byte satisfies `predicate`.
    @inline(__always)
    static func all(_ text: String, _ predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(predicate) } ?? text.utf8.allSatisfy(predicate)
    }

    /// How many of the text's bytes satisfy `predicate`.
    static func count(_ text: String, where predicate: (UInt8) -> Bool) -> Int {
        text.utf8.withContiguousStorageIfAvailable { $0.count(where: predicate) } ?? text.utf8.count(where: predicate)
    }

    /// Whether the text is printable ASCII (space to tilde).
    static func isPrintableASCII(_ text: String) -> Bool {
        all(text) { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Byte order: the order IAM policies and canonical JSON list their strings in, the
    /// same in every process and locale.
    static func precede(_ lhs: String, _ rhs: String) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// The same bytes (two names that are only canonically equal are two names to MySQL).
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && compare(lhs, rhs) == 0
    }

    private static func compare(_ lhs: String, _ rhs: String) -> Int {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                let common = min(left.count, right.count)
                var index = 0
                // Eight bytes at a time, read big-endian so that the first different byte
                // decides: the ARNs of a policy share their first 70.
                if let leftStart = UnsafeRawPointer(left.baseAddress), let rightStart = UnsafeRawPointer(right.baseAddress) {
                    while index + 8 <= common {
                        let leftWord = UInt64(bigEndian: leftStart.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                        let rightWord = UInt64(bigEndian: rightStart.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                        if leftWord != rightWord { return leftWord < rightWord ? -1 : 1 }
                        index += 8
                    }
                }
                while index < common {
                    if left[index] != right[index] { return left[index] < right[index] ? -1 : 1 }
                    index += 1
                }
                return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
            }
        }
    }
}

/// Questions about the UTF-8 bytes of text, asked on its contiguous storage: renderers
/// ask them of every name and statement of a plan, and walking a `UTF8View` element by
/// element costs several times more.
enum ByteScan {
    /// Whether every byte satisfies `predicate`.
    @inline(__always)
    static func all(_ text: String, _ predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(predicate) } ?? text.utf8.allSatisfy(predicate)
    }

    /// Whether the text is printable ASCII (space to tilde).
    static func isPrintableASCII(_ text: String) -> Bool {
        all(text) { $0 >= 0x20 && $0 < 0x7F }
    }
}

extension StringProtocol {
    /// Without the spaces and tabs at either end; line breaks stay. The characters are
    /// those of Foundation's `CharacterSet.whitespaces`, which dbiam trimmed header values,
    /// settings and answers with before it left Foundation: tab, and the space separators
    /// (U+0020, U+00A0, U+1680, U+2000 to U+200A, U+202F, U+205F, U+3000, and U+200B as
    /// CoreFoundation counts it). Here, the lowest module that trims, for the others to use.
    public func trimmingHorizontalWhitespace() -> String {
        let scalars = self[...].unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.isHorizontalWhitespace }),
            let last = scalars.lastIndex(where: { !$0.isHorizontalWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension Unicode.Scalar {
    fileprivate var isHorizontalWhitespace: Bool {
        switch value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}

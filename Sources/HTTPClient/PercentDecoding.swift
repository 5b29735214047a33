extension StringProtocol {
    /// Every `%XX` replaced by the byte it stands for, the bytes read as UTF-8 (without a
    /// byte order mark at the start); nil when a `%` is not followed by two hex digits or
    /// the bytes are not UTF-8. As Foundation's `removingPercentEncoding` decoded
    /// (FoundationEssentials has none) the user and password of a proxy URL and the policy
    /// documents IAM returns. Here, the lowest module that decodes, for the others to use.
    public func percentDecoded() -> String? {
        var bytes: [UInt8] = []
        var encoded = utf8.makeIterator()
        while let byte = encoded.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = encoded.next().flatMap(Self.hexValue), let low = encoded.next().flatMap(Self.hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        return String(validating: bytes.starts(with: byteOrderMark) ? bytes.dropFirst(3) : bytes[...], as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

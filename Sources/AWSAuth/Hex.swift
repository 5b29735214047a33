/// Hex digits of bytes.
public enum Hex {
    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)

    /// Lower-case hex of a digest or MAC, as SigV4 signatures and hashes are written.
    public static func lowerCase<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes.flatMap { [lowerDigits[Int($0 >> 4)], lowerDigits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }

    /// Upper-case hex of one byte, as percent-encoding writes it.
    static func upperCase(_ byte: UInt8) -> String {
        String(decoding: [upperDigits[Int(byte >> 4)], upperDigits[Int(byte & 0x0F)]], as: UTF8.self)
    }
}

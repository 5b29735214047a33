/// The AWS account an access key id belongs to, read from the id itself: since 2019
/// AWS writes the account into the key id (after the four-letter prefix, base32, in
/// bits 1 to 40 of the first six bytes, shifted by 7). dbiam uses it only when STS
/// cannot be asked, to warn that a token will be refused before anyone tries it.
public enum AccessKeyAccount {
    /// The 12-digit account, or nil for an id that does not carry one (an older key,
    /// a made-up test key).
    public static func account(ofAccessKeyID id: String) -> String? {
        let characters = Array(id.utf8)
        guard characters.count == 20, ["AKIA", "ASIA"].contains(String(decoding: characters[0..<4], as: UTF8.self)) else { return nil }
        var bits: UInt64 = 0
        var count = 0
        var bytes: [UInt8] = []
        for character in characters[4...] {
            guard let value = base32Value(character) else { return nil }
            bits = bits << 5 | UInt64(value)
            count += 5
            if count >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(count - 8)))
                count -= 8
            }
        }
        guard bytes.count >= 6 else { return nil }
        let first = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let account = (first & 0x7FFF_FFFF_FF80) >> 7
        guard account > 0, account < 1_000_000_000_000 else { return nil }
        let digits = String(account)
        return String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// RFC 4648's alphabet: A–Z are 0–25, 2–7 are 26–31.
    private static func base32Value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): character - UInt8(ascii: "A")
        case UInt8(ascii: "2")...UInt8(ascii: "7"): character - UInt8(ascii: "2") + 26
        default: nil
        }
    }
}

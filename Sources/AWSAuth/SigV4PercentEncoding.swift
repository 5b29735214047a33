/// Percent-encoding as SigV4 defines it for query strings: the unreserved characters
/// `A-Z a-z 0-9 - _ . ~` stay, every other UTF-8 byte becomes `%XX` in upper-case hex.
/// Unlike form encoding, a space is `%20`, never `+`.
public enum SigV4PercentEncoding {
    public static func encode(_ text: String) -> String {
        encode(text, keepingSlashes: false, spaceAsPlus: false)
    }

    /// A canonical URI path: as `encode`, but `/` stays (botocore's `quote(path, safe='/~')`).
    /// A `%` already in the path is encoded again, as SigV4 does for every service but S3.
    static func encodePath(_ path: String) -> String {
        encode(path, keepingSlashes: true, spaceAsPlus: false)
    }

    /// One name or value of an `application/x-www-form-urlencoded` body as botocore
    /// writes the query protocol's (Python's `urlencode`): as `encode`, but a space is `+`.
    public static func encodeFormComponent(_ text: String) -> String {
        encode(text, keepingSlashes: false, spaceAsPlus: true)
    }

    private static func encode(_ text: String, keepingSlashes: Bool, spaceAsPlus: Bool) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else if spaceAsPlus && byte == UInt8(ascii: " ") {
                encoded += "+"
            } else {
                encoded += "%"
                encoded += Hex.upperCase(byte)
            }
        }
        return encoded
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}

import Crypto
import FoundationEssentials

/// The steps of Signature Version 4 that the presigner (query string) and the header
/// signer share: the credential scope, the string to sign, the derived signing key and
/// the signature. Only the canonical request differs between the two.
enum SigV4Signature {
    static let algorithm = "AWS4-HMAC-SHA256"

    /// `DATE/REGION/SERVICE/aws4_request`, the scope a signature is valid in.
    static func credentialScope(_ timestamp: SigV4Timestamp, region: String, service: String) -> String {
        "\(timestamp.date)/\(region)/\(service)/aws4_request"
    }

    /// The lower-case hex signature of `canonicalRequest`.
    static func signature(
        canonicalRequest: String, timestamp: SigV4Timestamp, region: String, service: String, secretAccessKey: String
    ) -> String {
        let stringToSign = [
            algorithm,
            timestamp.dateTime,
            credentialScope(timestamp, region: region, service: service),
            sha256Hex(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signingKey = [timestamp.date, region, service, "aws4_request"].reduce(
            SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        ) { key, scopePart in
            SymmetricKey(data: hmacSHA256(Data(scopePart.utf8), key: key))
        }
        return Hex.lowerCase(hmacSHA256(Data(stringToSign.utf8), key: signingKey))
    }

    static func sha256Hex(_ data: Data) -> String {
        Hex.lowerCase(SHA256.hash(data: data))
    }

    private static func hmacSHA256(_ data: Data, key: SymmetricKey) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: data, using: key))
    }
}

/// The signing time as SigV4 writes it, in UTC with the fraction of a second dropped
/// (botocore formats it with strftime, which truncates).
struct SigV4Timestamp {
    /// `yyyyMMdd`, for the credential scope.
    let date: String
    /// `yyyyMMdd'T'HHmmss'Z'`, for X-Amz-Date and the string to sign.
    let dateTime: String

    init(_ moment: Date) {
        let time = UTCTime(moment)
        date = time.digits(\.year, 4) + time.digits(\.month, 2) + time.digits(\.day, 2)
        dateTime = date + "T" + time.digits(\.hour, 2) + time.digits(\.minute, 2) + time.digits(\.second, 2) + "Z"
    }
}

import Crypto
import Foundation

/// Signature Version 4 in the query string (a presigned URL) for a GET of `/` with an
/// empty body and `host` as the only signed header: what botocore's `SigV4QueryAuth`
/// does for `generate_db_auth_token`.
enum SigV4QueryPresigner {
    static let algorithm = "AWS4-HMAC-SHA256"

    /// The query string, without the leading `?`, in botocore's order: the operation's
    /// parameters as given, then X-Amz-Algorithm, -Credential, -Date, -Expires,
    /// -SignedHeaders, -Security-Token, and X-Amz-Signature last. Only the copy that is
    /// signed (the canonical query string) is sorted.
    static func presignedQuery(
        operationParameters: [(name: String, value: String)],
        hostHeader: String,
        service: String,
        region: String,
        expiresInSeconds: Int,
        credentials: AWSCredentials,
        at signingTime: Date
    ) -> String {
        let timestamp = SigV4Timestamp(signingTime)
        let scope = "\(timestamp.date)/\(region)/\(service)/aws4_request"

        var parameters = operationParameters
        parameters += [
            ("X-Amz-Algorithm", algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            ("X-Amz-Date", timestamp.dateTime),
            ("X-Amz-Expires", String(expiresInSeconds)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let sessionToken = credentials.sessionToken {
            parameters.append(("X-Amz-Security-Token", sessionToken))
        }
        let encodedParameters = parameters.map {
            (name: SigV4PercentEncoding.encode($0.name), value: SigV4PercentEncoding.encode($0.value))
        }

        let canonicalRequest = [
            "GET",
            "/",
            canonicalQueryString(encodedParameters),
            "host:\(hostHeader)\n",
            "host",
            sha256Hex(Data()),
        ].joined(separator: "\n")
        let stringToSign = [
            algorithm,
            timestamp.dateTime,
            scope,
            sha256Hex(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signingKey = [timestamp.date, region, service, "aws4_request"].reduce(
            SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        ) { key, scopePart in
            SymmetricKey(data: hmacSHA256(Data(scopePart.utf8), key: key))
        }
        let signature = Hex.lowerCase(hmacSHA256(Data(stringToSign.utf8), key: signingKey))

        let query = encodedParameters.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        return "\(query)&X-Amz-Signature=\(signature)"
    }

    /// Pairs sorted by encoded name, then by encoded value. Encoded text is ASCII, where
    /// String order is the byte order SigV4 asks for.
    static func canonicalQueryString(_ encodedParameters: [(name: String, value: String)]) -> String {
        encodedParameters
            .sorted { ($0.name, $0.value) < ($1.name, $1.value) }
            .map { "\($0.name)=\($0.value)" }
            .joined(separator: "&")
    }

    private static func sha256Hex(_ data: Data) -> String {
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

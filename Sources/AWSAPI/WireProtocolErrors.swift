import FoundationEssentials
import HTTPClient

/// Error answers of the query protocol:
/// `<ErrorResponse><Error><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
enum QueryProtocolErrors {
    @Sendable static func read(_ body: Data, _ headers: HTTPHeaders) -> (code: String, message: String)? {
        guard let root = try? XMLTree(parsing: body), let error = root.first("Error"), let code = error.string("Code"),
            !code.isEmpty
        else { return nil }
        return (code, error.string("Message") ?? "")
    }

    /// The RequestId element of an XML error answer, for when the header is missing.
    static func requestID(_ body: Data) -> String? {
        (try? XMLTree(parsing: body))?.first("RequestId")?.text
    }
}

/// Error answers of JSON 1.1: `{"__type": "…#Code", "message": "…"}`, the code also in
/// the x-amzn-ErrorType header.
enum JSONProtocolErrors {
    private struct Shape: Decodable {
        var type: String?
        var message: String?
        var capitalizedMessage: String?

        enum CodingKeys: String, CodingKey {
            case type = "__type"
            case message
            case capitalizedMessage = "Message"
        }
    }

    @Sendable static func read(_ body: Data, _ headers: HTTPHeaders) -> (code: String, message: String)? {
        let shape = try? JSONDecoder().decode(Shape.self, from: body)
        guard let raw = headers["x-amzn-ErrorType"] ?? shape?.type else { return nil }
        let code = errorCode(raw)
        guard !code.isEmpty else { return nil }
        return (code, shape?.message ?? shape?.capitalizedMessage ?? "")
    }

    /// "com.amazonaws.swbexternalservice#ResourceNotFoundException" and
    /// "ResourceNotFoundException:http://internal.amazon.com/…" are both "ResourceNotFoundException".
    static func errorCode(_ raw: String) -> String {
        var code = Substring(raw)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return code.trimmingHorizontalWhitespace()
    }
}

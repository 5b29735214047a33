import FoundationEssentials

/// Signature Version 4 in the query string (a presigned URL) for a GET of `/` with an
/// empty body and `host` as the only signed header: what botocore's `SigV4QueryAuth`
/// does for `generate_db_auth_token`.
enum SigV4QueryPresigner {
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
        let scope = SigV4Signature.credentialScope(timestamp, region: region, service: service)

        var parameters = operationParameters
        parameters += [
            ("X-Amz-Algorithm", SigV4Signature.algorithm),
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
            SigV4Signature.sha256Hex(Data()),
        ].joined(separator: "\n")
        let signature = SigV4Signature.signature(
            canonicalRequest: canonicalRequest, timestamp: timestamp, region: region, service: service,
            secretAccessKey: credentials.secretAccessKey)

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
}

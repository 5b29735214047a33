/// Who the credentials belong to.
public struct CallerIdentity: Sendable, Equatable {
    public init(account: String, arn: String, userID: String) {
        self.account = account
        self.arn = arn
        self.userID = userID
    }

    /// The 12-digit account id.
    public var account: String
    public var arn: String
    public var userID: String
}

extension AWSClient {
    public var sts: STSAPI { STSAPI(client: self) }
}

/// The STS operation dbiam needs.
public struct STSAPI: Sendable {
    let client: AWSClient

    public func getCallerIdentity() async throws(AWSError) -> CallerIdentity {
        let result = try await client.query(.sts, action: "GetCallerIdentity")
        return CallerIdentity(
            account: result.string("Account") ?? "", arn: result.string("Arn") ?? "", userID: result.string("UserId") ?? "")
    }
}

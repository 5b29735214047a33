/// The organization the credentials' account belongs to.
public struct Organization: Sendable, Equatable, Decodable {
    public init(
        id: String, arn: String, managementAccountID: String? = nil, managementAccountARN: String? = nil
    ) {
        self.id = id
        self.arn = arn
        self.managementAccountID = managementAccountID
        self.managementAccountARN = managementAccountARN
    }

    public var id: String
    public var arn: String
    public var managementAccountID: String?
    public var managementAccountARN: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case arn = "Arn"
        // The API still calls the management account the master account.
        case managementAccountID = "MasterAccountId"
        case managementAccountARN = "MasterAccountArn"
    }
}

extension AWSClient {
    public var organizations: OrganizationsAPI { OrganizationsAPI(client: self) }
}

public struct OrganizationsAPI: Sendable {
    let client: AWSClient

    private struct Answer: Decodable {
        var organization: Organization
        enum CodingKeys: String, CodingKey { case organization = "Organization" }
    }

    /// An account outside any organization is AWSError code AWSOrganizationsNotInUseException.
    public func describeOrganization() async throws(AWSError) -> Organization {
        try await client.json(.organizations, operation: "DescribeOrganization", input: [String: String](), as: Answer.self)
            .organization
    }
}

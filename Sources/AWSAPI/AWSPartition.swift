/// An AWS partition: a set of regions with its own DNS suffix and its own global
/// endpoints, found from the region's name as the SDKs' partitions.json does.
public struct AWSPartition: Sendable, Hashable {
    /// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b` or `aws-iso-e`.
    public var id: String
    public var dnsSuffix: String
    /// Where the global IAM endpoint lives and the region its requests are signed for.
    var iamHost: String
    var iamSigningRegion: String
    /// The one region that serves the global Organizations API.
    var organizationsRegion: String

    public static let aws = AWSPartition(
        id: "aws", dnsSuffix: "amazonaws.com", iamHost: "iam.amazonaws.com", iamSigningRegion: "us-east-1",
        organizationsRegion: "us-east-1")
    public static let awsCN = AWSPartition(
        id: "aws-cn", dnsSuffix: "amazonaws.com.cn", iamHost: "iam.cn-north-1.amazonaws.com.cn",
        iamSigningRegion: "cn-north-1", organizationsRegion: "cn-northwest-1")
    public static let awsUSGov = AWSPartition(
        id: "aws-us-gov", dnsSuffix: "amazonaws.com", iamHost: "iam.us-gov.amazonaws.com",
        iamSigningRegion: "us-gov-west-1", organizationsRegion: "us-gov-west-1")
    public static let awsISO = AWSPartition(
        id: "aws-iso", dnsSuffix: "c2s.ic.gov", iamHost: "iam.us-iso-east-1.c2s.ic.gov",
        iamSigningRegion: "us-iso-east-1", organizationsRegion: "us-iso-east-1")
    public static let awsISOB = AWSPartition(
        id: "aws-iso-b", dnsSuffix: "sc2s.sgov.gov", iamHost: "iam.us-isob-east-1.sc2s.sgov.gov",
        iamSigningRegion: "us-isob-east-1", organizationsRegion: "us-isob-east-1")
    public static let awsISOE = AWSPartition(
        id: "aws-iso-e", dnsSuffix: "cloud.adc-e.uk", iamHost: "iam.eu-isoe-west-1.cloud.adc-e.uk",
        iamSigningRegion: "eu-isoe-west-1", organizationsRegion: "eu-isoe-west-1")

    /// The partition of a region, from its prefix; a region no prefix claims is in
    /// `aws`, as the SDKs decide for regions newer than their partition data.
    public init(region: String) {
        // us-isob- before us-iso-: the longer prefix is the more specific partition.
        let byPrefix: [(String, AWSPartition)] = [
            ("cn-", .awsCN), ("us-gov-", .awsUSGov), ("us-isob-", .awsISOB), ("us-iso-", .awsISO), ("eu-isoe-", .awsISOE),
        ]
        self = byPrefix.first { region.hasPrefix($0.0) }?.1 ?? .aws
    }

    private init(id: String, dnsSuffix: String, iamHost: String, iamSigningRegion: String, organizationsRegion: String) {
        self.id = id
        self.dnsSuffix = dnsSuffix
        self.iamHost = iamHost
        self.iamSigningRegion = iamSigningRegion
        self.organizationsRegion = organizationsRegion
    }

    /// The service's public endpoint for a client in `region`, and the region its
    /// requests are signed for (another one for the global services).
    func defaultEndpoint(_ service: AWSService, region: String) -> (host: String, signingRegion: String) {
        switch service {
        case .iam:
            (iamHost, iamSigningRegion)
        case .organizations:
            ("organizations.\(organizationsRegion).\(dnsSuffix)", organizationsRegion)
        case .rds, .sts, .ssoAdmin:
            ("\(service.signingName).\(region).\(dnsSuffix)", region)
        }
    }
}

import AWSAuth
import FoundationEssentials
import HTTPClient

/// Where one service's requests go and the region they are signed for.
public struct AWSEndpoint: Sendable, Equatable {
    public var url: URL
    public var signingRegion: String
    public var source: EndpointSource
}

/// What chose an endpoint, for messages that say where to change it.
public enum EndpointSource: Sendable, Equatable {
    /// AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL.
    case environmentVariable(String)
    /// `endpoint_url` in the selected profile.
    case profileSetting(ProfileSetting)
    /// The partition's public endpoint.
    case partitionDefault(partition: String)
}

extension EndpointSource: CustomStringConvertible {
    public var description: String {
        switch self {
        case .environmentVariable(let name): name
        case .profileSetting(let setting): setting.description
        case .partitionDefault(let partition): "the default endpoint of partition \(partition)"
        }
    }
}

/// Resolves endpoints as the AWS SDKs do: AWS_ENDPOINT_URL_<SERVICE>, then
/// AWS_ENDPOINT_URL, then `endpoint_url` in the selected profile, else the public
/// endpoint of the region's partition. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or
/// `ignore_configured_endpoint_urls = true` in the profile) skips all three.
///
/// Requests carry credentials, so an endpoint must be https, except on a loopback host,
/// where the local AWS stand-in listens over plain http.
public struct AWSEndpointResolver: Sendable {
    public var environment: [String: String]
    /// The profile given with `--profile`, or nil for AWS_PROFILE and the other defaults.
    public var profile: String?
    /// Where `~/.aws` is; nil for HOME.
    public var homeDirectory: String?

    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment, profile: String? = nil,
        homeDirectory: String? = nil
    ) {
        self.environment = environment
        self.profile = profile
        self.homeDirectory = homeDirectory
    }

    private static let loopbackHosts: Set<String> = ["127.0.0.1", "::1", "[::1]", "localhost"]

    public func endpoint(for service: AWSService, region: String) throws(AWSConfigurationError) -> AWSEndpoint {
        guard !region.isEmpty else { throw .noRegion }
        if let (configured, source) = try configuredEndpoint(for: service) {
            // A configured endpoint is signed for the client's region, as the SDKs do.
            return AWSEndpoint(url: try Self.validated(configured, source: source), signingRegion: region, source: source)
        }
        let partition = AWSPartition(region: region)
        let (host, signingRegion) = partition.defaultEndpoint(service, region: region)
        return AWSEndpoint(
            url: URL(string: "https://\(host)/")!, signingRegion: signingRegion,
            source: .partitionDefault(partition: partition.id))
    }

    private var chain: AWSCredentialChain {
        AWSCredentialChain(environment: environment, homeDirectory: homeDirectory)
    }

    private func configuredEndpoint(for service: AWSService) throws(AWSConfigurationError)
        -> (String, EndpointSource)?
    {
        if Self.isTrue(environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]) { return nil }
        for variable in ["AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)", "AWS_ENDPOINT_URL"] {
            if let value = environment[variable], !value.isEmpty {
                return (value, .environmentVariable(variable))
            }
        }
        do {
            if Self.isTrue(try chain.profileSetting("ignore_configured_endpoint_urls", profile: profile)?.value) {
                return nil
            }
            if let setting = try chain.profileSetting("endpoint_url", profile: profile) {
                return (setting.value, .profileSetting(setting))
            }
        } catch {
            throw .unreadableConfiguration(error)
        }
        return nil
    }

    private static func isTrue(_ value: String?) -> Bool {
        value?.trimmingHorizontalWhitespace().lowercased() == "true"
    }

    private static func validated(_ text: String, source: EndpointSource) throws(AWSConfigurationError) -> URL {
        let trimmed = text.trimmingHorizontalWhitespace()
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, components.query == nil,
            var url = components.url
        else {
            throw .invalidEndpoint(text, source: source)
        }
        switch scheme {
        case "https":
            break
        case "http" where loopbackHosts.contains(host.lowercased()):
            break
        case "http":
            throw .plainHTTPEndpoint(trimmed, source: source)
        default:
            throw .invalidEndpoint(text, source: source)
        }
        if components.path.isEmpty {
            url = URL(string: trimmed + "/") ?? url
        }
        return url
    }
}

/// Settings that keep dbiam from calling AWS at all, found before anything is sent.
public enum AWSConfigurationError: Error, Sendable, Equatable {
    /// An endpoint that is not an http(s) URL with a host (and no query).
    case invalidEndpoint(String, source: EndpointSource)
    /// An http:// endpoint on a host other than 127.0.0.1, ::1 or localhost.
    case plainHTTPEndpoint(String, source: EndpointSource)
    /// AWS_MAX_ATTEMPTS or `max_attempts` is not a whole number of at least 1.
    case invalidMaxAttempts(String, source: String)
    case noRegion
    /// ~/.aws/config or ~/.aws/credentials could not be read.
    case unreadableConfiguration(CredentialError)
}

extension AWSConfigurationError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case let .invalidEndpoint(value, source):
            "The AWS endpoint '\(value)' from \(source) is not an http(s) URL with a host. "
                + "Correct it (for example https://rds.us-east-1.amazonaws.com), or remove it to use AWS's public endpoint."
        case let .plainHTTPEndpoint(value, source):
            "The AWS endpoint '\(value)' from \(source) is plain http on a host other than this machine; "
                + "dbiam sends credentials over https only (http is allowed for 127.0.0.1, ::1 and localhost). "
                + "Use an https:// URL, or remove the setting to use AWS's public endpoint."
        case let .invalidMaxAttempts(value, source):
            "\(source) is '\(value)', which is not a whole number of at least 1. "
                + "Set it to the number of attempts per AWS call (3 by default), or remove it."
        case .noRegion:
            "No AWS region is set. Give one with --region, AWS_REGION, or `region` in the profile of ~/.aws/config."
        case .unreadableConfiguration(let error):
            error.description
        }
    }
}

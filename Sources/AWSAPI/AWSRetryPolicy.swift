import AWSAuth
import FoundationEssentials
import HTTPClient

/// The SDKs' standard retry mode: throttling, transient errors, 5xx answers and broken
/// connections are tried again after a capped exponential backoff with full jitter;
/// anything else (a 400 such as AccessDenied) fails at once.
public struct AWSRetryPolicy: Sendable, Equatable {
    /// Attempts per call, the first one included.
    public var maxAttempts: Int
    /// The backoff before the first retry is up to this long, doubling each retry...
    public var baseDelay: Duration
    /// ...up to this cap (the SDKs' 20 seconds).
    public var maxBackoff: Duration

    public static let defaultMaxAttempts = 3

    public init(maxAttempts: Int = defaultMaxAttempts, baseDelay: Duration = .seconds(1), maxBackoff: Duration = .seconds(20)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxBackoff = maxBackoff
    }

    /// The standard mode with its number of attempts from AWS_MAX_ATTEMPTS, else
    /// `max_attempts` in the selected profile, else 3.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment, profile: String? = nil,
        homeDirectory: String? = nil
    ) throws(AWSConfigurationError) -> AWSRetryPolicy {
        if let value = environment["AWS_MAX_ATTEMPTS"], !value.isEmpty {
            return AWSRetryPolicy(maxAttempts: try attempts(value, source: "AWS_MAX_ATTEMPTS"))
        }
        let setting: ProfileSetting?
        do {
            setting = try AWSCredentialChain(environment: environment, homeDirectory: homeDirectory)
                .profileSetting("max_attempts", profile: profile)
        } catch {
            throw .unreadableConfiguration(error)
        }
        guard let setting else { return AWSRetryPolicy() }
        return AWSRetryPolicy(maxAttempts: try attempts(setting.value, source: setting.description))
    }

    private static func attempts(_ value: String, source: String) throws(AWSConfigurationError) -> Int {
        guard let attempts = Int(value.trimmingHorizontalWhitespace()), attempts >= 1 else {
            throw .invalidMaxAttempts(value, source: source)
        }
        return attempts
    }

    /// How long to wait before retry number `retry` (1 for the second attempt): a random
    /// share of base × 2^(retry-1), capped, so that many clients throttled together do
    /// not come back together.
    func backoff(beforeRetry retry: Int) -> Duration {
        let exponential = baseDelay * (1 << min(retry - 1, 30))
        return min(exponential, maxBackoff) * Double.random(in: 0...1)
    }

    /// Error codes the SDKs treat as throttling.
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Error codes of transient failures, retried like 5xx answers.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
        "IDPCommunicationError",
    ]

    static func isRetryable(httpStatus: Int, code: String) -> Bool {
        throttlingCodes.contains(code) || transientCodes.contains(code) || [429, 500, 502, 503, 504].contains(httpStatus)
    }
}

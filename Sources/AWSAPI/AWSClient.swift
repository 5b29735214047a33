import AWSAuth
import FoundationEssentials
import HTTPClient

/// Where a client's credentials come from.
public enum AWSCredentialSource: Sendable {
    /// These credentials, as they are.
    case fixed(AWSCredentials)
    /// The credential chain with this profile (nil: AWS_PROFILE and the other defaults),
    /// asked on the first call and again when the temporary credentials it gave expire.
    case chain(AWSCredentialChain, profile: String?)
}

/// Calls AWS APIs for one region with one set of credentials: signs each request,
/// sends it to the resolved endpoint, retries what the standard retry mode retries,
/// and bounds every call (retries and backoff included) by `timeout`.
///
/// The operations dbiam needs are in the service namespaces (`client.rds`, `client.iam`,
/// …); `query` and `json` reach any other operation of those services.
public struct AWSClient: Sendable {
    public var region: String
    public var endpoints: AWSEndpointResolver
    /// The time limit of one call, all its attempts and backoffs included.
    public var timeout: Duration
    public var retryPolicy: AWSRetryPolicy
    /// Carries the requests: its CA bundle and proxy come from AWS_CA_BUNDLE, HTTPS_PROXY
    /// and NO_PROXY unless given.
    public var transport: HTTPClient
    /// Hears of every attempt of every call, with its status and time (`-v`).
    public var trace: (@Sendable (AWSCallAttempt) -> Void)?
    private let credentialCache: CredentialCache

    public init(
        region: String,
        credentials: AWSCredentialSource,
        endpoints: AWSEndpointResolver = AWSEndpointResolver(),
        timeout: Duration = .seconds(30),
        retryPolicy: AWSRetryPolicy = AWSRetryPolicy(),
        transport: HTTPClient = .shared(HTTPClient.Configuration(environment: ProcessInfo.processInfo.environment))
    ) {
        self.region = region
        self.endpoints = endpoints
        self.timeout = timeout
        self.retryPolicy = retryPolicy
        self.transport = transport
        credentialCache = CredentialCache(credentials)
    }

    /// A client configured as the AWS CLI would be for `--profile profile`: credentials
    /// from the chain, endpoints from AWS_ENDPOINT_URL* and the profile, the number of
    /// attempts from AWS_MAX_ATTEMPTS or the profile, the certificate authorities from
    /// AWS_CA_BUNDLE or the profile's `ca_bundle`, the proxy from HTTPS_PROXY.
    public static func configured(
        region: String,
        profile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws(AWSConfigurationError) -> AWSClient {
        let chain = AWSCredentialChain(environment: environment, homeDirectory: homeDirectory)
        var transport = HTTPClient.Configuration(environment: environment)
        if transport.caBundle == nil {
            do {
                transport.caBundle = try chain.profileSetting("ca_bundle", profile: profile)?.value
            } catch {
                throw .unreadableConfiguration(error)
            }
        }
        return AWSClient(
            region: region,
            credentials: .chain(chain, profile: profile),
            endpoints: AWSEndpointResolver(environment: environment, profile: profile, homeDirectory: homeDirectory),
            timeout: timeout,
            retryPolicy: try .standard(environment: environment, profile: profile, homeDirectory: homeDirectory),
            transport: .shared(transport))
    }

    /// The same client for another region (the Identity Center home region, say).
    public func inRegion(_ region: String) -> AWSClient {
        var copy = self
        copy.region = region
        return copy
    }

    /// The credentials calls are signed with (from the chain on first use).
    public func credentials() async throws(CredentialError) -> AWSCredentials {
        try await credentialCache.credentials()
    }

    // MARK: - The two protocols

    /// A query protocol operation: `parameters` are sent after Action and Version, in
    /// order. Returns the answer's `<OperationResult>` element (the root element for an
    /// operation that has none).
    public func query(_ service: AWSService, action: String, parameters: [(String, String)] = [])
        async throws(AWSError) -> XMLTree
    {
        guard case .query(let version) = service.wireProtocol else {
            preconditionFailure("\(service) does not speak the query protocol")
        }
        let fields = [("Action", action), ("Version", version)] + parameters
        let body = fields.map {
            SigV4PercentEncoding.encodeFormComponent($0.0) + "=" + SigV4PercentEncoding.encodeFormComponent($0.1)
        }.joined(separator: "&")
        let answer = try await send(
            service, operation: action, headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"],
            body: Data(body.utf8), errorReader: QueryProtocolErrors.read)
        do {
            let root = try XMLTree(parsing: answer.body)
            return root.child("\(action)Result") ?? root
        } catch {
            throw AWSError(
                service: service, operation: action, endpoint: answer.endpoint, attempts: answer.attempts,
                reason: .unreadableResponse(httpStatus: answer.status, problem: "the XML does not parse: \(error.problem)"))
        }
    }

    /// A JSON 1.1 operation: `input` is the request's JSON object, the answer is decoded as `Response`.
    public func json<Response: Decodable>(
        _ service: AWSService, operation: String, input: some Encodable, as _: Response.Type = Response.self
    ) async throws(AWSError) -> Response {
        guard case .json(let targetPrefix) = service.wireProtocol else {
            preconditionFailure("\(service) does not speak the JSON protocol")
        }
        let body: Data
        do {
            body = try JSONEncoder().encode(input)
        } catch {
            preconditionFailure("the input of \(operation) does not encode as JSON: \(error)")
        }
        let answer = try await send(
            service, operation: operation,
            headers: ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "\(targetPrefix).\(operation)"],
            body: body, errorReader: JSONProtocolErrors.read)
        do {
            return try JSONDecoder().decode(Response.self, from: answer.body.isEmpty ? Data("{}".utf8) : answer.body)
        } catch {
            throw AWSError(
                service: service, operation: operation, endpoint: answer.endpoint, attempts: answer.attempts,
                reason: .unreadableResponse(httpStatus: answer.status, problem: "the JSON is not as expected: \(error)"))
        }
    }

    // MARK: - Sending, with retries and the time limit

    /// A successful (2xx) answer.
    struct Answer {
        var status: Int
        var body: Data
        var endpoint: String
        var attempts: Int
    }

    /// An error answer as a protocol reads it: nil when the body is not the protocol's error shape.
    typealias ErrorReader = @Sendable (_ body: Data, _ headers: HTTPHeaders) -> (code: String, message: String)?

    private func send(
        _ service: AWSService, operation: String, headers: [String: String], body: Data, errorReader: ErrorReader
    ) async throws(AWSError) -> Answer {
        func failure(_ reason: AWSError.Reason, endpoint: String? = nil, attempts: Int = 0) -> AWSError {
            AWSError(service: service, operation: operation, endpoint: endpoint, attempts: attempts, reason: reason)
        }
        let endpoint: AWSEndpoint
        do {
            endpoint = try endpoints.endpoint(for: service, region: region)
        } catch {
            throw failure(.configuration(error))
        }
        let url = endpoint.url.absoluteString
        let deadline = ContinuousClock.now + timeout
        var attempt = 0
        // Why the last attempt failed: when time runs out before the next one, that is the
        // reason to give (a refused connection is not "no answer").
        var lastFailure: AWSError.Reason?
        while true {
            attempt += 1
            let remaining = deadline - .now
            guard remaining > .zero else { throw failure(lastFailure ?? .timedOut(after: timeout), endpoint: url, attempts: attempt - 1) }
            guard !Task.isCancelled else { throw failure(.cancelled, endpoint: url, attempts: attempt - 1) }
            let credentials: AWSCredentials
            do {
                credentials = try await credentialCache.credentials()
            } catch {
                throw failure(.credentials(error), endpoint: url, attempts: attempt - 1)
            }

            let signed = SigV4HeaderSigner.sign(
                method: "POST", url: endpoint.url, headers: headers, body: body, service: service.signingName,
                region: endpoint.signingRegion, credentials: credentials, at: Date())
            let request = HTTPRequest(
                method: "POST", url: endpoint.url, headers: signed.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + [("User-Agent", Self.userAgent)],
                body: body)

            let outcome: Result<HTTPResponse, HTTPError>
            do throws(HTTPError) {
                outcome = .success(try await send(request, within: remaining, service: service, operation: operation, attempt: attempt))
            } catch {
                outcome = .failure(error)
            }
            let retryReason: AWSError.Reason
            switch outcome {
            case .success(let answer):
                if (200..<300).contains(answer.status) {
                    return Answer(status: answer.status, body: answer.body, endpoint: url, attempts: attempt)
                }
                let requestID = answer.headers["x-amzn-RequestId"] ?? answer.headers["x-amz-request-id"]
                let reason: AWSError.Reason
                let retryable: Bool
                if let (code, message) = errorReader(answer.body, answer.headers) {
                    reason = .response(
                        httpStatus: answer.status, code: code, message: message,
                        requestID: requestID ?? QueryProtocolErrors.requestID(answer.body))
                    retryable = AWSRetryPolicy.isRetryable(httpStatus: answer.status, code: code)
                } else {
                    reason = .unreadableResponse(
                        httpStatus: answer.status, problem: "the error answer is not \(service.displayName)'s error format")
                    retryable = answer.status >= 500 || answer.status == 429
                }
                guard retryable else { throw failure(reason, endpoint: url, attempts: attempt) }
                retryReason = reason
            case .failure(.timedOut):
                throw failure(.timedOut(after: timeout), endpoint: url, attempts: attempt)
            case .failure(.cancelled):
                throw failure(.cancelled, endpoint: url, attempts: attempt)
            case .failure(let error) where !error.isTransient:
                throw failure(.unreachable(detail: error.description), endpoint: url, attempts: attempt)
            case .failure(let error):
                retryReason = .unreachable(detail: error.description)
            }

            guard attempt < retryPolicy.maxAttempts else { throw failure(retryReason, endpoint: url, attempts: attempt) }
            let backoff = retryPolicy.backoff(beforeRetry: attempt)
            guard ContinuousClock.now + backoff < deadline else {
                throw failure(retryReason, endpoint: url, attempts: attempt)
            }
            lastFailure = retryReason
            do {
                try await Task.sleep(for: backoff)
            } catch {
                throw failure(.cancelled, endpoint: url, attempts: attempt)
            }
        }
    }
}

extension AWSClient {
    /// Who is calling, as AWS's logs show it.
    static let userAgent = "dbiam"

    /// One attempt, told to `trace` when there is one.
    private func send(
        _ request: HTTPRequest, within limit: Duration, service: AWSService, operation: String, attempt: Int
    ) async throws(HTTPError) -> HTTPResponse {
        guard let trace else { return try await transport.send(request, within: limit) }
        let started = ContinuousClock.now
        func report(status: Int?, problem: String?) {
            trace(AWSCallAttempt(
                service: service, operation: operation, region: region, attempt: attempt, status: status, problem: problem,
                duration: .now - started))
        }
        do throws(HTTPError) {
            let answer = try await transport.send(request, within: limit)
            report(status: answer.status, problem: nil)
            return answer
        } catch {
            report(status: nil, problem: error == .timedOut ? "timed out" : error.description)
            throw error
        }
    }
}

/// One attempt of an AWS call, as `-v` prints it: the operation, its status and time,
/// never its credentials, signature or body.
public struct AWSCallAttempt: Sendable {
    public var service: AWSService
    public var operation: String
    public var region: String
    /// 1 for the first attempt, 2 for the first retry…
    public var attempt: Int
    /// The HTTP status; nil when no answer came, and then `problem` says why.
    public var status: Int?
    public var problem: String?
    public var duration: Duration
}

/// Credentials asked of their source once, then reused until five minutes before they
/// expire, so that a credential_process does not run for every call.
private actor CredentialCache {
    private let source: AWSCredentialSource
    private var cached: AWSCredentials?

    init(_ source: AWSCredentialSource) {
        self.source = source
    }

    func credentials() async throws(CredentialError) -> AWSCredentials {
        switch source {
        case .fixed(let credentials):
            return credentials
        case let .chain(chain, profile):
            if let cached, cached.expiration.map({ $0.timeIntervalSinceNow > 300 }) ?? true {
                return cached
            }
            let fresh = try await chain.credentials(profile: profile)
            cached = fresh
            return fresh
        }
    }
}

import AWSAuth
import FoundationEssentials

/// A call to AWS that did not succeed: which service and operation, where it was sent,
/// how many attempts were made, and why.
public struct AWSError: Error, Sendable, Equatable {
    public var service: AWSService
    /// The API operation, such as "DescribeDBClusters".
    public var operation: String
    /// The URL requests went to; nil when the call failed before one was chosen.
    public var endpoint: String?
    public var attempts: Int
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// AWS answered with an error.
        case response(httpStatus: Int, code: String, message: String, requestID: String?)
        /// No answer: the connection could not be made or broke.
        case unreachable(detail: String)
        /// No answer within the call's time limit (`--timeout`).
        case timedOut(after: Duration)
        /// An answer that is not what the protocol says it is.
        case unreadableResponse(httpStatus: Int, problem: String)
        case configuration(AWSConfigurationError)
        case credentials(CredentialError)
        /// The task making the call was cancelled.
        case cancelled
    }

    public init(service: AWSService, operation: String, endpoint: String?, attempts: Int, reason: Reason) {
        self.service = service
        self.operation = operation
        self.endpoint = endpoint
        self.attempts = attempts
        self.reason = reason
    }

    /// AWS's error code ("AccessDenied", "NoSuchEntity"), when AWS answered.
    public var code: String? {
        if case .response(_, let code, _, _) = reason { return code }
        return nil
    }

    public var httpStatus: Int? {
        switch reason {
        case .response(let status, _, _, _), .unreadableResponse(let status, _): status
        default: nil
        }
    }

    public var message: String? {
        if case .response(_, _, let message, _) = reason { return message }
        return nil
    }

    public var requestID: String? {
        if case .response(_, _, _, let requestID) = reason { return requestID }
        return nil
    }

    /// The IAM action that this call needs, as a policy names it.
    public var permission: String { "\(service.actionPrefix):\(operation)" }

    static let accessDeniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
        "UnauthorizedException",
    ]

    static let rejectedCredentialCodes: Set<String> = [
        "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken",
        "ExpiredTokenException", "InvalidAccessKeyId", "IncompleteSignature",
    ]
}

extension AWSError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        let call = "\(service.displayName) \(operation)"
        let at = endpoint.map { " at \($0)" } ?? ""
        switch reason {
        case let .response(status, code, message, requestID):
            let said = "\(code) (HTTP \(status))\(message.isEmpty ? "" : ": \(message)")"
            let request = requestID.map { " (request id \($0))" } ?? ""
            if Self.accessDeniedCodes.contains(code) {
                return "\(call) was denied\(at): \(said)\(request). Grant the calling principal `\(permission)` "
                    + "on this resource, or use a profile whose credentials have it."
            }
            if Self.rejectedCredentialCodes.contains(code) {
                return "\(call) rejected the credentials\(at): \(said)\(request). Refresh them (an expired session "
                    + "needs a new login) and check them with `aws sts get-caller-identity`."
            }
            if AWSRetryPolicy.throttlingCodes.contains(code) {
                let tries = attempts == 1 ? "on its one attempt" : "on all \(attempts) attempts"
                return "\(call) was throttled by AWS \(tries): \(said)\(request). "
                    + "Wait a minute and run again, or allow more attempts with AWS_MAX_ATTEMPTS."
            }
            if attempts > 1 {
                return "\(call) failed\(at) on all \(attempts) attempts: \(said)\(request). "
                    + "AWS may be having trouble; run again later."
            }
            return "\(call) failed\(at): \(said)\(request)."
        case .unreachable(let detail):
            return "\(call) could not reach \(endpoint ?? "its endpoint") after \(attempts) attempt(s): \(detail). "
                + "Check the network path to it and the region; an AWS_ENDPOINT_URL variable or endpoint_url "
                + "setting may point elsewhere."
        case .timedOut(let limit):
            return "\(call) got no answer from \(endpoint ?? "its endpoint") within \(limit.secondsText) "
                + "(\(attempts) attempt(s)). Check the network path to it, or allow more time with --timeout."
        case let .unreadableResponse(status, problem):
            return "\(call) got an answer\(at) that dbiam cannot read (HTTP \(status)): \(problem). "
                + "Check that the endpoint is AWS's \(service.displayName) API."
        case .configuration(let error):
            return "\(call) was not sent: \(error.description)"
        case .credentials(let error):
            return "\(call) was not sent: \(error.description)"
        case .cancelled:
            return "\(call) was cancelled."
        }
    }
}

extension Duration {
    /// "5s", "2.5s": a time limit as --timeout takes it.
    var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s"
    }
}

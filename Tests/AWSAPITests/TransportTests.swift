import AWSAPI
import AWSAuth
import DBIAMTestSupport
import Foundation
import Synchronization
import Testing

/// Retries, time limits and the wire formats, against servers that misbehave on purpose.
@Suite struct TransportTests {
    static let credentials = LocalAWS.credentials

    /// A client that sends every service to `url`, with short backoffs so tests stay fast.
    func client(_ url: String, attempts: Int = 3, timeout: Duration = .seconds(10)) -> AWSClient {
        AWSClient(
            region: "ap-northeast-1", credentials: .fixed(Self.credentials),
            endpoints: AWSEndpointResolver(environment: ["AWS_ENDPOINT_URL": url, "AWS_CONFIG_FILE": "/dev/null/none"]),
            timeout: timeout,
            retryPolicy: AWSRetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxBackoff: .milliseconds(50)))
    }

    static let identity = ScriptedHTTPServer.Response(
        status: 200, headers: ["Content-Type": "text/xml"],
        body: """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>arn:aws:iam::111122223333:user/dba</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
            </GetCallerIdentityResponse>
            """)

    static func queryError(_ status: Int, _ code: String, _ message: String) -> ScriptedHTTPServer.Response {
        ScriptedHTTPServer.Response(
            status: status, headers: ["Content-Type": "text/xml", "x-amzn-RequestId": "req-\(code)"],
            body: "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>"
                + "<RequestId>req-\(code)</RequestId></ErrorResponse>")
    }

    @Test func a503AndThrottlingAreRetriedUntilSuccess() async throws {
        let server = try ScriptedHTTPServer([
            Self.queryError(503, "ServiceUnavailable", "try later"), Self.queryError(400, "Throttling", "Rate exceeded"),
            Self.identity,
        ])
        defer { server.stop() }
        let identity = try await client(server.url).sts.getCallerIdentity()
        #expect(identity == CallerIdentity(account: "111122223333", arn: "arn:aws:iam::111122223333:user/dba", userID: "AIDAEXAMPLE"))
        #expect(server.requestCount == 3)
        // Each attempt is signed afresh and carries the query body.
        for request in server.requests {
            #expect(request.contains("Authorization: AWS4-HMAC-SHA256 Credential=AKIALOCALTEST0000001/"))
            #expect(request.hasSuffix("Action=GetCallerIdentity&Version=2011-06-15"))
        }
    }

    /// What the trace of `-v` heard.
    final class Heard: Sendable {
        let attempts = Mutex<[AWSCallAttempt]>([])
    }

    /// The trace hears of every attempt, retries included, with its status and time.
    @Test func theTraceHearsEveryAttemptWithItsStatus() async throws {
        let server = try ScriptedHTTPServer([Self.queryError(503, "ServiceUnavailable", "try later"), Self.identity])
        defer { server.stop() }
        let heard = Heard()
        var client = client(server.url)
        client.trace = { attempt in heard.attempts.withLock { $0.append(attempt) } }
        _ = try await client.sts.getCallerIdentity()
        let attempts = heard.attempts.withLock { $0 }
        #expect(attempts.map(\.attempt) == [1, 2])
        #expect(attempts.map(\.status) == [503, 200])
        #expect(attempts.allSatisfy { $0.service == .sts && $0.operation == "GetCallerIdentity" && $0.region == "ap-northeast-1" && $0.problem == nil })

        // No answer at all: no status, and why.
        let closed = try ClosedPort.reserve()
        var unanswered = self.client("http://127.0.0.1:\(closed)", attempts: 1)
        unanswered.trace = client.trace
        _ = try? await unanswered.rds.describeDBClusters()
        let last = try #require(heard.attempts.withLock { $0.last })
        #expect(last.operation == "DescribeDBClusters" && last.status == nil && last.problem != nil)
    }

    @Test func accessDeniedIsNotRetriedAndSaysWhichPermissionToGrant() async throws {
        let server = try ScriptedHTTPServer([
            Self.queryError(403, "AccessDenied", "User: arn:aws:iam::111122223333:user/dba is not authorized"), Self.identity,
        ])
        defer { server.stop() }
        let error = await #expect(throws: AWSError.self) {
            try await client(server.url).rds.describeDBClusters()
        }
        #expect(server.requestCount == 1)
        #expect(error?.reason == .response(
            httpStatus: 403, code: "AccessDenied", message: "User: arn:aws:iam::111122223333:user/dba is not authorized",
            requestID: "req-AccessDenied"))
        #expect(error?.attempts == 1)
        #expect(error?.description.contains("Grant the calling principal `rds:DescribeDBClusters`") == true)
    }

    @Test func throttlingOnEveryAttemptEndsAfterMaxAttempts() async throws {
        let server = try ScriptedHTTPServer([Self.queryError(400, "Throttling", "Rate exceeded")])
        defer { server.stop() }
        let error = await #expect(throws: AWSError.self) {
            try await client(server.url, attempts: 4).sts.getCallerIdentity()
        }
        #expect(server.requestCount == 4)
        #expect(error?.code == "Throttling")
        #expect(error?.attempts == 4)
        #expect(error?.description.contains("throttled by AWS on all 4 attempts:") == true)
        #expect(error?.description.contains("AWS_MAX_ATTEMPTS") == true)

        let once = await #expect(throws: AWSError.self) {
            try await client(server.url, attempts: 1).sts.getCallerIdentity()
        }
        #expect(once?.description.contains("throttled by AWS on its one attempt:") == true, "\(String(describing: once))")
    }

    @Test func oneAttemptMeansNoRetry() async throws {
        let server = try ScriptedHTTPServer([Self.queryError(503, "ServiceUnavailable", "down"), Self.identity])
        defer { server.stop() }
        let error = await #expect(throws: AWSError.self) { try await client(server.url, attempts: 1).sts.getCallerIdentity() }
        #expect(server.requestCount == 1)
        #expect(error?.httpStatus == 503)
    }

    @Test func aNonAWS5xxBodyIsRetriedToo() async throws {
        let server = try ScriptedHTTPServer([
            ScriptedHTTPServer.Response(status: 502, body: "<html>Bad Gateway</html>"), Self.identity,
        ])
        defer { server.stop() }
        _ = try await client(server.url).sts.getCallerIdentity()
        #expect(server.requestCount == 2)
    }

    @Test func jsonErrorsAreReadFromTypeAndMessageAndThrottlingIsRetried() async throws {
        let throttled = ScriptedHTTPServer.Response(
            status: 400, headers: ["Content-Type": "application/x-amz-json-1.1"],
            body: #"{"__type":"com.amazonaws.swbexternalservice#ThrottlingException","message":"slow down"}"#)
        let conflict = ScriptedHTTPServer.Response(
            status: 409, headers: ["Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "req-json"],
            body: #"{"__type":"com.amazonaws.swbexternalservice#ConflictException","Message":"in progress"}"#)
        let server = try ScriptedHTTPServer([throttled, conflict])
        defer { server.stop() }
        let error = await #expect(throws: AWSError.self) {
            try await client(server.url).identityCenter.putInlinePolicy(
                instanceARN: "arn:aws:sso:::instance/ssoins-1", permissionSetARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
                document: "{}")
        }
        #expect(server.requestCount == 2)
        #expect(error?.reason == .response(httpStatus: 409, code: "ConflictException", message: "in progress", requestID: "req-json"))
        let request = try #require(server.requests.first)
        #expect(request.contains("X-Amz-Target: SWBExternalService.PutInlinePolicyToPermissionSet"))
        #expect(request.contains("Content-Type: application/x-amz-json-1.1"))
        #expect(request.contains("/sso/aws4_request"))
    }

    static func provisioning(_ status: String) -> ScriptedHTTPServer.Response {
        ScriptedHTTPServer.Response(
            status: 200, headers: ["Content-Type": "application/x-amz-json-1.1"],
            body: #"{"PermissionSetProvisioningStatus":{"RequestId":"prov-1","Status":"\#(status)","CreatedDate":1.7e9}}"#)
    }

    @Test func provisioningIsPolledUntilItIsNoLongerInProgress() async throws {
        let server = try ScriptedHTTPServer([
            Self.provisioning("IN_PROGRESS"), Self.provisioning("IN_PROGRESS"), Self.provisioning("SUCCEEDED"),
        ])
        defer { server.stop() }
        let status = try await client(server.url).identityCenter.provisionAndWait(
            instanceARN: "arn:aws:sso:::instance/ssoins-1", permissionSetARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-1",
            pollInterval: .milliseconds(10))
        #expect(status == PermissionSetProvisioning(requestID: "prov-1", status: "SUCCEEDED"))
        let targets = server.requests.map { $0.contains("X-Amz-Target: SWBExternalService.ProvisionPermissionSet") }
        #expect(targets == [true, false, false])
        // JSONEncoder does not promise an order of keys.
        #expect(server.requests[0].contains(#""TargetType":"ALL_PROVISIONED_ACCOUNTS""#))
        #expect(server.requests[2].contains(#""ProvisionPermissionSetRequestId":"prov-1""#))
    }

    @Test func provisioningThatNeverEndsTimesOut() async throws {
        let server = try ScriptedHTTPServer([Self.provisioning("IN_PROGRESS")])
        defer { server.stop() }
        let error = await #expect(throws: AWSError.self) {
            try await client(server.url, timeout: .milliseconds(300)).identityCenter.provisionAndWait(
                instanceARN: "arn:aws:sso:::instance/ssoins-1",
                permissionSetARN: "arn:aws:sso:::permissionSet/ssoins-1/ps-1", pollInterval: .milliseconds(50))
        }
        #expect(error?.reason == .timedOut(after: .milliseconds(300)))
        #expect(error?.operation == "DescribePermissionSetProvisioningStatus")
    }

    /// A refused connection is said to be one even when the time runs out before the next
    /// attempt (it was "no answer within 2s" when the backoff outlasted the limit).
    @Test func aRefusedConnectionIsUnreachableEvenWhenTimeRunsOut() async throws {
        let error = await #expect(throws: AWSError.self) {
            try await client("http://127.0.0.1:1", timeout: .milliseconds(150)).sts.getCallerIdentity()
        }
        guard case .unreachable? = error?.reason else {
            Issue.record("\(String(describing: error?.reason)) is not unreachable")
            return
        }
        #expect(error?.description.contains("could not reach http://127.0.0.1:1/") == true, "\(String(describing: error))")
    }

    @Test func aSilentServerTimesOutWithinTheLimit() async throws {
        let listener = try SilentListener()
        let started = ContinuousClock.now
        let error = await #expect(throws: AWSError.self) {
            try await client("http://127.0.0.1:\(listener.port)", timeout: .seconds(1)).sts.getCallerIdentity()
        }
        let elapsed = ContinuousClock.now - started
        #expect(error?.reason == .timedOut(after: .seconds(1)))
        #expect(elapsed < .seconds(5))
        #expect(error?.description.contains("within 1s") == true)
        #expect(error?.description.contains("--timeout") == true)
    }

    @Test func aClosedPortIsUnreachableAfterEveryAttempt() async throws {
        let port = try ClosedPort.reserve()
        let error = await #expect(throws: AWSError.self) {
            try await client("http://127.0.0.1:\(port)").sts.getCallerIdentity()
        }
        guard case .unreachable = error?.reason else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(error?.attempts == 3)
        #expect(error?.endpoint == "http://127.0.0.1:\(port)/")
        #expect(error?.description.contains("could not reach http://127.0.0.1:\(port)/") == true)
    }

    @Test func plainHTTPToAnotherHostIsRefusedBeforeAnythingIsSent() async throws {
        let error = await #expect(throws: AWSError.self) {
            try await client("http://aws-proxy.example.com:\(45130)").sts.getCallerIdentity()
        }
        #expect(error?.reason == .configuration(
            .plainHTTPEndpoint("http://aws-proxy.example.com:45130", source: .environmentVariable("AWS_ENDPOINT_URL"))))
        #expect(error?.attempts == 0)
        #expect(error?.description.contains("AWS_ENDPOINT_URL") == true)
    }

    @Test func credentialsFromTheChainAreUsedAndTheirErrorsReported() async throws {
        let server = try ScriptedHTTPServer([Self.identity])
        defer { server.stop() }
        let chain = AWSCredentialChain(
            environment: ["AWS_ACCESS_KEY_ID": "AKIACHAINEXAMPLE0001", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok"],
            homeDirectory: "/nonexistent")
        let endpoints = AWSEndpointResolver(environment: ["AWS_ENDPOINT_URL": server.url])
        let viaChain = AWSClient(region: "us-east-1", credentials: .chain(chain, profile: nil), endpoints: endpoints)
        _ = try await viaChain.sts.getCallerIdentity()
        let request = try #require(server.requests.first)
        #expect(request.contains("Credential=AKIACHAINEXAMPLE0001/"))
        #expect(request.contains("X-Amz-Security-Token: tok"))

        let empty = AWSCredentialChain(environment: [:], homeDirectory: "/nonexistent")
        let error = await #expect(throws: AWSError.self) {
            try await AWSClient(region: "us-east-1", credentials: .chain(empty, profile: "missing"), endpoints: endpoints)
                .sts.getCallerIdentity()
        }
        guard case .credentials(.profileNotFound) = error?.reason else {
            Issue.record("expected the chain's error, got \(String(describing: error))")
            return
        }
        #expect(server.requestCount == 1)
    }
}

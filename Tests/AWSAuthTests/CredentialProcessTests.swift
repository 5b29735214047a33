import Foundation
import Testing

@testable import AWSAuth

@Suite struct CredentialProcessTests {
    let home: TemporaryAWSHome

    init() throws { home = try TemporaryAWSHome() }

    func error(whenProcessPrints json: String, now: Date = Date()) async throws -> CredentialError? {
        try home.configFile("[profile p]\n" + home.credentialProcess(printing: json))
        return await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "p", now: now) }
    }

    func expectInvalidOutput(_ json: String, problem: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let error = try await error(whenProcessPrints: json)
        guard case .credentialProcessInvalidOutput(let profile, _, let reported) = error else {
            Issue.record("expected invalid output, got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(profile == "p", sourceLocation: sourceLocation)
        #expect(reported == problem, sourceLocation: sourceLocation)
        expectNoSecrets(in: error, sourceLocation: sourceLocation)
    }

    @Test func sessionTokenAndExpirationAreOptional() async throws {
        try home.configFile(
            "[profile p]\n"
                + home.credentialProcess(printing: #"{"Version": 1, "AccessKeyId": "AKIA", "SecretAccessKey": "s"}"#))
        let credentials = try await home.chain().credentials(profile: "p")
        #expect(credentials.sessionToken == nil)
        #expect(credentials.expiration == nil)
    }

    @Test func expirationWithAnOffsetAndFraction() async throws {
        try home.configFile("[profile p]\n" + home.credentialProcess(printing: processJSON(expiration: "2099-01-01T09:00:00.5+09:00")))
        #expect(try await home.chain().credentials(profile: "p").expiration == RFC3339.date(from: "2099-01-01T00:00:00.5Z"))
    }

    @Test func theCommandRunsInAShellWithTheChainsEnvironment() async throws {
        let json = #"{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "s"}"#
        try home.configFile("[profile p]\ncredential_process = printf '\(json)' \"$DBIAM_TEST_KEY\" | cat\n")
        let credentials = try await home.chain(["DBIAM_TEST_KEY": "AKIAFROMENV"]).credentials(profile: "p")
        #expect(credentials.accessKeyID == "AKIAFROMENV")
    }

    @Test func aNonZeroExitQuotesStandardErrorButNotStandardOutput() async throws {
        let output = try home.write("output.json", processJSON())
        try home.configFile("[profile p]\ncredential_process = sh -c 'cat \"\(output)\"; echo \"Token expired, run aws sso login\" >&2; exit 255'\n")
        let error = await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "p") }
        guard case .credentialProcessFailed(let profile, _, let exitStatus, let standardError) = error else {
            Issue.record("expected a failed process, got \(String(describing: error))")
            return
        }
        #expect(profile == "p" && exitStatus == 255)
        #expect(standardError == "Token expired, run aws sso login\n")
        let message = expectNoSecrets(in: error)
        #expect(message.contains("failed with exit status 255. Its standard error:\n  Token expired, run aws sso login\nRun the command"))
        #expect(!message.contains("ASIAPROCESS"))
    }

    @Test func aCommandThatDoesNotExist() async throws {
        try home.configFile("[profile p]\ncredential_process = dbiam-no-such-command --profile p\n")
        let error = await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "p") }
        guard case .credentialProcessFailed(_, let command, 127, let standardError) = error else {
            Issue.record("expected exit status 127, got \(String(describing: error))")
            return
        }
        #expect(command == "dbiam-no-such-command --profile p")
        #expect(standardError.contains("not found"))
    }

    @Test func longStandardErrorKeepsItsEnd() async throws {
        try home.configFile("[profile p]\ncredential_process = sh -c 'head -c 100000 /dev/zero | tr \"\\0\" x >&2; echo THE REASON >&2; exit 1'\n")
        let error = await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "p") }
        let message = expectNoSecrets(in: error)
        #expect(message.contains("THE REASON"))
        #expect(message.count < 3000)
    }

    @Test func invalidJSON() async throws {
        try await expectInvalidOutput(
            #"{"Version": 1, "AccessKeyId": "AKIA", "SecretAccessKey": "\#(Secret.accessKey)""#,
            problem: "its standard output is not a JSON object")
    }

    @Test func notAnObject() async throws {
        try await expectInvalidOutput(#"["\#(Secret.accessKey)"]"#, problem: "its standard output is not a JSON object")
    }

    @Test func emptyOutput() async throws {
        try await expectInvalidOutput("", problem: "its standard output is not a JSON object")
    }

    @Test(arguments: [#""Version": 2,"#, #""Version": "1","#, ""])
    func versionMustBeOne(version: String) async throws {
        try await expectInvalidOutput(
            #"{\#(version) "AccessKeyId": "AKIA", "SecretAccessKey": "\#(Secret.accessKey)"}"#,
            problem: "\"Version\" must be the number 1")
    }

    @Test func missingAccessKeyID() async throws {
        try await expectInvalidOutput(
            #"{"Version": 1, "SecretAccessKey": "\#(Secret.accessKey)", "SessionToken": "\#(Secret.sessionToken)"}"#,
            problem: "\"AccessKeyId\" is missing or not a string")
    }

    @Test func missingSecretAccessKey() async throws {
        try await expectInvalidOutput(
            #"{"Version": 1, "AccessKeyId": "AKIA", "SessionToken": "\#(Secret.sessionToken)"}"#,
            problem: "\"SecretAccessKey\" is missing or not a string")
    }

    @Test func unreadableExpiration() async throws {
        try await expectInvalidOutput(
            processJSON(expiration: "tomorrow"),
            problem: "\"Expiration\" is \"tomorrow\", not an RFC 3339 time such as 2026-01-01T00:00:00Z")
    }

    @Test func expiredCredentialsAreAnErrorThatSaysHowToRefreshThem() async throws {
        let error = try await error(
            whenProcessPrints: processJSON(expiration: "2026-11-29T11:00:00Z"),
            now: try #require(RFC3339.date(from: "2026-11-29T12:00:00Z")))
        #expect(error == .credentialProcessExpired(
            profile: "p", command: "cat '\(home.path)/process-output.json'",
            expiration: try #require(RFC3339.date(from: "2026-11-29T11:00:00Z"))))
        #expect(expectNoSecrets(in: error).contains(
            "expired at 2026-11-29T11:00:00Z; refresh them, e.g. `aws sso login --profile p`"))
    }

    @Test func theSignInHintNamesTheProfileThatExportCredentialsReads() {
        let error = CredentialError.credentialProcessExpired(
            profile: "dbiam", command: "aws configure export-credentials --profile corp-sso --format process",
            expiration: Date(timeIntervalSince1970: 0))
        #expect(error.description.contains("`aws sso login --profile corp-sso`"))
    }

    @Test func aSlowProcessIsStoppedWithAClearError() async throws {
        try home.configFile("[profile p]\ncredential_process = sleep 30\n")
        let error = await #expect(throws: CredentialError.self) {
            try await home.chain(timeout: .milliseconds(300)).credentials(profile: "p")
        }
        #expect(error == .credentialProcessTimedOut(profile: "p", command: "sleep 30", timeout: .milliseconds(300)))
        #expect(expectNoSecrets(in: error).contains("did not finish within 0.3 seconds and was stopped"))
    }
}

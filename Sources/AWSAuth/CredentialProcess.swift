import FoundationEssentials

/// `credential_process`: a command whose standard output is credentials as JSON,
/// `{"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?, "Expiration"?}`.
enum CredentialProcess {
    static func credentials(
        profile: String, command: String, environment: [String: String], timeout: Duration, now: Date
    ) async throws(CredentialError) -> AWSCredentials {
        let result: ShellCommand.Result
        do {
            result = try await ShellCommand.run(command, environment: environment, timeout: timeout)
        } catch {
            switch error {
            case .couldNotStart(let reason):
                throw .credentialProcessDidNotStart(profile: profile, command: command, reason: reason)
            case .timedOut:
                throw .credentialProcessTimedOut(profile: profile, command: command, timeout: timeout)
            case .cancelled:
                throw .cancelled
            }
        }
        guard result.exitStatus == 0 else {
            throw .credentialProcessFailed(
                profile: profile, command: command, exitStatus: result.exitStatus,
                standardError: String(decoding: result.standardError, as: UTF8.self))
        }
        func invalid(_ problem: String) -> CredentialError {
            .credentialProcessInvalidOutput(profile: profile, command: command, problem: problem)
        }

        // Decoding errors can quote the output, which holds the secret: only say which
        // part is wrong.
        guard let output = try? JSONDecoder().decode(Output.self, from: result.standardOutput) else {
            throw invalid("its standard output is not a JSON object")
        }
        guard output.version == 1 else { throw invalid("\"Version\" must be the number 1") }
        guard let accessKeyID = nonEmpty(output.accessKeyID) else { throw invalid("\"AccessKeyId\" is missing or not a string") }
        guard let secretAccessKey = nonEmpty(output.secretAccessKey) else {
            throw invalid("\"SecretAccessKey\" is missing or not a string")
        }
        var expiration: Date?
        if let expirationText = output.expiration {
            guard let date = RFC3339.date(from: expirationText) else {
                throw invalid("\"Expiration\" is \"\(expirationText)\", not an RFC 3339 time such as 2026-01-01T00:00:00Z")
            }
            guard date > now else {
                throw .credentialProcessExpired(profile: profile, command: command, expiration: date)
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey,
            sessionToken: nonEmpty(output.sessionToken),
            expiration: expiration,
            source: "credential_process of profile \(profile)")
    }

    /// Every field optional and lenient about its type, so that each problem gets its
    /// own message instead of a decoding error.
    private struct Output: Decodable {
        var version: Int?
        var accessKeyID: String?
        var secretAccessKey: String?
        var sessionToken: String?
        var expiration: String?

        enum CodingKeys: String, CodingKey {
            case version = "Version"
            case accessKeyID = "AccessKeyId"
            case secretAccessKey = "SecretAccessKey"
            case sessionToken = "SessionToken"
            case expiration = "Expiration"
        }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            version = try? fields.decodeIfPresent(Int.self, forKey: .version)
            accessKeyID = try? fields.decodeIfPresent(String.self, forKey: .accessKeyID)
            secretAccessKey = try? fields.decodeIfPresent(String.self, forKey: .secretAccessKey)
            sessionToken = try? fields.decodeIfPresent(String.self, forKey: .sessionToken)
            expiration = try? fields.decodeIfPresent(String.self, forKey: .expiration)
        }
    }
}

import FoundationEssentials

/// Why no credentials or no region could be found. Messages are whole sentences that
/// say what to do next; none of them carries a secret: the output of a
/// credential_process is never quoted, only its standard error.
public enum CredentialError: Error, Sendable, Equatable {
    /// No source in the chain had credentials.
    case notFound(CredentialSearch)
    /// A profile named by `--profile`, AWS_DEFAULT_PROFILE or AWS_PROFILE is in neither file.
    case profileNotFound(SelectedProfile, credentialsFile: String, configFile: String)
    /// A source has an access key ID but not the secret access key that goes with it
    /// (`missing` is the variable or setting to add).
    case incompleteCredentials(source: String, missing: String)
    /// The credentials come from a provider that dbiam does not implement.
    case unsupportedSource(UnsupportedCredentialSource)
    case unreadableFile(path: String, reason: String)
    case malformedFile(path: String, line: Int, problem: String)
    case credentialProcessDidNotStart(profile: String, command: String, reason: String)
    case credentialProcessFailed(profile: String, command: String, exitStatus: Int32, standardError: String)
    case credentialProcessTimedOut(profile: String, command: String, timeout: Duration)
    /// The process exited 0 but its output is not Version 1 credentials JSON; `problem`
    /// names what is wrong without quoting the output.
    case credentialProcessInvalidOutput(profile: String, command: String, problem: String)
    case credentialProcessExpired(profile: String, command: String, expiration: Date)
    case regionNotFound(SelectedProfile, configFile: String)
    /// The task looking for credentials was cancelled while a credential_process ran.
    case cancelled
}

/// The places the credential chain looked, for the message that says it found nothing.
public struct CredentialSearch: Sendable, Equatable {
    public var profile: SelectedProfile
    /// False when an explicit profile was given: like the AWS CLI, dbiam then ignores
    /// AWS_ACCESS_KEY_ID and the other credential variables.
    public var environmentVariablesChecked: Bool
    public var credentialsFile: String
    public var credentialsFileExists: Bool
    public var configFile: String
    public var configFileExists: Bool

    public init(
        profile: SelectedProfile, environmentVariablesChecked: Bool,
        credentialsFile: String, credentialsFileExists: Bool, configFile: String, configFileExists: Bool
    ) {
        self.profile = profile
        self.environmentVariablesChecked = environmentVariablesChecked
        self.credentialsFile = credentialsFile
        self.credentialsFileExists = credentialsFileExists
        self.configFile = configFile
        self.configFileExists = configFileExists
    }
}

/// Credential providers of the AWS CLI that dbiam leaves to the AWS CLI itself.
public enum UnsupportedCredentialSource: Sendable, Equatable {
    /// `sso_account_id`/`sso_role_name`, `sso_session` or `sso_start_url` in the profile.
    case singleSignOn(profile: String)
    /// `role_arn` in the profile.
    case assumeRole(profile: String)
    /// `web_identity_token_file` in the profile.
    case webIdentity(profile: String)
    /// `login_session` in the profile (`aws login`).
    case consoleLogin(profile: String)
    /// AWS_WEB_IDENTITY_TOKEN_FILE in the environment (EKS service accounts, for example).
    case environmentWebIdentity
}

extension CredentialError: LocalizedError, CustomStringConvertible {
    public var errorDescription: String? { description }

    public var description: String {
        switch self {
        case .notFound(let search):
            search.description
        case let .profileNotFound(profile, credentialsFile, configFile):
            "The AWS profile '\(profile.name)' (\(profile.origin)) is neither a [\(profile.name)] section in "
                + "\(credentialsFile) nor a [profile \(profile.name)] section in \(configFile). "
                + "Check the name, or create it with `aws configure --profile \(profile.name)`."
        case let .incompleteCredentials(source, missing):
            "The AWS credentials in \(source) have an access key ID but no secret access key. "
                + "Set \(missing) as well, or remove the access key ID."
        case .unsupportedSource(let source):
            source.description
        case let .unreadableFile(path, reason):
            "Could not read the AWS file \(path): \(reason) Make it readable by this user, "
                + "or point AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE elsewhere."
        case let .malformedFile(path, line, problem):
            "The AWS file \(path) cannot be parsed: line \(line): \(problem). Fix that line; "
                + "the AWS CLI cannot read the file either."
        case let .credentialProcessDidNotStart(profile, command, reason):
            "The credential_process of AWS profile '\(profile)' (`\(command)`) could not be started with /bin/sh: "
                + "\(reason) Check that /bin/sh exists and can be run."
        case let .credentialProcessFailed(profile, command, exitStatus, standardError):
            "The credential_process of AWS profile '\(profile)' (`\(command)`) failed with exit status \(exitStatus)"
                + Self.quoted(standardError: standardError)
                + "Run the command yourself to see what it needs (often a fresh sign-in, "
                + "such as `aws sso login`)."
        case let .credentialProcessTimedOut(profile, command, timeout):
            "The credential_process of AWS profile '\(profile)' (`\(command)`) did not finish within "
                + "\(Self.seconds(timeout)) and was stopped. "
                + "Run the command yourself: it may be waiting for input or for a browser sign-in."
        case let .credentialProcessInvalidOutput(profile, command, problem):
            "The credential_process of AWS profile '\(profile)' (`\(command)`) printed no usable credentials: "
                + "\(problem). It must print JSON such as "
                + #"{"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "2026-01-01T00:00:00Z"}."#
        case let .credentialProcessExpired(profile, command, expiration):
            "The credentials from the credential_process of AWS profile '\(profile)' expired at "
                + "\(RFC3339.string(from: expiration)); refresh them, e.g. "
                + "`aws sso login --profile \(Self.signInProfile(command: command) ?? profile)`, and try again."
        case let .regionNotFound(profile, configFile):
            "No AWS region is set. dbiam looked at the explicit region (flag or manifest), AWS_REGION, "
                + "AWS_DEFAULT_REGION and `region` in profile '\(profile.name)' (\(profile.origin)) of "
                + "\(configFile). Set one of them, e.g. `export AWS_REGION=eu-west-1`."
        case .cancelled:
            "Looking up AWS credentials was cancelled; the credential_process that was running has been stopped."
        }
    }

    /// "60 seconds", "0.5 seconds": to the millisecond, which is as fine as a timeout gets.
    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        let number = milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(Double(milliseconds) / 1000)"
        return number + (number == "1" ? " second" : " seconds")
    }

    /// A credential_process's standard error tells why it failed; it is quoted in full,
    /// indented, unless it is long, when its end (where the reason usually is) is kept.
    private static func quoted(standardError: String) -> String {
        let trimmed = standardError.trimmingWhitespace()
        guard !trimmed.isEmpty else { return " and wrote nothing to standard error. " }
        let limit = 2000
        let shown = trimmed.count > limit ? "…" + trimmed.suffix(limit) : String(trimmed)
        let indented = shown.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        return ". Its standard error:\n" + indented.joined(separator: "\n") + "\n"
    }

    /// The profile to sign in with: for the usual
    /// `aws configure export-credentials --profile NAME …` it is NAME, not the profile
    /// that holds the credential_process.
    private static func signInProfile(command: String) -> String? {
        guard let words = ShellWords.split(command), words.contains("export-credentials"),
            let flag = words.firstIndex(of: "--profile"), flag + 1 < words.count
        else { return nil }
        return words[flag + 1]
    }
}

extension CredentialSearch: CustomStringConvertible {
    public var description: String {
        var places: [String] = []
        places.append(
            "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                + (environmentVariablesChecked ? " (not set)" : " (skipped: a profile given with --profile excludes them)"))
        places.append(
            "the [\(profile.name)] section of the shared credentials file \(credentialsFile)"
                + (credentialsFileExists ? "" : " (the file does not exist)"))
        let section = profile.name == "default" ? "[default]" : "[profile \(profile.name)]"
        places.append(
            "the \(section) section of the config file \(configFile), for static keys or credential_process"
                + (configFileExists ? "" : " (the file does not exist)"))
        return "No AWS credentials were found for profile '\(profile.name)' (\(profile.origin)). dbiam looked at:\n"
            + places.map { "  - \($0)\n" }.joined()
            + "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure --profile \(profile.name)`, "
            + "or add `credential_process = aws configure export-credentials --profile NAME --format process` "
            + "to the profile. (Container and EC2 instance credentials are not looked up.)"
    }
}

extension UnsupportedCredentialSource: CustomStringConvertible {
    public var description: String {
        let (what, sourceProfile): (String, String?) =
            switch self {
            case .singleSignOn(let profile): ("uses IAM Identity Center (sso_…)", profile)
            case .assumeRole(let profile): ("assumes a role (role_arn)", profile)
            case .webIdentity(let profile): ("assumes a role with a web identity token (web_identity_token_file)", profile)
            case .consoleLogin(let profile): ("signs in with `aws login` (login_session)", profile)
            case .environmentWebIdentity: ("", nil)
            }
        guard let sourceProfile else {
            return "AWS_WEB_IDENTITY_TOKEN_FILE is set (web identity, as on EKS), which dbiam does not "
                + "exchange for credentials itself. Let the AWS CLI do it: add a profile such as\n"
                + "  [profile dbiam]\n  credential_process = aws configure export-credentials --format process\n"
                + "to ~/.aws/config and pass --profile dbiam."
        }
        return "The AWS profile '\(sourceProfile)' \(what), which dbiam does not do itself. "
            + "Let the AWS CLI do it: add a profile of its own, such as\n"
            + "  [profile \(sourceProfile)-export]\n"
            + "  credential_process = aws configure export-credentials --profile \(sourceProfile) --format process\n"
            + "to ~/.aws/config and use --profile \(sourceProfile)-export (or AWS_PROFILE=\(sourceProfile)-export)."
    }
}

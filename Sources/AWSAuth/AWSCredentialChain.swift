import FoundationEssentials

/// Finds credentials and the region the way the AWS CLI v2 (botocore) does, for the
/// sources dbiam implements.
///
/// Credentials, first found wins:
/// 1. AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SECURITY_TOKEN or
///    AWS_SESSION_TOKEN, unless a profile was given explicitly (`--profile`).
/// 2. The selected profile (`--profile`, else AWS_DEFAULT_PROFILE, else AWS_PROFILE,
///    else `default`), in botocore's provider order:
///    - `role_arn`, web identity (`web_identity_token_file`, or AWS_WEB_IDENTITY_TOKEN_FILE
///      without `--profile`) and IAM Identity Center (`sso_account_id`/`sso_role_name`)
///      come before static keys, so a profile that has them is an error that explains
///      how to use `aws configure export-credentials` instead;
///    - static keys in the shared credentials file;
///    - `login_session` (`aws login`), again an explaining error;
///    - `credential_process` (from either file; the credentials file's wins);
///    - static keys in the config file.
/// 3. Nothing: one error that lists every place looked at, or, for a profile with only
///    `sso_session`/`sso_start_url`, the explaining error for IAM Identity Center.
///
/// The environment and the home directory are parameters so that tests never see the
/// real `~/.aws`.
public struct AWSCredentialChain: Sendable {
    public var environment: [String: String]
    public var homeDirectory: String
    /// How long a credential_process may run before it is killed.
    public var credentialProcessTimeout: Duration

    /// `homeDirectory` defaults to HOME, as botocore's `~` expansion does.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDirectory: String? = nil,
        credentialProcessTimeout: Duration = .seconds(60)
    ) {
        self.environment = environment
        self.homeDirectory = homeDirectory ?? Self.homeDirectory(environment: environment)
        self.credentialProcessTimeout = credentialProcessTimeout
    }

    /// HOME when it is set and not empty, else the account's home directory (as
    /// Foundation's NSHomeDirectory() gave it): where botocore's `~` points, and so where
    /// dbiam takes `~` to be in every path it reads.
    public static func homeDirectory(environment: [String: String]) -> String {
        nonEmpty(environment["HOME"])
            ?? FileManager.default.homeDirectoryForCurrentUser.withUnsafeFileSystemRepresentation { String(cString: $0!) }
    }

    public func selectedProfile(explicit explicitProfile: String? = nil) -> SelectedProfile {
        SelectedProfile(explicit: explicitProfile, environment: environment)
    }

    /// Credentials from the first source that has them. `now` is what an expiration is
    /// compared with.
    public func credentials(profile explicitProfile: String? = nil, now: Date = Date()) async throws(CredentialError)
        -> AWSCredentials
    {
        let profile = selectedProfile(explicit: explicitProfile)
        let readsEnvironment = profile.origin != .explicit
        if readsEnvironment, let credentials = try environmentCredentials() {
            return credentials
        }

        let files = try SharedConfigFiles(environment: environment, homeDirectory: homeDirectory)
        let settings = files.mergedProfile(profile.name) ?? [:]
        if settings["role_arn"] != nil, settings["web_identity_token_file"] == nil {
            throw .unsupportedSource(.assumeRole(profile: profile.name))
        }
        if readsEnvironment, nonEmpty(environment["AWS_WEB_IDENTITY_TOKEN_FILE"]) != nil {
            throw .unsupportedSource(.environmentWebIdentity)
        }
        if nonEmpty(settings["web_identity_token_file"]) != nil {
            throw .unsupportedSource(.webIdentity(profile: profile.name))
        }
        if settings["sso_account_id"] != nil || settings["sso_role_name"] != nil {
            throw .unsupportedSource(.singleSignOn(profile: profile.name))
        }
        if let credentials = try Self.staticCredentials(
            in: files.credentialsFileProfile(profile.name),
            source: "profile \(profile.name) in \(files.credentialsFilePath)")
        {
            return credentials
        }
        if settings["login_session"] != nil {
            throw .unsupportedSource(.consoleLogin(profile: profile.name))
        }
        if let command = nonEmpty(settings["credential_process"]) {
            return try await CredentialProcess.credentials(
                profile: profile.name, command: command, environment: environment,
                timeout: credentialProcessTimeout, now: now)
        }
        if let credentials = try Self.staticCredentials(
            in: files.configFileProfile(profile.name),
            source: "profile \(profile.name) in \(files.configFilePath)")
        {
            return credentials
        }

        // botocore would only say that it found nothing; these say why.
        if settings["sso_session"] != nil || settings["sso_start_url"] != nil {
            throw .unsupportedSource(.singleSignOn(profile: profile.name))
        }
        if files.mergedProfile(profile.name) == nil, profile.name != "default" {
            throw .profileNotFound(profile, credentialsFile: files.credentialsFilePath, configFile: files.configFilePath)
        }
        throw .notFound(
            CredentialSearch(
                profile: profile, environmentVariablesChecked: readsEnvironment,
                credentialsFile: files.credentialsFilePath, credentialsFileExists: files.credentialsFileExists,
                configFile: files.configFilePath, configFileExists: files.configFileExists))
    }

    /// The region, first found wins: `explicit` (a flag or the manifest), AWS_REGION,
    /// AWS_DEFAULT_REGION, then `region` in the selected profile (config file, or the
    /// credentials file, which botocore reads for it too).
    public func region(explicit: String? = nil, profile explicitProfile: String? = nil) throws(CredentialError) -> String {
        if let region = nonEmpty(explicit) ?? nonEmpty(environment["AWS_REGION"])
            ?? nonEmpty(environment["AWS_DEFAULT_REGION"])
        {
            return region
        }
        let profile = selectedProfile(explicit: explicitProfile)
        let files = try SharedConfigFiles(environment: environment, homeDirectory: homeDirectory)
        if let region = nonEmpty(files.mergedProfile(profile.name)?["region"]) {
            return region
        }
        throw .regionNotFound(profile, configFile: files.configFilePath)
    }

    /// A setting of the selected profile other than credentials and the region (such as
    /// `endpoint_url`), with where it was found; nil when the profile does not have it.
    /// botocore reads such settings from the profile as both files make it, the
    /// credentials file's value winning.
    public func profileSetting(_ key: String, profile explicitProfile: String? = nil) throws(CredentialError)
        -> ProfileSetting?
    {
        let profile = selectedProfile(explicit: explicitProfile)
        let files = try SharedConfigFiles(environment: environment, homeDirectory: homeDirectory)
        if let value = nonEmpty(files.credentialsFileProfile(profile.name)?[key]) {
            return ProfileSetting(key: key, value: value, profile: profile, file: files.credentialsFilePath)
        }
        if let value = nonEmpty(files.configFileProfile(profile.name)?[key]) {
            return ProfileSetting(key: key, value: value, profile: profile, file: files.configFilePath)
        }
        return nil
    }

    private func environmentCredentials() throws(CredentialError) -> AWSCredentials? {
        guard let accessKeyID = nonEmpty(environment["AWS_ACCESS_KEY_ID"]) else { return nil }
        guard let secretAccessKey = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"]) else {
            throw .incompleteCredentials(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY")
        }
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey,
            sessionToken: nonEmpty(environment["AWS_SECURITY_TOKEN"]) ?? nonEmpty(environment["AWS_SESSION_TOKEN"]),
            source: "environment")
    }

    /// Static keys of one file's profile; nil when it has no aws_access_key_id.
    private static func staticCredentials(in settings: SharedConfigFiles.Profile?, source: String)
        throws(CredentialError) -> AWSCredentials?
    {
        guard let settings, let accessKeyID = settings["aws_access_key_id"] else { return nil }
        guard let secretAccessKey = nonEmpty(settings["aws_secret_access_key"]) else {
            throw .incompleteCredentials(source: source, missing: "aws_secret_access_key")
        }
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey,
            sessionToken: nonEmpty(settings["aws_security_token"]) ?? nonEmpty(settings["aws_session_token"]),
            source: source)
    }
}

/// Unset and empty mean the same here, as they do for most of botocore's settings.
func nonEmpty(_ value: String?) -> String? {
    guard let value, !value.isEmpty else { return nil }
    return value
}

/// The environment usually holds AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, so a
/// printed or dumped chain names its variables but shows none of their values.
extension AWSCredentialChain: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let fields = redactedFields.map { "\($0.label): \($0.value)" }
        return "AWSCredentialChain(\(fields.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: redactedFields.map { (label: $0.label, value: $0.value) }, displayStyle: .struct)
    }

    private var redactedFields: [(label: String, value: String)] {
        [
            ("environment", "[\(environment.keys.sorted().joined(separator: ", "))] (values not shown)"),
            ("homeDirectory", homeDirectory),
            ("credentialProcessTimeout", "\(credentialProcessTimeout)"),
        ]
    }
}

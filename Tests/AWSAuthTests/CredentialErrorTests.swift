import Foundation
import Testing

@testable import AWSAuth

@Suite struct CredentialErrorTests {
    let home: TemporaryAWSHome
    var credentialsPath: String { "\(home.path)/.aws/credentials" }
    var configPath: String { "\(home.path)/.aws/config" }

    init() throws { home = try TemporaryAWSHome() }

    func error(_ environment: [String: String] = [:], profile: String? = nil) async -> CredentialError? {
        await #expect(throws: CredentialError.self) { try await home.chain(environment).credentials(profile: profile) }
    }

    @Test func nothingFoundListsEveryPlaceLookedAt() async throws {
        let error = await error()
        #expect(error == .notFound(CredentialSearch(
            profile: SelectedProfile(name: "default", origin: .defaultProfile), environmentVariablesChecked: true,
            credentialsFile: credentialsPath, credentialsFileExists: false, configFile: configPath, configFileExists: false)))
        let message = expectNoSecrets(in: error)
        for place in [
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)",
            "the [default] section of the shared credentials file \(credentialsPath) (the file does not exist)",
            "the [default] section of the config file \(configPath), for static keys or credential_process (the file does not exist)",
            "profile 'default'",
        ] {
            #expect(message.contains(place), "\(message)")
        }
    }

    @Test func nothingFoundInAProfileThatExists() async throws {
        try home.credentialsFile("[other]\n" + staticKeys("AKIAOTHER"))
        try home.configFile("[profile dev]\nregion = eu-west-1\n")
        let message = expectNoSecrets(in: await error(["AWS_PROFILE": "dev"]))
        #expect(message.contains("No AWS credentials were found for profile 'dev' (from AWS_PROFILE)."))
        #expect(message.contains("the [dev] section of the shared credentials file \(credentialsPath)\n"))
        #expect(message.contains("the [profile dev] section of the config file \(configPath), for static keys or credential_process\n"))
        #expect(message.contains("aws configure --profile dev"))
    }

    @Test func aNamedProfileThatIsNowhere() async throws {
        try home.configFile("[profile dev]\nregion = eu-west-1\n")
        let error = await error(["AWS_PROFILE": "ghost"])
        #expect(error == .profileNotFound(
            SelectedProfile(name: "ghost", origin: .environmentVariable("AWS_PROFILE")),
            credentialsFile: credentialsPath, configFile: configPath))
        #expect(expectNoSecrets(in: error).contains(
            "The AWS profile 'ghost' (from AWS_PROFILE) is neither a [ghost] section in \(credentialsPath) "
                + "nor a [profile ghost] section in \(configPath)."))
    }

    @Test func anAccessKeyIDWithoutItsSecretInTheEnvironment() async throws {
        let error = await error(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SESSION_TOKEN": Secret.sessionToken])
        #expect(error == .incompleteCredentials(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY"))
        #expect(expectNoSecrets(in: error).contains("Set AWS_SECRET_ACCESS_KEY as well"))
    }

    @Test func anAccessKeyIDWithoutItsSecretInAFile() async throws {
        try home.credentialsFile("[default]\naws_access_key_id = AKIAFILE\naws_session_token = \(Secret.sessionToken)\n")
        let error = await error()
        #expect(error == .incompleteCredentials(source: "profile default in \(credentialsPath)", missing: "aws_secret_access_key"))
        expectNoSecrets(in: error)
    }

    @Test(arguments: [
        ("role_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = base", UnsupportedCredentialSource.assumeRole(profile: "corp")),
        ("role_arn = arn:aws:iam::1:role/x\nweb_identity_token_file = /token", .webIdentity(profile: "corp")),
        ("sso_account_id = 123456789012\nsso_role_name = ReadOnly\nsso_start_url = https://corp.awsapps.com/start", .singleSignOn(profile: "corp")),
        ("sso_session = corp-session", .singleSignOn(profile: "corp")),
        ("sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1", .singleSignOn(profile: "corp")),
        ("login_session = arn:aws:iam::123456789012:user/me", .consoleLogin(profile: "corp")),
    ])
    func profilesThatTheAWSCLIMustServe(settings: String, source: UnsupportedCredentialSource) async throws {
        try home.configFile("[profile corp]\n\(settings)\n")
        let error = await error(profile: "corp")
        #expect(error == .unsupportedSource(source))
        let message = expectNoSecrets(in: error)
        #expect(message.contains(
            "  [profile corp-export]\n  credential_process = aws configure export-credentials --profile corp --format process\n"))
        #expect(message.contains("use --profile corp-export"))
    }

    @Test func webIdentityFromTheEnvironment() async throws {
        let error = await error(["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/token"])
        #expect(error == .unsupportedSource(.environmentWebIdentity))
        #expect(expectNoSecrets(in: error).contains("credential_process = aws configure export-credentials --format process"))
    }

    @Test func aMalformedFileSaysWhereWithoutQuotingTheLine() async throws {
        try home.credentialsFile("[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key \(Secret.accessKey)\n")
        let error = await error()
        #expect(error == .malformedFile(
            path: credentialsPath, line: 3, problem: "expected `key = value`, a [section] header or a comment"))
        #expect(expectNoSecrets(in: error).contains("\(credentialsPath) cannot be parsed: line 3:"))
    }

    @Test func aMalformedConfigFileIsAnErrorEvenWhenTheCredentialsFileHasKeys() async throws {
        try home.credentialsFile("[default]\n" + staticKeys("AKIAFILE"))
        try home.configFile("region = eu-west-1\n")
        #expect(await error() == .malformedFile(
            path: configPath, line: 1, problem: "a setting comes before the first [section] header"))
    }

    @Test func environmentCredentialsDoNotReadTheFiles() async throws {
        try home.configFile("not an ini file")
        let credentials = try await home.chain(["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"]).credentials()
        #expect(credentials.accessKeyID == "AKIAENV")
    }

    @Test func aDirectoryWhereAFileShouldBeCountsAsNoFile() async throws {
        let directory = home.path + "/a-directory"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard case .notFound(let search) = await error(["AWS_SHARED_CREDENTIALS_FILE": directory]) else {
            Issue.record("expected notFound")
            return
        }
        #expect(search.credentialsFile == directory && !search.credentialsFileExists)
    }

    @Test func aFileThatIsNotUTF8() async throws {
        try Data([0x5B, 0x61, 0x5D, 0x0A, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: credentialsPath))
        #expect(await error() == .unreadableFile(path: credentialsPath, reason: "it is not UTF-8 text"))
    }

    @Test func everyMessageIsASentenceThatSaysWhatToDo() {
        let profile = SelectedProfile(name: "dev", origin: .explicit)
        let errors: [CredentialError] = [
            .notFound(CredentialSearch(
                profile: profile, environmentVariablesChecked: false, credentialsFile: "/c", credentialsFileExists: true,
                configFile: "/f", configFileExists: true)),
            .profileNotFound(profile, credentialsFile: "/c", configFile: "/f"),
            .incompleteCredentials(source: "the environment", missing: "AWS_SECRET_ACCESS_KEY"),
            .unsupportedSource(.assumeRole(profile: "dev")),
            .unreadableFile(path: "/c", reason: "Permission denied."),
            .malformedFile(path: "/c", line: 3, problem: "bad"),
            .credentialProcessDidNotStart(profile: "dev", command: "x", reason: "No such file."),
            .credentialProcessFailed(profile: "dev", command: "x", exitStatus: 1, standardError: ""),
            .credentialProcessTimedOut(profile: "dev", command: "x", timeout: .seconds(60)),
            .credentialProcessInvalidOutput(profile: "dev", command: "x", problem: "bad"),
            .credentialProcessExpired(profile: "dev", command: "x", expiration: Date(timeIntervalSince1970: 0)),
            .regionNotFound(profile, configFile: "/f"),
        ]
        for error in errors {
            let message = error.description
            #expect(message.first?.isUppercase == true, "\(message)")
            #expect([".", ")", "\n"].contains(message.last), "\(message)")
            #expect(error.errorDescription == message)
        }
        #expect(CredentialError.credentialProcessTimedOut(profile: "dev", command: "x", timeout: .seconds(60))
            .description.contains("within 60 seconds"))
    }
}

@Suite struct RegionTests {
    let home: TemporaryAWSHome

    init() throws {
        home = try TemporaryAWSHome()
        try home.configFile("[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-northeast-1\n[profile none]\noutput = json\n")
    }

    @Test func explicitBeatsEverything() throws {
        let chain = home.chain(["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2", "AWS_PROFILE": "dev"])
        #expect(try chain.region(explicit: "cn-north-1") == "cn-north-1")
    }

    @Test func awsRegionBeatsAWSDefaultRegion() throws {
        #expect(try home.chain(["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-2"]).region() == "us-east-1")
    }

    @Test func awsDefaultRegionBeatsTheProfile() throws {
        #expect(try home.chain(["AWS_DEFAULT_REGION": "us-east-2", "AWS_PROFILE": "dev"]).region() == "us-east-2")
    }

    @Test func emptyValuesCountAsUnset() throws {
        #expect(try home.chain(["AWS_REGION": "", "AWS_DEFAULT_REGION": ""]).region(explicit: "") == "eu-west-1")
    }

    @Test func theSelectedProfilesRegion() throws {
        #expect(try home.chain().region() == "eu-west-1")
        #expect(try home.chain(["AWS_PROFILE": "dev"]).region() == "ap-northeast-1")
        #expect(try home.chain(["AWS_PROFILE": "dev"]).region(profile: "default") == "eu-west-1")
    }

    @Test func theCredentialsFileCanSetTheRegionToo() throws {
        try home.credentialsFile("[dev]\nregion = us-gov-west-1\n[solo]\nregion = sa-east-1\n")
        #expect(try home.chain().region(profile: "dev") == "us-gov-west-1")
        #expect(try home.chain().region(profile: "solo") == "sa-east-1")
    }

    @Test func noRegionAnywhere() throws {
        let error = #expect(throws: CredentialError.self) { try home.chain().region(profile: "none") }
        #expect(error == .regionNotFound(SelectedProfile(name: "none", origin: .explicit), configFile: "\(home.path)/.aws/config"))
        #expect(error?.description.contains(
            "dbiam looked at the explicit region (flag or manifest), AWS_REGION, AWS_DEFAULT_REGION and `region` in "
                + "profile 'none' (given with --profile) of \(home.path)/.aws/config.") == true)
    }

    @Test func anEnvironmentRegionDoesNotReadTheFiles() throws {
        try home.configFile("not an ini file")
        #expect(try home.chain(["AWS_REGION": "us-east-1"]).region() == "us-east-1")
        #expect(throws: CredentialError.self) { try home.chain().region() }
    }
}

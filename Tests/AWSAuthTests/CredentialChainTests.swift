import Foundation
import Testing

@testable import AWSAuth

@Suite struct CredentialSourceTests {
    let home: TemporaryAWSHome

    init() throws { home = try TemporaryAWSHome() }

    @Test func environmentVariables() async throws {
        let credentials = try await home.chain([
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": Secret.accessKey,
            "AWS_SESSION_TOKEN": Secret.sessionToken,
        ]).credentials()
        #expect(credentials == AWSCredentials(
            accessKeyID: "AKIAENV", secretAccessKey: Secret.accessKey, sessionToken: Secret.sessionToken,
            source: "environment"))
    }

    @Test func environmentSecurityTokenComesBeforeSessionToken() async throws {
        let credentials = try await home.chain([
            "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": Secret.accessKey,
            "AWS_SECURITY_TOKEN": "legacy", "AWS_SESSION_TOKEN": Secret.sessionToken,
        ]).credentials()
        #expect(credentials.sessionToken == "legacy")
    }

    @Test func emptyEnvironmentVariablesCountAsUnset() async throws {
        try home.credentialsFile("[default]\n" + staticKeys("AKIAFILE"))
        let credentials = try await home.chain(["AWS_ACCESS_KEY_ID": "", "AWS_SESSION_TOKEN": ""]).credentials()
        #expect(credentials.accessKeyID == "AKIAFILE")
    }

    @Test func defaultProfileInTheCredentialsFile() async throws {
        try home.credentialsFile("[default]\n" + staticKeys("AKIAFILE", sessionToken: true))
        let credentials = try await home.chain().credentials()
        #expect(credentials == AWSCredentials(
            accessKeyID: "AKIAFILE", secretAccessKey: Secret.accessKey, sessionToken: Secret.sessionToken,
            source: "profile default in \(home.path)/.aws/credentials"))
    }

    @Test func defaultProfileInTheConfigFile() async throws {
        try home.configFile("[default]\nregion = eu-west-1\n" + staticKeys("AKIACONFIG"))
        let credentials = try await home.chain().credentials()
        #expect(credentials.accessKeyID == "AKIACONFIG")
        #expect(credentials.source == "profile default in \(home.path)/.aws/config")
    }

    @Test func namedProfileInTheConfigFile() async throws {
        try home.configFile("[profile dev]\n" + staticKeys("AKIADEV") + "[default]\n" + staticKeys("AKIADEFAULT"))
        #expect(try await home.chain(["AWS_PROFILE": "dev"]).credentials().accessKeyID == "AKIADEV")
        #expect(try await home.chain().credentials(profile: "dev").accessKeyID == "AKIADEV")
    }

    @Test func credentialProcess() async throws {
        try home.configFile("[profile sso]\n" + home.credentialProcess(printing: processJSON()))
        let credentials = try await home.chain().credentials(profile: "sso")
        #expect(credentials == AWSCredentials(
            accessKeyID: "ASIAPROCESS", secretAccessKey: Secret.accessKey, sessionToken: Secret.sessionToken,
            expiration: RFC3339.date(from: "2099-01-01T00:00:00Z"), source: "credential_process of profile sso"))
    }

    @Test func credentialProcessInTheCredentialsFile() async throws {
        try home.credentialsFile("[sso]\n" + home.credentialProcess(printing: processJSON()))
        #expect(try await home.chain().credentials(profile: "sso").accessKeyID == "ASIAPROCESS")
    }

    @Test func keysAreCaseInsensitiveAndSectionsAreNot() async throws {
        try home.credentialsFile("[Dev]\nAWS_ACCESS_KEY_ID = AKIAUPPER\nAws_Secret_Access_Key=\(Secret.accessKey)\n")
        #expect(try await home.chain().credentials(profile: "Dev").accessKeyID == "AKIAUPPER")
        let error = await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "dev") }
        #expect(error == .profileNotFound(
            SelectedProfile(name: "dev", origin: .explicit),
            credentialsFile: "\(home.path)/.aws/credentials", configFile: "\(home.path)/.aws/config"))
    }

    @Test func configSectionNamesAreReadLikeBotocore() async throws {
        try home.configFile(
            "[profile \"team a\"]\n" + staticKeys("AKIAQUOTED") + "[dev]\n" + staticKeys("AKIANOTAPROFILE")
                + "[profile  spaced ]\n" + staticKeys("AKIASPACED"))
        #expect(try await home.chain().credentials(profile: "team a").accessKeyID == "AKIAQUOTED")
        #expect(try await home.chain().credentials(profile: "spaced").accessKeyID == "AKIASPACED")
        await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "dev") }
    }

    @Test func theCredentialsFileHasNoProfilePrefix() async throws {
        try home.credentialsFile("[profile dev]\n" + staticKeys("AKIAPREFIXED"))
        #expect(try await home.chain().credentials(profile: "profile dev").accessKeyID == "AKIAPREFIXED")
        await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "dev") }
    }

    @Test func filesNamedByTheEnvironment() async throws {
        try home.credentialsFile("[default]\n" + staticKeys("AKIAIGNORED"))
        let credentialsFile = try home.write("elsewhere/creds.ini", "[default]\n" + staticKeys("AKIAELSEWHERE"))
        let chain = home.chain(["AWS_SHARED_CREDENTIALS_FILE": credentialsFile])
        #expect(try await chain.credentials().accessKeyID == "AKIAELSEWHERE")
        #expect(try await chain.credentials().source == "profile default in \(credentialsFile)")
    }

    @Test func configFileNamedByTheEnvironmentWithTilde() async throws {
        try home.configFile("[profile dev]\n" + staticKeys("AKIAIGNORED"))
        try home.write("custom/aws-config", "[profile dev]\n" + staticKeys("AKIATILDE"))
        let credentials = try await home.chain(["AWS_CONFIG_FILE": "~/custom/aws-config"]).credentials(profile: "dev")
        #expect(credentials.accessKeyID == "AKIATILDE")
        #expect(credentials.source == "profile dev in \(home.path)/custom/aws-config")
    }

    @Test func homeDefaultsToTheHOMEVariable() {
        let chain = AWSCredentialChain(environment: ["HOME": home.path])
        #expect(chain.homeDirectory == home.path)
    }

}

@Suite struct CredentialPrecedenceTests {
    let home: TemporaryAWSHome
    let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": Secret.accessKey]

    init() throws {
        home = try TemporaryAWSHome()
        try home.credentialsFile("[default]\n" + staticKeys("AKIADEFAULT") + "[dev]\n" + staticKeys("AKIADEV"))
        try home.configFile("[profile regiononly]\nregion = eu-west-1\n")
    }

    @Test func environmentBeatsTheDefaultProfile() async throws {
        #expect(try await home.chain(environmentKeys).credentials().accessKeyID == "AKIAENV")
    }

    @Test func environmentBeatsAWS_PROFILE() async throws {
        let environment = environmentKeys.merging(["AWS_PROFILE": "dev"]) { $1 }
        #expect(try await home.chain(environment).credentials().accessKeyID == "AKIAENV")
    }

    @Test func anExplicitProfileBeatsTheEnvironment() async throws {
        #expect(try await home.chain(environmentKeys).credentials(profile: "dev").accessKeyID == "AKIADEV")
        #expect(try await home.chain(environmentKeys).credentials(profile: "default").accessKeyID == "AKIADEFAULT")
    }

    @Test func anExplicitProfileWithoutCredentialsDoesNotFallBackToTheEnvironment() async throws {
        let error = await #expect(throws: CredentialError.self) {
            try await home.chain(environmentKeys).credentials(profile: "regiononly")
        }
        guard case .notFound(let search) = error else {
            Issue.record("expected notFound, got \(String(describing: error))")
            return
        }
        #expect(!search.environmentVariablesChecked)
        #expect(expectNoSecrets(in: error).contains("(skipped: a profile given with --profile excludes them)"))
    }

    @Test func anExplicitProfileBeatsAWS_PROFILE() async throws {
        #expect(try await home.chain(["AWS_PROFILE": "dev"]).credentials(profile: "default").accessKeyID == "AKIADEFAULT")
    }

    @Test func awsDefaultProfileBeatsAWS_PROFILE() async throws {
        let chain = home.chain(["AWS_DEFAULT_PROFILE": "dev", "AWS_PROFILE": "default"])
        #expect(try await chain.credentials().accessKeyID == "AKIADEV")
        #expect(chain.selectedProfile() == SelectedProfile(name: "dev", origin: .environmentVariable("AWS_DEFAULT_PROFILE")))
    }

    @Test func theCredentialsFileBeatsTheConfigFile() async throws {
        try home.configFile("[profile dev]\n" + staticKeys("AKIACONFIG"))
        #expect(try await home.chain().credentials(profile: "dev").accessKeyID == "AKIADEV")
    }

    @Test func staticKeysInTheCredentialsFileBeatCredentialProcess() async throws {
        try home.configFile("[profile dev]\ncredential_process = sh -c 'echo should not run >&2; exit 1'\n")
        #expect(try await home.chain().credentials(profile: "dev").accessKeyID == "AKIADEV")
    }

    @Test func credentialProcessBeatsStaticKeysInTheConfigFile() async throws {
        try home.configFile("[profile both]\n" + staticKeys("AKIACONFIG") + home.credentialProcess(printing: processJSON()))
        #expect(try await home.chain().credentials(profile: "both").accessKeyID == "ASIAPROCESS")
    }

    @Test func theCredentialsFilesCredentialProcessBeatsTheConfigFiles() async throws {
        try home.configFile("[profile sso]\n" + home.credentialProcess(printing: processJSON(accessKeyID: "ASIACONFIG"), name: "a.json"))
        try home.credentialsFile("[sso]\n" + home.credentialProcess(printing: processJSON(accessKeyID: "ASIACREDS"), name: "b.json"))
        #expect(try await home.chain().credentials(profile: "sso").accessKeyID == "ASIACREDS")
    }

    @Test func roleARNComesBeforeStaticKeys() async throws {
        try home.configFile("[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n")
        let error = await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "dev") }
        #expect(error == .unsupportedSource(.assumeRole(profile: "dev")))
    }

    @Test func singleSignOnComesBeforeStaticKeys() async throws {
        try home.configFile("[profile dev]\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nsso_session = corp\n")
        let error = await #expect(throws: CredentialError.self) { try await home.chain().credentials(profile: "dev") }
        #expect(error == .unsupportedSource(.singleSignOn(profile: "dev")))
    }

    @Test func environmentWebIdentityComesBeforeTheProfileUnlessAProfileIsExplicit() async throws {
        let chain = home.chain(["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/x"])
        let error = await #expect(throws: CredentialError.self) { try await chain.credentials() }
        #expect(error == .unsupportedSource(.environmentWebIdentity))
        #expect(try await chain.credentials(profile: "dev").accessKeyID == "AKIADEV")
    }
}

import Testing

@testable import AWSAuth

@Suite struct ProfileSettingTests {
    @Test func aSettingIsReadFromTheSelectedProfileWithItsFile() throws {
        let home = try TemporaryAWSHome()
        try home.configFile("[default]\nendpoint_url = https://default.example.com\n[profile dev]\nendpoint_url = https://dev.example.com\n")
        let named = try #require(try home.chain().profileSetting("endpoint_url", profile: "dev"))
        #expect(named.value == "https://dev.example.com")
        #expect(named.profile == SelectedProfile(name: "dev", origin: .explicit))
        #expect(named.description == "endpoint_url of profile dev in \(home.path)/.aws/config")

        let fromVariable = try #require(try home.chain(["AWS_PROFILE": "dev"]).profileSetting("endpoint_url"))
        #expect(fromVariable.value == "https://dev.example.com")
        #expect(try home.chain().profileSetting("endpoint_url")?.value == "https://default.example.com")
        #expect(try home.chain().profileSetting("max_attempts") == nil)
    }

    @Test func theCredentialsFileWinsAsItDoesInBotocore() throws {
        let home = try TemporaryAWSHome()
        try home.configFile("[profile dev]\nendpoint_url = https://config.example.com\n")
        try home.credentialsFile("[dev]\nendpoint_url = https://credentials.example.com\n")
        let setting = try #require(try home.chain().profileSetting("endpoint_url", profile: "dev"))
        #expect(setting.value == "https://credentials.example.com")
        #expect(setting.file == home.path + "/.aws/credentials")
    }
}

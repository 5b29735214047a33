import AWSAuth
import Foundation
import Testing

@testable import AWSAPI

/// A home directory of its own, so that no test reads the real ~/.aws.
final class TemporaryHome {
    let path: String

    init(config: String? = nil, credentials: String? = nil) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-awsapi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
        if let config { try config.write(toFile: path + "/.aws/config", atomically: true, encoding: .utf8) }
        if let credentials { try credentials.write(toFile: path + "/.aws/credentials", atomically: true, encoding: .utf8) }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func resolver(_ environment: [String: String] = [:], profile: String? = nil) -> AWSEndpointResolver {
        AWSEndpointResolver(environment: environment, profile: profile, homeDirectory: path)
    }
}

@Suite struct EndpointResolutionTests {
    @Test(arguments: [
        (AWSService.rds, "ap-northeast-1", "https://rds.ap-northeast-1.amazonaws.com/", "ap-northeast-1"),
        (.sts, "eu-west-1", "https://sts.eu-west-1.amazonaws.com/", "eu-west-1"),
        (.ssoAdmin, "us-east-1", "https://sso.us-east-1.amazonaws.com/", "us-east-1"),
        (.iam, "ap-northeast-1", "https://iam.amazonaws.com/", "us-east-1"),
        (.organizations, "eu-central-1", "https://organizations.us-east-1.amazonaws.com/", "us-east-1"),
        (.rds, "cn-north-1", "https://rds.cn-north-1.amazonaws.com.cn/", "cn-north-1"),
        (.sts, "cn-northwest-1", "https://sts.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1"),
        (.iam, "cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1"),
        (.organizations, "cn-north-1", "https://organizations.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1"),
        (.iam, "us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1"),
        (.sts, "us-gov-east-1", "https://sts.us-gov-east-1.amazonaws.com/", "us-gov-east-1"),
        (.organizations, "us-gov-east-1", "https://organizations.us-gov-west-1.amazonaws.com/", "us-gov-west-1"),
        (.rds, "us-iso-east-1", "https://rds.us-iso-east-1.c2s.ic.gov/", "us-iso-east-1"),
        (.iam, "us-iso-west-1", "https://iam.us-iso-east-1.c2s.ic.gov/", "us-iso-east-1"),
        (.rds, "us-isob-east-1", "https://rds.us-isob-east-1.sc2s.sgov.gov/", "us-isob-east-1"),
        (.iam, "us-isob-east-1", "https://iam.us-isob-east-1.sc2s.sgov.gov/", "us-isob-east-1"),
        (.rds, "eu-isoe-west-1", "https://rds.eu-isoe-west-1.cloud.adc-e.uk/", "eu-isoe-west-1"),
        (.organizations, "eu-isoe-west-1", "https://organizations.eu-isoe-west-1.cloud.adc-e.uk/", "eu-isoe-west-1"),
    ])
    func partitionDefaults(_ service: AWSService, _ region: String, _ url: String, _ signingRegion: String) throws {
        let home = try TemporaryHome()
        let endpoint = try home.resolver().endpoint(for: service, region: region)
        #expect(endpoint.url.absoluteString == url)
        #expect(endpoint.signingRegion == signingRegion)
        #expect(endpoint.source == .partitionDefault(partition: AWSPartition(region: region).id))
    }

    @Test func theServiceVariableWinsOverTheGeneralOneAndTheProfile() throws {
        let home = try TemporaryHome(config: "[default]\nendpoint_url = https://from-profile.example.com\n")
        let environment = [
            "AWS_ENDPOINT_URL_SSO_ADMIN": "https://sso.example.com",
            "AWS_ENDPOINT_URL": "https://general.example.com/prefix",
        ]
        let sso = try home.resolver(environment).endpoint(for: .ssoAdmin, region: "us-east-1")
        #expect(sso.url.absoluteString == "https://sso.example.com/")
        #expect(sso.source == .environmentVariable("AWS_ENDPOINT_URL_SSO_ADMIN"))

        let rds = try home.resolver(environment).endpoint(for: .rds, region: "ap-northeast-1")
        #expect(rds.url.absoluteString == "https://general.example.com/prefix")
        #expect(rds.source == .environmentVariable("AWS_ENDPOINT_URL"))
        #expect(rds.signingRegion == "ap-northeast-1")
    }

    @Test(arguments: AWSService.allCases)
    func eachServiceHasItsOwnVariable(_ service: AWSService) throws {
        let home = try TemporaryHome()
        let variable = "AWS_ENDPOINT_URL_\(service.endpointVariableSuffix)"
        let endpoint = try home.resolver([variable: "http://127.0.0.1:4566"]).endpoint(for: service, region: "eu-west-1")
        #expect(endpoint.url.absoluteString == "http://127.0.0.1:4566/")
        #expect(endpoint.source == .environmentVariable(variable))
        // A configured endpoint is signed for the client's region, global services too.
        #expect(endpoint.signingRegion == "eu-west-1")
    }

    @Test func theSelectedProfilesEndpointURLIsUsedWhenNoVariableIsSet() throws {
        let home = try TemporaryHome(
            config: """
                [default]
                endpoint_url = https://default.example.com

                [profile stand-in]
                endpoint_url = http://localhost:45130
                """)
        let named = try home.resolver(profile: "stand-in").endpoint(for: .iam, region: "us-east-1")
        #expect(named.url.absoluteString == "http://localhost:45130/")
        guard case .profileSetting(let setting) = named.source else {
            Issue.record("expected the profile as the source, got \(named.source)")
            return
        }
        #expect(setting.profile.name == "stand-in")
        #expect(setting.file == home.path + "/.aws/config")

        let fromVariable = try home.resolver(["AWS_PROFILE": "stand-in"]).endpoint(for: .sts, region: "us-east-1")
        #expect(fromVariable.url.absoluteString == "http://localhost:45130/")

        let byDefault = try home.resolver().endpoint(for: .sts, region: "us-east-1")
        #expect(byDefault.url.absoluteString == "https://default.example.com/")
    }

    @Test func ignoringConfiguredEndpointsFallsBackToThePartition() throws {
        let home = try TemporaryHome(config: "[default]\nendpoint_url = https://default.example.com\n")
        let environment = ["AWS_ENDPOINT_URL": "https://general.example.com", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]
        let endpoint = try home.resolver(environment).endpoint(for: .rds, region: "ap-northeast-1")
        #expect(endpoint.url.absoluteString == "https://rds.ap-northeast-1.amazonaws.com/")
    }

    @Test(arguments: ["http://127.0.0.1:45130", "http://localhost:1/", "http://[::1]:45130", "HTTP://LOCALHOST:8080"])
    func plainHTTPIsAllowedOnLoopbackHosts(_ url: String) throws {
        let home = try TemporaryHome()
        #expect(throws: Never.self) { try home.resolver(["AWS_ENDPOINT_URL_RDS": url]).endpoint(for: .rds, region: "us-east-1") }
    }

    @Test(arguments: ["http://rds.example.com", "http://10.0.0.5:45130", "http://127.0.0.1.example.com", "http://localhost.evil.test"])
    func plainHTTPElsewhereIsRefusedNamingTheVariable(_ url: String) throws {
        let home = try TemporaryHome()
        let error = #expect(throws: AWSConfigurationError.self) {
            try home.resolver(["AWS_ENDPOINT_URL_RDS": url]).endpoint(for: .rds, region: "us-east-1")
        }
        #expect(error == .plainHTTPEndpoint(url, source: .environmentVariable("AWS_ENDPOINT_URL_RDS")))
        #expect(error?.description.contains("AWS_ENDPOINT_URL_RDS") == true)
        #expect(error?.description.contains("https") == true)
    }

    @Test func plainHTTPInAProfileIsRefusedNamingTheProfileAndFile() throws {
        let home = try TemporaryHome(config: "[profile corp]\nendpoint_url = http://proxy.corp.example:8080\n")
        let error = #expect(throws: AWSConfigurationError.self) {
            try home.resolver(profile: "corp").endpoint(for: .sts, region: "us-east-1")
        }
        #expect(error?.description.contains("endpoint_url of profile corp in \(home.path)/.aws/config") == true)
    }

    @Test(arguments: ["ftp://127.0.0.1/", "not a url", "https://", "https://host.example.com/?a=b"])
    func malformedEndpointsAreRefused(_ url: String) throws {
        let home = try TemporaryHome()
        let error = #expect(throws: AWSConfigurationError.self) {
            try home.resolver(["AWS_ENDPOINT_URL": url]).endpoint(for: .rds, region: "us-east-1")
        }
        #expect(error == .invalidEndpoint(url, source: .environmentVariable("AWS_ENDPOINT_URL")))
    }

    @Test func anEmptyRegionIsAnError() throws {
        let home = try TemporaryHome()
        #expect(throws: AWSConfigurationError.noRegion) { try home.resolver().endpoint(for: .rds, region: "") }
    }
}

@Suite struct RetryPolicyConfigurationTests {
    @Test func threeAttemptsByDefault() throws {
        let home = try TemporaryHome()
        #expect(try AWSRetryPolicy.standard(environment: [:], homeDirectory: home.path).maxAttempts == 3)
    }

    @Test func theVariableWinsOverTheProfile() throws {
        let home = try TemporaryHome(config: "[default]\nmax_attempts = 7\n")
        #expect(try AWSRetryPolicy.standard(environment: [:], homeDirectory: home.path).maxAttempts == 7)
        #expect(try AWSRetryPolicy.standard(environment: ["AWS_MAX_ATTEMPTS": "5"], homeDirectory: home.path).maxAttempts == 5)
    }

    @Test(arguments: ["0", "-1", "three", "2.5"])
    func invalidAttemptsAreAnError(_ value: String) throws {
        let home = try TemporaryHome()
        #expect(throws: AWSConfigurationError.invalidMaxAttempts(value, source: "AWS_MAX_ATTEMPTS")) {
            try AWSRetryPolicy.standard(environment: ["AWS_MAX_ATTEMPTS": value], homeDirectory: home.path)
        }
    }

    @Test func backoffIsCappedAndJittered() {
        let policy = AWSRetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxBackoff: .seconds(20))
        for retry in 1...12 {
            let delay = policy.backoff(beforeRetry: retry)
            #expect(delay >= .zero)
            #expect(delay <= min(.seconds(1) * (1 << (retry - 1)), .seconds(20)))
        }
        let samples = Set((0..<20).map { _ in policy.backoff(beforeRetry: 3) })
        #expect(samples.count > 1, "the backoff is jittered, not fixed")
    }
}

@Suite struct IAMRoleNameTests {
    @Test(arguments: [
        ("arn:aws:iam::123456789012:role/bastion", "bastion"),
        ("arn:aws-cn:iam::123456789012:role/service-role/ops/bastion", "bastion"),
        ("arn:aws:iam::123456789012:user/bastion", nil),
        ("arn:aws:iam::123456789012:role/", nil),
        ("bastion", nil),
    ] as [(String, String?)])
    func roleNamesComeFromTheARNsLastPathPart(_ arn: String, _ name: String?) {
        #expect(IAMAPI.roleName(fromARN: arn) == name)
    }
}

@Suite struct PartitionTests {
    @Test(arguments: [
        ("us-east-1", "aws"), ("ap-northeast-1", "aws"), ("cn-north-1", "aws-cn"), ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"), ("us-iso-east-1", "aws-iso"), ("us-isob-east-1", "aws-iso-b"),
        ("eu-isoe-west-1", "aws-iso-e"), ("xx-future-9", "aws"),
    ])
    func regionsBelongToTheirPartition(_ region: String, _ partition: String) {
        #expect(AWSPartition(region: region).id == partition)
    }
}

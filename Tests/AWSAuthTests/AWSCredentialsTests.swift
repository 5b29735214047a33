import Foundation
import Testing

import AWSAuth

@Suite struct AWSCredentialsRedactionTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRETKEY"
    static let sessionToken = "IQoJb3JpZ2luX2VjSESSIONTOKEN/+=="

    let credentials = AWSCredentials(
        accessKeyID: "ASIAEXAMPLE",
        secretAccessKey: secret,
        sessionToken: sessionToken,
        expiration: Date(timeIntervalSince1970: 1_795_953_600),
        source: "credential_process of profile sso"
    )

    var renderings: [String] {
        var dumped = ""
        dump(credentials, to: &dumped)
        var dumpedInArray = ""
        dump([credentials], to: &dumpedInArray)
        return [
            String(describing: credentials),
            String(reflecting: credentials),
            "\(credentials)",
            dumped,
            dumpedInArray,
            String(describing: [credentials]),
            String(describing: Optional(credentials)),
            Mirror(reflecting: credentials).children.map { "\($0.label ?? ""): \($0.value)" }.joined(),
        ]
    }

    @Test func neitherTheSecretNorTheSessionTokenIsShown() {
        for text in renderings {
            #expect(!text.contains(Self.secret), "\(text)")
            #expect(!text.contains(Self.sessionToken), "\(text)")
            #expect(!text.contains("SECRETKEY") && !text.contains("SESSIONTOKEN"), "\(text)")
        }
    }

    @Test func whatIsNotSecretIsShown() {
        for text in renderings {
            #expect(text.contains("ASIAEXAMPLE"))
            #expect(text.contains("credential_process of profile sso"))
            #expect(text.contains("<redacted>"))
        }
        #expect(String(describing: credentials).contains("2026-11-29T12:00:00Z"))
    }

    @Test func aMissingSessionTokenReadsAsNil() {
        var longTerm = credentials
        longTerm.sessionToken = nil
        #expect(String(describing: longTerm).contains("sessionToken: nil"))
    }
}

@Suite struct AWSCredentialChainRedactionTests {
    @Test func theEnvironmentsValuesAreNotShown() {
        let chain = AWSCredentialChain(
            environment: ["AWS_SECRET_ACCESS_KEY": Secret.accessKey, "AWS_SESSION_TOKEN": Secret.sessionToken, "HOME": "/home/me"])
        var dumped = ""
        dump(chain, to: &dumped)
        for text in [String(describing: chain), String(reflecting: chain), "\(chain)", dumped] {
            for secret in Secret.all {
                #expect(!text.contains(secret), "\(text)")
            }
            #expect(text.contains("AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, HOME"))
            #expect(text.contains("/home/me"))
        }
    }
}

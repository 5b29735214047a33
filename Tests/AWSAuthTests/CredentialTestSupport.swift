import Foundation
import Testing

@testable import AWSAuth

/// Values that must never show up in anything printed.
enum Secret {
    static let accessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYTOPSECRET"
    static let sessionToken = "IQoJb3JpZ2luX2VjSESSIONTOKEN/+=="
    /// The secrets, and parts of them that a truncated or escaped copy would still show.
    static let all = [accessKey, sessionToken, "TOPSECRET", "SESSIONTOKEN"]
}

/// Every way an error gets printed: message, localized description, debug text, dump.
func renderings(of error: CredentialError) -> [String] {
    var dumped = ""
    dump(error, to: &dumped)
    return [
        error.description, error.localizedDescription, String(describing: error), String(reflecting: error), dumped,
        "\(error as any Error)",
    ]
}

/// Checks that no rendering of `error` contains a secret, and returns its message.
@discardableResult
func expectNoSecrets(in error: CredentialError?, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    guard let error else { return "" }
    for text in renderings(of: error) {
        for secret in Secret.all {
            #expect(!text.contains(secret), "a rendering of \(error) shows a secret", sourceLocation: sourceLocation)
        }
    }
    return error.description
}

/// Static keys for an INI section.
func staticKeys(_ accessKeyID: String, sessionToken: Bool = false) -> String {
    "aws_access_key_id = \(accessKeyID)\naws_secret_access_key = \(Secret.accessKey)\n"
        + (sessionToken ? "aws_session_token = \(Secret.sessionToken)\n" : "")
}

/// credential_process output with every field.
func processJSON(accessKeyID: String = "ASIAPROCESS", expiration: String = "2099-01-01T00:00:00Z") -> String {
    #"{"Version": 1, "AccessKeyId": "\#(accessKeyID)", "SecretAccessKey": "\#(Secret.accessKey)", "#
        + #""SessionToken": "\#(Secret.sessionToken)", "Expiration": "\#(expiration)"}"#
}

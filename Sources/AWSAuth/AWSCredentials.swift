import FoundationEssentials

/// An access key pair, and the session token that temporary credentials come with.
///
/// Printing, debug-printing or dumping a value shows the access key ID, the expiration
/// and the source, never the secret access key or the session token: credentials end up
/// in log lines and error reports, and those must not carry what signs requests.
public struct AWSCredentials: Sendable, Equatable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-term keys.
    public var expiration: Date?
    /// Where the credentials came from, for messages: "environment",
    /// "profile dev in /home/me/.aws/credentials", "credential_process of profile sso".
    public var source: String

    public init(
        accessKeyID: String,
        secretAccessKey: String,
        sessionToken: String? = nil,
        expiration: Date? = nil,
        source: String
    ) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private static let redacted = "<redacted>"

    public var description: String {
        let fields = redactedFields.map { "\($0.label): \($0.value)" }
        return "AWSCredentials(\(fields.joined(separator: ", ")))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: redactedFields.map { (label: $0.label, value: $0.value) }, displayStyle: .struct)
    }

    private var redactedFields: [(label: String, value: String)] {
        [
            ("accessKeyID", accessKeyID),
            ("secretAccessKey", Self.redacted),
            ("sessionToken", sessionToken == nil ? "nil" : Self.redacted),
            ("expiration", expiration.map(RFC3339.string(from:)) ?? "nil"),
            ("source", source),
        ]
    }
}

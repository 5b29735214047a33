/// The AWS profile whose settings the chain reads, and what chose it.
public struct SelectedProfile: Sendable, Equatable {
    public enum Origin: Sendable, Equatable {
        /// Given with `--profile`: the environment's AWS_ACCESS_KEY_ID and friends are ignored.
        case explicit
        /// AWS_DEFAULT_PROFILE or AWS_PROFILE.
        case environmentVariable(String)
        /// Nothing named a profile, so it is `default`.
        case defaultProfile
    }

    public var name: String
    public var origin: Origin

    public init(name: String, origin: Origin) {
        self.name = name
        self.origin = origin
    }

    /// botocore's order: an explicit name, then AWS_DEFAULT_PROFILE, then AWS_PROFILE
    /// (an empty variable counts as unset), then `default`.
    init(explicit: String?, environment: [String: String]) {
        if let explicit {
            self.init(name: explicit, origin: .explicit)
            return
        }
        for variable in ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"] {
            if let name = nonEmpty(environment[variable]) {
                self.init(name: name, origin: .environmentVariable(variable))
                return
            }
        }
        self.init(name: "default", origin: .defaultProfile)
    }
}

extension SelectedProfile.Origin: CustomStringConvertible {
    public var description: String {
        switch self {
        case .explicit: "given with --profile"
        case .environmentVariable(let variable): "from \(variable)"
        case .defaultProfile: "used because no profile was named"
        }
    }
}

/// One setting of a profile and the file it was read from, so that a message about a
/// bad value can say where to fix it.
public struct ProfileSetting: Sendable, Equatable {
    public var key: String
    public var value: String
    public var profile: SelectedProfile
    public var file: String

    public init(key: String, value: String, profile: SelectedProfile, file: String) {
        self.key = key
        self.value = value
        self.profile = profile
        self.file = file
    }
}

extension ProfileSetting: CustomStringConvertible {
    /// "endpoint_url of profile dev in /home/me/.aws/config"
    public var description: String { "\(key) of profile \(profile.name) in \(file)" }
}

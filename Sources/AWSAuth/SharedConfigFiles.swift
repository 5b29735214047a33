import FoundationEssentials
import Glibc

/// `~/.aws/credentials` and `~/.aws/config` (or the files that AWS_SHARED_CREDENTIALS_FILE
/// and AWS_CONFIG_FILE name), read into profiles the way botocore reads them. A file
/// that does not exist reads as empty.
struct SharedConfigFiles {
    typealias Profile = [String: String]

    let credentialsFilePath: String
    let configFilePath: String
    let credentialsFileExists: Bool
    let configFileExists: Bool
    /// Credentials file sections: `[name]` is the profile `name`.
    private let credentialsProfiles: [String: Profile]
    /// Config file sections: `[profile name]` is the profile `name`, `[default]` is `default`.
    private let configProfiles: [String: Profile]

    init(environment: [String: String], homeDirectory: String) throws(CredentialError) {
        credentialsFilePath = Self.path(
            environment["AWS_SHARED_CREDENTIALS_FILE"], default: "~/.aws/credentials", homeDirectory: homeDirectory)
        configFilePath = Self.path(environment["AWS_CONFIG_FILE"], default: "~/.aws/config", homeDirectory: homeDirectory)
        let credentialsFile = try Self.read(credentialsFilePath)
        let configFile = try Self.read(configFilePath)
        credentialsFileExists = credentialsFile != nil
        configFileExists = configFile != nil
        credentialsProfiles = Dictionary(
            (credentialsFile?.sections ?? []).map { ($0.name, $0.values) }, uniquingKeysWith: { _, later in later })
        configProfiles = Self.profiles(inConfigFile: configFile)
    }

    func credentialsFileProfile(_ name: String) -> Profile? { credentialsProfiles[name] }

    func configFileProfile(_ name: String) -> Profile? { configProfiles[name] }

    /// The profile as botocore's `full_config` has it: the config file's settings, with
    /// the credentials file's settings of the same name on top. Nil when neither file has it.
    func mergedProfile(_ name: String) -> Profile? {
        switch (configProfiles[name], credentialsProfiles[name]) {
        case (nil, nil): nil
        case let (config, credentials): (config ?? [:]).merging(credentials ?? [:]) { _, fromCredentials in fromCredentials }
        }
    }

    /// botocore's `build_profile_map`: a section whose name starts with "profile" and
    /// splits (shell-like) into exactly two words names the profile of the second word;
    /// `[default]` is the profile `default`; other sections (sso-session, services, …)
    /// are not profiles. When two sections name the same profile, the later one wins.
    private static func profiles(inConfigFile file: INIFile?) -> [String: Profile] {
        var profiles: [String: Profile] = [:]
        for section in file?.sections ?? [] {
            if section.name.hasPrefix("profile") {
                if let words = ShellWords.split(section.name), words.count == 2 {
                    profiles[words[1]] = section.values
                }
            } else if section.name == "default" {
                profiles["default"] = section.values
            }
        }
        return profiles
    }

    /// An empty variable counts as unset; `~` is the home directory, as botocore's
    /// expanduser makes it.
    private static func path(_ configured: String?, default defaultPath: String, homeDirectory: String) -> String {
        let path = nonEmpty(configured) ?? defaultPath
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") {
            return (homeDirectory.hasSuffix("/") ? String(homeDirectory.dropLast()) : homeDirectory) + path.dropFirst()
        }
        return path
    }

    private static func read(_ path: String) throws(CredentialError) -> INIFile? {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory else {
            return nil
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            // Data(contentsOf:) says only that reading failed; access(2) says why, most often.
            throw .unreadableFile(path: path, reason: access(path, R_OK) == 0 ? "reading it failed" : String(cString: strerror(errno)))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "it is not UTF-8 text")
        }
        do {
            return try INIFile(parsing: text)
        } catch {
            throw .malformedFile(path: path, line: error.line, problem: error.problem)
        }
    }
}

import AWSAuth
import DBIAMCore
import FoundationEssentials
import Glibc

/// The `mysql` or `mariadb` command-line client, and the flags each needs for an IAM
/// login. The MariaDB client (also installed as `mysql` on many systems) takes
/// `--default-auth=mysql_clear_password`; Oracle's MySQL client takes
/// `--enable-cleartext-plugin`. Mixing them up is the classic reason a valid token
/// does not log in.
struct DatabaseClient: Equatable {
    enum Flavor: Equatable {
        case mariadb, mysql
    }

    var path: String
    var flavor: Flavor

    /// `--client PATH`, else `mariadb` then `mysql` on PATH; asked its version with
    /// `environment`, the one it will run with.
    static func find(explicit: String?, environment: [String: String]) throws -> DatabaseClient {
        let path: String
        if let explicit {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                Terminal.error("--client \(explicit) is not an executable file.")
                throw ExitCodes.usage
            }
            path = explicit
        } else {
            let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
            let candidates = ["mariadb", "mysql"].flatMap { name in folders.map { FilePaths.appending(name, to: $0) } }
            guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
                Terminal.error("neither mariadb nor mysql is on PATH; install a client (apt install mariadb-client, or MySQL's mysql-client) or name one with --client.")
                throw ExitCodes.failure
            }
            path = found
        }
        return DatabaseClient(path: path, flavor: try detectFlavor(path, environment: environment))
    }

    /// `mysql --version` says `… Distrib 10.11.19-MariaDB` for MariaDB's client and
    /// `mysql  Ver 8.0.39 for Linux …` for Oracle's.
    static func detectFlavor(_ path: String, environment: [String: String]) throws(ChildProcess.StartFailure) -> Flavor {
        let process = try ChildProcess.start(
            path, arguments: ["--version"], environment: environment, standardOutput: .pipe, standardError: .discarded, ownProcessGroup: false)
        let output = process.standardOutput!
        let text = String(decoding: (try? FileDescriptors.read(output)) ?? [], as: UTF8.self)
        close(output)
        _ = process.waitForExit()
        return flavor(versionOutput: text)
    }

    static func flavor(versionOutput: String) -> Flavor {
        versionOutput.contains("MariaDB") ? .mariadb : .mysql
    }

    /// The client's arguments; the defaults file (which holds the token) comes first, as
    /// both clients require of `--defaults-extra-file`.
    func arguments(defaultsFile: String, host: String, port: Int, user: String, caFile: String, extra: [String]) -> [String] {
        var arguments = ["--defaults-extra-file=\(defaultsFile)", "--host=\(host)", "--port=\(port)", "--user=\(user)", "--ssl-ca=\(caFile)"]
        switch flavor {
        case .mariadb:
            arguments += ["--ssl-verify-server-cert", "--default-auth=mysql_clear_password"]
        case .mysql:
            arguments += ["--ssl-mode=VERIFY_IDENTITY", "--enable-cleartext-plugin"]
        }
        return arguments + extra
    }
}

extension DatabaseClient {
    /// The environment the client runs with: dbiam's without the AWS credentials and
    /// settings (`AWS_*`: the token is already made, and a client has no use for them),
    /// the admin passwords the manifest's clusters name with `password_env`, and
    /// `MYSQL_PWD`, which a client would take as a password.
    static func environment(from environment: [String: String], manifest: Manifest) -> [String: String] {
        var passwords: Set<String> = ["MYSQL_PWD"]
        for cluster in manifest.clusters {
            if case .passwordEnvironment(let variable) = cluster.admin.method { passwords.insert(variable) }
        }
        return environment.filter { name, _ in !name.hasPrefix("AWS_") && !passwords.contains(name) }
    }
}

/// A private folder holding one option file with the token, readable only by us and
/// removed when done: the token never reaches argv, where `ps` would show it.
struct PrivateOptionFile {
    let folder: URL
    var path: String { folder.appendingPathComponent("client.cnf").path }

    /// Why the folder or the file could not be made.
    enum Failure: Error, CustomStringConvertible {
        /// mkdtemp failed, with the system's error number.
        case folder(template: String, errorNumber: Int32)
        /// Writing the file failed (FileManager gives no reason).
        case file(path: String)

        var description: String {
            switch self {
            case let .folder(template, errorNumber):
                "cannot make a private folder \(template) for the token: \(String(cString: strerror(errorNumber)))"
            case .file(let path): "cannot write the token to \(path)"
            }
        }
    }

    init(password: String) throws(Failure) {
        let templatePath = FileManager.default.temporaryDirectory.path + "/dbiam-connect-XXXXXX"
        var template = Array(templatePath.utf8CString)
        guard let created = mkdtemp(&template) else { throw .folder(template: templatePath, errorNumber: errno) }
        folder = URL(fileURLWithPath: String(cString: created))
        let text = "[client]\npassword=\"\(password)\"\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            try? FileManager.default.removeItem(at: folder)
            throw .file(path: path)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}

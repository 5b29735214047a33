import Foundation

@testable import AWSAuth

/// A home directory of its own for one test, so that no test reads the real ~/.aws.
final class TemporaryAWSHome {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-awsauth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `contents` at `relativePath` under the home directory and returns the full path.
    @discardableResult
    func write(_ relativePath: String, _ contents: String) throws -> String {
        let file = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func credentialsFile(_ contents: String) throws { try write(".aws/credentials", contents) }

    func configFile(_ contents: String) throws { try write(".aws/config", contents) }

    /// A chain that sees only `environment` (plus a PATH for credential_process).
    func chain(_ environment: [String: String] = [:], timeout: Duration = .seconds(20)) -> AWSCredentialChain {
        AWSCredentialChain(
            environment: ["PATH": "/usr/bin:/bin"].merging(environment) { _, given in given },
            homeDirectory: path,
            credentialProcessTimeout: timeout)
    }

    /// A credential_process line that prints `json`, written to a file beside it.
    func credentialProcess(printing json: String, name: String = "process-output.json") throws -> String {
        "credential_process = cat '\(try write(name, json))'"
    }
}

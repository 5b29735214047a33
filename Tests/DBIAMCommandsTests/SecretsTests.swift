import DBIAMTestSupport
import Foundation
import Testing
@testable import DBIAMCommands

/// Passwords, tokens and secret keys never reach stdout, stderr, plan files, SQL files
/// or error messages; files that hold a secret are private and removed.
@Suite(.serialized)
struct SecretsTests {
    static let users = "  ssotest:\n    clusters: [local]\n    grants:\n      - on: dbiam_test_shop.*\n        privileges: [SELECT]\n"

    /// Everything a user or a log could see: both streams of each run and every file
    /// dbiam wrote (the manifest is the only file written by the test).
    func exposed(_ dbiam: DBIAMProcess, _ results: [DBIAMProcess.Result]) -> [String] {
        results.map(\.output) + dbiam.writtenFiles().filter { !$0.path.hasSuffix(".yaml") }.map(\.content)
    }

    @Test func iamTokensAndSecretKeysStayHidden() throws {
        let connection = try LocalServer.connect()
        try LocalServer.reset(connection)
        var dbiam = try DBIAMProcess()
        dbiam.useTestCredentials()
        try dbiam.write(LocalServer.manifestText(users: Self.users, iamAdmin: true), to: "iam.yaml")
        var results = [
            try dbiam.run(["plan", "iam.yaml"]),
            try dbiam.run(["plan", "iam.yaml", "--json"]),
            try dbiam.run(["plan", "iam.yaml", "--format", "markdown"]),
            try dbiam.run(["apply"]),
            try dbiam.run(["doctor", "iam.yaml", "--cluster", "local", "--user", "ssotest"]),
            try dbiam.run(["connect", "iam.yaml", "--cluster", "local", "--user", "ssotest", "--", "-e", "SELECT 1"]),
        ]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.output))")
        // A refused token: the error explains, and shows no token.
        dbiam.useTestCredentials(LocalServer.otherAccountKey)
        results.append(try dbiam.run(["plan", "iam.yaml"]))
        #expect(results.last?.status == 1)
        #expect(results.last?.stdout.contains("ERROR 1045") == true)
        for text in exposed(dbiam, results) {
            #expect(!text.contains("X-Amz-Signature"), "a token leaked: \(text.prefix(300))")
            #expect(!text.contains("X-Amz-Credential"))
            #expect(!text.contains(LocalServer.testKey.secret))
            #expect(!text.contains(LocalServer.otherAccountKey.secret))
        }
        try LocalServer.reset(connection)
    }

    @Test func credentialProcessOutputStaysHiddenWhenItFails() throws {
        var dbiam = try DBIAMProcess()
        let home = dbiam.environment["HOME"]!
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        // The process prints a secret, but in a shape dbiam refuses (Version 2).
        let leaked = "leaked-secret-\(UUID().uuidString)"
        let script = home + "/print-credentials"
        try "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"AKIAX\", \"SecretAccessKey\": \"\(leaked)\"}'\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: script)
        try "[profile broken]\ncredential_process = \(script)\n".write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        dbiam.environment["AWS_PROFILE"] = "broken"
        let result = try dbiam.run(["token", "--hostname", "h", "--region", "us-east-1", "--username", "u"])
        #expect(result.status == 1)
        #expect(!result.output.contains(leaked))
        #expect(result.stderr.contains("credential_process"))
    }

    @Test func theTokenFileOfConnectIsPrivateAndRemoved() throws {
        let file = try PrivateOptionFile(password: "token-value")
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: file.folder.path)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == "[client]\npassword=\"token-value\"\n")
        file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.folder.path))
    }

    @Test func clientArgumentsNeverCarryTheToken() {
        for flavor in [DatabaseClient.Flavor.mariadb, .mysql] {
            let arguments = DatabaseClient(path: "/usr/bin/mysql", flavor: flavor).arguments(
                defaultsFile: "/tmp/x/client.cnf", host: "h", port: 3306, user: "u", caFile: "/ca.pem", extra: ["-e", "SELECT 1"])
            #expect(arguments.first == "--defaults-extra-file=/tmp/x/client.cnf")
            #expect(!arguments.contains { $0.hasPrefix("--password") || $0.hasPrefix("-p") })
        }
        #expect(DatabaseClient.flavor(versionOutput: "mysql  Ver 15.1 Distrib 10.11.19-MariaDB, for debian-linux-gnu") == .mariadb)
        #expect(DatabaseClient.flavor(versionOutput: "mysql  Ver 8.0.39 for Linux on x86_64 (MySQL Community Server - GPL)") == .mysql)
    }

    @Test func outputFilesAreReplacedWholeAndLeaveNoTemporaryFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-atomic-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("plan.json").path
        let files = OutputFiles(root: folder.path)
        try files.apply([.write("first\n", to: path)])
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        try files.apply([.write("second\n", to: path)])
        let after = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        // A new file renamed over the old one, never the old one rewritten in place.
        #expect(before != after)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plan.json"])
        try FileManager.default.removeItem(at: folder)
    }
}

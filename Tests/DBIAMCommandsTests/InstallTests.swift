import DBIAMTestSupport
import Foundation
import Testing

/// `make install`'s script: the binary, the shell completions and the man page in their
/// usual places under the prefix, all made from the commands `--help` describes.
struct InstallTests {
    /// Runs `program` with `arguments`; its status and standard output.
    func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// What bash offers after `dbiam WORDS…` and a last, unfinished `current`.
    func bashCompletions(_ script: String, _ words: [String], current: String) throws -> [String] {
        let line = (["dbiam"] + words + [current]).joined(separator: " ")
        let program = """
            source '\(script)'
            COMP_WORDS=(\((["dbiam"] + words + [current]).map { "'\($0)'" }.joined(separator: " ")))
            COMP_CWORD=\(words.count + 1); COMP_LINE='\(line)'; COMP_POINT=\(line.count)
            _dbiam dbiam '\(current)' '\(words.last ?? "dbiam")'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        return try run("/bin/bash", ["-c", program]).output.split(separator: "\n").map(String.init)
    }

    @Test func installPutsTheBinaryCompletionsAndManPageUnderThePrefix() throws {
        let built = DBIAMProcess.executable.deletingLastPathComponent()
        let generateManual = built.appendingPathComponent("generate-manual").path
        try #require(
            FileManager.default.isExecutableFile(atPath: generateManual),
            "swift-argument-parser's generate-manual is not built; run swift build --product generate-manual first (make test does)")
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-install-\(UUID().uuidString)/usr")
        defer { try? FileManager.default.removeItem(at: prefix.deletingLastPathComponent()) }
        let script = LocalServer.repositoryRoot.appendingPathComponent("scripts/install").path
        let installed = try run(script, [prefix.path], environment: ["DBIAM": DBIAMProcess.executable.path, "GENERATE_MANUAL": generateManual])
        #expect(installed.status == 0, "\(installed.output)")

        let files: [(path: String, mode: Int)] = [
            ("bin/dbiam", 0o755), ("share/bash-completion/completions/dbiam", 0o644), ("share/zsh/site-functions/_dbiam", 0o644),
            ("share/fish/vendor_completions.d/dbiam.fish", 0o644), ("share/man/man1/dbiam.1", 0o644),
        ]
        for file in files {
            let attributes = try FileManager.default.attributesOfItem(atPath: prefix.appendingPathComponent(file.path).path)
            #expect((attributes[.posixPermissions] as? Int) == file.mode, "\(file.path)")
        }
        let version = try run(prefix.appendingPathComponent("bin/dbiam").path, ["--version"])
        #expect(version.output == "0.1.0\n")

        // Every subcommand in every shell's script, and bash completes them and their flags.
        let share = prefix.appendingPathComponent("share")
        let bash = share.appendingPathComponent("bash-completion/completions/dbiam").path
        let zsh = try String(contentsOf: share.appendingPathComponent("zsh/site-functions/_dbiam"), encoding: .utf8)
        let fish = try String(contentsOf: share.appendingPathComponent("fish/vendor_completions.d/dbiam.fish"), encoding: .utf8)
        #expect(try run("/bin/bash", ["-n", bash]).status == 0)
        #expect(try bashCompletions(bash, [], current: "") == ["--version", "-h", "--help"] + CommandLineTests.commands + ["help"])
        for command in CommandLineTests.commands {
            #expect(try bashCompletions(bash, [], current: String(command.prefix(3))).contains(command), "bash: \(command)")
            #expect(zsh.contains("'\(command):"), "zsh: \(command)")
            #expect(fish.contains("-fa '\(command)'"), "fish: \(command)")
        }
        #expect(try bashCompletions(bash, ["apply"], current: "--lock") == ["--lock-timeout"])

        // The page renders, and holds every flag that --help lists.
        let page = share.appendingPathComponent("man/man1/dbiam.1").path
        let rendered = try run("/usr/bin/man", ["-l", page], environment: ["MANWIDTH": "200", "MANPAGER": "cat", "PAGER": "cat", "LC_ALL": "C.UTF-8"])
        #expect(rendered.status == 0)
        #expect(rendered.output.hasPrefix("DBIAM(1)"), "\(rendered.output.prefix(300))")
        #expect(rendered.output.contains("dbiam — Manage IAM-authenticated MySQL users on Aurora and RDS from one manifest."), "\(rendered.output.prefix(300))")
        let dbiam = try DBIAMProcess()
        for command in CommandLineTests.commands {
            let help = try dbiam.run([command, "--help"]).stdout
            let abstract = help.prefix { $0 != "\n" }.dropFirst("OVERVIEW: ".count)
            #expect(rendered.output.contains("     \(command)"), "\(command)")
            #expect(rendered.output.contains(abstract), "\(command): \(abstract)")
            for flag in CommandLineTests.flags(inHelp: help).defined {
                #expect(rendered.output.contains(flag), "dbiam \(command) --help lists \(flag), the man page does not")
            }
        }
    }
}

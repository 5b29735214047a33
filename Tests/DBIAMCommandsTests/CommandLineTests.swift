import DBIAMTestSupport
import Foundation
import Testing

/// The conventions of the command line that hold for every command: help that names
/// only flags dbiam has.
struct CommandLineTests {
    static let commands = ["validate", "plan", "apply", "show", "policy", "token", "connect", "doctor", "import", "discover"]

    /// The flags a help text defines (its option lines: `  --out-dir <dir>`,
    /// `  --aws/--no-aws`, `  -v, --verbose`) and the flags it mentions anywhere.
    static func flags(inHelp help: String) -> (defined: Set<String>, mentioned: Set<String>) {
        let flag = try! NSRegularExpression(pattern: #"--[a-z][a-z-]*"#)
        func matches(_ text: Substring) -> [String] {
            let text = String(text)
            return flag.matches(in: text, range: NSRange(text.startIndex..., in: text)).map { String(text[Range($0.range, in: text)!]) }
        }
        var defined = Set<String>(), mentioned = Set<String>()
        for line in help.split(separator: "\n") {
            mentioned.formUnion(matches(line))
            if line.range(of: #"^  (-[a-zA-Z], )?--"#, options: .regularExpression) != nil, let names = line.split(separator: " ", omittingEmptySubsequences: true).first(where: { $0.hasPrefix("--") }) {
                defined.formUnion(matches(names))
            }
        }
        return (defined, mentioned)
    }

    /// A command that ends within milliseconds must not end while the client library is
    /// still setting OpenSSL up: when that set-up ran on another thread, about one run in
    /// seventy of `--version` or of a usage error crashed at exit.
    @Test func quickExitsNeverCrash() throws {
        let dbiam = try DBIAMProcess()
        for _ in 0..<150 {
            #expect(try dbiam.run(["--version"]).status == 0)
            #expect(try dbiam.run(["--no-such-flag"]).status == 64)
        }
    }

    /// `dbiam token --help` spoke of a `--manifest` that does not exist. Every flag a
    /// help text mentions is one that some dbiam command defines.
    @Test func helpMentionsOnlyFlagsThatExist() throws {
        let dbiam = try DBIAMProcess()
        var defined: Set<String> = ["--help", "--version"]
        var mentions: [(command: String, flags: Set<String>)] = []
        for command in Self.commands {
            let help = try dbiam.run([command, "--help"])
            #expect(help.status == 0, "\(command): \(help.output)")
            let flags = Self.flags(inHelp: help.stdout)
            defined.formUnion(flags.defined)
            mentions.append((command, flags.mentioned))
        }
        #expect(defined.contains("--no-aws") && defined.contains("--hostname"), "\(defined.sorted())")
        for (command, flags) in mentions {
            #expect(flags.subtracting(defined).isEmpty, "dbiam \(command) --help mentions \(flags.subtracting(defined).sorted())")
        }
    }
}

extension CommandLineTests {
    /// Every error begins with `dbiam: error:`, swift-argument-parser's usage errors too
    /// (they began `Error:`), with the exit codes of the README: 64 bad usage, 1 error.
    @Test func everyErrorBeginsWithDBIAMError() throws {
        let dbiam = try DBIAMProcess()
        let cases: [(arguments: [String], status: Int32)] = [
            (["plan"], 64),
            (["plan", "m.yaml", "--no-such-flag"], 64),
            (["plan", "m.yaml", "--parallelism", "-1"], 64),
            (["plan", "m.yaml", "--parallelism", "many"], 64),
            (["no-such-command"], 64),
            (["validate", "--format", "xml", "m.yaml"], 64),
            (["validate", "m.yaml"], 1),
            (["apply"], 1),
            (["show"], 64),
            (["show", "missing.json"], 1),
            (["token", "--hostname", "h", "--username", "u", "--region", "nowhere-1"], 1),
        ]
        for (arguments, status) in cases {
            let result = try dbiam.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.output)")
            #expect(result.stderr.hasPrefix("dbiam: error: "), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Error:"), "\(arguments): \(result.stderr)")
        }
    }
}

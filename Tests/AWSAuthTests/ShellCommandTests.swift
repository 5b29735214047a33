import Foundation
import Testing

@testable import AWSAuth

@Suite struct ShellCommandTests {
    let environment = ["PATH": "/usr/bin:/bin", "GREETING": "hello"]

    @Test func collectsBothStreamsAndTheExitStatus() async throws {
        let result = try await ShellCommand.run(
            "echo \"$GREETING out\"; echo err >&2; exit 3", environment: environment, timeout: .seconds(20))
        #expect(result.exitStatus == 3)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "hello out\n")
        #expect(String(decoding: result.standardError, as: UTF8.self) == "err\n")
    }

    /// dbiam ignores SIGPIPE (the Swift runtime does); the command must not start with it
    /// ignored, or a pipeline in it would not end when its reader does.
    @Test func theCommandStartsWithSIGPIPEAtItsDefault() async throws {
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let result = try await ShellCommand.run("grep '^SigIgn:' /proc/$$/status", environment: environment, timeout: .seconds(20))
        let line = String(decoding: result.standardOutput, as: UTF8.self)
        let mask = try #require(UInt64(line.dropFirst("SigIgn:".count).trimmingCharacters(in: .whitespacesAndNewlines), radix: 16), "\(line)")
        #expect(mask & (1 << UInt64(SIGPIPE - 1)) == 0, "SIGPIPE is ignored in the command: \(line)")
    }

    @Test func largeOutputOnBothPipesDoesNotDeadlock() async throws {
        let megabyte = 1 << 20
        let result = try await ShellCommand.run(
            "head -c \(megabyte) /dev/zero | tr '\\0' e >&2; head -c \(megabyte) /dev/zero | tr '\\0' o",
            environment: environment, timeout: .seconds(30))
        #expect(result.exitStatus == 0)
        #expect(result.standardOutput.count == megabyte)
        #expect(result.standardError.count == megabyte)
    }

    @Test func aCommandThatRunsTooLongIsStopped() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: ShellCommand.Failure.timedOut) {
            try await ShellCommand.run("sleep 30", environment: environment, timeout: .milliseconds(300))
        }
        #expect(clock.now - started < .seconds(10))
    }

    @Test func aTimeoutDoesNotWaitForChildrenThatHoldThePipes() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        await #expect(throws: ShellCommand.Failure.timedOut) {
            try await ShellCommand.run("(sleep 30; echo late); echo never", environment: environment, timeout: .milliseconds(300))
        }
        #expect(clock.now - started < .seconds(10))
    }

    @Test func cancellingTheCallerStopsTheCommand() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let running = Task { try await ShellCommand.run("sleep 30", environment: environment, timeout: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(200))
        running.cancel()
        let outcome = await running.result
        #expect(throws: ShellCommand.Failure.cancelled) { try outcome.get() }
        #expect(clock.now - started < .seconds(10))
    }

    #if os(Linux)
    @Test func aTimeoutKillsWhatTheShellStarted() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        await #expect(throws: ShellCommand.Failure.timedOut) {
            try await ShellCommand.run(
                "sleep 30 & echo $! > '\(pidFile.path)'; wait", environment: environment, timeout: .milliseconds(500))
        }
        let pid = try String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await isGone(processID: pid))
    }

    /// Gone, or a zombie waiting for init to reap it.
    private func isGone(processID: String) async throws -> Bool {
        for _ in 0..<50 {
            guard let status = try? String(contentsOfFile: "/proc/\(processID)/stat", encoding: .utf8) else { return true }
            if status.split(separator: ")").last?.split(separator: " ").first == "Z" { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
    #endif

    @Test func theGivenEnvironmentIsTheWholeEnvironment() async throws {
        let result = try await ShellCommand.run("echo \"[$HOME]\"", environment: environment, timeout: .seconds(20))
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "[]\n")
    }
}

import Foundation
import Testing
@testable import DBIAMCore

/// The unified diff that shows a changed policy in the markdown plan.
struct PlanMarkdownUnifiedDiffTests {
    static func lines(_ range: ClosedRange<Int>) -> String {
        range.map { "line \($0)\n" }.joined()
    }

    @Test func equalTextsHaveNoDiff() {
        #expect(UnifiedDiff.render(old: "a\nb\n", new: "a\nb\n", oldLabel: "a", newLabel: "b") == "")
        #expect(UnifiedDiff.render(old: "", new: "", oldLabel: "a", newLabel: "b") == "")
    }

    @Test func oneChangedLineWithThreeLinesOfContext() {
        let old = Self.lines(1...10)
        let new = old.replacingOccurrences(of: "line 5\n", with: "line five\n")
        #expect(UnifiedDiff.render(old: old, new: new, oldLabel: "old.json", newLabel: "new.json") == """
            --- old.json
            +++ new.json
            @@ -2,7 +2,7 @@
             line 2
             line 3
             line 4
            -line 5
            +line five
             line 6
             line 7
             line 8

            """)
    }

    @Test func distantChangesMakeTwoHunksAndCloseOnesOne() {
        let old = Self.lines(1...20)
        let apart = old.replacingOccurrences(of: "line 2\n", with: "").replacingOccurrences(of: "line 18\n", with: "line 18\nline 18b\n")
        #expect(UnifiedDiff.render(old: old, new: apart, oldLabel: "a", newLabel: "b") == """
            --- a
            +++ b
            @@ -1,5 +1,4 @@
             line 1
            -line 2
             line 3
             line 4
             line 5
            @@ -16,5 +15,6 @@
             line 16
             line 17
             line 18
            +line 18b
             line 19
             line 20

            """)
        // Six unchanged lines between two changes: still one hunk, as in diff -u.
        let close = old.replacingOccurrences(of: "line 5\n", with: "").replacingOccurrences(of: "line 12\n", with: "")
        let diff = UnifiedDiff.render(old: old, new: close, oldLabel: "a", newLabel: "b")
        #expect(diff.components(separatedBy: "@@ -").count == 2)
        #expect(diff.contains("@@ -2,14 +2,12 @@\n"))
    }

    @Test func emptySidesUseTheLineBeforeAndCountZero() {
        #expect(UnifiedDiff.render(old: "", new: "a\nb\n", oldLabel: "a", newLabel: "b") == "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(UnifiedDiff.render(old: "a\n", new: "", oldLabel: "a", newLabel: "b") == "--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n")
    }

    @Test func missingNewlineAtTheEndIsMarked() {
        #expect(UnifiedDiff.render(old: "a\nb", new: "a\nb\n", oldLabel: "a", newLabel: "b") == """
            --- a
            +++ b
            @@ -1,2 +1,2 @@
             a
            -b
            \\ No newline at end of file
            +b

            """)
    }

    /// Random texts over a small alphabet, so lines repeat and many edit scripts are
    /// possible: GNU patch applies every diff exactly (no offset, no fuzz), and the
    /// diff has as few changed lines as the longest common subsequence allows.
    @Test func diffsApplyWithPatchAndAreShortest() throws {
        var generator = SystemRandomNumberGenerator()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dbiam-diff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for round in 0..<150 {
            let old = (0..<Int.random(in: 0...14, using: &generator)).map { _ in ["a", "b", "c", "d"].randomElement(using: &generator)! }
            let new = (0..<Int.random(in: 0...14, using: &generator)).map { _ in ["a", "b", "c", "d"].randomElement(using: &generator)! }
            let oldText = old.map { $0 + "\n" }.joined(), newText = new.map { $0 + "\n" }.joined()
            let diff = UnifiedDiff.render(old: oldText, new: newText, oldLabel: "old", newLabel: "new")
            let changed = diff.split(separator: "\n").filter { ($0.hasPrefix("-") && !$0.hasPrefix("---")) || ($0.hasPrefix("+") && !$0.hasPrefix("+++")) }
            #expect(changed.count == old.count + new.count - 2 * Self.longestCommonSubsequence(old, new), "round \(round): \(old) -> \(new)")
            if diff.isEmpty {
                #expect(oldText == newText)
                continue
            }
            let (patched, messages) = try Self.patch(oldText, with: diff, in: folder)
            #expect(patched == newText, "round \(round): \(old) -> \(new)\n\(diff)")
            #expect(!messages.contains("offset") && !messages.contains("fuzz"), "\(messages)\n\(diff)")
        }
    }

    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }

    /// Runs GNU patch on `text`; fails the test when patch is missing or refuses.
    static func patch(_ text: String, with diff: String, in folder: URL) throws -> (String, String) {
        let target = folder.appendingPathComponent("target"), patchFile = folder.appendingPathComponent("change.diff")
        let result = folder.appendingPathComponent("result"), log = folder.appendingPathComponent("log")
        try text.write(to: target, atomically: true, encoding: .utf8)
        try diff.write(to: patchFile, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: result)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/patch")
        process.arguments = ["--fuzz=0", "--batch", "-o", result.path, target.path, patchFile.path]
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        process.waitUntilExit()
        let messages = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "patch refused the diff: \(messages)\n\(diff)")
        return ((try? String(contentsOf: result, encoding: .utf8)) ?? "", messages)
    }
}

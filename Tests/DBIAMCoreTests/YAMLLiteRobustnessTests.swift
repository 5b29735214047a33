@testable import DBIAMCore
import Foundation
import Testing
import DBIAMTestSupport

/// Whatever the input, the parser returns: no crash, no endless loop, no stack overflow,
/// linear time; and every input it does not accept gets an error.
@Suite(.timeLimit(.minutes(2)))
struct YAMLLiteRobustnessTests {
    /// The result is either a tree and no diagnostics, or no tree and errors with sane positions.
    private func expectConsistent(_ result: YAMLParseResult, for bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.diagnostics.isEmpty || result.root == nil, sourceLocation: sourceLocation)
        let lineCount = Self.lineBreakCount(bytes) + 1
        for diagnostic in result.diagnostics {
            #expect(diagnostic.severity == .error, sourceLocation: sourceLocation)
            #expect((1...lineCount).contains(diagnostic.position.line), sourceLocation: sourceLocation)
            #expect(diagnostic.position.column >= 1, sourceLocation: sourceLocation)
        }
        #expect(result.diagnostics.count <= YAMLLite.maximumReportedProblems + 1, sourceLocation: sourceLocation)
        if String(validating: bytes, as: UTF8.self) == nil {
            #expect(!result.diagnostics.isEmpty, "invalid UTF-8 accepted", sourceLocation: sourceLocation)
        }
    }

    /// With `memchr`, so that counting 10 MB takes no time even in a debug build.
    private static func lineBreakCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            var count = 0
            for lineBreak in [Int32(0x0A), Int32(0x0D)] {
                var start = UnsafeRawPointer(base)
                let end = start + buffer.count
                while start < end, let found = memchr(start, lineBreak, end - start) {
                    count += 1
                    start = UnsafeRawPointer(found) + 1
                }
            }
            return count
        }
    }

    @Test func everyPrefixOfValidDocuments() throws {
        var documents = try YAMLDifferentialCorpus.fixtures(in: "accepted").map(\.text)
        documents.append("- a: 'x''y'\n  b: \"\\u00e9\\\"\"\n  c: [d, 'e', \"f\"]\n- é: 😀 # c\n")
        for document in documents {
            let bytes = Array(document.utf8)
            for length in 0...bytes.count {
                let prefix = Array(bytes[..<length])
                expectConsistent(YAMLLite.parse(prefix), for: prefix)
            }
        }
    }

    @Test func randomBytes() {
        var random = SeededGenerator(seed: 7)
        let alphabet = Array("ab:- #'\"\\[]{},&*!|>?%@`\t\n\r.".utf8) + [0x00, 0xC3, 0xA9, 0xE2, 0x80, 0xA8, 0xEF, 0xBB, 0xBF, 0xFF]
        for round in 0..<3000 {
            let length = Int.random(in: 0...300, using: &random)
            let bytes: [UInt8] = (0..<length).map { _ in
                round.isMultiple(of: 3) ? UInt8.random(in: 0...255, using: &random) : alphabet.randomElement(using: &random) ?? 0x20
            }
            expectConsistent(YAMLLite.parse(bytes), for: bytes)
        }
    }

    @Test func damagedDocuments() {
        for document in YAMLDifferentialCorpus.shared.borderline {
            let bytes = Array(document.text.utf8)
            expectConsistent(YAMLLite.parse(bytes), for: bytes)
        }
    }

    /// Shapes that would be quadratic in a careless parser, or deep for a recursive one;
    /// each about 10 MB.
    @Test(arguments: [
        "long plain line", "long flow line", "nested flow", "unclosed quote", "dashes", "blank lines", "spaces", "comment",
        "binary", "many keys", "many errors",
    ])
    func hugeInput(shape: String) {
        let size = 10_000_000
        let bytes: [UInt8]
        switch shape {
        case "long plain line": bytes = Array("a: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: size)
        case "long flow line": bytes = Array("a: [".utf8) + Array(String(repeating: "item-value, ", count: size / 12).utf8) + Array("b]".utf8)
        case "nested flow": bytes = Array(repeating: UInt8(ascii: "["), count: size)
        case "unclosed quote": bytes = Array("a: \"".utf8) + Array(String(repeating: "text \\\" ", count: size / 8).utf8)
        case "dashes": bytes = Array(String(repeating: "- ", count: size / 2).utf8)
        case "blank lines": bytes = Array(String(repeating: "   \n", count: size / 4).utf8)
        case "spaces": bytes = Array(repeating: 0x20, count: size)
        case "comment": bytes = Array("# ".utf8) + Array(repeating: UInt8(ascii: "c"), count: size)
        case "binary":
            var random = SeededGenerator(seed: 10)
            let words = (0..<size / 8).map { _ in random.next() }
            bytes = words.withUnsafeBytes { Array($0) }
        case "many keys": bytes = Array((0..<size / 50).map { "key-\($0): a value of some forty characters\n" }.joined().utf8)
        default: bytes = Array(String(repeating: "a: &b c\n", count: size / 8).utf8)
        }
        let result = YAMLLite.parse(bytes)
        expectConsistent(result, for: bytes)
        switch shape {
        case "long plain line", "long flow line", "blank lines", "spaces", "comment", "many keys":
            #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
        default:
            #expect(!result.diagnostics.isEmpty)
        }
    }

    @Test func deepNestingIsRejectedWithoutRecursion() {
        let dashes = YAMLLite.parse(String(repeating: "- ", count: 100_000) + "x")
        #expect(dashes.diagnostics.first?.message.contains("nesting deeper than 256 levels") == true)

        let indentation = (0..<2_000).map { String(repeating: " ", count: $0) + "k:\n" }.joined()
        let indented = YAMLLite.parse(indentation)
        #expect(indented.diagnostics.map(\.position) == [SourcePosition(line: 257, column: 257)])

        let flow = YAMLLite.parse("a: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        #expect(flow.diagnostics.first?.message.contains("nested flow collections") == true)
    }
}

import Foundation
import Testing

/// The README is the front page and docs/ the reference: every link between them, to a
/// file or to a heading, leads somewhere.
struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var pages: [URL] {
        let docs = root.appendingPathComponent("docs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        return [root.appendingPathComponent("README.md")] + names.filter { $0.hasSuffix(".md") }.sorted().map { docs.appendingPathComponent($0) }
    }

    /// GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`.
    static func anchor(_ heading: String) -> String {
        String(heading.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == " " })
            .replacingOccurrences(of: " ", with: "-")
    }

    static func headings(_ text: String) -> Set<String> {
        var anchors = Set<String>()
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inFence.toggle(); continue }
            guard !inFence, line.hasPrefix("#") else { continue }
            anchors.insert(anchor(String(line.drop { $0 == "#" }.dropFirst())))
        }
        return anchors
    }

    @Test func everyLinkLeadsSomewhere() throws {
        #expect(Self.pages.count >= 7)
        for page in Self.pages {
            let text = try String(contentsOf: page, encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = String(text[Range(match.range(at: 1), in: text)!])
                if target.hasPrefix("http") { continue }
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].isEmpty ? page : page.deletingLastPathComponent().appendingPathComponent(parts[0])
                #expect(FileManager.default.fileExists(atPath: file.path), "\(page.lastPathComponent): \(target) leads to no file")
                if parts.count == 2, file.pathExtension == "md", let linked = try? String(contentsOf: file, encoding: .utf8) {
                    #expect(Self.headings(linked).contains(parts[1]), "\(page.lastPathComponent): \(target) leads to no heading")
                }
            }
        }
    }

    /// The front page stays a front page.
    @Test func theReadmeIsShort() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(text.utf8.count < 9000, "README.md has \(text.utf8.count) bytes; move reference material to docs/")
    }
}

import Foundation
import Testing

/// Golden files under Fixtures/golden. A mismatch fails the test; set
/// DBIAM_RECORD_GOLDEN=1 to write the new output into the source tree on purpose.
enum Golden {
    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sourceFile = URL(fileURLWithPath: #filePath)
        let goldenFolder = sourceFile.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/golden")
        let url = goldenFolder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["DBIAM_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "output differs from golden file \(name); rerun with DBIAM_RECORD_GOLDEN=1 if the change is intended", sourceLocation: sourceLocation)
    }
}

@testable import DBIAMCore
import Foundation
import Testing

/// YAML-lite against PyYAML: a document YAML-lite accepts must read the same in PyYAML's
/// `BaseLoader` (and, where PyYAML has it, in libyaml's `CBaseLoader`, the reader the
/// benchmark compares with). Python runs once for all the documents of both tests.
@Suite struct YAMLLiteDifferentialTests {
    @Test func acceptedCorpusReadsAsInPyYAML() throws {
        let answers = try oracleAnswers.get()
        #expect(YAMLDifferentialCorpus.shared.accepted.count >= 50)
        #expect(try YAMLDifferentialCorpus.fixtures(in: "accepted").count >= 15)
        for (document, answer) in zip(YAMLDifferentialCorpus.shared.accepted, answers.accepted) {
            let result = YAMLLite.parse(document.text)
            guard result.diagnostics.isEmpty else {
                Issue.record("\(document.name) was rejected: \(result.diagnostics.map { $0.formatted(file: document.name) })\n\(document.text.debugDescription)")
                continue
            }
            let tree = result.root.map(YAMLPlainTree.init)
            answer.expectSameReading(tree, of: document)
            if let intended = document.intendedTree {
                #expect(tree == intended, "\(document.name) does not read as generated\n\(document.text.debugDescription)")
            }
        }
    }

    /// Damaged and borderline documents: nothing to compare for those YAML-lite rejects,
    /// exact equality for those it accepts.
    @Test func whateverIsAcceptedReadsAsInPyYAML() throws {
        let answers = try oracleAnswers.get()
        var acceptedCount = 0
        for (document, answer) in zip(YAMLDifferentialCorpus.shared.borderline, answers.borderline) {
            let result = YAMLLite.parse(document.text)
            guard result.diagnostics.isEmpty else { continue }
            acceptedCount += 1
            answer.expectSameReading(result.root.map(YAMLPlainTree.init), of: document)
        }
        // Both outcomes must be well represented, or the corpus tests little.
        let total = YAMLDifferentialCorpus.shared.borderline.count
        #expect(acceptedCount > total / 10 && acceptedCount < total * 9 / 10, "\(acceptedCount) of \(total) accepted")
    }

    @Test func rejectedFixturesAreRejected() throws {
        let files = try YAMLDifferentialCorpus.fixtureFiles(in: "rejected")
        #expect(files.count >= 5)
        for (name, bytes) in files {
            let result = YAMLLite.parse(bytes)
            #expect(!result.diagnostics.isEmpty, "\(name) was accepted")
            #expect(result.root == nil)
        }
    }
}

struct YAMLCorpusDocument: Sendable {
    var name: String
    var text: String
    /// For generated documents, the tree they were generated from.
    var intendedTree: YAMLPlainTree?
}

struct YAMLDifferentialCorpus: Sendable {
    struct FixtureProblem: Error, CustomStringConvertible {
        var description: String
    }

    /// In the subset: hand-written fixtures and generated documents.
    var accepted: [YAMLCorpusDocument]
    /// Edge cases, damaged documents and lines of indicators, in the subset or not.
    var borderline: [YAMLCorpusDocument]

    static let shared = YAMLDifferentialCorpus()

    private init() {
        var generator = YAMLLiteDocumentGenerator(seed: 20_260_611)
        let generated = (0..<400).map { index in
            let (text, tree) = generator.document()
            return YAMLCorpusDocument(name: "generated #\(index)", text: text, intendedTree: tree)
        }
        accepted = ((try? Self.fixtures(in: "accepted")) ?? []) + generated
        let damaged = (0..<2500).map { index in
            YAMLCorpusDocument(name: "damaged #\(index)", text: generator.mutated(generated[index % generated.count].text))
        }
        let indicatorLines = (0..<1500).map { index in
            YAMLCorpusDocument(name: "line of indicators #\(index)", text: generator.lineOfIndicators())
        }
        borderline = YAMLLiteEdgeCases.documents.enumerated().map { YAMLCorpusDocument(name: "edge case #\($0.offset)", text: $0.element) }
            + damaged + indicatorLines
    }

    static func fixtures(in folder: String) throws -> [YAMLCorpusDocument] {
        try fixtureFiles(in: folder).map { name, bytes in
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw FixtureProblem(description: "fixture \(name) is not UTF-8")
            }
            return YAMLCorpusDocument(name: name, text: text)
        }
    }

    static func fixtureFiles(in folder: String) throws -> [(name: String, bytes: [UInt8])] {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw FixtureProblem(description: "the Fixtures folder is missing from the test bundle")
        }
        let directory = fixtures.appendingPathComponent("yaml").appendingPathComponent(folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }.sorted()
        return try names.map { name in
            ("\(folder)/\(name)", [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))))
        }
    }
}

struct PyYAMLAnswer: Decodable, Sendable {
    var baseLoader: YAMLPlainTree?
    var baseLoaderError: String?
    var libyaml: YAMLPlainTree?
    var libyamlError: String?
    var libyamlChecked: Bool

    func expectSameReading(_ tree: YAMLPlainTree?, of document: YAMLCorpusDocument, sourceLocation: SourceLocation = #_sourceLocation) {
        let context = "\(document.name)\n\(document.text.debugDescription)"
        if let baseLoaderError {
            Issue.record("YAML-lite accepts \(context)\nbut PyYAML rejects it: \(baseLoaderError)", sourceLocation: sourceLocation)
        } else {
            #expect(tree == baseLoader, "\(context)\nYAML-lite: \(tree.map(\.description) ?? "nil")\nPyYAML:    \(baseLoader.map(\.description) ?? "None")", sourceLocation: sourceLocation)
        }
        guard libyamlChecked else { return }
        if let libyamlError {
            Issue.record("YAML-lite accepts \(context)\nbut libyaml rejects it: \(libyamlError)", sourceLocation: sourceLocation)
        } else {
            #expect(tree == libyaml, "\(context)\nYAML-lite: \(tree.map(\.description) ?? "nil")\nlibyaml:   \(libyaml.map(\.description) ?? "None")", sourceLocation: sourceLocation)
        }
    }
}

private let oracleAnswers: Result<(accepted: [PyYAMLAnswer], borderline: [PyYAMLAnswer]), any Error> = Result {
    let corpus = YAMLDifferentialCorpus.shared
    let texts = (corpus.accepted + corpus.borderline).map(\.text)
    let output = try Python.run(pyYAMLReader, input: try JSONEncoder().encode(texts))
    let answers = try JSONDecoder().decode([PyYAMLAnswer].self, from: output)
    guard answers.count == texts.count else {
        throw Python.Failure(description: "PyYAML answered for \(answers.count) of \(texts.count) documents")
    }
    return (Array(answers.prefix(corpus.accepted.count)), Array(answers.dropFirst(corpus.accepted.count)))
}

/// Reads a JSON list of documents on stdin; writes, for each, what PyYAML's loaders that read
/// every scalar as text make of it. Mappings become `{"map": [[key, value], ...]}` to keep
/// their order in JSON.
private let pyYAMLReader = #"""
import json, sys
try:
    import yaml
except ImportError as error:
    print(error, file=sys.stderr)
    sys.exit(3)

def plain(node):
    if isinstance(node, dict):
        return {"map": [[key if isinstance(key, str) else repr(key), plain(value)] for key, value in node.items()]}
    if isinstance(node, list):
        return [plain(item) for item in node]
    if isinstance(node, str):
        node.encode("utf-8")  # a lone surrogate (from an escape) has no place in JSON
    return node

def read(text, loader):
    try:
        return plain(yaml.load(text, Loader=loader)), None
    except Exception as error:
        return None, "%s: %s" % (type(error).__name__, error)

answers = []
for text in json.load(sys.stdin):
    answer = {"libyamlChecked": yaml.__with_libyaml__}
    answer["baseLoader"], answer["baseLoaderError"] = read(text, yaml.BaseLoader)
    if yaml.__with_libyaml__:
        answer["libyaml"], answer["libyamlError"] = read(text, yaml.CBaseLoader)
    answers.append(answer)
json.dump(answers, sys.stdout)
"""#

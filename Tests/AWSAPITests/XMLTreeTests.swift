import Foundation
import Testing

@testable import AWSAPI
import DBIAMTestSupport

/// The query protocol's reader: AWS's answers as they come, the XML they may use, and
/// the documents it refuses, each with where it went wrong.
@Suite struct XMLTreeTests {
    static let describeDBClusters = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
          <DescribeDBClustersResult>
            <DBClusters>
              <DBCluster>
                <AvailabilityZones>
                  <AvailabilityZone>ap-northeast-1a</AvailabilityZone>
                  <AvailabilityZone>ap-northeast-1c</AvailabilityZone>
                </AvailabilityZones>
                <DBClusterIdentifier>orders</DBClusterIdentifier>
                <DbClusterResourceId>cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0</DbClusterResourceId>
                <Engine>aurora-mysql</Engine>
                <EngineVersion>8.0.mysql_aurora.3.05.2</EngineVersion>
                <Endpoint>orders.cluster-c1a2b3c4d5e6.ap-northeast-1.rds.amazonaws.com</Endpoint>
                <ReaderEndpoint>orders.cluster-ro-c1a2b3c4d5e6.ap-northeast-1.rds.amazonaws.com</ReaderEndpoint>
                <Port>3306</Port>
                <IAMDatabaseAuthenticationEnabled>true</IAMDatabaseAuthenticationEnabled>
                <DBClusterMembers>
                  <DBClusterMember>
                    <DBInstanceIdentifier>orders-1</DBInstanceIdentifier>
                    <IsClusterWriter>true</IsClusterWriter>
                    <PromotionTier>1</PromotionTier>
                  </DBClusterMember>
                  <DBClusterMember>
                    <DBInstanceIdentifier>orders-2</DBInstanceIdentifier>
                    <IsClusterWriter>false</IsClusterWriter>
                    <PromotionTier>1</PromotionTier>
                  </DBClusterMember>
                </DBClusterMembers>
                <TagList/>
              </DBCluster>
            </DBClusters>
            <Marker>next-page</Marker>
          </DescribeDBClustersResult>
          <ResponseMetadata>
            <RequestId>5c7f1a2b-0000-4e3d-9b8a-0123456789ab</RequestId>
          </ResponseMetadata>
        </DescribeDBClustersResponse>
        """

    static func parse(_ xml: String) throws(XMLTreeError) -> XMLTree {
        try XMLTree(parsing: Data(xml.utf8))
    }

    /// The problem with a document that must not parse; nil when it parses.
    static func problem(_ bytes: [UInt8]) -> String? {
        do {
            _ = try XMLTree(parsing: Data(bytes))
            return nil
        } catch {
            return error.problem
        }
    }

    static func nested(_ depth: Int) -> String {
        String(repeating: "<e>", count: depth) + "leaf" + String(repeating: "</e>", count: depth)
    }

    @Test func anRDSAnswerReadsAsBefore() throws {
        let root = try Self.parse(Self.describeDBClusters)
        #expect(root.name == "DescribeDBClustersResponse")
        #expect(root.text == "")
        let result = try #require(root.child("DescribeDBClustersResult"))
        #expect(result.string("Marker") == "next-page")
        let clusters = result.child("DBClusters")?.children("DBCluster") ?? []
        #expect(clusters.count == 1)
        let cluster = try #require(clusters.first)
        #expect(cluster.string("DBClusterIdentifier") == "orders")
        #expect(cluster.string("Port") == "3306")
        #expect(cluster.child("AvailabilityZones")?.children.map(\.text) == ["ap-northeast-1a", "ap-northeast-1c"])
        #expect(cluster.child("TagList") == XMLTree(name: "TagList"))
        let members = cluster.child("DBClusterMembers")?.children("DBClusterMember") ?? []
        #expect(members.map { $0.string("DBInstanceIdentifier") } == ["orders-1", "orders-2"])
        #expect(members.map { $0.string("IsClusterWriter") } == ["true", "false"])
        #expect(root.first("RequestId")?.text == "5c7f1a2b-0000-4e3d-9b8a-0123456789ab")
        #expect(root.first("Nothing") == nil)
    }

    @Test func anIAMErrorAnswer() throws {
        let body = Data(
            """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
              <Error>
                <Type>Sender</Type>
                <Code>NoSuchEntity</Code>
                <Message>The user with name dba cannot be found.</Message>
              </Error>
              <RequestId>4a1b2c3d-5e6f-7a8b-9c0d-e1f2a3b4c5d6</RequestId>
            </ErrorResponse>
            """.utf8)
        let root = try XMLTree(parsing: body)
        let error = try #require(root.first("Error"))
        #expect(error.children.map(\.name) == ["Type", "Code", "Message"])
        #expect(error.string("Code") == "NoSuchEntity")
        #expect(error.string("Message") == "The user with name dba cannot be found.")
        #expect(QueryProtocolErrors.requestID(body) == "4a1b2c3d-5e6f-7a8b-9c0d-e1f2a3b4c5d6")
    }

    @Test func entitiesAndCharacterReferencesIncludingJapanese() throws {
        let root = try Self.parse("<a>&amp;&lt;&gt;&quot;&apos; &#65;&#x42;&#x65e5;&#26412;語 <名前>値</名前></a>")
        #expect(root.text == "&<>\"' AB日本語")
        #expect(root.child("名前")?.text == "値")
        #expect(try Self.parse("<a>&#x1F600;&#128512;</a>").text == "😀😀")
    }

    @Test func cdataJoinsTheTextAsWritten() throws {
        let root = try Self.parse("<a>x<![CDATA[ <b>&amp;</b> ]]>y<c/><![CDATA[]]>z</a>")
        #expect(root.text == "x <b>&amp;</b> yz")
        #expect(root.children == [XMLTree(name: "c")])
        #expect(try Self.parse("<a>\n  <![CDATA[  padded\n]]>  </a>").text == "padded")
    }

    @Test func commentsProcessingInstructionsAndAByteOrderMark() throws {
        let xml =
            "\u{FEFF}<?xml version = '1.0' encoding='utf-8' standalone='no' ?>\n<!-- before -->\n<?xml-stylesheet?>\n"
            + "<a><!-- - inside --><?pi?>x<!---->y</a>\n<!-- after --><?end?>\n"
        #expect(try Self.parse(xml) == XMLTree(name: "a", text: "xy"))
    }

    @Test func selfClosingTagsAndAttributesInBothQuoteStyles() throws {
        let root = try Self.parse(
            """
            <p:a xmlns="urn:default" xmlns:p="urn:p" one="1" two='2' both="'">
              <b/><c  /><p:d p:z = "&amp;&#x3C;'" q='"&gt;'/>
            </p:a>
            """)
        #expect(root == XMLTree(name: "p:a", children: [XMLTree(name: "b"), XMLTree(name: "c"), XMLTree(name: "p:d")]))
    }

    @Test func textIsTrimmedAsFoundationTrimmedIt() throws {
        #expect(try Self.parse("<a>\n\t  two  words \r\n</a>").text == "two  words")
        #expect(try Self.parse("<a> x <b/> y </a>").text == "x  y")
        #expect(try Self.parse("<a>\u{3000}\u{A0}x\u{2028}\u{85}</a>").text == "x")
        #expect(try Self.parse("<a>1\r\n2\r3&#13;4</a>").text == "1\n2\n3\r4")
        #expect(try Self.parse("<a>   </a>").text == "")
    }

    /// Every character of the Basic Multilingual Plane alone in an element: what remains
    /// is what `trimmingCharacters(in: .whitespacesAndNewlines)` leaves.
    @Test func theWhitespaceIsFoundationsWhitespace() throws {
        let allowed = ["\t", "\n"] + (0x20...0xFFFD).compactMap { Unicode.Scalar(UInt32($0)) }
        let xml = "<r>" + allowed.map { "<a>&#x\(String($0.value, radix: 16));</a>" }.joined() + "</r>"
        let texts = try Self.parse(xml).children.map(\.text)
        #expect(texts == allowed.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
    }

    @Test func firstSearchesInDocumentOrder() throws {
        let root = try Self.parse("<r><a><x>1</x></a><x>2</x><b><x>3</x></b></r>")
        #expect(root.first("x")?.text == "1")
        #expect(root.first("r") == root)
        let deep = String(repeating: "<e>", count: 255) + "<leaf>x</leaf>" + String(repeating: "</e>", count: 255)
        #expect(try Self.parse(deep).first("leaf")?.text == "x")
    }

    @Test func depthIsBoundedAt256() throws {
        #expect(try Self.parse(Self.nested(200)).text == "")
        var deepest = try Self.parse(Self.nested(256))
        while let child = deepest.children.first { deepest = child }
        #expect(deepest.text == "leaf")
        #expect(
            Self.problem(Array(Self.nested(257).utf8))
                == "the element at line 1, column 769 is nested deeper than 256 elements, which no AWS answer is")
        #expect(Self.problem(Array(Self.nested(300).utf8))?.contains("nested deeper than 256 elements") == true)
    }

    struct Malformed: Sendable, CustomTestStringConvertible {
        var bytes: [UInt8]
        var problem: String
        var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }

        init(_ xml: String, _ problem: String) {
            bytes = Array(xml.utf8)
            self.problem = problem
        }

        init(bytes: [UInt8], _ problem: String) {
            self.bytes = bytes
            self.problem = problem
        }
    }

    @Test(arguments: [
        Malformed(
            "<Root>\n<Bar>\n      </Foo>",
            "the end tag </Foo> at line 3, column 7 does not close <Bar>, which opened at line 2, column 1"),
        Malformed("<a><b>text</b>", "the document ends before <a>, which opened at line 1, column 1, is closed"),
        Malformed("<a>\n<b x=\"1\"", "the document ends inside the start tag <b>, which starts at line 2, column 1"),
        Malformed("<a><b x=\"1", "the document ends inside the value of the attribute x, which starts at line 1, column 9"),
        Malformed("<a></a", "the document ends inside the end tag </a>, which starts at line 1, column 4"),
        Malformed("<a><!-- x", "the document ends inside the comment, which starts at line 1, column 4"),
        Malformed("<a><![CDATA[x]]", "the document ends inside the CDATA section, which starts at line 1, column 4"),
        Malformed("<a><?pi x", "the document ends inside the processing instruction <?pi, which starts at line 1, column 4"),
        Malformed(
            "<a/>x",
            "text at line 1, column 5 follows the root element <a>, after which a document has only comments and processing instructions"
        ),
        Malformed("<a/>\n<b/>", "a second root element at line 2, column 1 follows <a>, and a document has only one"),
        Malformed("", "the document is empty"),
        Malformed("\u{FEFF}", "the document is empty"),
        Malformed("<?xml version=\"1.0\"?>\n<!-- no element -->\n", "the document has no root element"),
        Malformed("Service Unavailable", "text at line 1, column 1 comes before the root element"),
        Malformed("</a>", "the end tag at line 1, column 1 closes no open element"),
        Malformed("<![CDATA[x]]><a/>", "the CDATA section at line 1, column 1 stands outside the root element"),
        Malformed(
            "<a>\n  &nbsp;</a>",
            "the entity &nbsp; at line 2, column 3 is none of XML's five (&amp; &lt; &gt; &quot; &apos;), and a document without a DTD can have no other"
        ),
        Malformed(
            "<a>fish & chips</a>", "the & at line 1, column 9 begins no reference such as &amp;, which is how a & is written"),
        Malformed("<a>&amp</a>", "the & at line 1, column 4 begins no reference such as &amp;, which is how a & is written"),
        Malformed("<a>&#0;</a>", "the character reference &#0; at line 1, column 4 is not a character XML allows"),
        Malformed("<a>&#xD800;</a>", "the character reference &#xD800; at line 1, column 4 is not a character XML allows"),
        Malformed("<a>&#x110000;</a>", "the character reference &#x110000; at line 1, column 4 is not a character XML allows"),
        Malformed(
            "<a>&#99999999999999999999;</a>",
            "the character reference &#99999999999999999999; at line 1, column 4 is not a character XML allows"),
        Malformed("<a>&#x;</a>", "the character reference at line 1, column 4 is not digits closed by ;"),
        Malformed("<a>&#X41;</a>", "the character reference at line 1, column 4 is not digits closed by ;"),
        Malformed("<a>&#12a;</a>", "the character reference at line 1, column 4 is not digits closed by ;"),
        Malformed(
            "<a b=\"x<y\"/>", "the value of the attribute b has a < at line 1, column 8, which XML allows there only as &lt;"),
        Malformed(
            "<a b=\"&bogus;\"/>",
            "the entity &bogus; at line 1, column 7 is none of XML's five (&amp; &lt; &gt; &quot; &apos;), and a document without a DTD can have no other"
        ),
        Malformed("<a b=1/>", "the attribute b at line 1, column 4 has no quoted value"),
        Malformed("<a b/>", "the attribute b at line 1, column 4 has no = and value"),
        Malformed("<a b='1' b='2'/>", "the attribute b at line 1, column 10 appears a second time in <a>"),
        Malformed(
            "<a b='1'c='2'/>",
            "the start tag <a> at line 1, column 1 has a character at line 1, column 9 where a space, an attribute, > or /> belongs"
        ),
        Malformed("<a>1 < 2</a>", "the < at line 1, column 6 starts no tag; a < in text is written &lt;"),
        Malformed("<a></ a>", "the </ at line 1, column 4 is not followed by an element name"),
        Malformed(
            "<a></a b>", "the end tag </a> at line 1, column 4 has a character at line 1, column 8 where > belongs"),
        Malformed(bytes: Array("<a>".utf8) + [0xFF] + Array("</a>".utf8), "the bytes at line 1, column 4 are not UTF-8"),
        Malformed(bytes: Array("<a>".utf8) + [0xC0, 0xAF] + Array("</a>".utf8), "the bytes at line 1, column 4 are not UTF-8"),
        Malformed(
            bytes: Array("<a>日".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8), "the bytes at line 1, column 5 are not UTF-8"),
        Malformed(bytes: Array("<a>".utf8) + [0xE6, 0x97], "the bytes at line 1, column 4 are not UTF-8"),
        Malformed(bytes: Array("<a b='".utf8) + [0x80] + Array("'/>".utf8), "the bytes at line 1, column 7 are not UTF-8"),
        Malformed("<a>\u{1}</a>", "the character U+0001 at line 1, column 4 is not one XML allows"),
        Malformed("<a>\u{FFFF}</a>", "the character U+FFFF at line 1, column 4 is not one XML allows"),
        Malformed("<a>x]]>y</a>", "text at line 1, column 5 has ]]>, which only ends a CDATA section"),
        Malformed(
            "<a><!-- a -- b --></a>",
            "the comment at line 1, column 4 has -- at line 1, column 11 before its end, which XML forbids"),
        Malformed(
            "<a><!-- a ---></a>", "the comment at line 1, column 4 has -- at line 1, column 11 before its end, which XML forbids"),
        Malformed("<a><!ELEMENT a ANY></a>", "the <! at line 1, column 4 opens neither a comment nor a CDATA section"),
        Malformed(
            "<!DOCTYPE a [<!ENTITY x \"xx\">]>\n<a>&x;</a>",
            "the document type declaration at line 1, column 1 is refused: AWS answers have none, and its entities could expand without bound"
        ),
        Malformed(
            "<a>\n<!DOCTYPE a></a>",
            "the document type declaration at line 2, column 1 is refused: AWS answers have none, and its entities could expand without bound"
        ),
        Malformed(
            " <?xml version=\"1.0\"?><a/>",
            "<?xml at line 1, column 2 is an XML declaration, which only the very start of a document may have"),
        Malformed(
            "<a><?XML version=\"1.0\"?></a>",
            "<?XML at line 1, column 4 is an XML declaration, which only the very start of a document may have"),
        Malformed(
            "<a><?pi?x?></a>",
            "the processing instruction <?pi at line 1, column 4 has a character at line 1, column 8 where a space or ?> belongs"),
        Malformed("<a><? x?></a>", "the <? at line 1, column 4 is not followed by a processing instruction's name"),
        Malformed(
            "<?xml encoding=\"UTF-8\"?><a/>",
            "the XML declaration at line 1, column 1 goes wrong at line 1, column 6; it is written <?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>, the encoding and standalone optional"
        ),
        Malformed(
            "<?xml version=\"2.0\"?><a/>",
            "the XML declaration at line 1, column 1 goes wrong at line 1, column 16; it is written <?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>, the encoding and standalone optional"
        ),
        Malformed(
            "<?xml version=\"1.0\" standalone=\"maybe\"?><a/>",
            "the XML declaration at line 1, column 1 goes wrong at line 1, column 33; it is written <?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>, the encoding and standalone optional"
        ),
        Malformed(
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",
            "the XML declaration at line 1, column 1 names the encoding ISO-8859-1, and answers are read as UTF-8"),
    ])
    func malformedDocumentsAreRefusedWithWhere(_ document: Malformed) {
        #expect(Self.problem(document.bytes) == document.problem)
    }

    /// A truncated answer never parses, and no corruption of one crashes the reader.
    @Test func truncatedAndCorruptedAnswers() {
        let bytes = Array(Self.describeDBClusters.utf8)
        #expect((0..<bytes.count).filter { Self.problem(Array(bytes[..<$0])) == nil } == [])
        for offset in stride(from: 0, to: bytes.count, by: 3) {
            for byte: UInt8 in [0x00, 0x3C, 0x3E, 0x26, 0x2F, 0x5D, 0x22, 0x80, 0xE6, 0xFF] {
                var corrupted = bytes
                corrupted[offset] = byte
                _ = Self.problem(corrupted)
            }
        }
    }

    /// Generated trees, written out with their text escaped in every way XML allows, read
    /// back the same.
    @Test func generatedTreesRoundTrip() throws {
        var generator = TreeGenerator(seed: 42)
        for _ in 0..<300 {
            let (expected, xml) = generator.document()
            #expect(try Self.parse(xml) == expected, "\(xml)")
        }
    }

    /// A 6 MB answer of 50,000 elements: the reader is linear, and fast even unoptimized.
    @Test func aLargeAnswerIsReadInLinearTime() throws {
        let answer = Data(Self.largeAnswer(clusters: 5_000).utf8)
        #expect(answer.count > 5_000_000)
        let clock = ContinuousClock()
        var root: XMLTree?
        let elapsed = try clock.measure { root = try XMLTree(parsing: answer) }
        let clusters = root?.first("DBClusters")?.children ?? []
        #expect(clusters.count == 5_000)
        #expect(clusters.last?.string("DBClusterIdentifier") == "cluster-4999")
        #expect(elapsed < .seconds(5), "\(elapsed)")
    }

    /// Clusters of ten elements each, 1.2 kB apiece.
    static func largeAnswer(clusters: Int) -> String {
        let fields = (1...8).map {
            "<Field\($0)>" + String(repeating: "value-\($0) &amp; more data ", count: 5) + "</Field\($0)>\n"
        }
        .joined()
        let body = (0..<clusters).map {
            "<DBCluster>\n<DBClusterIdentifier>cluster-\($0)</DBClusterIdentifier>\n\(fields)</DBCluster>\n"
        }
        .joined()
        return "<DescribeDBClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><DescribeDBClustersResult>"
            + "<DBClusters>\n\(body)</DBClusters></DescribeDBClustersResult></DescribeDBClustersResponse>"
    }
}

/// Random trees and a document for each, written with the freedoms XML gives: entities
/// or character references, CDATA, comments, attributes in either quote, self-closing
/// tags, text around the children.
struct TreeGenerator {
    private var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    static let names = ["a", "Member", "p:q", "名前", "a-b.c_d", "x1", "ÉLÉMENT"]
    static let pieces = [
        "text", " ", "  ", "\n", "\t", "\r", "\r\n", "<", "&", ">", "\"", "'", "]]>", "日本", "é", "😀", "\u{A0}", "\u{3000}",
        "\u{301}", "a&b<c>d", "arn:aws:iam::111122223333:user/dba",
    ]

    mutating func document() -> (tree: XMLTree, xml: String) {
        let (tree, xml) = element(depth: 0)
        return (tree, (Bool.random(using: &random) ? "<?xml version=\"1.0\"?>\n" : "") + xml + "\n")
    }

    private mutating func element(depth: Int) -> (XMLTree, String) {
        let name = Self.names.randomElement(using: &random)!
        var xml = "<" + name + attributes()
        var text = ""
        var children: [XMLTree] = []
        var content = ""
        let count = depth < 4 ? Int.random(in: 0...3, using: &random) : 0
        for index in 0...count {
            let piece = self.text()
            text += piece.text
            content += piece.xml
            if Int.random(in: 0..<5, using: &random) == 0 { content += "<!-- a comment -->" }
            guard index < count else { break }
            let (child, childXML) = element(depth: depth + 1)
            children.append(child)
            content += childXML
        }
        xml += content.isEmpty && Bool.random(using: &random) ? "/>" : ">" + content + "</" + name + ">"
        return (XMLTree(name: name, text: text.trimmingCharacters(in: .whitespacesAndNewlines), children: children), xml)
    }

    private mutating func attributes() -> String {
        (0..<Int.random(in: 0...2, using: &random)).map { index in
            let value = escaped(Self.pieces.randomElement(using: &random)!, literalApostrophe: false)
            return Bool.random(using: &random) ? " at\(index)=\"\(value)\"" : " at\(index) = '\(value)'"
        }.joined()
    }

    /// Some text and how the document writes it.
    private mutating func text() -> (text: String, xml: String) {
        let text = (0..<Int.random(in: 0...4, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
        // On scalars: "]]>" followed by a combining mark is no "]]>" to String.contains.
        let scalars = text.unicodeScalars
        let hasCDATAEnd = scalars.indices.contains { scalars[$0...].starts(with: "]]>".unicodeScalars) }
        if !hasCDATAEnd, !scalars.contains("\r"), Int.random(in: 0..<4, using: &random) == 0 {
            return (text, "<![CDATA[" + text + "]]>")
        }
        return (text, escaped(text, literalApostrophe: true))
    }

    /// `literalApostrophe` is false in attribute values, which may be quoted with it.
    private mutating func escaped(_ text: String, literalApostrophe: Bool) -> String {
        text.unicodeScalars.map { scalar in
            switch scalar {
            case "&": Bool.random(using: &random) ? "&amp;" : "&#38;"
            case "<": Bool.random(using: &random) ? "&lt;" : "&#x3C;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": literalApostrophe && Bool.random(using: &random) ? "'" : "&apos;"
            case "\r": "&#13;"
            case _ where scalar.value > 0x7F && Bool.random(using: &random): "&#x\(String(scalar.value, radix: 16));"
            default: String(scalar)
            }
        }.joined()
    }
}

/// A strict reader of XML 1.0 in UTF-8, as much of it as AWS's query protocol answers
/// use. It stands in for Foundation's XMLParser, whose libxml2 and ICU every run of
/// dbiam loaded, runs that never call AWS included. A document type declaration is
/// refused rather than read: AWS sends none, and its entities are the door to expansion
/// attacks. Positions are only worked out for a problem, from the bytes before it.
struct XMLReader {
    /// Deeper documents are refused: no AWS answer comes near, and a tree's equality and
    /// release recurse through its depth.
    static let maximumDepth = 256

    /// An element whose end tag is still to come.
    private struct OpenElement {
        var name: String
        var nameBytes: Range<Int>
        /// Where its `<` is, for problems.
        var start: Int
        /// Where its own text begins in `text`.
        var textStart: Int
        var children: [XMLTree] = []
    }

    private enum Markup { case startTag, endTag, comment, cdata, processingInstruction }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    /// After the byte order mark: the one place an XML declaration may stand.
    private var documentStart = 0
    /// Open elements wait here rather than on the call stack, so that depth costs memory.
    private var open: [OpenElement] = []
    /// The text of every open element so far, the innermost's last: each element's text
    /// is made into a String once, when it closes.
    private var text: [UInt8] = []
    /// The attribute names of the start tag being read, to refuse one written twice: a
    /// set, so that a tag of many attributes is not compared pair by pair, and of bytes,
    /// because two names that are only canonically equal are two names to XML.
    private var attributeNames: Set<[UInt8]> = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Reads the whole document: its root element and the comments, processing
    /// instructions and whitespace around it.
    mutating func document() throws(XMLTreeError) -> XMLTree {
        if looksAt("\u{FEFF}") { index += 3 }
        documentStart = index
        var root: XMLTree?
        while true {
            skipWhitespace()
            guard index < bytes.count else { break }
            guard bytes[index] == UInt8(ascii: "<") else {
                guard let root else { throw XMLTreeError(problem: "text at \(position(index)) comes before the root element") }
                throw XMLTreeError(problem: "text at \(position(index)) follows the root element <\(root.name)>, after which a document has only comments and processing instructions")
            }
            switch try markup() {
            case .comment: try comment()
            case .processingInstruction: try processingInstruction()
            case .cdata: throw XMLTreeError(problem: "the CDATA section at \(position(index)) stands outside the root element")
            case .endTag: throw XMLTreeError(problem: "the end tag at \(position(index)) closes no open element")
            case .startTag:
                if let root {
                    throw XMLTreeError(problem: "a second root element at \(position(index)) follows <\(root.name)>, and a document has only one")
                }
                root = try element()
            }
        }
        guard let root else {
            throw XMLTreeError(problem: index == documentStart ? "the document is empty" : "the document has no root element")
        }
        return root
    }

    /// Reads the element whose start tag is at `index`, and everything in it.
    private mutating func element() throws(XMLTreeError) -> XMLTree {
        if try startTag(), let root = close() { return root }
        while true {
            try characterData()
            guard index < bytes.count else {
                let innermost = open[open.count - 1]
                throw XMLTreeError(problem: "the document ends before <\(innermost.name)>, which opened at \(position(innermost.start)), is closed")
            }
            switch try markup() {
            case .startTag:
                if try startTag() { close() }
            case .endTag:
                try endTag()
                if let root = close() { return root }
            case .comment: try comment()
            case .processingInstruction: try processingInstruction()
            case .cdata: try cdata()
            }
        }
    }

    /// What the markup at this `<` opens.
    private func markup() throws(XMLTreeError) -> Markup {
        if looksAt("</") { return .endTag }
        if looksAt("<?") { return .processingInstruction }
        if looksAt("<!--") { return .comment }
        if looksAt("<![CDATA[") { return .cdata }
        if looksAt("<!DOCTYPE") {
            throw XMLTreeError(problem: "the document type declaration at \(position(index)) is refused: AWS answers have none, and its entities could expand without bound")
        }
        if looksAt("<!") {
            throw XMLTreeError(problem: "the <! at \(position(index)) opens neither a comment nor a CDATA section")
        }
        return .startTag
    }

    // MARK: - Elements

    /// Reads a start tag and opens its element; true when the tag closes it too (`<a/>`).
    private mutating func startTag() throws(XMLTreeError) -> Bool {
        let start = index
        guard open.count < Self.maximumDepth else {
            throw XMLTreeError(problem: "the element at \(position(start)) is nested deeper than \(Self.maximumDepth) elements, which no AWS answer is")
        }
        index += 1
        let name = readName()
        guard !name.isEmpty else {
            throw XMLTreeError(problem: "the < at \(position(start)) starts no tag; a < in text is written &lt;")
        }
        attributeNames.removeAll(keepingCapacity: true)
        while true {
            let spaced = skipWhitespace()
            guard index < bytes.count else { throw endsInside("the start tag <\(string(name))>", start) }
            let closesItself = looksAt("/>")
            if closesItself || bytes[index] == UInt8(ascii: ">") {
                index += closesItself ? 2 : 1
                open.append(OpenElement(name: string(name), nameBytes: name, start: start, textStart: text.count))
                return closesItself
            }
            let attribute = readName()
            guard spaced, !attribute.isEmpty else {
                throw XMLTreeError(problem: "the start tag <\(string(name))> at \(position(start)) has a character at \(position(attribute.lowerBound)) where a space, an attribute, > or /> belongs")
            }
            guard attributeNames.insert(Array(bytes[attribute])).inserted else {
                throw XMLTreeError(problem: "the attribute \(string(attribute)) at \(position(attribute.lowerBound)) appears a second time in <\(string(name))>")
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                throw XMLTreeError(problem: "the attribute \(string(attribute)) at \(position(attribute.lowerBound)) has no = and value")
            }
            index += 1
            skipWhitespace()
            try attributeValue(of: attribute)
        }
    }

    /// Reads an attribute's quoted value, only to know that it is well formed: AWS's
    /// answers carry their data in elements.
    private mutating func attributeValue(of attribute: Range<Int>) throws(XMLTreeError) {
        let start = index
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
            throw XMLTreeError(problem: "the attribute \(string(attribute)) at \(position(attribute.lowerBound)) has no quoted value")
        }
        let quote = bytes[index]
        index += 1
        while index < bytes.count, bytes[index] != quote {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                throw XMLTreeError(problem: "the value of the attribute \(string(attribute)) has a < at \(position(index)), which XML allows there only as &lt;")
            case UInt8(ascii: "&"): _ = try reference()
            default: try skipCharacter()
            }
        }
        guard index < bytes.count else { throw endsInside("the value of the attribute \(string(attribute))", start) }
        index += 1
    }

    /// Reads an end tag, which must close the innermost open element.
    private mutating func endTag() throws(XMLTreeError) {
        let start = index
        index += 2
        let name = readName()
        guard !name.isEmpty else {
            throw XMLTreeError(problem: "the </ at \(position(start)) is not followed by an element name")
        }
        skipWhitespace()
        guard index < bytes.count else { throw endsInside("the end tag </\(string(name))>", start) }
        guard bytes[index] == UInt8(ascii: ">") else {
            throw XMLTreeError(problem: "the end tag </\(string(name))> at \(position(start)) has a character at \(position(index)) where > belongs")
        }
        index += 1
        let innermost = open[open.count - 1]
        guard sameBytes(name, innermost.nameBytes) else {
            throw XMLTreeError(problem: "the end tag </\(string(name))> at \(position(start)) does not close <\(innermost.name)>, which opened at \(position(innermost.start))")
        }
    }

    /// Closes the innermost open element, which joins its parent's children; returns it
    /// when it is the root.
    @discardableResult
    private mutating func close() -> XMLTree? {
        let element = open.removeLast()
        let tree = XMLTree(name: element.name, text: Self.trimmed(text[element.textStart...]), children: element.children)
        text.removeSubrange(element.textStart...)
        guard !open.isEmpty else { return tree }
        open[open.count - 1].children.append(tree)
        return nil
    }

    // MARK: - Text

    /// Reads text up to the next `<` into the innermost element's text, with its
    /// references replaced and its line ends read as XML reads them.
    private mutating func characterData() throws(XMLTreeError) {
        var run = index
        scan: while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "<"):
                break scan
            case UInt8(ascii: "&"):
                appendRun(from: run)
                UTF8.encode(try reference()) { text.append($0) }
                run = index
            case UInt8(ascii: "\r"):
                lineEnd(&run)
            case UInt8(ascii: "]") where looksAt("]]>"):
                throw XMLTreeError(problem: "text at \(position(index)) has ]]>, which only ends a CDATA section")
            case 0x20..<0x80, UInt8(ascii: "\n"), UInt8(ascii: "\t"):
                index += 1
            default:
                try skipCharacter()
            }
        }
        appendRun(from: run)
    }

    /// Reads a CDATA section into the innermost element's text, as it is written.
    private mutating func cdata() throws(XMLTreeError) {
        let start = index
        index += 9
        var run = index
        while !looksAt("]]>") {
            guard index < bytes.count else { throw endsInside("the CDATA section", start) }
            if bytes[index] == UInt8(ascii: "\r") { lineEnd(&run) } else { try skipCharacter() }
        }
        appendRun(from: run)
        index += 3
    }

    /// XML reads CR LF and a lone CR as one LF, as XMLParser did; a `&#13;` stays a CR.
    private mutating func lineEnd(_ run: inout Int) {
        appendRun(from: run)
        index += 1
        if index == bytes.count || bytes[index] != UInt8(ascii: "\n") { text.append(UInt8(ascii: "\n")) }
        run = index
    }

    private mutating func appendRun(from run: Int) {
        text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
    }

    /// Reads an entity or character reference from its `&`. There are only XML's five
    /// entities: without a document type declaration, there is nowhere to define more.
    private mutating func reference() throws(XMLTreeError) -> Unicode.Scalar {
        let start = index
        index += 1
        if looksAt("#") { return try characterReference(from: start) }
        let name = readName()
        guard !name.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: ";") else {
            throw XMLTreeError(problem: "the & at \(position(start)) begins no reference such as &amp;, which is how a & is written")
        }
        index += 1
        switch string(name) {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            throw XMLTreeError(problem: "the entity &\(string(name)); at \(position(start)) is none of XML's five (&amp; &lt; &gt; &quot; &apos;), and a document without a DTD can have no other")
        }
    }

    /// Reads `&#…;` or `&#x…;` from its `&`.
    private mutating func characterReference(from start: Int) throws(XMLTreeError) -> Unicode.Scalar {
        index += 1
        let hexadecimal = looksAt("x")
        if hexadecimal { index += 1 }
        let digits = index
        while index < bytes.count, Self.isDigit(bytes[index], hexadecimal: hexadecimal) { index += 1 }
        guard index > digits, index < bytes.count, bytes[index] == UInt8(ascii: ";") else {
            throw XMLTreeError(problem: "the character reference at \(position(start)) is not digits closed by ;")
        }
        let value = UInt32(string(digits..<index), radix: hexadecimal ? 16 : 10)
        index += 1
        guard let value, Self.isXMLCharacter(value), let scalar = Unicode.Scalar(value) else {
            throw XMLTreeError(problem: "the character reference \(string(start..<index)) at \(position(start)) is not a character XML allows")
        }
        return scalar
    }

    // MARK: - Comments and processing instructions

    private mutating func comment() throws(XMLTreeError) {
        let start = index
        index += 4
        while !looksAt("--") {
            guard index < bytes.count else { throw endsInside("the comment", start) }
            try skipCharacter()
        }
        guard looksAt("-->") else {
            throw XMLTreeError(problem: "the comment at \(position(start)) has -- at \(position(index)) before its end, which XML forbids")
        }
        index += 3
    }

    /// Reads a processing instruction, the XML declaration among them: neither says
    /// anything that an answer's data depends on.
    private mutating func processingInstruction() throws(XMLTreeError) {
        let start = index
        index += 2
        let target = readName()
        guard !target.isEmpty else {
            throw XMLTreeError(problem: "the <? at \(position(start)) is not followed by a processing instruction's name")
        }
        let name = string(target)
        if name.lowercased() == "xml" {
            guard name == "xml", start == documentStart else {
                throw XMLTreeError(problem: "<?\(name) at \(position(start)) is an XML declaration, which only the very start of a document may have")
            }
            try declaration(from: start)
            return
        }
        if !skipWhitespace(), !looksAt("?>") {
            throw XMLTreeError(problem: "the processing instruction <?\(name) at \(position(start)) has a character at \(position(index)) where a space or ?> belongs")
        }
        while !looksAt("?>") {
            guard index < bytes.count else { throw endsInside("the processing instruction <?\(name)", start) }
            try skipCharacter()
        }
        index += 2
    }

    /// Reads the rest of the XML declaration: version 1.x, then the encoding, which must
    /// be UTF-8 as that is the one read, and standalone, both optional.
    private mutating func declaration(from start: Int) throws(XMLTreeError) {
        guard let version = try pseudoAttribute("version", of: start) else { throw malformedDeclaration(start, at: index) }
        guard version.count > 2, bytes[version].starts(with: "1.".utf8),
            bytes[version].dropFirst(2).allSatisfy({ Self.isDigit($0, hexadecimal: false) })
        else { throw malformedDeclaration(start, at: version.lowerBound) }
        if let encoding = try pseudoAttribute("encoding", of: start), string(encoding).uppercased() != "UTF-8" {
            throw XMLTreeError(problem: "the XML declaration at \(position(start)) names the encoding \(string(encoding)), and answers are read as UTF-8")
        }
        if let standalone = try pseudoAttribute("standalone", of: start), !["yes", "no"].contains(string(standalone)) {
            throw malformedDeclaration(start, at: standalone.lowerBound)
        }
        skipWhitespace()
        guard looksAt("?>") else { throw malformedDeclaration(start, at: index) }
        index += 2
    }

    /// Reads ` name="value"` when `name` comes next in the XML declaration; the value's
    /// bytes, which the caller checks.
    private mutating func pseudoAttribute(_ name: StaticString, of declaration: Int) throws(XMLTreeError) -> Range<Int>? {
        let before = index
        guard skipWhitespace(), looksAt(name) else {
            index = before
            return nil
        }
        index += name.utf8CodeUnitCount
        skipWhitespace()
        guard looksAt("=") else { throw malformedDeclaration(declaration, at: index) }
        index += 1
        skipWhitespace()
        let quote = index < bytes.count ? bytes[index] : 0
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { throw malformedDeclaration(declaration, at: index) }
        index += 1
        let value = index
        while index < bytes.count, bytes[index] != quote { index += 1 }
        guard index < bytes.count else { throw endsInside("the XML declaration", declaration) }
        index += 1
        return value..<index - 1
    }

    private func malformedDeclaration(_ start: Int, at offset: Int) -> XMLTreeError {
        XMLTreeError(problem: "the XML declaration at \(position(start)) goes wrong at \(position(offset)); it is written <?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>, the encoding and standalone optional")
    }

    // MARK: - Bytes and characters

    /// Whether the bytes at `index` are `literal`'s.
    private func looksAt(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        return UnsafeBufferPointer(start: literal.utf8Start, count: count)
            .elementsEqual(UnsafeBufferPointer(rebasing: bytes[index..<index + count]))
    }

    private func sameBytes(_ lhs: Range<Int>, _ rhs: Range<Int>) -> Bool {
        lhs.count == rhs.count
            && UnsafeBufferPointer(rebasing: bytes[lhs]).elementsEqual(UnsafeBufferPointer(rebasing: bytes[rhs]))
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Steps over XML's whitespace; whether there was any.
    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return index > start
            }
        }
        return index > start
    }

    /// Reads an XML name (a namespace prefix and its colon included); empty when there is
    /// none at `index`.
    private mutating func readName() -> Range<Int> {
        let start = index
        while index < bytes.count, let (value, length) = Self.scalar(in: bytes, at: index),
            Self.isNameCharacter(value, first: index == start)
        {
            index += length
        }
        return start..<index
    }

    /// Steps over one character, refusing bytes that are not UTF-8 and characters that
    /// XML does not allow in a document.
    private mutating func skipCharacter() throws(XMLTreeError) {
        guard let (value, length) = Self.scalar(in: bytes, at: index) else {
            throw XMLTreeError(problem: "the bytes at \(position(index)) are not UTF-8")
        }
        guard Self.isXMLCharacter(value) else {
            throw XMLTreeError(problem: "the character U+\(Self.hex(value)) at \(position(index)) is not one XML allows")
        }
        index += length
    }

    private func endsInside(_ what: String, _ start: Int) -> XMLTreeError {
        XMLTreeError(problem: "the document ends inside \(what), which starts at \(position(start))")
    }

    /// Where `offset` is, as an editor counts: lines from 1, and characters from 1 within
    /// a line, a character being a UTF-8 sequence.
    private func position(_ offset: Int) -> String {
        var line = 1
        var column = 1
        for byte in bytes[documentStart..<min(offset, bytes.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "line \(line), column \(column)"
    }

    /// The scalar whose UTF-8 starts at `offset`, and its length; nil for bytes that are
    /// not UTF-8, overlong forms and surrogates included.
    private static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (value: UInt32, length: Int)? {
        let lead = bytes[offset]
        let length: Int
        let smallest: UInt32
        switch lead {
        case 0..<0x80: return (UInt32(lead), 1)
        case 0xC2...0xDF: (length, smallest) = (2, 0x80)
        case 0xE0...0xEF: (length, smallest) = (3, 0x800)
        case 0xF0...0xF4: (length, smallest) = (4, 0x10000)
        default: return nil
        }
        guard bytes.count - offset >= length else { return nil }
        var value = UInt32(lead & (0x7F >> length))
        for byte in bytes[offset + 1..<offset + length] {
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= smallest, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    /// XML 1.0's Char: no controls but tab and line ends, no U+FFFE or U+FFFF.
    private static func isXMLCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// XML 1.0's NameStartChar, and NameChar after the first.
    private static func isNameCharacter(_ value: UInt32, first: Bool) -> Bool {
        switch value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
            0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD,
            0x10000...0xEFFFF:
            true
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: !first
        default: false
        }
    }

    private static func isDigit(_ byte: UInt8, hexadecimal: Bool) -> Bool {
        switch byte {
        case 0x30...0x39: true
        case 0x41...0x46, 0x61...0x66: hexadecimal
        default: false
        }
    }

    /// Foundation's `.whitespacesAndNewlines`, which XMLTree trimmed text with when
    /// XMLParser read it: Unicode's space, line and paragraph separators, tab to CR, NEL,
    /// and the zero width space, which Foundation still counts as Unicode 3 did.
    private static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// The text without the whitespace around it, made into a String once. The bytes
    /// are UTF-8 already checked, so the walk back from the end finds a scalar's start by
    /// skipping continuation bytes.
    private static func trimmed(_ text: ArraySlice<UInt8>) -> String {
        text.withUnsafeBufferPointer { bytes in
            var start = 0
            var end = bytes.count
            while start < end, let (value, length) = scalar(in: bytes, at: start), isWhitespace(value) { start += length }
            while start < end {
                var last = end - 1
                while last > start, bytes[last] & 0xC0 == 0x80 { last -= 1 }
                guard let (value, _) = scalar(in: bytes, at: last), isWhitespace(value) else { break }
                end = last
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An element of a query protocol answer: its name, its text and its child elements.
/// Attributes, comments and namespaces are dropped; AWS's answers carry data in
/// elements only.
public struct XMLTree: Sendable, Equatable {
    public var name: String
    /// The element's own text, trimmed of the whitespace that indents the document.
    public var text: String
    public var children: [XMLTree]

    public init(name: String, text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child of this name.
    public func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// Every child of this name, in document order.
    public func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the first child of this name; nil when there is no such child.
    public func string(_ name: String) -> String? { child(name)?.text }

    /// The first element of this name at any depth, this one included.
    public func first(_ name: String) -> XMLTree? {
        if self.name == name { return self }
        for child in children {
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// Parses a whole document into its root element.
    public init(parsing data: Data) throws(XMLTreeError) {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw XMLTreeError(problem: parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element")
        }
        self = root
    }
}

public struct XMLTreeError: Error, Sendable, Equatable {
    public var problem: String
}

/// XMLParser's delegate, building the tree as elements close. Lives only for one parse.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    private var open: [(tree: XMLTree, text: String)] = []
    var root: XMLTree?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        open.append((XMLTree(name: elementName), ""))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !open.isEmpty else { return }
        open[open.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !open.isEmpty else { return }
        open[open.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let (closed, text) = open.popLast() else { return }
        var tree = closed
        tree.text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if open.isEmpty {
            root = tree
        } else {
            open[open.count - 1].tree.children.append(tree)
        }
    }
}

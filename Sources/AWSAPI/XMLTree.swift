import FoundationEssentials

/// An element of a query protocol answer: its name, its text and its child elements.
/// Attributes, comments and namespaces are dropped; AWS's answers carry data in
/// elements only.
public struct XMLTree: Sendable, Equatable {
    /// The name as written, a namespace prefix included.
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

    /// The first element of this name at any depth, this one included, in document order.
    /// The walk keeps its place on a stack of its own rather than recursing: a tree that
    /// was built rather than parsed has no depth limit.
    public func first(_ name: String) -> XMLTree? {
        if self.name == name { return self }
        var pending = [children.makeIterator()]
        while !pending.isEmpty {
            guard let next = pending[pending.count - 1].next() else {
                pending.removeLast()
                continue
            }
            if next.name == name { return next }
            pending.append(next.children.makeIterator())
        }
        return nil
    }

    /// Parses a whole document, UTF-8 XML without a document type declaration, into its
    /// root element.
    public init(parsing data: Data) throws(XMLTreeError) {
        let parsed = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            Result { () throws(XMLTreeError) -> XMLTree in
                var reader = XMLReader(raw.assumingMemoryBound(to: UInt8.self))
                return try reader.document()
            }
        }
        self = try parsed.get()
    }
}

public struct XMLTreeError: Error, Sendable, Equatable {
    public var problem: String
}

/// The sizes IAM accepts for a policy document.
public enum PolicyLimits {
    /// An inline policy of an IAM Identity Center permission set, in characters.
    public static let permissionSetInline = 32_768
    /// The same inline policy, in characters other than white space: a permission set's
    /// policy must fit both.
    public static let permissionSetInlineNonWhitespace = 10_240
    /// A customer managed policy, in characters other than white space.
    public static let managedPolicy = 6_144

    /// A document's text measured in the unit of each limit, once, for the checks and
    /// lint rules that all compare it against the limits.
    public struct Size: Sendable, Hashable {
        public let characters: Int
        public let nonWhitespace: Int

        public init(of text: String) {
            // ASCII, what dbiam's documents nearly always are: a byte is a character,
            // counted in one pass over the bytes.
            if let ascii = text.utf8.withContiguousStorageIfAvailable(Self.asciiCounts) ?? Self.asciiCounts(text.utf8) {
                characters = ascii.characters
                nonWhitespace = ascii.characters - ascii.whitespace
            } else {
                characters = text.count
                nonWhitespace = text.unicodeScalars.count { !Self.isWhitespace($0.value) }
            }
        }

        private static func isWhitespace(_ value: UInt32) -> Bool { value == 0x20 || value == 0x0A || value == 0x09 || value == 0x0D }

        /// Bytes and whitespace bytes, or nil when a byte is not ASCII.
        private static func asciiCounts(_ bytes: some Collection<UInt8>) -> (characters: Int, whitespace: Int)? {
            var whitespace = 0
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if isWhitespace(UInt32(byte)) { whitespace += 1 }
            }
            return (bytes.count, whitespace)
        }

        public var isOverInlineCharacters: Bool { characters > permissionSetInline }
        public var isOverInlineNonWhitespace: Bool { nonWhitespace > permissionSetInlineNonWhitespace }
        /// The document cannot be used at all.
        public var isOverInline: Bool { isOverInlineCharacters || isOverInlineNonWhitespace }
        /// The document cannot be a managed policy.
        public var isOverManaged: Bool { nonWhitespace > managedPolicy }
    }

    /// Problems with a document's size: over a permission-set limit is an error (the
    /// document cannot be used at all); over the managed-policy limit only stops it from
    /// being a managed policy, a warning unless `asManagedPolicy` says that is the target.
    public static func check(_ document: PolicyDocument, asManagedPolicy: Bool = false) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        if document.size.isOverInline {
            problems.append(.error(overInlineMessage(document), at: document.position))
        }
        if document.size.isOverManaged {
            let message = overManagedMessage(document)
            problems.append(asManagedPolicy ? .error(message, at: document.position) : .warning(message, at: document.position))
        }
        return problems
    }

    /// `check`'s error, which lint rule DBIAM102 reports with its id. It names each limit
    /// the document is over, as a split must get under both.
    static func overInlineMessage(_ document: PolicyDocument) -> String {
        let size = document.size
        var counts: [String] = []
        var limits: [String] = []
        if size.isOverInlineCharacters {
            counts.append("\(grouped(size.characters)) characters")
            limits.append(grouped(permissionSetInline))
        }
        if size.isOverInlineNonWhitespace {
            counts.append("\(grouped(size.nonWhitespace)) characters other than white space")
            limits.append(grouped(permissionSetInlineNonWhitespace))
        }
        return "the policy of permission set '\(document.permissionSet)' has \(counts.joined(separator: " and ")), over the \(limits.joined(separator: " and ")) IAM Identity Center allows for a permission set's inline policy; split its users over several permission sets or name fewer clusters."
    }

    /// `check`'s managed-policy problem, which lint rule DBIAM103 reports with its id.
    static func overManagedMessage(_ document: PolicyDocument) -> String {
        "the policy of permission set '\(document.permissionSet)' has \(grouped(document.size.nonWhitespace)) characters other than white space, over the \(grouped(managedPolicy)) IAM allows for a managed policy; attach it as a permission set inline policy or split it."
    }

    /// A count with thousands separators, as the limits are written in IAM's
    /// documentation; the same in every locale.
    public static func grouped(_ count: Int) -> String {
        let digits = String(count)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }
}

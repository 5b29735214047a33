/// The sizes IAM accepts for a policy document.
public enum PolicyLimits {
    /// An inline policy of an IAM Identity Center permission set, in characters.
    public static let permissionSetInline = 32_768
    /// A customer managed policy, in characters other than white space.
    public static let managedPolicy = 6_144

    /// A document's text measured in the unit of each limit, once, for the checks and
    /// lint rules that all compare it against the limits.
    public struct Size: Sendable, Hashable {
        public let characters: Int
        public let nonWhitespace: Int

        public init(of text: String) {
            characters = text.count
            nonWhitespace = text.unicodeScalars.count { !($0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r") }
        }

        /// The document cannot be used at all.
        public var isOverInline: Bool { characters > permissionSetInline }
        /// The document cannot be a managed policy.
        public var isOverManaged: Bool { nonWhitespace > managedPolicy }
    }

    /// Problems with a document's size: over the permission-set limit is an error (the
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

    /// `check`'s error, which lint rule DBIAM102 reports with its id.
    static func overInlineMessage(_ document: PolicyDocument) -> String {
        "the policy of permission set '\(document.permissionSet)' has \(document.size.characters) characters, over the \(permissionSetInline) IAM allows for a permission set's inline policy; split its users over several permission sets or name fewer clusters."
    }

    /// `check`'s managed-policy problem, which lint rule DBIAM103 reports with its id.
    static func overManagedMessage(_ document: PolicyDocument) -> String {
        "the policy of permission set '\(document.permissionSet)' has \(document.size.nonWhitespace) characters other than white space, over the \(managedPolicy) IAM allows for a managed policy; attach it as a permission set inline policy or split it."
    }
}

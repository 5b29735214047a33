/// The sizes IAM accepts for a policy document.
public enum PolicyLimits {
    /// An inline policy of an IAM Identity Center permission set, in characters.
    public static let permissionSetInline = 32_768
    /// A customer managed policy, in characters other than white space.
    public static let managedPolicy = 6_144

    public static func characterCount(_ text: String) -> Int { text.count }

    public static func nonWhitespaceCount(_ text: String) -> Int {
        text.unicodeScalars.count { !($0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r") }
    }

    /// Problems with a document's size: over the permission-set limit is an error (the
    /// document cannot be used at all); over the managed-policy limit only stops it from
    /// being a managed policy, a warning unless `asManagedPolicy` says that is the target.
    public static func check(_ document: PolicyDocument, asManagedPolicy: Bool = false) -> [Diagnostic] {
        let text = document.text
        let characters = characterCount(text)
        let nonWhitespace = nonWhitespaceCount(text)
        var problems: [Diagnostic] = []
        if characters > permissionSetInline {
            problems.append(.error(
                "the policy of permission set '\(document.permissionSet)' has \(characters) characters, over the \(permissionSetInline) IAM allows for a permission set's inline policy; split its users over several permission sets or name fewer clusters.",
                at: document.position))
        }
        if nonWhitespace > managedPolicy {
            let message = "the policy of permission set '\(document.permissionSet)' has \(nonWhitespace) characters other than white space, over the \(managedPolicy) IAM allows for a managed policy; attach it as a permission set inline policy or split it."
            problems.append(asManagedPolicy ? .error(message, at: document.position) : .warning(message, at: document.position))
        }
        return problems
    }
}

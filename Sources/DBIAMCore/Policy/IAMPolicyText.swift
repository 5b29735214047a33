/// Text inside IAM policy strings.
public enum IAMPolicyText {
    /// A user name as a literal in a resource ARN. IAM reads `*` and `?` as wildcards
    /// and `${…}` as a policy variable, so those characters are written with IAM's
    /// escapes `${*}`, `${?}` and `${$}`; otherwise a user named `a*` would allow
    /// connecting as every user whose name starts with `a`.
    public static func literal(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "$") }) else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "*": escaped += "${*}"
            case "?": escaped += "${?}"
            case "$": escaped += "${$}"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

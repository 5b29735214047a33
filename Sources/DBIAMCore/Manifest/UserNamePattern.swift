/// A user-name pattern of `unmanaged:`: `*` matches any run of characters, `?` any one,
/// everything else itself (case matters, as in MySQL user names). Characters are code
/// points, as MySQL counts them.
public struct UserNamePattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let position: SourcePosition
    private let scalars: [Unicode.Scalar]

    public init(_ text: String, position: SourcePosition = SourcePosition(line: 0, column: 0)) {
        self.text = text
        self.position = position
        self.scalars = Array(text.unicodeScalars)
    }

    public var description: String { text }

    /// Whether the whole of `name` matches. Greedy with one point to go back to, as
    /// shells match: linear in practice, and never exponential.
    public func matches(_ name: String) -> Bool {
        let name = Array(name.unicodeScalars)
        var patternIndex = 0, nameIndex = 0
        var star: Int?, starMatched = 0
        while nameIndex < name.count {
            if patternIndex < scalars.count, scalars[patternIndex] == "?" || scalars[patternIndex] == name[nameIndex] {
                patternIndex += 1
                nameIndex += 1
            } else if patternIndex < scalars.count, scalars[patternIndex] == "*" {
                star = patternIndex
                starMatched = nameIndex
                patternIndex += 1
            } else if let star {
                patternIndex = star + 1
                starMatched += 1
                nameIndex = starMatched
            } else {
                return false
            }
        }
        while patternIndex < scalars.count, scalars[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == scalars.count
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }
}

/// A MySQL account: the user name and the host part, both case-sensitive text.
public struct AccountName: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var user: String
    public var host: String

    public init(user: String, host: String) {
        self.user = user
        self.host = host
    }

    /// `'user'@'host'`, quoted as SQL writes it, for messages and plans: accounts read
    /// from a server may hold invisible or text-direction characters, shown as escapes
    /// (`SQLText.account` gives the real bytes).
    public var description: String { NameRules.printable(SQLText.account(self)) }

    public static func < (lhs: AccountName, rhs: AccountName) -> Bool {
        (lhs.user, lhs.host) < (rhs.user, rhs.host)
    }
}

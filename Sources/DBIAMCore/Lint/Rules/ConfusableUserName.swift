/// DBIAM213: a user name that only looks like another name.
public struct ConfusableUserName: LintRule {
    public init() {}

    public let id = "DBIAM213"
    public let name = "ConfusableUserName"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user name is written with look-alike characters (Cyrillic о for o, fullwidth ｒ for r) and reads as another name."
    public let help = """
        A reviewer reads `rооt`, written with two Cyrillic o, as `root`; the server holds \
        another account. An attacker who can propose a manifest change can so add an \
        account that passes review as a harmless or familiar one: a reserved account, \
        dbiam's admin login, or another user of the manifest, whose grants the reviewer \
        already trusts. Policies, plans and SQL files all show the look-alike, and none of \
        them looks wrong.

        dbiam maps each character to the ASCII letter it looks like (Cyrillic а е о р с у \
        х і ј ѕ һ ԁ ԛ ԝ and their capitals, Greek ο α ν ι κ ρ τ υ χ and capitals, the \
        fullwidth forms of ASCII) and warns when the result is an ASCII name, or the name \
        of another user, that differs from the name as written. Write the name in ASCII if \
        the ASCII name is meant; rename the user if it stands for someone else.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        // Most names are ASCII and are their own skeleton: only the others need a table.
        let lookalikes = manifest.users.filter { !$0.name.utf8.allSatisfy { $0 < 0x80 } }
        guard !lookalikes.isEmpty else { return [] }
        var usersBySkeleton: [String: [String]] = [:]
        for user in manifest.users { usersBySkeleton[Self.skeleton(user.name), default: []].append(user.name) }
        let adminUsers = Dictionary(manifest.clusters.map { ($0.admin.user, $0.name) }, uniquingKeysWith: { first, _ in first })
        return lookalikes.compactMap { user in
            let skeleton = Self.skeleton(user.name)
            guard skeleton != user.name else { return nil }
            let shown = NameRules.printable(skeleton)
            let other = usersBySkeleton[skeleton, default: []].first { $0 != user.name }
            let target: String? =
                if NameRules.isReservedUserName(skeleton) {
                    "'\(shown)', an account of AWS or the server itself"
                } else if let cluster = adminUsers[skeleton] {
                    "'\(shown)', the admin user dbiam logs in as on cluster \(cluster)"
                } else if let other {
                    "'\(NameRules.printable(other))', another user of this manifest"
                } else {
                    nil
                }
            if let target {
                return finding(
                    "user name '\(user.name)' reads as \(target), but is written with look-alike characters and is another account; reviewers will take it for that one, so rename it.",
                    at: user.position)
            }
            guard skeleton.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            return finding(
                "user name '\(user.name)' only looks like '\(shown)': it is written with look-alike characters; write it in ASCII if '\(shown)' is meant.",
                at: user.position)
        }
    }

    /// The name with each look-alike replaced by the ASCII character it looks like.
    static func skeleton(_ name: String) -> String {
        var skeleton = ""
        for scalar in name.unicodeScalars {
            skeleton.unicodeScalars.append(lookalike(scalar) ?? scalar)
        }
        return skeleton
    }

    private static func lookalike(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        // Fullwidth `！` to `～` are ASCII `!` to `~` shifted by U+FEE0.
        if (0xFF01...0xFF5E).contains(scalar.value) { return Unicode.Scalar(scalar.value - 0xFEE0) }
        return asciiLookalikes[scalar]
    }

    /// The common Cyrillic and Greek look-alikes of ASCII letters. Look-alikes of digits
    /// (`О` for `0`) and of other ASCII letters (`l` for `I`) are left out: ASCII names
    /// have them already, so warning about them would warn about most names.
    private static let asciiLookalikes: [Unicode.Scalar: Unicode.Scalar] = [
        // Cyrillic а е о р с у х і ј ѕ һ ԁ ԛ ԝ
        "\u{430}": "a", "\u{435}": "e", "\u{43E}": "o", "\u{440}": "p", "\u{441}": "c", "\u{443}": "y", "\u{445}": "x",
        "\u{456}": "i", "\u{458}": "j", "\u{455}": "s", "\u{4BB}": "h", "\u{501}": "d", "\u{51B}": "q", "\u{51D}": "w",
        // Cyrillic А В Е К М Н О Р С Т У Х І Ј Ѕ Ԛ Ԝ
        "\u{410}": "A", "\u{412}": "B", "\u{415}": "E", "\u{41A}": "K", "\u{41C}": "M", "\u{41D}": "H", "\u{41E}": "O",
        "\u{420}": "P", "\u{421}": "C", "\u{422}": "T", "\u{423}": "Y", "\u{425}": "X", "\u{406}": "I", "\u{408}": "J",
        "\u{405}": "S", "\u{51A}": "Q", "\u{51C}": "W",
        // Greek ο α ν ι κ ρ τ υ χ
        "\u{3BF}": "o", "\u{3B1}": "a", "\u{3BD}": "v", "\u{3B9}": "i", "\u{3BA}": "k", "\u{3C1}": "p", "\u{3C4}": "t",
        "\u{3C5}": "u", "\u{3C7}": "x",
        // Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ
        "\u{391}": "A", "\u{392}": "B", "\u{395}": "E", "\u{396}": "Z", "\u{397}": "H", "\u{399}": "I", "\u{39A}": "K",
        "\u{39C}": "M", "\u{39D}": "N", "\u{39F}": "O", "\u{3A1}": "P", "\u{3A4}": "T", "\u{3A5}": "Y", "\u{3A7}": "X",
    ]
}

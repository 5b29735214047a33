/// DBIAM212: a user name that mixes the letters of several scripts.
public struct MixedScriptUserName: LintRule {
    public init() {}

    public let id = "DBIAM212"
    public let name = "MixedScriptUserName"
    public let severity = Diagnostic.Severity.warning
    public let summary = "A user name mixes letters of more than one script, such as Latin and Cyrillic."
    public let help = """
        Many letters of the Cyrillic and Greek alphabets look exactly like Latin ones. A \
        user named `rооt` with two Cyrillic o reads as `root` in a pull request, a plan and \
        a SQL file, yet it is another account: a reviewer approves what they think they \
        read, and the server holds something else. Real names are written in one script; \
        a name that mixes them is a typing accident or a disguise.

        Digits, `_`, `-`, `.`, combining accents and other characters that every script \
        uses do not count. Han, Hiragana and Katakana count as one script, since Japanese \
        writes them together. Write the name in one script.
        """

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.users.compactMap { user in
            // An ASCII name has at most one script, Latin.
            guard !user.name.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            let scripts = Script.scripts(of: user.name)
            guard scripts.count > 1 else { return nil }
            return finding(
                "user name '\(user.name)' mixes letters of \(Self.list(scripts)), so it may read as a name it is not; write it in one script.",
                at: user.position)
        }
    }

    private static func list(_ scripts: [Script]) -> String {
        let names = scripts.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " and " + names[names.count - 1]
    }
}

/// The script of a letter, by Unicode block: small and fast, not the full Unicode Script
/// property. Only letters have one: digits, punctuation and combining accents (Unicode's
/// Common and Inherited) have none, and a letter outside the ranges is `.other`.
enum Script: String, CaseIterable {
    case latin = "Latin"
    case greek = "Greek"
    case cyrillic = "Cyrillic"
    case armenian = "Armenian"
    case hebrew = "Hebrew"
    case arabic = "Arabic"
    case thai = "Thai"
    case hangul = "Hangul"
    case han = "Han, Hiragana or Katakana"
    case other = "another script"

    /// The ranges, by script:
    /// - Latin: ASCII letters, Latin-1 letters (U+00AA, U+00BA, U+00C0–U+024F but × and
    ///   ÷), IPA U+0250–U+02AF, U+1E00–U+1EFF, U+2C60–U+2C7F, U+A720–U+A7FF,
    ///   U+AB30–U+AB6F, fullwidth U+FF21–U+FF3A and U+FF41–U+FF5A.
    /// - Greek U+0370–U+03FF, U+1F00–U+1FFF.
    /// - Cyrillic U+0400–U+052F, U+1C80–U+1C8F, U+2DE0–U+2DFF, U+A640–U+A69F.
    /// - Armenian U+0531–U+058F, U+FB13–U+FB17. Hebrew U+0591–U+05FF, U+FB1D–U+FB4F.
    /// - Arabic U+0600–U+06FF, U+0750–U+077F, U+08A0–U+08FF, U+FB50–U+FDFF, U+FE70–U+FEFF.
    /// - Thai U+0E00–U+0E7F.
    /// - Hangul U+1100–U+11FF, U+3130–U+318F, U+A960–U+A97F, U+AC00–U+D7FF, U+FFA0–U+FFDC.
    /// - Han, Hiragana and Katakana U+3005–U+3007, U+3040–U+30FF, U+31F0–U+31FF,
    ///   U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF, halfwidth U+FF66–U+FF9F.
    private static let ranges: [(ClosedRange<UInt32>, Script)] = [
        (0x41...0x5A, .latin), (0x61...0x7A, .latin), (0xAA...0xAA, .latin), (0xBA...0xBA, .latin),
        (0xC0...0xD6, .latin), (0xD8...0xF6, .latin), (0xF8...0x2AF, .latin),
        (0x370...0x3FF, .greek), (0x400...0x52F, .cyrillic), (0x531...0x58F, .armenian), (0x591...0x5FF, .hebrew),
        (0x600...0x6FF, .arabic), (0x750...0x77F, .arabic), (0x8A0...0x8FF, .arabic), (0xE00...0xE7F, .thai),
        (0x1100...0x11FF, .hangul), (0x1C80...0x1C8F, .cyrillic), (0x1E00...0x1EFF, .latin), (0x1F00...0x1FFF, .greek),
        (0x2C60...0x2C7F, .latin), (0x2DE0...0x2DFF, .cyrillic), (0x3005...0x3007, .han), (0x3040...0x30FF, .han),
        (0x3130...0x318F, .hangul), (0x31F0...0x31FF, .han), (0x3400...0x4DBF, .han), (0x4E00...0x9FFF, .han), (0xA640...0xA69F, .cyrillic),
        (0xA720...0xA7FF, .latin), (0xA960...0xA97F, .hangul), (0xAB30...0xAB6F, .latin), (0xAC00...0xD7FF, .hangul),
        (0xF900...0xFAFF, .han), (0xFB13...0xFB17, .armenian), (0xFB1D...0xFB4F, .hebrew), (0xFB50...0xFDFF, .arabic),
        (0xFE70...0xFEFF, .arabic), (0xFF21...0xFF3A, .latin), (0xFF41...0xFF5A, .latin), (0xFF66...0xFF9F, .han),
        (0xFFA0...0xFFDC, .hangul),
    ]

    /// The script of a letter, or nil for a character every script uses. Only letters
    /// count: a block also holds its own punctuation and digits (the Arabic comma, the
    /// Thai digits), which say nothing about the script of a name. Modifier letters
    /// outside the ranges (ʰ, ˈ) are Common, like the digits.
    static func of(_ scalar: Unicode.Scalar) -> Script? {
        let value = scalar.value
        if value < 0x80 {
            return NameRules.isASCIILetter(UInt8(value)) ? .latin : nil
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter:
            return ranges.first { $0.0.contains(value) }?.1 ?? .other
        case .modifierLetter:
            return ranges.first { $0.0.contains(value) }?.1
        default:
            return nil
        }
    }

    /// The scripts of a name's letters, in `allCases` order.
    static func scripts(of name: String) -> [Script] {
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return name.utf8.contains(where: NameRules.isASCIILetter) ? [.latin] : [] }
        let found = Set(name.unicodeScalars.compactMap(of))
        return allCases.filter(found.contains)
    }
}

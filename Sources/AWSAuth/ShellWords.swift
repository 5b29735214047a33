/// Words as Python's `shlex.split` finds them (POSIX mode, no comments), which is how
/// botocore reads a config section header such as `[profile "team a"]`.
enum ShellWords {
    /// The words, or nil where shlex.split raises: an unclosed quote or a trailing backslash.
    static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = text.makeIterator()
        while let character = characters.next() {
            switch character {
            case " ", "\t", "\n", "\r", "\r\n":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "\\":
                guard let escaped = characters.next() else { return nil }
                word.append(escaped)
                inWord = true
            case "'":
                guard let quoted = readQuoted(until: "'", from: &characters) else { return nil }
                word += quoted
                inWord = true
            case "\"":
                guard let quoted = readQuoted(until: "\"", from: &characters) else { return nil }
                word += quoted
                inWord = true
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// Inside single quotes everything is literal; inside double quotes a backslash
    /// escapes only `"` and `\` and is kept before anything else.
    private static func readQuoted(until quote: Character, from characters: inout String.Iterator) -> String? {
        var quoted = ""
        while let character = characters.next() {
            if character == quote { return quoted }
            if quote == "\"", character == "\\" {
                guard let next = characters.next() else { return nil }
                if next != "\"" && next != "\\" { quoted.append("\\") }
                quoted.append(next)
            } else {
                quoted.append(character)
            }
        }
        return nil
    }
}

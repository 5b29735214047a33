/// Text placed in GitHub-flavoured Markdown so that it shows exactly as written: names
/// come from manifests and servers and may hold `|`, backquotes, `*`, `<` and the like.
public enum MarkdownText {
    /// Running text with every character Markdown could read as markup escaped, and
    /// line breaks as spaces (the text stays one paragraph or one table cell).
    public static func escaped(_ text: String) -> String {
        var output = ""
        for (index, character) in text.enumerated() {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "&", "~", "|", "#", "!":
                output += "\\" + String(character)
            case "-", "+", "=":
                // A list marker or a heading underline at the start of a block.
                output += index == 0 ? "\\" + String(character) : String(character)
            case "\n", "\r":
                output += " "
            default:
                output.append(character)
            }
        }
        // `1.` or `1)` at the start would begin a numbered list.
        if let marker = output.firstIndex(where: { !$0.isASCII || !$0.isNumber }), marker != output.startIndex,
            output[marker] == "." || output[marker] == ")"
        {
            output.insert("\\", at: marker)
        }
        return output
    }

    /// An inline code span that holds `text` whatever backquotes it contains: the
    /// delimiters are one backquote longer than the longest run inside, with a space
    /// inside them when the text starts or ends with a backquote or a space.
    public static func code(_ text: String) -> String {
        let flat = String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        let delimiter = String(repeating: "`", count: longestBackquoteRun(flat) + 1)
        let padded = flat.first == "`" || flat.last == "`" || flat.first == " " || flat.last == " " || flat.isEmpty
        return padded ? "\(delimiter) \(flat) \(delimiter)" : "\(delimiter)\(flat)\(delimiter)"
    }

    /// A fenced code block; the fence is longer than any run of backquotes in the text,
    /// so nothing inside can close it early.
    public static func fenced(_ text: String, language: String) -> String {
        let fence = String(repeating: "`", count: max(3, longestBackquoteRun(text) + 1))
        let body = text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
        return "\(fence)\(language)\n\(body)\(fence)\n"
    }

    /// Table cells are split on `|`, even inside code spans. GitHub takes one backslash
    /// off every `\|` in a row before it reads the cell, so every `|` gets one.
    public static func tableCell(_ markdown: String) -> String {
        var output = ""
        for character in markdown {
            if character == "|" { output += "\\" }
            output.append(character)
        }
        return output
    }

    static func longestBackquoteRun(_ text: String) -> Int {
        var longest = 0, current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}

/// Quoting for the SQL that dbiam writes. Every name the manifest allows (quotes,
/// backquotes, backslashes, `%`, `_`, non-ASCII) must reach the server as exactly that
/// name, and nothing in a name may end a literal early.
///
/// String literals are written for a session with backslash escapes on (the server
/// default); the applier makes sure its session is in that mode.
public enum SQLText {
    /// A single-quoted string literal.
    public static func string(_ text: String) -> String {
        // Most names hold nothing to escape: quoted whole.
        if UTF8Bytes.all(text, { $0 != UInt8(ascii: "'") && $0 != UInt8(ascii: "\\") && $0 >= 0x20 && $0 != 0x1A }) {
            return "'" + text + "'"
        }
        var quoted = "'"
        quoted.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": quoted += "''"
            case "\\": quoted += "\\\\"
            case "\0": quoted += "\\0"
            case "\n": quoted += "\\n"
            case "\r": quoted += "\\r"
            case "\u{1A}": quoted += "\\Z"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "'"
    }

    /// A backquoted identifier; a backquote inside is doubled.
    public static func identifier(_ name: String) -> String {
        // Most names hold no backquote: quoted whole.
        guard name.utf8.contains(UInt8(ascii: "`")) else { return "`" + name + "`" }
        var quoted = "`"
        for scalar in name.unicodeScalars {
            if scalar == "`" { quoted += "`" }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "`"
    }

    /// `'user'@'host'`.
    public static func account(_ account: AccountName) -> String {
        string(account.user) + "@" + string(account.host)
    }

    /// The `ON` part of a GRANT or REVOKE. At database level the server reads the
    /// database name as a pattern in which `_` and `%` are wildcards, so they (and the
    /// escape character itself) are escaped to keep the name literal. At table level the
    /// name is not a pattern and is written as it is.
    public static func target(_ target: GrantTarget) -> String {
        switch (target.database, target.table) {
        case (nil, _):
            return "*.*"
        case (let database?, nil):
            return identifier(target.databaseIsPattern ? database : databasePattern(literal: database)) + ".*"
        case (let database?, let table?):
            return identifier(database) + "." + identifier(table)
        }
    }

    /// The database-level pattern that matches exactly one database name.
    public static func databasePattern(literal name: String) -> String {
        // The escaped characters are ASCII, which never occurs inside the UTF-8 of another
        // character: escaped byte by byte, and a name without them, as most are, kept whole.
        func isWildcard(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") }
        guard name.utf8.contains(where: isWildcard) else { return name }
        var pattern: [UInt8] = []
        pattern.reserveCapacity(name.utf8.count + 4)
        for byte in name.utf8 {
            if isWildcard(byte) { pattern.append(UInt8(ascii: "\\")) }
            pattern.append(byte)
        }
        return String(decoding: pattern, as: UTF8.self)
    }

    /// The literal database name a database-level pattern from the grant tables matches,
    /// or nil when the pattern has a real wildcard (and so is not one database).
    public static func literalDatabase(pattern: String) -> String? {
        // Most names have nothing to unescape; the grant tables hold one per grant.
        if !pattern.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "%") }) {
            return pattern
        }
        var name = ""
        var escaped = false
        for character in pattern.unicodeScalars {
            if escaped {
                name.unicodeScalars.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "_" || character == "%" {
                return nil
            } else {
                name.unicodeScalars.append(character)
            }
        }
        return escaped ? nil : name
    }
}

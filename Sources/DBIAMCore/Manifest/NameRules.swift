/// The shapes AWS and MySQL give their names. Plain byte checks, not regular
/// expressions: they run for every user of a large manifest.
enum NameRules {
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isLowerOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || isDigit(byte) }

    /// DB identifier rules: a letter first, then letters, digits and hyphens, at most
    /// 63, no trailing hyphen and no two hyphens in a row.
    static func isDBIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, isASCIILetter(first), bytes.count <= 63, bytes.last != UInt8(ascii: "-") else {
            return false
        }
        var previousWasHyphen = false
        for byte in bytes {
            let isHyphen = byte == UInt8(ascii: "-")
            guard isASCIILetter(byte) || isDigit(byte) || isHyphen, !(isHyphen && previousWasHyphen) else { return false }
            previousWasHyphen = isHyphen
        }
        return true
    }

    static func isAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy(isDigit)
    }

    /// `ap-northeast-1`, `us-gov-west-1`, `cn-north-1`: lowercase words and a number.
    static func isRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let number = parts.last, !number.isEmpty, number.utf8.allSatisfy(isDigit) else {
            return false
        }
        return parts.dropLast().allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
        }
    }

    /// `cluster-` or `db-` followed by upper-case letters and digits, as RDS makes them.
    static func isResourceID(_ text: String) -> Bool {
        for prefix in ["cluster-", "db-"] where text.hasPrefix(prefix) {
            let rest = text.utf8.dropFirst(prefix.utf8.count)
            return rest.count >= 8 && rest.count <= 64
                && rest.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || isDigit($0) }
        }
        return false
    }

    /// An RDS Proxy's resource id, as `rds-db:connect` names it: `prx-` and 8 to 64
    /// lower-case letters or digits (`prx-0123456789abcdef0`).
    static func isProxyResourceID(_ text: String) -> Bool {
        guard text.hasPrefix("prx-") else { return false }
        let rest = text.utf8.dropFirst(4)
        return (8...64).contains(rest.count) && rest.allSatisfy(isLowerOrDigit)
    }

    /// IAM Identity Center permission set names: 1 to 32 of `[A-Za-z0-9+=,.@_-]`.
    static func isPermissionSetName(_ name: String) -> Bool {
        let allowed = Set("+=,.@_-".utf8)
        return (1...32).contains(name.utf8.count)
            && name.utf8.allSatisfy { isASCIILetter($0) || isDigit($0) || allowed.contains($0) }
    }

    /// The partitions of ARNs: `aws`, `aws-cn`, `aws-us-gov` and the isolated ones.
    static let partitions: Set<String> = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e"]

    /// `arn:aws:sso:::instance/ssoins-` and 16 of `[A-Za-z0-9.-]`, the API's pattern.
    static func isIdentityCenterInstanceARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", partitions.contains(String(parts[1])), parts[2] == "sso", parts[3].isEmpty,
            parts[4].isEmpty, parts[5].hasPrefix("instance/ssoins-")
        else { return false }
        let id = parts[5].utf8.dropFirst("instance/ssoins-".utf8.count)
        return id.count == 16 && id.allSatisfy { isASCIILetter($0) || isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `arn:aws:iam::123456789012:role/optional/path/name`, as IAM names roles.
    static func isRoleARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", partitions.contains(String(parts[1])), parts[2] == "iam", parts[3].isEmpty,
            isAccountID(String(parts[4])), parts[5].hasPrefix("role/")
        else { return false }
        let path = parts[5].dropFirst("role/".count).split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("+=,.@_-".utf8)
        return path.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { isASCIILetter($0) || isDigit($0) || allowed.contains($0) } }
            && (1...64).contains(path.last?.utf8.count ?? 0)
    }

    /// A profile name of `~/.aws/config`: printable, without blanks or brackets.
    static func isProfileName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]") }
    }

    static func isEnvironmentVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, isASCIILetter(first) || first == UInt8(ascii: "_") else { return false }
        return name.utf8.allSatisfy { isASCIILetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") }
    }

    /// `o-` and 10 to 32 lowercase letters or digits.
    static func isOrganizationID(_ text: String) -> Bool {
        guard text.hasPrefix("o-") else { return false }
        let rest = text.utf8.dropFirst(2)
        return (10...32).contains(rest.count) && rest.allSatisfy(isLowerOrDigit)
    }

    /// An OU path pattern under the organization: `o-…/r-…/ou-…/…`, optionally ending in `*`.
    static func isOrganizationPath(_ text: String, organizationID: String) -> Bool {
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "*" || parts.last == "" { parts.removeLast() }
        if var last = parts.last, last.hasSuffix("*") {
            last.removeLast()
            parts[parts.count - 1] = last
        }
        guard parts.count >= 2, parts[0] == organizationID, parts[1].hasPrefix("r-"),
            (4...32).contains(parts[1].utf8.count - 2), parts[1].utf8.dropFirst(2).allSatisfy(isLowerOrDigit)
        else { return false }
        return parts.dropFirst(2).allSatisfy { part in
            part.hasPrefix("ou-") && part.utf8.dropFirst(3).allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// Letters, digits, dots and hyphens, or an IP address: what a DNS name or an IP may hold.
    static func isEndpoint(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 253
            && text.utf8.allSatisfy {
                isASCIILetter($0) || isDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: ":")
            }
    }

    /// C0 and C1 control characters and DEL: a name that holds one cannot be typed,
    /// printed or reviewed safely.
    static func containsControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }

    /// Why text cannot be the user name of a manifest account, or nil. One place for
    /// the rule: validation reports it, import leaves such accounts out.
    static func userNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "is empty" }
        if containsControlCharacter(name) { return "contains a control character; use printable characters only" }
        if let problem = characterProblem(name) { return problem }
        if name.hasSuffix(" ") {
            return "ends with a space, which MySQL drops, so the account would never match the manifest; remove the trailing space"
        }
        // The quotes first: counting characters reads the whole name, and few names are quoted.
        if name.hasPrefix("'") && name.hasSuffix("'") && name.count >= 2 {
            return "is wrapped in single quotes, which the MariaDB client library strips from the name it logs in as, so nobody could log in as this account; remove the quotes"
        }
        return nil
    }

    /// The server counts code points, so a letter with combining accents is several.
    static func userNameLengthProblem(_ name: String, engine: Engine) -> String? {
        let length = name.unicodeScalars.count
        return length > engine.maximumUserNameLength
            ? "has \(length) code points (each combining accent counts as one); \(engine.rawValue) allows at most \(engine.maximumUserNameLength)"
            : nil
    }

    /// Why a name that lands in SQL (a user, a host, a database or a table) cannot hold
    /// one of its characters, or nil. ASCII holds none of them, so only the other
    /// scalars are looked up.
    static func characterProblem(_ name: String) -> String? {
        for scalar in name.unicodeScalars where scalar.value >= 0x80 {
            if scalar.value > 0xFFFF {
                return "contains \(describe(scalar)), which is outside the Basic Multilingual Plane: MySQL stores names as utf8mb3, which cannot hold it, so the server would keep '?' instead and the name would never match the manifest; use characters up to U+FFFF only"
            }
            if isHidden(scalar) {
                return "contains \(describe(scalar)), an invisible or text-direction character that makes the name read as something else in plans, SQL files and reviews; remove it"
            }
        }
        return nil
    }

    /// Bidirectional controls, zero-width and other format characters (category Cf), and
    /// the line and paragraph separators: nothing a reader sees, yet they reorder or
    /// split the text around them.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// `U+202E RIGHT-TO-LEFT OVERRIDE`.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let number = String(scalar.value, radix: 16, uppercase: true)
        let codePoint = "U+" + String(repeating: "0", count: max(0, 4 - number.count)) + number
        return scalar.properties.name.map { "\(codePoint) \($0)" } ?? codePoint
    }

    /// Why text cannot be the host part of a manifest account, or nil.
    static func hostProblem(_ host: String) -> String? {
        if isLoopbackHost(host) {
            return "only matches logins from the database server itself, but IAM logins always come over the network"
        }
        if host.hasSuffix(" ") { return "ends with a space, which MySQL drops; remove the trailing space" }
        if host.isEmpty || containsControlCharacter(host) || host.unicodeScalars.count > 255 {
            return "must be 1 to 255 printable characters"
        }
        return characterProblem(host)
    }

    /// Text for a terminal, a message or a review, with control characters and the
    /// characters `isHidden` finds shown as escapes: names read from a server were never
    /// validated, and a right-to-left override in one would reorder the line it is on.
    /// `keepingLineFeeds` for text of several lines, such as a SQL file.
    static func printable(_ text: String, keepingLineFeeds: Bool = false) -> String {
        // Printable ASCII, nearly every name and statement, shows as it is.
        if UTF8Bytes.isPrintableASCII(text) { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if (scalar.value < 0x20 && !(keepingLineFeeds && scalar == "\n")) || (0x7F...0x9F).contains(scalar.value)
                || (scalar.value >= 0xA0 && isHidden(scalar))
            {
                shown += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// Accounts that belong to AWS or to the server itself.
    static func isReservedUserName(_ name: String) -> Bool {
        reservedUserNames.contains(name) || name.hasPrefix("mysql.")
    }

    /// Why a role cannot have this name, or nil: RDS's own roles, and the words MySQL
    /// and MariaDB read in the place of a role name.
    static func reservedRoleName(_ name: String) -> String? {
        if isReservedUserName(name) { return "is a reserved account that dbiam never manages" }
        if name == "rds_superuser_role" || name.hasPrefix("AWS_") { return "is a role of RDS itself" }
        if ["none", "public", "all", "current_role"].contains(name.lowercased()) { return "is a word SQL reads in the place of a role name" }
        return nil
    }

    private static let reservedUserNames: Set<String> = ["rdsadmin", "rdsrepladmin", "rdsproxyadmin", "root", "mariadb.sys"]

    /// Hosts that mean "this machine": IAM logins always come over the network.
    static func isLoopbackHost(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1" || (host.utf8.count == 9 && host.lowercased() == "localhost")
    }
}

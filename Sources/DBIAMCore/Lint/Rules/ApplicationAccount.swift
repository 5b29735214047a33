/// DBIAM211: a user named like an application's account.
public struct ApplicationAccount: LintRule {
    public init() {}

    public let id = "DBIAM211"
    public let name = "ApplicationAccount"
    public let severity = Diagnostic.Severity.note
    public let summary = "A user is named like an application account (app, svc, api, worker, batch, etl, ...)."
    public let help = """
        AWS recommends IAM database authentication for fewer than 200 new connections per \
        second: each login checks a signed token, and connection storms are throttled. It \
        is made for people and for occasional jobs. An application that opens connections \
        per request will hit that limit under load, and its logins fail with error 1045 \
        while the database is otherwise healthy.

        If the user is an application's account, have the application keep a connection \
        pool (and refresh the token every 15 minutes for new connections only), or connect \
        through RDS Proxy, which takes IAM logins from the application and holds pooled \
        connections to the database. If the name only looks like one, ignore this note.
        """

    /// Whole words of a user name that name an application rather than a person.
    static let applicationWords: Set<String> = [
        "app", "apps", "application", "svc", "service", "services", "api", "worker", "workers", "batch",
        "etl", "job", "jobs", "cron", "daemon", "bot", "backend", "consumer", "producer", "lambda",
    ]

    static func looksLikeApplication(_ name: String) -> Bool {
        isApplicationWord(in: name.lowercased().split { !($0.isLetter || $0.isNumber) })
    }

    private static func isApplicationWord(in words: [Substring]) -> Bool {
        words.contains { word in
            applicationWords.contains(String(word)) || word.hasSuffix("svc") || word.hasSuffix("app")
        }
    }

    /// The same for an ASCII name, as most are, without asking Unicode what a letter is
    /// for every character of thousands of names, and without making a string of each word.
    private static func looksLikeApplication(ascii name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            let isWordByte: (UInt8) -> Bool = { NameRules.isASCIILetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
            var start = 0
            while start < bytes.count {
                guard isWordByte(bytes[start]) else {
                    start += 1
                    continue
                }
                var end = start
                while end < bytes.count && isWordByte(bytes[end]) { end += 1 }
                let word = bytes[start..<end]
                if applicationWordBytes.contains(where: { equalIgnoringASCIICase(word, $0) })
                    || hasSuffixIgnoringASCIICase(word, "svc") || hasSuffixIgnoringASCIICase(word, "app")
                {
                    return true
                }
                start = end
            }
            return false
        }
    }

    private static let applicationWordBytes = applicationWords.map { Array($0.utf8) }

    private static func equalIgnoringASCIICase(_ word: Slice<UnsafeBufferPointer<UInt8>>, _ lowercase: [UInt8]) -> Bool {
        word.count == lowercase.count && zip(word, lowercase).allSatisfy { $0 | 0x20 == $1 }
    }

    private static func hasSuffixIgnoringASCIICase(_ word: Slice<UnsafeBufferPointer<UInt8>>, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard word.count >= count else { return false }
        return zip(word.suffix(count), UnsafeBufferPointer(start: suffix.utf8Start, count: count)).allSatisfy { $0 | 0x20 == $1 }
    }

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.users.filter { user in
            user.name.utf8.allSatisfy { $0 < 0x80 } ? Self.looksLikeApplication(ascii: user.name) : Self.looksLikeApplication(user.name)
        }.map { user in
            finding(
                "user '\(user.name)' looks like an application account; IAM authentication suits fewer than 200 new connections per second, so the application should pool its connections or use RDS Proxy.",
                at: user.position)
        }
    }
}

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
        let words = name.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.contains { word in
            applicationWords.contains(String(word)) || word.hasSuffix("svc") || word.hasSuffix("app")
        }
    }

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        manifest.users.filter { Self.looksLikeApplication($0.name) }.map { user in
            finding(
                "user '\(user.name)' looks like an application account; IAM authentication suits fewer than 200 new connections per second, so the application should pool its connections or use RDS Proxy.",
                at: user.position)
        }
    }
}

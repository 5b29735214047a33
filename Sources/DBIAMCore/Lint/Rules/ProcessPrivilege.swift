/// DBIAM206: PROCESS, read-only but revealing.
public struct ProcessPrivilege: LintRule {
    public init() {}

    public let id = "DBIAM206"
    public let name = "ProcessPrivilege"
    public let severity = Diagnostic.Severity.note
    public let summary = "A user is granted PROCESS, which shows every session's statements."
    public let help = """
        PROCESS changes nothing, and on-call engineers need it to see what the server is \
        doing (SHOW PROCESSLIST, SHOW ENGINE INNODB STATUS). But it shows the full text of \
        every session's running statement, whoever runs it: the literal values in other \
        users' queries, which can be personal data or secrets, are visible to this user \
        whatever its grants on the tables.

        Keep PROCESS to the people who operate the cluster, and make sure they may see the \
        data that passes through it.
        """

    static let process = Privilege("PROCESS")

    public func check(_ manifest: Manifest, context: LintContext) -> [Diagnostic] {
        context.grants(holding: { $0 == Self.process }).compactMap { user, grant in
            guard grant.privileges.contains(Self.process) else { return nil }
            return finding(
                "\(user) is granted PROCESS: it sees the statements of every session, with the values in them, whatever its grants on the tables.",
                at: grant.position(of: Self.process))
        }
    }
}

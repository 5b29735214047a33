/// What a grant applies to: `*.*`, `db.*` or `db.table`. Names are kept exactly as
/// written; `_` and `%` in them are literal characters, not patterns.
public struct GrantTarget: Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    /// nil for `*` (every database).
    public var database: String?
    /// nil for `*` (every table of the database).
    public var table: String?
    /// True for a database-level grant read from a server whose database name is a
    /// pattern with wildcards (`GRANT … ON `app_%`.*`); the manifest never writes these.
    public var databaseIsPattern: Bool

    public init(database: String?, table: String?, databaseIsPattern: Bool = false) {
        self.database = database
        self.table = table
        self.databaseIsPattern = databaseIsPattern
    }

    public static let everything = GrantTarget(database: nil, table: nil)

    private enum CodingKeys: String, CodingKey {
        case database, table, databaseIsPattern = "database_is_pattern"
    }

    public var level: PrivilegeLevel {
        if database == nil { return .global }
        return table == nil ? .database : .table
    }

    /// The target as the manifest writes it.
    public var description: String {
        "\(database ?? "*").\(table ?? "*")"
    }

    /// A total order, with a pattern after the literal name it spells: `orders_db` the
    /// pattern and `orders_db` the name are two targets, and plans must list them the same
    /// way in every process.
    public static func < (lhs: GrantTarget, rhs: GrantTarget) -> Bool {
        (lhs.level.order, lhs.database ?? "", lhs.table ?? "", lhs.databaseIsPattern ? 1 : 0)
            < (rhs.level.order, rhs.database ?? "", rhs.table ?? "", rhs.databaseIsPattern ? 1 : 0)
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missingDot
        case tableWithoutDatabase
        case emptyName
        case backquotes
        /// After the first dot, which ends the database name: what would be a table name
        /// with a dot (`shop.orders.x`, `shop.*.*`).
        case dotInTableName(database: String, table: String)
        /// `*` in a name rather than standing for one (`shop.ord*`).
        case starInName(String)
        case nameTooLong(String)
        case trailingSpace(String)
        case controlCharacter
        /// The name, and what `NameRules.characterProblem` says of it.
        case unsafeCharacter(String, String)

        public var description: String {
            switch self {
            case .missingDot:
                "a grant target is `*.*`, `database.*` or `database.table`"
            case .tableWithoutDatabase:
                "`*.table` is not a grant target; name the database (`database.table`) or use `*.*`"
            case .emptyName:
                "a grant target needs a database and a table name around the dot, such as `orders.*`"
            case .backquotes:
                "write database and table names without backquotes; dbiam quotes them in the SQL it writes"
            case .dotInTableName(let database, let table):
                "a grant target has one dot, between the database and the table; '\(NameRules.printable(table))' would be a table name with a dot, which dbiam does not grant on. "
                    + (database == "*"
                        ? "Write `*.*` for every table of every database"
                        : "Write `\(NameRules.printable(database)).*` for every table of \(NameRules.printable(database)), or `\(NameRules.printable(database)).TABLE` for one")
            case .starInName(let name):
                "'\(NameRules.printable(name))' has `*` inside a name; `*` stands alone, for every database (`*.*`) or every table of one (`database.*`), and dbiam does not grant on names with `*` in them"
            case .nameTooLong(let name):
                "'\(NameRules.printable(name))' has \(name.unicodeScalars.count) code points, more than the 64 MySQL allows for database and table names"
            case .trailingSpace(let name):
                "'\(name)' ends with a space, which MySQL does not allow in database and table names"
            case .controlCharacter:
                "database and table names cannot hold control characters"
            case .unsafeCharacter(let name, let problem):
                "'\(NameRules.printable(name))' \(problem)"
            }
        }
    }

    /// Parses `*.*`, `db.*` or `db.table`. The database name ends at the first dot, so a
    /// table name cannot hold one; a name never holds `*`, which stands for a whole name.
    public static func parse(_ text: String) -> Result<GrantTarget, ParseError> {
        // On bytes: a manifest holds a grant target per grant, and "." and "*" are ASCII,
        // which never occurs inside the UTF-8 of another character.
        let bytes = text.utf8
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return .failure(.missingDot) }
        let databasePart = String(text[..<dot])
        let tablePart = String(text[bytes.index(after: dot)...])
        guard !databasePart.isEmpty, !tablePart.isEmpty else { return .failure(.emptyName) }
        if databasePart.utf8.first == UInt8(ascii: "`") || tablePart.utf8.first == UInt8(ascii: "`") { return .failure(.backquotes) }
        if tablePart.utf8.contains(UInt8(ascii: ".")) { return .failure(.dotInTableName(database: databasePart, table: tablePart)) }
        func nameProblem(_ part: String) -> ParseError? {
            let bytes = part.utf8
            if bytes.count == 1 && bytes.first == UInt8(ascii: "*") { return nil }
            if bytes.contains(UInt8(ascii: "*")) { return .starInName(part) }
            if bytes.last == UInt8(ascii: " ") && part.unicodeScalars.count <= 64 { return .trailingSpace(part) }
            // Printable ASCII, the common case, has none of the problems below.
            if bytes.count <= 64 && bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
            if part.unicodeScalars.count > 64 { return .nameTooLong(part) }
            if NameRules.containsControlCharacter(part) { return .controlCharacter }
            if let problem = NameRules.characterProblem(part) { return .unsafeCharacter(part, problem) }
            return nil
        }
        if let problem = nameProblem(databasePart) ?? nameProblem(tablePart) { return .failure(problem) }
        if databasePart == "*" {
            return tablePart == "*" ? .success(.everything) : .failure(.tableWithoutDatabase)
        }
        return .success(GrantTarget(database: databasePart, table: tablePart == "*" ? nil : tablePart))
    }
}

extension PrivilegeLevel {
    fileprivate var order: Int {
        switch self {
        case .global: 0
        case .database: 1
        case .table: 2
        }
    }
}

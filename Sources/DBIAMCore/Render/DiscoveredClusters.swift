/// `dbiam discover`'s output: the DB clusters and instances of an account and region as
/// manifest `clusters:` entries, with the resource id RDS gives (never the name, the
/// most common mistake of the field), the writer endpoint, the port, the engine, and a
/// comment saying whether IAM database authentication is on.
public enum DiscoveredClusters {
    /// Which engines to list: `aurora-mysql` (Aurora MySQL clusters), `mysql` (RDS for
    /// MySQL and MariaDB instances) or `all` (both).
    public enum Selection: String, Sendable, CaseIterable {
        case auroraMySQL = "aurora-mysql"
        case mysql
        case all

        func includes(_ resource: RDSResource) -> Bool {
            switch self {
            case .auroraMySQL: resource.engine == "aurora-mysql"
            case .mysql: resource.engine == "mysql" || resource.engine == "mariadb"
            case .all: ["aurora-mysql", "mysql", "mariadb"].contains(resource.engine)
            }
        }
    }

    public static func render(account: String, region: String, resources: [RDSResource], selection: Selection) -> String {
        let listed = resources.filter(selection.includes).sorted { $0.identifier < $1.identifier }
        var lines = [
            ManifestWriter.comment("Discovered by dbiam discover in account \(account), \(region): \(listed.count) of \(resources.count) DB clusters and instances (--engine \(selection.rawValue))."),
            ManifestWriter.comment("Check tls_ca and admin (how dbiam logs in) before use; the rest is what RDS says."),
        ]
        guard !listed.isEmpty else { return (lines + [ManifestWriter.comment("None found.")]).joined(separator: "\n") + "\n" }
        lines.append("clusters:")
        for resource in listed {
            let engine = manifestEngine(resource)
            let state = resource.iamDatabaseAuthentication
                ? "IAM database authentication: on"
                : "IAM database authentication: OFF; turn it on with: aws rds modify-db-\(resource.kind.rawValue) --db-\(resource.kind.rawValue)-identifier \(resource.identifier) --enable-iam-database-authentication --apply-immediately --region \(region)"
            lines.append("  \(ManifestWriter.scalar(resource.identifier)):  " + ManifestWriter.comment(state))
            lines += [
                "    account: \(ManifestWriter.quoted(account))",
                "    region: \(ManifestWriter.scalar(region))",
                "    resource_id: \(ManifestWriter.scalar(resource.resourceID))",
                "    endpoint: \(ManifestWriter.scalar(resource.writerEndpoints.first ?? ""))",
                "    port: \(resource.port ?? 3306)",
                "    engine: \(engine.map(\.rawValue) ?? "mysql-8.0")" + (engine == nil ? "  " + ManifestWriter.comment("RDS says \(resource.engine) \(resource.engineVersion); choose the engine") : ""),
                "    tls_ca: ~/global-bundle.pem",
                "    admin:",
                "      user: dbiam_admin",
                "      iam: true",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The manifest's engine for what RDS runs, from its engine and major version.
    static func manifestEngine(_ resource: RDSResource) -> Engine? {
        Engine.allCases.first { $0.rdsEngine?.matches(engine: resource.engine, version: resource.engineVersion) == true }
    }
}

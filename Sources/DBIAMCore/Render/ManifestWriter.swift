/// Writes an imported manifest as YAML-lite: a comment header saying where and when it
/// was read, the cluster, its users and their grants, and a comment for everything left
/// out. Every scalar that is not plainly safe is double-quoted, so whatever names the
/// server holds, `ManifestLoader` (and any YAML reader) reads back exactly those names.
public enum ManifestWriter {
    public static func render(_ imported: ImportedManifest) -> String {
        let cluster = imported.cluster
        var lines: [String] = []
        lines.append(comment("Imported by dbiam import from \(cluster.endpoint):\(cluster.port) (server \(imported.serverVersion)) at \(imported.readAt)."))
        lines.append(comment("The users are the accounts with \(AccountStatement.pluginName), with their grants."))
        lines.append(comment("The server cannot know which permission sets (IAM Identity Center, IAM roles) may"))
        lines.append(comment("connect as them, so there are none; add them under permission_sets (example at the end)."))
        if !imported.skippedAccounts.isEmpty {
            lines.append(comment("Left out (dbiam plan leaves these accounts alone while prune is off):"))
            for reason in imported.skippedAccounts { lines.append(comment("  " + reason)) }
        }
        lines += ["version: 1", "", "clusters:", "  \(scalar(cluster.name)):"]
        lines += [
            "    account: \(quoted(cluster.account))",
            "    region: \(scalar(cluster.region))",
            "    resource_id: \(scalar(cluster.resourceID))",
            "    endpoint: \(scalar(cluster.endpoint))",
            "    port: \(cluster.port)",
            "    engine: \(scalar(cluster.engine.rawValue))",
        ]
        switch cluster.tls {
        case .verified(let caBundle): lines.append("    tls_ca: \(scalar(caBundle))")
        case .disabled: lines.append("    tls: disabled")
        }
        lines += ["    admin:", "      user: \(scalar(cluster.admin.user))"]
        switch cluster.admin.method {
        case .iam: lines.append("      iam: true")
        case .passwordEnvironment(let variable): lines.append("      password_env: \(scalar(variable))")
        }

        if !imported.roles.isEmpty {
            lines += ["", "roles:"]
            for role in imported.roles {
                lines += ["  \(scalar(role.name)):", "    clusters: \(flowList([cluster.name]))"]
                lines += grantLines(role.grants, skipped: role.skippedGrants)
            }
        }
        if imported.users.isEmpty {
            lines += ["", comment("No account on the server uses \(AccountStatement.pluginName).")]
        } else {
            lines += ["", "users:"]
            for user in imported.users { lines += userLines(user, cluster: cluster.name) }
        }
        lines += [
            "",
            comment("permission_sets:"),
            comment("  DBReadOnly:"),
            comment("    users: [\(imported.users.first.map { scalar($0.name) } ?? "some_user")]"),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func userLines(_ user: ImportedManifest.ImportedUser, cluster: String) -> [String] {
        var lines = ["  \(scalar(user.name)):", "    clusters: \(flowList([cluster]))"]
        if user.hosts.count > 1 {
            lines.append("    hosts: [\(user.hosts.map(scalar).joined(separator: ", "))]")
        } else if let host = user.hosts.first, host != "%" {
            lines.append("    host: \(scalar(host))")
        }
        if !user.requireSSL { lines.append("    require_ssl: false") }
        if !user.roles.isEmpty { lines.append("    roles: \(flowList(user.roles))") }
        return lines + grantLines(user.grants, skipped: user.skippedGrants)
    }

    /// `grants:` and its items, with a comment for each grant left out.
    private static func grantLines(_ grants: [Grant], skipped: [String]) -> [String] {
        var lines: [String] = []
        if grants.isEmpty && !skipped.isEmpty {
            lines.append("    grants: []")
        } else if !grants.isEmpty {
            lines.append("    grants:")
        }
        for grant in grants {
            let privileges = AccountStatement.orderedPrivileges(grant.privileges).map(\.name)
            lines += ["      - on: \(scalar(grant.target.description))", "        privileges: \(flowList(privileges))"]
        }
        for reason in skipped { lines.append("      " + comment(reason)) }
        return lines
    }

    /// A scalar written plain when that is unambiguous in every YAML reader, else
    /// double-quoted.
    static func scalar(_ text: String) -> String {
        isPlainSafe(text) ? text : quoted(text)
    }

    /// Plain scalars are limited to names that start with a letter or `_` and hold only
    /// letters, digits and ` ._/*-`, not ending in a space, and are not words YAML 1.1
    /// readers turn into booleans or null.
    static func isPlainSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isASCIILetter(first) || first == "_",
            text.unicodeScalars.last != " ",
            text.unicodeScalars.allSatisfy({ isASCIILetter($0) || $0.isDigit || " ._/*-".unicodeScalars.contains($0) })
        else { return false }
        return !["y", "n", "yes", "no", "on", "off", "true", "false", "null"].contains(text.lowercased())
    }

    /// A double-quoted scalar: `"` and `\` escaped, and every character a YAML reader
    /// refuses raw (controls, Unicode line breaks, byte order marks) written as `\uXXXX`.
    static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case _ where needsEscape(scalar): output += unicodeEscape(scalar)
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    /// `[a, "b c"]`.
    static func flowList(_ items: [String]) -> String {
        "[" + items.map(scalar).joined(separator: ", ") + "]"
    }

    /// `# text`, with characters a YAML reader refuses raw written as `\uXXXX`.
    static func comment(_ text: String) -> String {
        var output = "# "
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) { output += unicodeEscape(scalar) } else { output.unicodeScalars.append(scalar) }
        }
        return output
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}

extension Unicode.Scalar {
    fileprivate var isDigit: Bool { ("0"..."9").contains(self) }
}

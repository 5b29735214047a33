/// Every lint rule, in id order, and the id of the problems found while reading a
/// manifest.
public enum LintRegistry {
    /// The syntax and schema problems that `ManifestLoader` reports. They are not a rule
    /// of their own (a manifest with one never reaches the rules); `dbiam validate` gives
    /// them this id so that every finding it prints or uploads has one.
    public static let manifestRule = LintRuleDescriptor(
        id: "DBIAM001",
        name: "InvalidManifest",
        severity: .error,
        summary: "The manifest is not valid YAML-lite or not valid manifest format 1.",
        help: """
            Every problem found while reading the manifest: YAML outside the YAML-lite \
            subset (tabs, anchors, multi-line values, ...), unknown keys, missing or \
            malformed values, references to clusters, users or organization paths that are \
            not defined, privileges the engine does not have or that do not fit the grant's \
            level. The message says what is wrong and how to fix it.

            No dbiam command uses a manifest with such an error, and the lint rules only run \
            once it is fixed.
            """)

    /// A file that `dbiam validate` must read and cannot: a manifest it was given, or a
    /// cluster's `tls_ca`. The core reads no files; the command layer reports these with
    /// this id, so that a missing file is a finding like any other in JSON and SARIF.
    public static let fileRule = LintRuleDescriptor(
        id: "DBIAM002",
        name: "UnreadableFile",
        severity: .error,
        summary: "A manifest, or a CA bundle a cluster's tls_ca names, is missing or cannot be read.",
        help: """
            dbiam validate reads every manifest it is given and checks that the CA bundle of \
            each cluster (`tls_ca`, with `~` and paths relative to the manifest resolved) is a \
            file it can read: without it every connection to the cluster fails its TLS \
            handshake, and dbiam plan fails that cluster before connecting.

            Check the path. For an RDS or Aurora cluster, download the CA bundle from \
            https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem to the place \
            tls_ca names, in CI as well as on the machines that run dbiam plan.
            """)

    public static let rules: [any LintRule] = [
        BroadPermissionSetWithoutOrgPath(),
        PolicyOverInlineLimit(),
        PolicyOverManagedLimit(),
        PolicyNearSizeLimit(),
        OrgPathMatchesNoPrincipal(),
        OrgPathExcludesChildOUs(),
        PermissionSetUserNotOnCluster(),
        UserWithoutPermissionSet(),
        AllPrivileges(),
        GlobalWritePrivilege(),
        AdministrativePrivilege(),
        GrantOption(),
        AccountManagementPrivilege(),
        ProcessPrivilege(),
        AWSIntegrationPrivilege(),
        SystemSchemaGrant(),
        RequireSSLDisabled(),
        UserWithoutGrants(),
        ApplicationAccount(),
        MixedScriptUserName(),
        ConfusableUserName(),
        PrivilegeWithheldByRDS(),
        AccountIDUnquoted(),
        ClusterTLSDisabled(),
        AdminPasswordLogin(),
        PruneWithoutUsers(),
        UnusedCluster(),
        UnusedRole(),
    ]

    /// The rules whose findings are errors: what fails `dbiam plan`, `apply` and `policy`
    /// as it fails `dbiam validate` (their warnings and notes are validate's to show).
    public static let errorRules: [any LintRule] = rules.filter { $0.severity == .error }

    /// `manifestRule`, `fileRule` and every rule, in id order: what `--explain` and SARIF describe.
    public static let descriptors: [LintRuleDescriptor] = [manifestRule, fileRule] + rules.map(LintRuleDescriptor.init)

    /// The rule with this id, in any letter case.
    public static func descriptor(id: String) -> LintRuleDescriptor? {
        descriptors.first { $0.id == id.uppercased() }
    }
}

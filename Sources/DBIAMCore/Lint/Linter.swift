/// Runs the lint rules over a manifest and merges their findings with the problems
/// found while reading it.
public enum Linter {
    /// Every finding for one manifest file, in file order: what `ManifestLoader` reported
    /// (`loading`), tagged with `LintRegistry.manifestRule`'s id, and, when the manifest
    /// loaded, the findings of every rule.
    ///
    /// `context`: the `LintContext` of this manifest, when the caller keeps it for other
    /// uses (its policy documents).
    public static func lint(
        _ manifest: Manifest?, loading: [Diagnostic], rules: [any LintRule] = LintRegistry.rules, context: LintContext? = nil
    ) -> [Diagnostic] {
        var findings = loading.map { diagnostic in
            var tagged = diagnostic
            tagged.ruleID = diagnostic.ruleID ?? LintRegistry.manifestRule.id
            return tagged
        }
        if let manifest {
            findings += run(rules, on: manifest, context: context)
        }
        return findings.sortedByPosition()
    }

    /// The findings of `rules` on a valid manifest, rule by rule.
    public static func run(_ rules: [any LintRule], on manifest: Manifest, context: LintContext? = nil) -> [Diagnostic] {
        let context = context ?? LintContext(manifest)
        // The rules only read: they run side by side, their findings in rule order.
        return Parallel.map(rules.count) { rules[$0].check(manifest, context: context) }.flatMap { $0 }
    }
}

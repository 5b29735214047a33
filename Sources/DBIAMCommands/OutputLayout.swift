
/// Where `dbiam plan` saves what it made for one manifest: a folder under the out
/// directory at the manifest's path from the working directory (`manifests/prod.yaml` →
/// `out/manifests/prod.yaml/`). Two manifests have two paths, and as a manifest is a file
/// no other manifest's path runs through it, so two manifests never share a folder. It
/// holds `sql/<cluster>.sql`, `policies/<permission set>.json` and `plan.json`, and
/// `exports/` the CloudFormation and Terraform files of `dbiam policy`: a folder of their
/// own, since every `.json` in `policies/` is a permission set's document (one that the
/// manifest no longer has is removed).
struct OutputLayout {
    var root: String
    /// The manifest's folder under `root`.
    var key: String

    init(root: String, manifestPath: String) {
        self.root = root
        key = Self.key(manifestPath: manifestPath)
    }

    /// A `..` of a manifest outside the working directory becomes `_up`: a folder under
    /// `root` must stay under it. A manifest on standard input has no path: `stdin`.
    static func key(manifestPath: String) -> String {
        if manifestPath == ManifestFile.standardInput { return "stdin" }
        return FilePaths.relative(manifestPath).split(separator: "/").map { $0 == ".." ? "_up" : String($0) }.joined(separator: "/")
    }

    var folder: String { FilePaths.appending(key, to: root) }
    var policiesFolder: String { FilePaths.appending("policies", to: folder) }
    var sqlFolder: String { FilePaths.appending("sql", to: folder) }
    var exportsFolder: String { FilePaths.appending("exports", to: folder) }
    var planPath: String { FilePaths.appending("plan.json", to: folder) }

    func sqlPath(cluster: String) -> String {
        FilePaths.appending("\(cluster).sql", to: sqlFolder)
    }

    func policyPath(permissionSet: String) -> String {
        FilePaths.appending("\(permissionSet).json", to: policiesFolder)
    }

    /// A folder holds one manifest's files: one whose plan names another manifest (a
    /// manifest outside the working directory whose `..` became `_up`, beside a folder of
    /// that name) is refused rather than overwritten.
    func refuseAnotherManifest(_ file: ManifestFile) throws {
        guard let reference = SavedPlan.manifestReference(ofPlanAt: planPath) else { return }
        // Standard input is one manifest as far as its folder goes: the plan says which bytes.
        let owner = reference == ManifestFile.standardInput ? reference : FilePaths.absolute(reference, from: FilePaths.physical(folder))
        guard owner != (file.isStandardInput ? file.path : FilePaths.physical(file.path)) else { return }
        let ownerName = owner == ManifestFile.standardInput ? ManifestFile.name(of: owner) : FilePaths.display(owner)
        Terminal.error("\(folder) holds the plan of \(ownerName), not of \(file.displayPath); give this manifest another --out-dir.")
        throw ExitCodes.failure
    }

    /// The file that names the plan `dbiam apply` applies when given no argument.
    static func lastPlanPointer(root: String) -> String {
        FilePaths.appending(".last-plan", to: root)
    }
}

import Foundation

/// Where `dbiam plan` saves what it made for one manifest: a folder under the out
/// directory named after the manifest's path from the working directory, without its
/// extension (`manifests/prod.yaml` → `out/manifests/prod/`), so that two manifests never
/// share one. It holds `sql/<cluster>.sql`, `policies/<permission set>.json` and
/// `plan.json`.
struct OutputLayout {
    var root: String
    /// The manifest's folder under `root`.
    var key: String

    init(root: String, manifestPath: String) {
        self.root = root
        key = Self.key(manifestPath: manifestPath)
    }

    /// A `..` of a manifest outside the working directory becomes `_up`: a folder under
    /// `root` must stay under it.
    static func key(manifestPath: String) -> String {
        var parts = FilePaths.relative(manifestPath).split(separator: "/").map { $0 == ".." ? "_up" : String($0) }
        if let file = parts.popLast() {
            parts.append((file as NSString).deletingPathExtension)
        }
        return parts.joined(separator: "/")
    }

    var folder: String { (root as NSString).appendingPathComponent(key) }
    var policiesFolder: String { (folder as NSString).appendingPathComponent("policies") }
    var sqlFolder: String { (folder as NSString).appendingPathComponent("sql") }
    var planPath: String { (folder as NSString).appendingPathComponent("plan.json") }

    func sqlPath(cluster: String) -> String {
        (sqlFolder as NSString).appendingPathComponent("\(cluster).sql")
    }

    func policyPath(permissionSet: String) -> String {
        (policiesFolder as NSString).appendingPathComponent("\(permissionSet).json")
    }

    /// The file that names the plan `dbiam apply` applies when given no argument.
    static func lastPlanPointer(root: String) -> String {
        (root as NSString).appendingPathComponent(".last-plan")
    }
}

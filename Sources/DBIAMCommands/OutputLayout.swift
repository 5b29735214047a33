import Foundation

/// Where `dbiam plan` saves what it made: `out/<manifest stem>/sql/<cluster>.sql`,
/// `…/policies/<permission set>.json` and `…/plan.json`.
struct OutputLayout {
    var root: String
    var stem: String

    var folder: String { (root as NSString).appendingPathComponent(stem) }
    var policiesFolder: String { (folder as NSString).appendingPathComponent("policies") }
    var planPath: String { (folder as NSString).appendingPathComponent("plan.json") }

    func sqlPath(cluster: String) -> String {
        ((folder as NSString).appendingPathComponent("sql") as NSString).appendingPathComponent("\(cluster).sql")
    }

    func policyPath(permissionSet: String) -> String {
        (policiesFolder as NSString).appendingPathComponent("\(permissionSet).json")
    }

    /// The file that names the plan `dbiam apply` applies when given no argument.
    static func lastPlanPointer(root: String) -> String {
        (root as NSString).appendingPathComponent(".last-plan")
    }
}

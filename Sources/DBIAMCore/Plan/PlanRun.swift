/// What one run of `dbiam plan` saw and wrote beside its plan: facts shown with the plan
/// but not saved in it, because `dbiam apply` cannot check them again (the number of
/// accounts read counts accounts the plan does not depend on; a policy file's previous
/// content is gone once the run replaced it).
public struct PlanRun: Sendable, Hashable {
    /// The manifest as the files written for review name it (from its repository's root),
    /// which the SQL shown in a review repeats.
    public var manifestPath: String
    /// Every account each cluster returned, by cluster name.
    public var accountsRead: [String: Int]
    /// The policy files the run wrote or removed, in manifest order, removals last.
    public var policyFiles: [PolicyFile]

    public init(manifestPath: String, accountsRead: [String: Int] = [:], policyFiles: [PolicyFile] = []) {
        self.manifestPath = manifestPath
        self.accountsRead = accountsRead
        self.policyFiles = policyFiles
    }

    /// Policy files whose content is new, changed or removed by this run.
    public var changedPolicyFiles: [PolicyFile] { policyFiles.filter { $0.status != .unchanged } }
}

/// A policy document file next to the file it replaces. Writing it is all dbiam does
/// with a policy: deploying it to IAM is not part of `dbiam apply`.
public struct PolicyFile: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case new, changed, unchanged, removed

        /// How the plan says it: the file's content against the file it replaces.
        public var description: String {
            switch self {
            case .new: "new file"
            case .changed: "differs from the previous file"
            case .unchanged: "same as the previous file"
            case .removed: "removed: the permission set is no longer in the manifest"
            }
        }
    }

    public var permissionSet: String
    /// Where the file is, as people name it.
    public var path: String
    public var status: Status
    /// The file this one replaces, for a diff; nil unless `changed`.
    public var previousText: String?
    /// The document; nil when `removed`.
    public var text: String?

    public init(permissionSet: String, path: String, status: Status, previousText: String? = nil, text: String?) {
        self.permissionSet = permissionSet
        self.path = path
        self.status = status
        self.previousText = previousText
        self.text = text
    }

    /// The files a plan writes and removes: each planned policy against the file already
    /// at its path, and a removal for every earlier file whose permission set the plan
    /// no longer has.
    /// - Parameters:
    ///   - existing: the documents on disk before the run, by permission set.
    ///   - path: where the file of a permission set is.
    public static func changes(planned: [PlannedPolicy], existing: [String: String], path: (String) -> String) -> [PolicyFile] {
        var files = planned.map { policy -> PolicyFile in
            let previous = existing[policy.permissionSet]
            let status: Status = previous == nil ? .new : previous == policy.text ? .unchanged : .changed
            return PolicyFile(
                permissionSet: policy.permissionSet, path: path(policy.permissionSet), status: status,
                previousText: status == .changed ? previous : nil, text: policy.text)
        }
        let kept = Set(planned.map(\.permissionSet))
        for name in existing.keys.sorted() where !kept.contains(name) {
            files.append(PolicyFile(permissionSet: name, path: path(name), status: .removed, text: nil))
        }
        return files
    }
}

extension PolicyAttachment {
    /// Where the policy goes, for the plan: `Identity Center permission set DBReadOnly`.
    public func target(of permissionSet: String) -> String {
        switch self {
        case .none: "no attachment"
        case .identityCenter: "Identity Center permission set \(permissionSet)"
        case .role(let arn): "inline policy \(Self.rolePolicyName(of: permissionSet)) of role \(arn)"
        }
    }
}

extension PlannedPolicy {
    /// The live document against the planned one as a unified diff; nil when there is
    /// nothing to write or nothing was read.
    public var liveDiff: String? {
        let label = attachment.target(of: permissionSet)
        switch live {
        case .absent?: return UnifiedDiff.render(old: "", new: text, oldLabel: "\(label) (none on AWS)", newLabel: "\(label) (this plan)")
        case .differs(let previous)?: return UnifiedDiff.render(old: previous, new: text, oldLabel: "\(label) (on AWS)", newLabel: "\(label) (this plan)")
        case .same?, .unreadable?, nil: return nil
        }
    }
}

/// A permission set's policy on AWS against the one dbiam plans, for a set with
/// `attach`: what apply would write, and what the plan shows.
public enum LivePolicy: Sendable, Hashable {
    /// No inline policy yet: `+ policy`.
    case absent
    /// The same JSON value (whitespace and key order aside): nothing to write.
    case same
    /// Another document: `~ policy`, with the live one, pretty-printed, to diff against.
    case differs(previous: String)
    /// Not readable, or its permission set or role is missing: the plan cannot be applied.
    case unreadable(String)

    /// The planned document `planned` against what reading AWS gave.
    public init(planned: String, reading: PolicyReading) {
        switch reading {
        case .failed(let reason), .missingTarget(let reason):
            self = .unreadable(reason)
        case .document(nil):
            self = .absent
        case .document(let live?):
            guard let liveValue = JSONText(parsing: live) else {
                self = live == planned ? .same : .differs(previous: live)
                return
            }
            let plannedValue = JSONText(parsing: planned)
            self = plannedValue?.canonical.rendered() == liveValue.canonical.rendered() ? .same : .differs(previous: liveValue.rendered())
        }
    }
}

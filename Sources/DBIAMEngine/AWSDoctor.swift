import AWSAPI
import DBIAMCore

/// The doctor's checks of the AWS half, before the network ones: whose credentials sign
/// the tokens, whether they are of the cluster's account, whether RDS has IAM
/// authentication on for the cluster, and whether the policies dbiam attaches name this
/// user on this resource id. When AWS cannot be reached, they are noted, not failed:
/// the database half can still be checked.
public struct AWSDoctor: Sendable {
    public var reader: AWSReader
    public var manifest: Manifest
    public var cluster: Cluster
    public var user: User?

    public init(reader: AWSReader, manifest: Manifest, cluster: Cluster, user: User?) {
        self.reader = reader
        self.manifest = manifest
        self.cluster = cluster
        self.user = user
    }

    public func steps() async -> [Doctor.Step] {
        var steps: [Doctor.Step] = []
        let identityTitle = "AWS credentials"
        let identity: CallerIdentity
        do throws(AWSError) {
            let client = try PolicyTarget.client(reader, region: cluster.region, profile: reader.defaultProfile, service: .sts)
            identity = try await client.sts.getCallerIdentity()
        } catch {
            if case .response = error.reason {
                return [Doctor.Step(title: identityTitle, outcome: .failed("\(error)"))]
            }
            return [Doctor.Step(title: identityTitle, outcome: .noted("AWS could not be asked (\(error)); the AWS checks are skipped"))]
        }
        steps.append(Doctor.Step(title: identityTitle, outcome: .passed("account \(identity.account), \(identity.arn)")))
        guard identity.account == cluster.account else {
            steps.append(Doctor.Step(title: "account of the credentials", outcome: .failed(
                "the credentials are of account \(identity.account), but cluster \(cluster.name) is in account \(cluster.account): it refuses every token they sign (ERROR 1045). Sign with credentials of account \(cluster.account) (--profile).")))
            return steps
        }
        steps.append(Doctor.Step(title: "account of the credentials", outcome: .passed("\(identity.account), the cluster's")))

        let rdsTitle = "RDS: IAM database authentication"
        do throws(AWSError) {
            // The identity above is the cluster's credentials' unless it has a profile of its own.
            let (account, resources) = cluster.awsProfile == nil
                ? (identity.account, try await reader.resources(region: cluster.region, profile: reader.defaultProfile))
                : try await reader.discover(region: cluster.region, profile: cluster.awsProfile)
            let check = RDSCheck(cluster: cluster, reading: account == cluster.account ? .listed(resources) : .otherAccount(credentials: account))
            if !check.errors.isEmpty {
                steps.append(Doctor.Step(title: rdsTitle, outcome: .failed(check.errors.joined(separator: "\n"))))
            } else if let note = check.notes.first {
                steps.append(Doctor.Step(title: rdsTitle, outcome: .noted(note)))
            } else {
                let identifier = resources.first { $0.resourceID == cluster.resourceID }?.identifier ?? cluster.resourceID
                steps.append(Doctor.Step(title: rdsTitle, outcome: .passed("on for \(identifier) (\(cluster.resourceID))")))
            }
        } catch {
            steps.append(Doctor.Step(title: rdsTitle, outcome: .failed("\(error)")))
        }
        if let user { steps += await policySteps(user) }
        return steps
    }

    /// One step per attached permission set that lets someone log in as `user` here.
    private func policySteps(_ user: User) async -> [Doctor.Step] {
        let reach = PermissionSetReach(manifest)
        let arn = cluster.connectARN(user: user.name)
        let sets = manifest.permissionSets.filter { set in
            set.attachment != .none && reach.connections(of: set).contains { $0.userName == user.name && $0.cluster.name == cluster.name }
        }
        guard !sets.isEmpty else {
            return [Doctor.Step(title: "policy for \(user.name)", outcome: .noted(
                "no permission set with attach lets anyone log in as \(user.name) on \(cluster.name), so dbiam cannot tell which policy the signing principal has; it must allow rds-db:connect on \(arn)"))]
        }
        var steps: [Doctor.Step] = []
        for set in sets {
            let title = "policy of \(set.attachment.target(of: set.name))"
            switch await reader.readPolicy(set, manifest: manifest) {
            case .document(let text?) where Self.names(text, arn):
                steps.append(Doctor.Step(title: title, outcome: .passed("allows rds-db:connect on \(arn)")))
            case .document(let text):
                steps.append(Doctor.Step(title: title, outcome: .failed(
                    "\(text == nil ? "there is no such policy" : "the policy does not name \(arn)"), so a token signed through it is refused (ERROR 1045). Run dbiam plan and dbiam apply to write it.")))
            case .missingTarget(let problem), .failed(let problem):
                steps.append(Doctor.Step(title: title, outcome: .failed(problem)))
            }
        }
        return steps
    }

    /// Whether a policy document lists `arn` as a resource (exactly: the resource id and
    /// the case-sensitive user name are what tokens are checked against).
    static func names(_ document: String, _ arn: String) -> Bool {
        guard let value = JSONText(parsing: document) else { return false }
        func contains(_ value: JSONText) -> Bool {
            switch value {
            case .string(let text): text == arn
            case .array(let items): items.contains(where: contains)
            case .object(let members): members.contains { contains($0.1) }
            default: false
            }
        }
        return contains(value)
    }
}

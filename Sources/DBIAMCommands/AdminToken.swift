import DBIAMCore
import MariaDB

/// Signs the IAM token dbiam logs in with when a cluster's admin has `iam: true`.
enum AdminToken {
    struct NotAvailable: Error, CustomStringConvertible {
        var description: String { "IAM admin login is not available in this build" }
    }

    @Sendable static func sign(_ cluster: Cluster) throws -> Secret {
        throw NotAvailable()
    }
}

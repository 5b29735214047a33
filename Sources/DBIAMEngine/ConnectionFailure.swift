import DBIAMCore
import MariaDB

/// A server error explained for a person: what it means here and what to check.
public enum ConnectionFailure {
    public static func explain(_ error: MariaDBError, cluster: Cluster, timeout: Int) -> String {
        let place = "\(cluster.endpoint):\(cluster.port)"
        let message = error.message.lowercased()
        let timedOut = message.contains("timed out") || message.contains("timeout")
        let duringHandshake = timedOut || message.contains("handshake") || message.contains("reading initial")
        switch error.code {
        case MariaDBError.accessDenied:
            switch cluster.admin.method {
            case .iam:
                return "the server refused the IAM token of admin user \(cluster.admin.user) (ERROR 1045): check that your credentials are for account \(cluster.account), that their policy allows rds-db:connect on \(cluster.connectARN(user: cluster.admin.user)), and that they have not expired"
            case .passwordEnvironment(let variable):
                return "the server refused the admin login of \(cluster.admin.user) (ERROR 1045): check admin.user and the password in \(variable)"
            }
        case MariaDBError.cannotConnect where timedOut, MariaDBError.cannotConnectToHost where timedOut:
            return "no answer from \(place) within \(timeout) s: check the endpoint, that the security group allows inbound port \(cluster.port) from this machine, and that the cluster is running (\(error))"
        case MariaDBError.cannotConnect, MariaDBError.cannotConnectToHost:
            return "cannot connect to \(place): check the endpoint and port, and that the cluster is running (\(error))"
        case MariaDBError.unknownHost:
            return "cannot resolve \(cluster.endpoint): check the endpoint name and your DNS (\(error))"
        case MariaDBError.lostConnection where duringHandshake, MariaDBError.serverGone where duringHandshake:
            return "\(place) accepted the connection but did not answer within \(timeout) s: is this a MySQL server, and is the port right? (\(error))"
        case MariaDBError.tlsFailed:
            return "TLS with \(place) failed: check tls_ca (the RDS CA bundle, global-bundle.pem) and that the endpoint name matches the server certificate (\(error))"
        case MariaDBError.lostConnection, MariaDBError.serverGone:
            return "the connection to \(place) was lost: \(error)"
        case MariaDBError.tableAccessDenied, MariaDBError.privilegeRequired:
            return "admin user \(cluster.admin.user) may not read the grant tables: grant it SELECT on mysql.* and CREATE USER (\(error))"
        default:
            return "\(error)"
        }
    }
}

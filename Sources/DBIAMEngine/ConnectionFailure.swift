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
        case 1045:
            switch cluster.admin.method {
            case .iam:
                return "the server refused the IAM token of admin user \(cluster.admin.user) (ERROR 1045): check that your credentials are for account \(cluster.account), that their policy allows rds-db:connect on \(cluster.connectARN(user: cluster.admin.user)), and that they have not expired"
            case .passwordEnvironment(let variable):
                return "the server refused the admin login of \(cluster.admin.user) (ERROR 1045): check admin.user and the password in \(variable)"
            }
        case 2002 where timedOut, 2003 where timedOut:
            return "no answer from \(place) within \(timeout) s: check the endpoint, that the security group allows inbound port \(cluster.port) from this machine, and that the cluster is running (\(error))"
        case 2002, 2003:
            return "cannot connect to \(place): check the endpoint and port, and that the cluster is running (\(error))"
        case 2005:
            return "cannot resolve \(cluster.endpoint): check the endpoint name and your DNS (\(error))"
        case 2013 where duringHandshake, 2006 where duringHandshake:
            return "\(place) accepted the connection but did not answer within \(timeout) s: is this a MySQL server, and is the port right? (\(error))"
        case 2026:
            return "TLS with \(place) failed: check tls_ca (the RDS CA bundle, global-bundle.pem) and that the endpoint name matches the server certificate (\(error))"
        case 2013, 2006:
            return "the connection to \(place) was lost: \(error)"
        case 1142, 1227:
            return "admin user \(cluster.admin.user) may not read the grant tables: grant it SELECT on mysql.* and CREATE USER (\(error))"
        default:
            return "\(error)"
        }
    }
}

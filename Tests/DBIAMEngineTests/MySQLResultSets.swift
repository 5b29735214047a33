import MariaDB

/// The result sets of the MySQL read batch (`StateReader.mysqlStatements`) as MySQL 8.0
/// (RDS MySQL 8.0.36, Aurora MySQL 3) and MySQL 5.7 (Aurora MySQL 2) return them, in
/// their column layout: no server on the test machines speaks that dialect. Each row
/// lists the `Y` columns by name, so a fixture reads like the grants it stands for.
enum MySQLResultSets {
    /// `SHOW COLUMNS FROM mysql.user LIKE '%\_priv'` on MySQL 8.0.36 and Aurora MySQL 3.
    static let mysql80UserColumns = [
        "Select_priv", "Insert_priv", "Update_priv", "Delete_priv", "Create_priv", "Drop_priv", "Reload_priv",
        "Shutdown_priv", "Process_priv", "File_priv", "Grant_priv", "References_priv", "Index_priv", "Alter_priv",
        "Show_db_priv", "Super_priv", "Create_tmp_table_priv", "Lock_tables_priv", "Execute_priv", "Repl_slave_priv",
        "Repl_client_priv", "Create_view_priv", "Show_view_priv", "Create_routine_priv", "Alter_routine_priv",
        "Create_user_priv", "Event_priv", "Trigger_priv", "Create_tablespace_priv", "Create_role_priv", "Drop_role_priv",
    ]

    /// The same on Aurora MySQL 2 (MySQL 5.7.12): no role columns, and Aurora's own
    /// privileges of its AWS integrations.
    static let aurora2UserColumns = Array(mysql80UserColumns.dropLast(2)) + [
        "Load_from_S3_priv", "Select_into_S3_priv", "Invoke_lambda_priv", "Invoke_sagemaker_priv", "Invoke_comprehend_priv",
    ]

    /// `mysql.db`'s columns, the same on 5.7 and 8.0 (`SELECT *`).
    static let dbColumns = [
        "Host", "Db", "User", "Select_priv", "Insert_priv", "Update_priv", "Delete_priv", "Create_priv", "Drop_priv",
        "Grant_priv", "References_priv", "Index_priv", "Alter_priv", "Create_tmp_table_priv", "Lock_tables_priv",
        "Create_view_priv", "Show_view_priv", "Create_routine_priv", "Alter_routine_priv", "Execute_priv", "Event_priv",
        "Trigger_priv",
    ]

    /// What RDS gives the master user on Aurora MySQL 3 (UsingWithRDS.MasterAccounts),
    /// as `mysql.user` columns and `global_grants` rows.
    static let masterColumns = [
        "Select_priv", "Insert_priv", "Update_priv", "Delete_priv", "Create_priv", "Drop_priv", "Reload_priv",
        "Process_priv", "Grant_priv", "References_priv", "Index_priv", "Alter_priv", "Show_db_priv",
        "Create_tmp_table_priv", "Lock_tables_priv", "Execute_priv", "Repl_slave_priv", "Repl_client_priv",
        "Create_view_priv", "Show_view_priv", "Create_routine_priv", "Alter_routine_priv", "Create_user_priv",
        "Event_priv", "Trigger_priv", "Create_role_priv", "Drop_role_priv",
    ]
    static let masterDynamic = ["APPLICATION_PASSWORD_ADMIN", "CONNECTION_ADMIN", "ROLE_ADMIN", "SET_USER_ID", "SHOW_ROUTINE", "XA_RECOVER_ADMIN"]

    /// A `mysql.user` row: user, host, plugin, ssl_type, then `Y` or `N` per column.
    static func user(_ user: String, _ host: String, plugin: String, ssl: String = "", columns: [String], yes: [String]) -> [String?] {
        [user, host, plugin, ssl] + columns.map { yes.contains($0) ? "Y" : "N" }
    }

    /// A `mysql.db` row.
    static func db(_ user: String, _ host: String, _ database: String, yes: [String]) -> [String?] {
        dbColumns.map { column in
            switch column {
            case "Host": host
            case "Db": database
            case "User": user
            default: yes.contains(column) ? "Y" : "N"
            }
        }
    }

    static func resultSet(_ columns: [String], _ rows: [[String?]]) -> ResultSet {
        ResultSet(columns: columns, rows: rows, affectedRows: 0)
    }

    static let tablesPrivColumns = ["User", "Host", "Db", "Table_name", "Table_priv"]
    static let columnsPrivColumns = ["User", "Host", "Db", "Table_name", "Column_name", "Column_priv"]
    static let procsPrivColumns = ["User", "Host", "Db", "Routine_name", "Routine_type", "Proc_priv"]
    static let proxiesPrivColumns = ["User", "Host", "Proxied_user", "Proxied_host"]
    static let readOnlyColumns = ["@@GLOBAL.read_only", "@@GLOBAL.innodb_read_only"]
    static let mysql80VariableColumns = readOnlyColumns + ["@@GLOBAL.partial_revokes"]
    static let rolesAndRestrictionsColumns = ["User", "Host", "is_role", "JSON_EXTRACT(User_attributes, '$.Restrictions')"]

    /// An Aurora MySQL 3 writer (`SELECT VERSION()` is 8.0.34 on Aurora MySQL 3.06):
    /// RDS's own accounts, the master user `admin` with rds_superuser_role, dbiam's
    /// admin, the IAM user `alice` with grants at every level and every other kind of
    /// grant, the IAM user `bob` with two roles as default roles, the roles themselves
    /// (locked accounts no one logs in as), a password account, and an IAM user `carol`
    /// that the manifest does not list. `alice` has SELECT taken away on `mysql` by a
    /// partial revoke; `partial_revokes` is on unless told otherwise.
    static let aurora3Version = "8.0.34"
    static func aurora3(innodbReadOnly: Bool = false, partialRevokes: Bool = true) -> [ResultSet] {
        let columns = mysql80UserColumns
        let everything = columns
        return [
            resultSet(["User", "Host", "plugin", "ssl_type"] + columns, [
                user("AWS_SELECT_S3_ACCESS", "%", plugin: "mysql_native_password", columns: columns, yes: []),
                user("admin", "%", plugin: "mysql_native_password", columns: columns, yes: masterColumns),
                user("alice", "%", plugin: "AWSAuthenticationPlugin", ssl: "ANY", columns: columns, yes: ["Select_priv", "Process_priv"]),
                user("app", "%", plugin: "mysql_native_password", columns: columns, yes: []),
                user("bob", "10.0.%", plugin: "AWSAuthenticationPlugin", columns: columns, yes: []),
                user("carol", "%", plugin: "AWSAuthenticationPlugin", ssl: "ANY", columns: columns, yes: ["Select_priv"]),
                user("dbiam_admin", "%", plugin: "AWSAuthenticationPlugin", ssl: "ANY", columns: columns, yes: ["Select_priv", "Grant_priv", "Create_user_priv"]),
                user("mysql.infoschema", "localhost", plugin: "caching_sha2_password", columns: columns, yes: ["Select_priv"]),
                user("mysql.session", "localhost", plugin: "caching_sha2_password", columns: columns, yes: ["Shutdown_priv", "Super_priv"]),
                user("mysql.sys", "localhost", plugin: "caching_sha2_password", columns: columns, yes: []),
                user("orders_read", "%", plugin: "caching_sha2_password", columns: columns, yes: []),
                user("rds_superuser_role", "%", plugin: "mysql_native_password", columns: columns, yes: masterColumns),
                user("rdsadmin", "localhost", plugin: "mysql_native_password", columns: columns, yes: everything),
                user("reporting", "%", plugin: "caching_sha2_password", columns: columns, yes: []),
            ]),
            resultSet(dbColumns, [
                db("alice", "%", "orders", yes: ["Select_priv", "Show_view_priv"]),
                db("alice", "%", "app\\_%", yes: ["Select_priv"]),
                db("app", "%", "orders", yes: dbColumns.filter { $0.hasSuffix("_priv") && $0 != "Grant_priv" }),
                db("orders_read", "%", "orders", yes: ["Select_priv"]),
                db("mysql.sys", "localhost", "sys", yes: ["Trigger_priv"]),
            ]),
            resultSet(tablesPrivColumns, [
                ["alice", "%", "orders", "invoices", "Insert,Update,Grant"],
                ["mysql.session", "localhost", "mysql", "user", "Select"],
                ["reporting", "%", "orders", "daily", "Select,Show view"],
            ]),
            resultSet(columnsPrivColumns, [
                ["alice", "%", "orders", "customers", "email", "Select"],
                ["alice", "%", "orders", "customers", "name", "Select,Update"],
            ]),
            resultSet(procsPrivColumns, [
                ["alice", "%", "orders", "refund", "PROCEDURE", "Execute,Alter Routine"],
            ]),
            resultSet(proxiesPrivColumns, [
                ["alice", "%", "app", "%"],
            ]),
            resultSet(["USER", "HOST", "PRIV", "WITH_GRANT_OPTION"],
                masterDynamic.map { ["admin", "%", $0, "Y"] } + masterDynamic.map { ["rds_superuser_role", "%", $0, "Y"] } + [
                    ["alice", "%", "SYSTEM_VARIABLES_ADMIN", "Y"],
                    ["alice", "%", "SHOW_ROUTINE", "N"],
                    ["rdsadmin", "localhost", "BACKUP_ADMIN", "N"],
                    ["mysql.session", "localhost", "SYSTEM_VARIABLES_ADMIN", "N"],
                ]),
            resultSet(["TO_USER", "TO_HOST", "FROM_USER", "FROM_HOST"], [
                ["admin", "%", "rds_superuser_role", "%"],
                ["alice", "%", "orders_read", "%"],
                ["bob", "10.0.%", "reporting", "%"],
                ["bob", "10.0.%", "orders_read", "%"],
            ]),
            resultSet(["USER", "HOST", "DEFAULT_ROLE_USER", "DEFAULT_ROLE_HOST"], [
                ["admin", "%", "rds_superuser_role", "%"],
                ["bob", "10.0.%", "reporting", "%"],
                ["bob", "10.0.%", "orders_read", "%"],
            ]),
            resultSet(rolesAndRestrictionsColumns, [
                ["alice", "%", "0", #"[{"Database": "mysql", "Privileges": ["SELECT"]}]"#],
                ["orders_read", "%", "1", nil],
                ["rds_superuser_role", "%", "1", nil],
                ["reporting", "%", "1", nil],
            ]),
            resultSet(mysql80VariableColumns, [["0", innodbReadOnly ? "1" : "0", partialRevokes ? "1" : "0"]]),
        ]
    }

    /// An Aurora MySQL 2 writer (MySQL 5.7.12): no global_grants, role_edges or
    /// default_roles, so seven result sets; the master user holds Aurora's S3 privileges.
    static let aurora2Version = "5.7.12"
    static let aurora2: [ResultSet] = {
        let columns = aurora2UserColumns
        let master = Array(masterColumns.dropLast(2)) + ["Load_from_S3_priv", "Select_into_S3_priv"]
        return [
            resultSet(["User", "Host", "plugin", "ssl_type"] + columns, [
                user("admin", "%", plugin: "mysql_native_password", columns: columns, yes: master),
                user("erin", "%", plugin: "AWSAuthenticationPlugin", ssl: "ANY", columns: columns, yes: ["Select_into_S3_priv", "Repl_client_priv"]),
                user("mysql.sys", "localhost", plugin: "mysql_native_password", columns: columns, yes: []),
                user("rdsadmin", "localhost", plugin: "mysql_native_password", columns: columns, yes: columns),
            ]),
            resultSet(dbColumns, [
                db("erin", "%", "orders", yes: ["Select_priv", "Execute_priv"]),
            ]),
            resultSet(tablesPrivColumns, [
                ["erin", "%", "orders", "invoices", "Select,Insert"],
            ]),
            resultSet(columnsPrivColumns, []),
            resultSet(procsPrivColumns, [
                ["erin", "%", "orders", "total", "FUNCTION", "Execute"],
            ]),
            resultSet(proxiesPrivColumns, []),
            resultSet(readOnlyColumns, [["0", "0"]]),
        ]
    }()
}

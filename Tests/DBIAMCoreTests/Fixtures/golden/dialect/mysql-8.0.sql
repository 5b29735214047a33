-- dbiam: cluster orders-prod (orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306), from manifests/mysql-8.0.yaml
-- 34 statements, run in this order by `dbiam apply`,
-- which sends statements of the same shape together (CREATE USER a …, b …).

-- role 'orders_read'@'%' holds DELETE on orders.*, which the manifest does not grant [destructive]
REVOKE DELETE ON `orders`.* FROM 'orders_read'@'%';

-- 'held'@'%' holds SELECT (`email`, `name`) on orders.customers, which the manifest does not grant (a managed account holds exactly the manifest's grants) [destructive]
REVOKE SELECT (`email`, `name`) ON `orders`.`customers` FROM 'held'@'%';

-- 'held'@'%' holds default role 'orders_read'@'%', which the manifest does not grant (a managed account holds exactly the manifest's grants) [destructive]
SET DEFAULT ROLE NONE TO 'held'@'%';

-- 'held'@'%' holds PROXY on 'legacy'@'%', which the manifest does not grant (a managed account holds exactly the manifest's grants) [destructive]
REVOKE PROXY ON 'legacy'@'%' FROM 'held'@'%';

-- 'held'@'%' holds role 'orders_read'@'%', which the manifest does not grant (a managed account holds exactly the manifest's grants) [destructive]
REVOKE 'orders_read'@'%' FROM 'held'@'%';

-- 'held'@'%' holds ALTER ROUTINE, EXECUTE on PROCEDURE `orders`.`refund`, which the manifest does not grant (a managed account holds exactly the manifest's grants) [destructive]
REVOKE ALTER ROUTINE, EXECUTE ON PROCEDURE `orders`.`refund` FROM 'held'@'%';

-- 'held'@'%' holds BINLOG_ADMIN, RELOAD on *.*, which the manifest does not grant [destructive]
REVOKE BINLOG_ADMIN, RELOAD ON *.* FROM 'held'@'%';

-- 'held'@'%' holds DELETE, GRANT OPTION on orders.*, which the manifest does not grant [destructive]
REVOKE DELETE, GRANT OPTION ON `orders`.* FROM 'held'@'%';

-- 'held'@'%' holds UPDATE, GRANT OPTION on orders.invoices, which the manifest does not grant [destructive]
REVOKE UPDATE, GRANT OPTION ON `orders`.`invoices` FROM 'held'@'%';

-- 'leaver_1'@'%' uses AWSAuthenticationPlugin but is not in the manifest, and prune is on [destructive]
DROP USER 'leaver_1'@'%';

-- 'leaver_2'@'%' uses AWSAuthenticationPlugin but is not in the manifest, and prune is on [destructive]
DROP USER 'leaver_2'@'%';

-- role billing_read is in the manifest but not on this cluster
CREATE ROLE 'billing_read'@'%';

-- user new_a is in the manifest but not on this cluster
CREATE USER 'new_a'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;

-- user new_b is in the manifest but not on this cluster
CREATE USER 'new_b'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;

-- user new_plain is in the manifest but not on this cluster
CREATE USER 'new_plain'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';

-- 'legacy'@'%' uses mysql_native_password; the manifest makes it an IAM user, so its password stops working [destructive]
ALTER USER 'legacy'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';

-- the manifest sets require_ssl: true for legacy; the account has REQUIRE NONE
ALTER USER 'legacy'@'%' REQUIRE SSL;

-- the manifest sets require_ssl: false for relaxed; the account has REQUIRE SSL
ALTER USER 'relaxed'@'%' REQUIRE NONE;

-- the manifest grants SELECT, SHOW VIEW on billing.* to role billing_read
GRANT SELECT, SHOW VIEW ON `billing`.* TO 'billing_read'@'%';

-- the manifest grants PROCESS, ROLE_ADMIN, SELECT, SET_USER_ID, GRANT OPTION on *.* to new_a
GRANT PROCESS, ROLE_ADMIN, SELECT, SET_USER_ID ON *.* TO 'new_a'@'%' WITH GRANT OPTION;

-- the manifest grants SELECT, SHOW VIEW, GRANT OPTION on orders.* to new_a
GRANT SELECT, SHOW VIEW ON `orders`.* TO 'new_a'@'%' WITH GRANT OPTION;

-- the manifest grants INSERT, UPDATE, GRANT OPTION on orders.invoices to new_a
GRANT INSERT, UPDATE ON `orders`.`invoices` TO 'new_a'@'%' WITH GRANT OPTION;

-- the manifest gives new_a the role billing_read
GRANT 'billing_read'@'%' TO 'new_a'@'%';

-- the manifest grants PROCESS, ROLE_ADMIN, SELECT, SET_USER_ID, GRANT OPTION on *.* to new_b
GRANT PROCESS, ROLE_ADMIN, SELECT, SET_USER_ID ON *.* TO 'new_b'@'%' WITH GRANT OPTION;

-- the manifest grants SELECT, SHOW VIEW, GRANT OPTION on orders.* to new_b
GRANT SELECT, SHOW VIEW ON `orders`.* TO 'new_b'@'%' WITH GRANT OPTION;

-- the manifest grants INSERT, UPDATE, GRANT OPTION on orders.invoices to new_b
GRANT INSERT, UPDATE ON `orders`.`invoices` TO 'new_b'@'%' WITH GRANT OPTION;

-- the manifest gives new_b the role billing_read
GRANT 'billing_read'@'%' TO 'new_b'@'%';

-- the manifest grants SELECT on orders.* to new_plain
GRANT SELECT ON `orders`.* TO 'new_plain'@'%';

-- the manifest leaves mysql out of the grant on *.* to new_a (except:)
REVOKE SELECT ON `mysql`.* FROM 'new_a'@'%';

-- the manifest leaves sys out of the grant on *.* to new_a (except:)
REVOKE SELECT ON `sys`.* FROM 'new_a'@'%';

-- a granted role is active at login only as a default role; 'new_a'@'%' has NONE
SET DEFAULT ROLE ALL TO 'new_a'@'%';

-- the manifest leaves mysql out of the grant on *.* to new_b (except:)
REVOKE SELECT ON `mysql`.* FROM 'new_b'@'%';

-- the manifest leaves sys out of the grant on *.* to new_b (except:)
REVOKE SELECT ON `sys`.* FROM 'new_b'@'%';

-- a granted role is active at login only as a default role; 'new_b'@'%' has NONE
SET DEFAULT ROLE ALL TO 'new_b'@'%';

-- The same statements as `dbiam apply` sends them, like shapes combined:
REVOKE DELETE ON `orders`.* FROM 'orders_read'@'%';
REVOKE SELECT (`email`, `name`) ON `orders`.`customers` FROM 'held'@'%';
SET DEFAULT ROLE NONE TO 'held'@'%';
REVOKE PROXY ON 'legacy'@'%' FROM 'held'@'%';
REVOKE 'orders_read'@'%' FROM 'held'@'%';
REVOKE ALTER ROUTINE, EXECUTE ON PROCEDURE `orders`.`refund` FROM 'held'@'%';
REVOKE BINLOG_ADMIN, RELOAD ON *.* FROM 'held'@'%';
REVOKE DELETE, GRANT OPTION ON `orders`.* FROM 'held'@'%';
REVOKE UPDATE, GRANT OPTION ON `orders`.`invoices` FROM 'held'@'%';
DROP USER 'leaver_1'@'%', 'leaver_2'@'%';
CREATE ROLE 'billing_read'@'%';
CREATE USER 'new_a'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS', 'new_b'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;
CREATE USER 'new_plain'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
ALTER USER 'legacy'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';
ALTER USER 'legacy'@'%' REQUIRE SSL;
ALTER USER 'relaxed'@'%' REQUIRE NONE;
GRANT SELECT, SHOW VIEW ON `billing`.* TO 'billing_read'@'%';
GRANT PROCESS, ROLE_ADMIN, SELECT, SET_USER_ID ON *.* TO 'new_a'@'%', 'new_b'@'%' WITH GRANT OPTION;
GRANT SELECT, SHOW VIEW ON `orders`.* TO 'new_a'@'%', 'new_b'@'%' WITH GRANT OPTION;
GRANT INSERT, UPDATE ON `orders`.`invoices` TO 'new_a'@'%', 'new_b'@'%' WITH GRANT OPTION;
GRANT 'billing_read'@'%' TO 'new_a'@'%', 'new_b'@'%';
GRANT SELECT ON `orders`.* TO 'new_plain'@'%';
REVOKE SELECT ON `mysql`.* FROM 'new_a'@'%', 'new_b'@'%';
REVOKE SELECT ON `sys`.* FROM 'new_a'@'%', 'new_b'@'%';
SET DEFAULT ROLE ALL TO 'new_a'@'%', 'new_b'@'%';

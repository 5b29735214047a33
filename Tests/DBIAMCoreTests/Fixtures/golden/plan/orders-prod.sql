-- dbiam: cluster orders-prod (orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com:3306), from manifests/prod.yaml
-- 6 statements, run in this order by `dbiam apply`,
-- which sends statements of the same shape together (CREATE USER a …, b …).

-- 'oncall_dba'@'%' holds RELOAD on *.*, which the manifest does not grant [destructive]
REVOKE RELOAD ON *.* FROM 'oncall_dba'@'%';

-- 'leaver'@'%' uses AWSAuthenticationPlugin but is not in the manifest, and prune is on [destructive]
DROP USER 'leaver'@'%';

-- user ssotest is in the manifest but not on this cluster
CREATE USER 'ssotest'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;

-- 'oncall_dba'@'%' uses mysql_native_password; the manifest makes it an IAM user, so its password stops working [destructive]
ALTER USER 'oncall_dba'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS';

-- the manifest sets require_ssl: true for oncall_dba; the account has REQUIRE NONE
ALTER USER 'oncall_dba'@'%' REQUIRE SSL;

-- the manifest grants SELECT, SHOW VIEW on orders.* to ssotest
GRANT SELECT, SHOW VIEW ON `orders`.* TO 'ssotest'@'%';

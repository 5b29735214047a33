"""Checks a running, seeded local AWS stand-in (aws-standin/test starts one on a free
port): what the seed holds, as a client sees it through AWS_ENDPOINT_URL; that seeding
again changes nothing; and the moto gaps README.md lists, so that a moto upgrade that
closes one is noticed. Needs AWS_ENDPOINT_URL; standard library unittest + boto3.
"""

import copy
import json
import os
import subprocess
import sys
import unittest

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(HERE))
import seed as S  # noqa: E402

ENDPOINT = os.environ["AWS_ENDPOINT_URL"]
# A key of another account: moto (MOTO_ACCOUNT_ID) still answers as the stand-in's account.
os.environ.update(AWS_ACCESS_KEY_ID="AKIALOCALTEST0000001", AWS_SECRET_ACCESS_KEY="not-checked-by-moto")
for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
    os.environ.pop(name, None)
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=20)


def client(service, region, config=None):
    # No endpoint_url: the client finds the stand-in through AWS_ENDPOINT_URL, as dbiam will.
    return boto3.client(service, region_name=region, config=config)


rds = client("rds", S.RDS_REGION)
sso = client("sso-admin", S.SSO_REGION)
iam = client("iam", "us-east-1")
org = client("organizations", "us-east-1")
sts = client("sts", S.RDS_REGION)


def strip(value):
    """A response without its metadata and the fields moto computes from the clock."""
    if isinstance(value, dict):
        return {
            k: strip(v)
            for k, v in value.items()
            if k not in ("ResponseMetadata", "LatestRestorableTime", "EarliestRestorableTime")
        }
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def snapshot():
    state = {
        "clusters": rds.describe_db_clusters()["DBClusters"],
        "instances": rds.describe_db_instances()["DBInstances"],
        "sso_instances": sso.list_instances()["Instances"],
        "permission_sets": [
            [
                sso.describe_permission_set(InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn)["PermissionSet"],
                sso.get_inline_policy_for_permission_set(InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn)[
                    "InlinePolicy"
                ],
            ]
            for arn in sso.list_permission_sets(InstanceArn=S.SSO_INSTANCE_ARN)["PermissionSets"]
        ],
        "roles": iam.list_roles()["Roles"],
        "organization": org.describe_organization()["Organization"],
        "roots": org.list_roots()["Roots"],
        "ous": org.list_organizational_units_for_parent(ParentId=S.ORG_ROOT_ID)["OrganizationalUnits"],
        "accounts": org.list_accounts()["Accounts"],
    }
    return strip(state)


def reseed():
    out = subprocess.run(
        [sys.executable, os.path.join(os.path.dirname(HERE), "seed.py"), "--endpoint", ENDPOINT],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout)


class Seed(unittest.TestCase):
    maxDiff = None
    """Read-only checks first (unittest runs the classes in name order: Seed, then Zgaps)."""

    @classmethod
    def setUpClass(cls):
        cls.before = snapshot()
        cls.answer = reseed()
        cls.after = snapshot()

    def test_seeding_again_changes_nothing(self):
        self.assertEqual(self.before, self.after)
        self.assertEqual(self.answer, S.expected())

    def cluster(self, name):
        return rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]

    def test_local_aurora(self):
        c = self.cluster("local-aurora")
        self.assertEqual(c["DbClusterResourceId"], "cluster-LOCALAURORASTANDIN00000000")
        self.assertEqual(c["Engine"], "aurora-mysql")
        self.assertEqual(c["Endpoint"], "127.0.0.1")
        self.assertEqual(c["Port"], 33306)
        self.assertIs(c["IAMDatabaseAuthenticationEnabled"], True)
        self.assertEqual(c["Status"], "available")
        self.assertEqual(c["DBClusterArn"], "arn:aws:rds:ap-northeast-1:012345678901:cluster:local-aurora")
        self.assertEqual(
            c["ReaderEndpoint"], "local-aurora.cluster-ro-localstandin.ap-northeast-1.rds.amazonaws.com"
        )
        self.assertEqual(
            [(m["DBInstanceIdentifier"], m["IsClusterWriter"]) for m in c["DBClusterMembers"]],
            [("local-aurora-1", True)],
        )
        writer = rds.describe_db_instances(DBInstanceIdentifier="local-aurora-1")["DBInstances"][0]
        self.assertEqual(writer["DBClusterIdentifier"], "local-aurora")
        self.assertEqual(writer["Endpoint"], {"Address": "localhost", "Port": 33306})
        self.assertEqual(writer["DbiResourceId"], "db-LOCALAURORAWRITER000000000")

    def test_local_aurora_noiam(self):
        c = self.cluster("local-aurora-noiam")
        self.assertEqual(c["DbClusterResourceId"], "cluster-LOCALAURORANOIAM0000000000")
        self.assertIs(c["IAMDatabaseAuthenticationEnabled"], False)
        self.assertEqual((c["Endpoint"], c["Port"]), ("127.0.0.1", 33306))

    def test_local_mysql(self):
        i = rds.describe_db_instances(DBInstanceIdentifier="local-mysql")["DBInstances"][0]
        self.assertEqual(i["DbiResourceId"], "db-LOCALMYSQLSTANDIN000000000")
        self.assertEqual(i["Engine"], "mysql")
        self.assertNotIn("DBClusterIdentifier", i)
        self.assertEqual(i["Endpoint"], {"Address": "127.0.0.1", "Port": 33306})
        self.assertIs(i["IAMDatabaseAuthenticationEnabled"], True)

    def test_nothing_else_in_rds(self):
        clusters = [c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]]
        self.assertEqual(sorted(clusters), ["local-aurora", "local-aurora-noiam"])
        instances = [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]]
        self.assertEqual(sorted(instances), ["local-aurora-1", "local-mysql"])

    def test_identity_center(self):
        instances = sso.list_instances()["Instances"]
        self.assertEqual([i["InstanceArn"] for i in instances], ["arn:aws:sso:::instance/ssoins-localstandin0000"])
        self.assertEqual(instances[0]["IdentityStoreId"], "d-0000000001")
        self.assertEqual(instances[0]["OwnerAccountId"], "012345678901")
        sets = {}
        for arn in sso.list_permission_sets(InstanceArn=S.SSO_INSTANCE_ARN)["PermissionSets"]:
            ps = sso.describe_permission_set(InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn)["PermissionSet"]
            self.assertEqual(ps["PermissionSetArn"], arn)
            sets[ps["Name"]] = arn
            policy = sso.get_inline_policy_for_permission_set(InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn)
            self.assertEqual(policy.get("InlinePolicy", ""), "", ps["Name"])
        self.assertEqual(
            sets,
            {
                "DBReadOnly": "arn:aws:sso:::permissionSet/ssoins-localstandin0000/ps-dbreadonly000000",
                "DBOncall": "arn:aws:sso:::permissionSet/ssoins-localstandin0000/ps-dboncall00000000",
            },
        )

    def test_role(self):
        role = iam.get_role(RoleName="dbiam-local-bastion")["Role"]
        self.assertEqual(role["Arn"], "arn:aws:iam::012345678901:role/dbiam-local-bastion")
        self.assertEqual(iam.list_role_policies(RoleName="dbiam-local-bastion")["PolicyNames"], [])

    def test_organization(self):
        o = org.describe_organization()["Organization"]
        self.assertEqual(o["Id"], "o-localstandin")
        self.assertEqual(o["MasterAccountId"], "012345678901")
        self.assertEqual([r["Id"] for r in org.list_roots()["Roots"]], ["r-loc1"])
        ous = org.list_organizational_units_for_parent(ParentId="r-loc1")["OrganizationalUnits"]
        self.assertEqual([(u["Id"], u["Name"]) for u in ous], [("ou-loc1-engineer", "engineer")])
        self.assertEqual(ous[0]["Arn"], "arn:aws:organizations::012345678901:ou/o-localstandin/ou-loc1-engineer")
        self.assertEqual(org.list_parents(ChildId="012345678901")["Parents"], [{"Id": "r-loc1", "Type": "ROOT"}])

    def test_caller_identity(self):
        self.assertEqual(sts.get_caller_identity()["Account"], "012345678901")


class Zgaps(unittest.TestCase):
    maxDiff = None
    """The moto gaps README.md lists (these change the server's state: they run last)."""

    def test_iam_auth_change_is_not_kept(self):
        rds.modify_db_cluster(
            DBClusterIdentifier="local-aurora-noiam", EnableIAMDatabaseAuthentication=True, ApplyImmediately=True
        )
        c = rds.describe_db_clusters(DBClusterIdentifier="local-aurora-noiam")["DBClusters"][0]
        self.assertIs(c["IAMDatabaseAuthenticationEnabled"], False)

    def test_resource_id_filter_is_rejected(self):
        with self.assertRaises(rds.exceptions.ClientError) as caught:
            rds.describe_db_clusters(
                Filters=[{"Name": "db-cluster-resource-id", "Values": ["cluster-LOCALAURORASTANDIN00000000"]}]
            )
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_provisioning(self):
        arn = S.PERMISSION_SETS["DBOncall"]
        status = sso.provision_permission_set(
            InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn, TargetType="ALL_PROVISIONED_ACCOUNTS"
        )["PermissionSetProvisioningStatus"]
        self.assertEqual(status["Status"], "SUCCEEDED")  # at once, never IN_PROGRESS
        sso_once = client("sso-admin", S.SSO_REGION, NO_RETRIES)
        with self.assertRaises(sso_once.exceptions.ClientError):  # not implemented: HTTP 500
            sso_once.describe_permission_set_provisioning_status(
                InstanceArn=S.SSO_INSTANCE_ARN, ProvisionPermissionSetRequestId=status["RequestId"]
            )

    def test_no_limits(self):
        arn = S.PERMISSION_SETS["DBOncall"]
        big = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "x" * 40000}]})
        sso.put_inline_policy_to_permission_set(InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn, InlinePolicy=big)
        got = sso.get_inline_policy_for_permission_set(InstanceArn=S.SSO_INSTANCE_ARN, PermissionSetArn=arn)
        self.assertEqual(got["InlinePolicy"], big)

    def test_any_key_is_the_standin_account(self):
        unknown = boto3.client(
            "sts", region_name=S.RDS_REGION,
            aws_access_key_id="AKIAUNKNOWNKEY000001", aws_secret_access_key="not-checked-by-moto",
        )
        self.assertEqual(unknown.get_caller_identity()["Account"], "012345678901")

    def test_a_key_of_another_account_is_of_that_account_for_sts(self):
        # The MariaDB stand-in's key file gives AKIAOTHERACCOUNT0001 account 999988887777;
        # STS says so too (server.py), where moto would answer its own account.
        other = boto3.client(
            "sts", region_name=S.RDS_REGION,
            aws_access_key_id="AKIAOTHERACCOUNT0001", aws_secret_access_key="not-checked-by-moto",
        )
        identity = other.get_caller_identity()
        self.assertEqual(identity["Account"], "999988887777")
        self.assertEqual(identity["Arn"], "arn:aws:iam::999988887777:user/engineer")

    def test_reset_then_seed_restores(self):
        before = copy.deepcopy(Seed.after)
        out = subprocess.run(
            [sys.executable, os.path.join(os.path.dirname(HERE), "seed.py"), "--endpoint", ENDPOINT, "--reset", "--quiet"],
            check=True, capture_output=True, text=True,
        )
        self.assertEqual(out.stdout, "")
        after = snapshot()
        # Creation dates and what moto makes up at random (and the seed does not fix)
        # differ after a reset; the rest is the seed.
        def stable(state):
            state = copy.deepcopy(state)
            for c in state["clusters"]:
                c.pop("ClusterCreateTime", None), c.pop("HostedZoneId", None)
            for i in state["instances"]:
                i.pop("InstanceCreateTime", None), i.pop("VpcSecurityGroups", None)
            for i in state["sso_instances"]:
                i.pop("CreatedDate", None)
            for ps, _ in state["permission_sets"]:
                ps.pop("CreatedDate", None)
            for r in state["roles"]:
                r.pop("CreateDate", None), r.pop("RoleId", None)
            for a in state["accounts"]:
                a.pop("JoinedTimestamp", None)
            return state
        self.assertEqual(stable(before), stable(after))


if __name__ == "__main__":
    unittest.main(verbosity=1)

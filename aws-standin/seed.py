"""What the local AWS stand-in holds, and how it gets there.

Two uses:

- imported by server.py, which runs moto's server in the same process: seed()
  creates the objects through the AWS APIs (boto3 against the server itself)
  and then sets, on moto's backend objects, the ids and endpoints the APIs
  cannot set (moto makes them up at random);
- run as a script, against a running stand-in (aws-up does this):

      seed.py [--endpoint URL] [--wait SECONDS] [--pid PID] [--reset] [--quiet]

  waits (at most SECONDS) until the stand-in answers, optionally resets moto
  (POST /moto-api/reset), asks the server to seed (POST /_standin/seed) and
  prints what it holds as JSON. Seeding is idempotent: on a seeded server it
  changes nothing. The script part needs only the standard library.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

# --- The seeded objects: other parts of dbiam (manifests/local.yaml, tests, the
# README) depend on these values. --------------------------------------------
ACCOUNT = "012345678901"  # MOTO_ACCOUNT_ID; the MariaDB stand-in's account
PARTITION = "aws"
RDS_REGION = "ap-northeast-1"  # the MariaDB stand-in's region
DB_HOST = "127.0.0.1"  # the MariaDB stand-in
DB_HOST_ALIAS = "localhost"  # the same server by its other name (it accepts tokens for both)
DB_PORT = 33306
MASTER_USERNAME = "admin"
MASTER_PASSWORD = "local-master-secret"  # moto wants one; nothing uses it

CLUSTERS = {
    # Aurora MySQL with IAM database authentication, played by the MariaDB stand-in.
    "local-aurora": {
        "resource_id": "cluster-LOCALAURORASTANDIN00000000",
        "iam": True,
        "endpoint": DB_HOST,
        "reader_endpoint": "local-aurora.cluster-ro-localstandin.ap-northeast-1.rds.amazonaws.com",
        "instances": {
            "local-aurora-1": {"dbi_resource_id": "db-LOCALAURORAWRITER000000000", "address": DB_HOST_ALIAS},
        },
    },
    # The same, with IAM database authentication off (moto keeps no change of the
    # flag, so the cluster is created with it off).
    "local-aurora-noiam": {
        "resource_id": "cluster-LOCALAURORANOIAM0000000000",
        "iam": False,
        "endpoint": DB_HOST,
        "reader_endpoint": "local-aurora-noiam.cluster-ro-localstandin.ap-northeast-1.rds.amazonaws.com",
        "instances": {},
    },
}
CLUSTER_ENGINE = "aurora-mysql"
CLUSTER_ENGINE_VERSION = "8.0.mysql_aurora.3.08.2"
CLUSTER_INSTANCE_CLASS = "db.r6g.large"

INSTANCES = {
    # An instance-based RDS for MySQL (no cluster): a "db-" resource id.
    "local-mysql": {
        "dbi_resource_id": "db-LOCALMYSQLSTANDIN000000000",
        "iam": True,
        "address": DB_HOST,
        "engine": "mysql",
        "engine_version": "8.0.40",
        "instance_class": "db.t4g.micro",
    },
}

# IAM Identity Center: moto's own instance (the only one ProvisionPermissionSet
# works on), in the Identity Center home region, with fixed ids.
SSO_REGION = "us-east-1"
SSO_INSTANCE_ID = "ssoins-localstandin0000"
SSO_INSTANCE_ARN = f"arn:{PARTITION}:sso:::instance/{SSO_INSTANCE_ID}"
SSO_INSTANCE_NAME = "dbiam-local"
SSO_IDENTITY_STORE_ID = "d-0000000001"
PERMISSION_SETS = {
    # AWS's ARN form (moto makes "instance/ssoins-…/ps-…" ARNs; AWS's are "permissionSet/…").
    "DBReadOnly": f"arn:{PARTITION}:sso:::permissionSet/{SSO_INSTANCE_ID}/ps-dbreadonly000000",
    "DBOncall": f"arn:{PARTITION}:sso:::permissionSet/{SSO_INSTANCE_ID}/ps-dboncall00000000",
}
PERMISSION_SET_SESSION_DURATION = "PT8H"

ROLE_NAME = "dbiam-local-bastion"
ROLE_ARN = f"arn:{PARTITION}:iam::{ACCOUNT}:role/{ROLE_NAME}"

ORG_ID = "o-localstandin"
ORG_ROOT_ID = "r-loc1"
ORG_OU_NAME = "engineer"
ORG_OU_ID = "ou-loc1-engineer"

# Public fixture credentials (aurora-standin/test-access-keys); moto accepts any key,
# and MOTO_ACCOUNT_ID puts every request in ACCOUNT.
ACCESS_KEY_ID = "AKIALOCALTEST0000001"
SECRET_ACCESS_KEY = "local-test-secret-0001-not-an-aws-secret"

SEED_PATH = "/_standin/seed"
PING_PATH = "/_standin/ping"


def expected() -> dict:
    """What a seeded stand-in holds (also the answer of POST /_standin/seed)."""
    return {
        "account": ACCOUNT,
        "rds": {
            "region": RDS_REGION,
            "clusters": {
                name: {
                    "DbClusterResourceId": c["resource_id"],
                    "Engine": CLUSTER_ENGINE,
                    "Endpoint": c["endpoint"],
                    "ReaderEndpoint": c["reader_endpoint"],
                    "Port": DB_PORT,
                    "IAMDatabaseAuthenticationEnabled": c["iam"],
                    "Instances": {
                        i: {"DbiResourceId": v["dbi_resource_id"], "Address": v["address"], "Port": DB_PORT}
                        for i, v in c["instances"].items()
                    },
                }
                for name, c in CLUSTERS.items()
            },
            "instances": {
                name: {
                    "DbiResourceId": v["dbi_resource_id"],
                    "Engine": v["engine"],
                    "Address": v["address"],
                    "Port": DB_PORT,
                    "IAMDatabaseAuthenticationEnabled": v["iam"],
                }
                for name, v in INSTANCES.items()
            },
        },
        "identity_center": {
            "region": SSO_REGION,
            "instance_arn": SSO_INSTANCE_ARN,
            "identity_store_id": SSO_IDENTITY_STORE_ID,
            "permission_sets": dict(PERMISSION_SETS),
        },
        "iam": {"roles": {ROLE_NAME: ROLE_ARN}},
        "organizations": {"id": ORG_ID, "root_id": ORG_ROOT_ID, "ous": {ORG_OU_NAME: ORG_OU_ID}},
    }


# --- In the server's process ----------------------------------------------------

_seed_lock = threading.Lock()


def seed(endpoint: str) -> dict:
    """Creates what is missing through the APIs, then fixes ids and endpoints on
    moto's objects. Must run in the process that serves `endpoint`."""
    with _seed_lock:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(
            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY, aws_session_token=None
        )
        config = Config(retries={"max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=30)

        def client(service: str, region: str):
            return session.client(service, region_name=region, endpoint_url=endpoint, config=config)

        _seed_rds(client("rds", RDS_REGION))
        _seed_identity_center(client("sso-admin", SSO_REGION))
        _seed_iam(client("iam", "us-east-1"))
        _seed_organizations(client("organizations", "us-east-1"))
        return expected()


def _standin_classes():
    """Subclasses of moto's RDS models whose endpoints are attributes: moto computes
    them from random parts in read-only properties."""
    from moto.rds.models import DBCluster, DBInstance, DBInstanceClustered

    # moto's model metaclass files a class under the service named in its module.
    class StandinDBCluster(DBCluster):
        __module__ = "moto.rds.dbiam_standin"
        endpoint = property(lambda self: self.standin_endpoint)
        reader_endpoint = property(lambda self: self.standin_reader_endpoint)

    class StandinDBInstance(DBInstance):
        __module__ = "moto.rds.dbiam_standin"
        address = property(lambda self: self.standin_address)

    class StandinDBInstanceClustered(DBInstanceClustered):
        __module__ = "moto.rds.dbiam_standin"
        address = property(lambda self: self.standin_address)

    return {DBCluster: StandinDBCluster, DBInstance: StandinDBInstance, DBInstanceClustered: StandinDBInstanceClustered}


_classes: dict | None = None


def _as_standin(obj) -> None:
    global _classes
    if _classes is None:
        _classes = _standin_classes()
    standin = _classes.get(type(obj))
    if standin is not None:
        obj.__class__ = standin
    elif type(obj) not in _classes.values():
        raise RuntimeError(f"unexpected moto RDS model {type(obj).__name__}")


def _seed_rds(rds) -> None:
    from moto.rds.models import rds_backends

    backend = rds_backends[ACCOUNT][RDS_REGION]
    existing = {c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]}
    for name, spec in CLUSTERS.items():
        if name not in existing:
            rds.create_db_cluster(
                DBClusterIdentifier=name,
                Engine=CLUSTER_ENGINE,
                EngineVersion=CLUSTER_ENGINE_VERSION,
                MasterUsername=MASTER_USERNAME,
                MasterUserPassword=MASTER_PASSWORD,
                Port=DB_PORT,
                EnableIAMDatabaseAuthentication=spec["iam"],
                StorageEncrypted=True,
            )
        cluster = backend.clusters[name]
        _as_standin(cluster)
        cluster.db_cluster_resource_id = spec["resource_id"]
        cluster.standin_endpoint = spec["endpoint"]
        cluster.standin_reader_endpoint = spec["reader_endpoint"]
        cluster.port = DB_PORT
        cluster.iam_auth = spec["iam"]
        cluster.status = "available"  # moto answers "creating" once otherwise
    instances = {i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]}
    for name, spec in CLUSTERS.items():
        for instance_name, ispec in spec["instances"].items():
            if instance_name not in instances:
                rds.create_db_instance(
                    DBInstanceIdentifier=instance_name,
                    DBClusterIdentifier=name,
                    Engine=CLUSTER_ENGINE,
                    EngineVersion=CLUSTER_ENGINE_VERSION,
                    DBInstanceClass=CLUSTER_INSTANCE_CLASS,
                )
            _fix_instance(backend.databases[instance_name], ispec, spec["iam"])
    for name, spec in INSTANCES.items():
        if name not in instances:
            rds.create_db_instance(
                DBInstanceIdentifier=name,
                Engine=spec["engine"],
                EngineVersion=spec["engine_version"],
                DBInstanceClass=spec["instance_class"],
                AllocatedStorage=20,
                MasterUsername=MASTER_USERNAME,
                MasterUserPassword=MASTER_PASSWORD,
                Port=DB_PORT,
                EnableIAMDatabaseAuthentication=spec["iam"],
                StorageEncrypted=True,
            )
        _fix_instance(backend.databases[name], spec, spec["iam"])


def _fix_instance(instance, spec: dict, iam: bool) -> None:
    _as_standin(instance)
    instance.dbi_resource_id = spec["dbi_resource_id"]  # moto gives every instance the same one
    instance.standin_address = spec["address"]
    instance.port = DB_PORT
    instance.enable_iam_database_authentication = iam
    instance.status = "available"


def _seed_identity_center(sso) -> None:
    from moto.ssoadmin.models import ssoadmin_backends

    backend = ssoadmin_backends[ACCOUNT][SSO_REGION]
    arns = [i["InstanceArn"] for i in sso.list_instances()["Instances"]]  # moto makes one per region
    instance = next(i for i in backend.instances if i.instance_arn in arns)
    if instance.instance_arn != SSO_INSTANCE_ARN:
        old = instance.instance_arn
        instance.instance_arn = SSO_INSTANCE_ARN
        for permission_set in backend.permission_sets:
            if permission_set.instance_arn == old:
                permission_set.instance_arn = SSO_INSTANCE_ARN
        for assignment in backend.account_assignments:
            if assignment.instance_arn == old:
                assignment.instance_arn = SSO_INSTANCE_ARN
    instance.identity_store_id = SSO_IDENTITY_STORE_ID
    if instance.name != SSO_INSTANCE_NAME:
        sso.update_instance(InstanceArn=SSO_INSTANCE_ARN, Name=SSO_INSTANCE_NAME)

    names = {}
    for page in sso.get_paginator("list_permission_sets").paginate(InstanceArn=SSO_INSTANCE_ARN):
        for arn in page["PermissionSets"]:
            ps = sso.describe_permission_set(InstanceArn=SSO_INSTANCE_ARN, PermissionSetArn=arn)["PermissionSet"]
            names[ps["Name"]] = arn
    for name, arn in PERMISSION_SETS.items():
        if name not in names:
            names[name] = sso.create_permission_set(
                InstanceArn=SSO_INSTANCE_ARN,
                Name=name,
                Description=f"dbiam local stand-in: {name}",
                SessionDuration=PERMISSION_SET_SESSION_DURATION,
            )["PermissionSet"]["PermissionSetArn"]
        if names[name] != arn:
            permission_set = next(p for p in backend.permission_sets if p.permission_set_arn == names[name])
            permission_set.permission_set_arn = arn


def _seed_iam(iam) -> None:
    try:
        iam.get_role(RoleName=ROLE_NAME)
    except iam.exceptions.NoSuchEntityException:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:{PARTITION}:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
            ],
        }
        iam.create_role(
            RoleName=ROLE_NAME,
            AssumeRolePolicyDocument=json.dumps(trust),
            Description="dbiam local stand-in: the bastion role of attach: role",
        )


def _seed_organizations(org) -> None:
    from moto.organizations.models import organizations_backends

    backend = organizations_backends[ACCOUNT][PARTITION]
    try:
        org.describe_organization()
    except org.exceptions.AWSOrganizationsNotInUseException:
        org.create_organization(FeatureSet="ALL")
    organization = backend.org
    old_root = organization.root_id
    if organization.id != ORG_ID or old_root != ORG_ROOT_ID:
        organization.id = ORG_ID
        organization.root_id = ORG_ROOT_ID
        for item in [*backend.ou, *backend.accounts, *backend.policies]:
            item.organization_id = ORG_ID
        for item in [*backend.ou, *backend.accounts]:
            if item.id == old_root:
                item.id = ORG_ROOT_ID
            if getattr(item, "parent_id", None) == old_root:
                item.parent_id = ORG_ROOT_ID
    ous = {
        ou["Name"]: ou["Id"]
        for page in org.get_paginator("list_organizational_units_for_parent").paginate(ParentId=ORG_ROOT_ID)
        for ou in page["OrganizationalUnits"]
    }
    if ORG_OU_NAME not in ous:
        ous[ORG_OU_NAME] = org.create_organizational_unit(ParentId=ORG_ROOT_ID, Name=ORG_OU_NAME)[
            "OrganizationalUnit"
        ]["Id"]
    if ous[ORG_OU_NAME] != ORG_OU_ID:
        ou = next(o for o in backend.ou if o.id == ous[ORG_OU_NAME])
        ou.id = ORG_OU_ID


# --- The script: against a running stand-in -------------------------------------


def _request(endpoint: str, method: str, path: str, timeout: float) -> dict:
    import urllib.request

    request = urllib.request.Request(endpoint + path, method=method, data=b"" if method == "POST" else None)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def _pid_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(") ", 1)[1].split(" ", 1)[0] != "Z"
    except (OSError, IndexError):
        return False


def main(argv: list[str]) -> int:
    import argparse
    import urllib.error

    parser = argparse.ArgumentParser(prog="seed.py", description="Seeds a running local AWS stand-in.")
    parser.add_argument("--endpoint", default=os.environ.get("AWS_STANDIN_URL", "http://127.0.0.1:45130"))
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the server to answer")
    parser.add_argument("--pid", type=int, help="give up waiting when this process is gone")
    parser.add_argument("--reset", action="store_true", help="reset moto (all its state) before seeding")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    endpoint = args.endpoint.rstrip("/")

    deadline = time.monotonic() + args.wait
    while True:
        try:
            ping = _request(endpoint, "GET", PING_PATH, timeout=2)
            break
        except (urllib.error.URLError, OSError, ValueError) as error:
            if args.pid is not None and not _pid_alive(args.pid):
                print(f"seed.py: the server (pid {args.pid}) exited", file=sys.stderr)
                return 1
            if time.monotonic() >= deadline:
                print(f"seed.py: no local AWS stand-in answers at {endpoint}: {error}", file=sys.stderr)
                return 1
            time.sleep(0.05)
    if ping.get("standin") != "dbiam-aws" or ping.get("account") != ACCOUNT:
        print(f"seed.py: {endpoint} is not the local AWS stand-in: {ping}", file=sys.stderr)
        return 1
    try:
        if args.reset:
            _request(endpoint, "POST", "/moto-api/reset", timeout=30)
        result = _request(endpoint, "POST", SEED_PATH, timeout=120)
    except urllib.error.HTTPError as error:
        print(f"seed.py: seeding failed: {error}: {error.read().decode('utf-8', 'replace')}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

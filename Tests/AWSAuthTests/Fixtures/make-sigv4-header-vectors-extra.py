#!/usr/bin/env python3
"""Writes sigv4-header-vectors-extra.json: AWS API requests signed in the Authorization
header by botocore's SigV4Auth, the oracle the Swift header signer must match.

Run from the repository root with the project's virtualenv (botocore pinned in
Tests/requirements.txt):

    .venv/bin/python Tests/AWSAuthTests/Fixtures/make-sigv4-header-vectors-extra.py

Query protocol bodies are made by botocore too (an AWSRequest with the parameters as
data, prepared after signing), so the vectors also pin down the form encoding: each such
vector carries its `form_parameters`, in order, next to the `body` botocore made of them.
The signing time is fixed by patching botocore.auth.get_current_datetime, the clock
add_auth reads.
Before writing anything the script re-signs every vector of sigv4-header-vectors.json
the same way and stops unless all of them come out identical.
"""

import datetime
import json
import pathlib
import sys
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXTURES = pathlib.Path(__file__).resolve().parent
REFERENCE_FILE = FIXTURES / "sigv4-header-vectors.json"
OUTPUT_FILE = FIXTURES / "sigv4-header-vectors-extra.json"

EXAMPLE_KEY_ID = "AKIDEXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEXAMPLE//session+token=="
FORM = "application/x-www-form-urlencoded; charset=utf-8"
JSON11 = "application/x-amz-json-1.1"
SSO_INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
SSO_PERMISSION_SET = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-0123456789abcdef"

POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "rds-db:connect",
                "Resource": "arn:aws:rds-db:ap-northeast-1:123456789012:dbuser:cluster-ABC/app user",
            }
        ],
    }
)


def query(name, service, region, url, parameters, **extra):
    return {"name": name, "service": service, "region": region, "url": url,
            "headers_in": {"Content-Type": FORM}, "form_parameters": parameters, **extra}


def json11(name, service, region, url, target, body, **extra):
    return {"name": name, "service": service, "region": region, "url": url,
            "headers_in": {"Content-Type": JSON11, "X-Amz-Target": target},
            "body": json.dumps(body, separators=(",", ":"), ensure_ascii=False), **extra}


CASES = [
    query("rds-describe-db-clusters-marker-special-characters", "rds", "ap-northeast-1",
          "https://rds.ap-northeast-1.amazonaws.com/",
          [["Action", "DescribeDBClusters"], ["Version", "2014-10-31"], ["MaxRecords", "20"],
           ["Marker", "a=b&c+d/e f~g%h"]]),
    query("rds-describe-db-instances-session-token", "rds", "eu-west-1",
          "https://rds.eu-west-1.amazonaws.com/",
          [["Action", "DescribeDBInstances"], ["Version", "2014-10-31"]],
          session_token=SESSION_TOKEN),
    query("rds-us-gov", "rds", "us-gov-west-1", "https://rds.us-gov-west-1.amazonaws.com/",
          [["Action", "DescribeDBClusters"], ["Version", "2014-10-31"]], at="2028-02-29T00:00:00Z"),
    query("sts-get-caller-identity-session-token", "sts", "ap-northeast-1",
          "https://sts.ap-northeast-1.amazonaws.com/",
          [["Action", "GetCallerIdentity"], ["Version", "2011-06-15"]], session_token=SESSION_TOKEN),
    query("iam-put-role-policy-json-document", "iam", "us-east-1", "https://iam.amazonaws.com/",
          [["Action", "PutRolePolicy"], ["Version", "2010-05-08"], ["RoleName", "bastion"],
           ["PolicyName", "dbiam-BastionRole"], ["PolicyDocument", POLICY]]),
    query("iam-non-ascii-and-reserved", "iam", "us-east-1", "https://iam.amazonaws.com/",
          [["Action", "GetRolePolicy"], ["Version", "2010-05-08"], ["RoleName", "jürgen+用户 🚀"],
           ["PolicyName", "a=b&c d/e~f*g'h!(i)"]], session_token=SESSION_TOKEN),
    query("iam-cn-partition", "iam", "cn-north-1", "https://iam.cn-north-1.amazonaws.com.cn/",
          [["Action", "DeleteRolePolicy"], ["Version", "2010-05-08"], ["RoleName", "r"], ["PolicyName", "p"]],
          access_key_id="ASIACNEXAMPLE0000001", secret_access_key="cnSecretEXAMPLE+/=key0000000000000000000"),
    query("rds-endpoint-with-path-and-port", "rds", "ap-northeast-1",
          "https://aws-gateway.example.com:8443/rds/proxy/",
          [["Action", "DescribeDBClusters"], ["Version", "2014-10-31"]]),
    query("rds-loopback-http-port", "rds", "ap-northeast-1", "http://127.0.0.1:45130/",
          [["Action", "DescribeDBClusters"], ["Version", "2014-10-31"]]),
    query("rds-path-with-dot-segments-and-space", "rds", "ap-northeast-1",
          "https://gateway.example.com/a/./b/../c%20d//e",
          [["Action", "DescribeDBClusters"], ["Version", "2014-10-31"]]),
    query("rds-default-port-and-uppercase-host", "rds", "ap-northeast-1",
          "https://RDS.AP-Northeast-1.amazonaws.com:443/",
          [["Action", "DescribeDBClusters"], ["Version", "2014-10-31"]]),
    json11("sso-list-permission-sets", "sso", "us-east-1", "https://sso.us-east-1.amazonaws.com/",
           "SWBExternalService.ListPermissionSets",
           {"InstanceArn": SSO_INSTANCE, "MaxResults": 100, "NextToken": "tok/en+=="}),
    json11("sso-put-inline-policy-non-ascii-session-token", "sso", "eu-central-1",
           "https://sso.eu-central-1.amazonaws.com/", "SWBExternalService.PutInlinePolicyToPermissionSet",
           {"InstanceArn": SSO_INSTANCE, "PermissionSetArn": SSO_PERMISSION_SET,
            "InlinePolicy": POLICY.replace("app user", "jürgen 用户")},
           session_token=SESSION_TOKEN),
    json11("sso-empty-object", "sso", "us-east-1", "https://sso.us-east-1.amazonaws.com/",
           "SWBExternalService.ListInstances", {}),
    json11("organizations-describe-organization", "organizations", "us-east-1",
           "https://organizations.us-east-1.amazonaws.com/",
           "AWSOrganizationsV20161128.DescribeOrganization", {}, session_token=SESSION_TOKEN),
]

DEFAULTS = {
    "access_key_id": EXAMPLE_KEY_ID,
    "secret_access_key": EXAMPLE_SECRET,
    "session_token": None,
    "at": "2026-11-29T12:00:00Z",
    "method": "POST",
}

# The order of sigv4-header-vectors.json, form_parameters before the body made of them.
FIELD_ORDER = [
    "name", "access_key_id", "secret_access_key", "session_token", "service", "region", "at",
    "method", "url", "headers_in", "form_parameters", "body", "signed_headers_out",
]


def signing_time(at):
    moment = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
    # get_current_datetime returns naive UTC, so the patch does too.
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def sign(case):
    """The headers botocore sends and the body, for one case."""
    credentials = Credentials(case["access_key_id"], case["secret_access_key"], case.get("session_token"))
    if "form_parameters" in case:
        data = dict(case["form_parameters"])  # ordered; botocore form-encodes a dict body
    else:
        data = case["body"].encode("utf-8")
    request = AWSRequest(method=case["method"], url=case["url"], headers=dict(case["headers_in"]), data=data)
    with mock.patch("botocore.auth.get_current_datetime", return_value=signing_time(case["at"])):
        SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
    body = request.prepare().body
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    return dict(request.headers.items()), body


def check_reference_vectors():
    for vector in json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))["vectors"]:
        headers, _ = sign(vector)
        if headers != vector["signed_headers_out"]:
            sys.exit(f"{REFERENCE_FILE.name}: vector {vector['name']} does not come out the same; not writing anything")


def main():
    check_reference_vectors()
    vectors = []
    for overrides in CASES:
        case = {**DEFAULTS, **overrides}
        case["signed_headers_out"], case["body"] = sign(case)
        vectors.append({key: case[key] for key in FIELD_ORDER if key in case})
    document = {"made_with": "botocore SigV4Auth.add_auth, time patched, by make-sigv4-header-vectors-extra.py",
                "vectors": vectors}
    OUTPUT_FILE.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {OUTPUT_FILE}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes rds-auth-tokens-extra.json: RDS IAM auth tokens made by botocore's
generate_db_auth_token, the oracle the Swift presigner must match byte for byte.

Run from the repository root with the project's virtualenv (botocore pinned in
Tests/requirements.txt):

    .venv/bin/python Tests/AWSAuthTests/Fixtures/make-rds-auth-tokens-extra.py

The signing time is fixed by patching botocore.auth.get_current_datetime, the one
clock SigV4 presigning reads. Before writing anything the script re-signs every case
of rds-auth-tokens.json the same way and stops unless all of them come out
identical, which shows that both files were made with the same clock patch.
"""

import datetime
import json
import pathlib
import sys
from unittest import mock

import botocore.session

FIXTURES = pathlib.Path(__file__).resolve().parent
REFERENCE_FILE = FIXTURES / "rds-auth-tokens.json"
OUTPUT_FILE = FIXTURES / "rds-auth-tokens-extra.json"

EXAMPLE_KEY_ID = "AKIDEXAMPLE"
EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

CASES = [
    {"name": "user-asterisk", "username": "app*reader"},
    {"name": "user-tilde-dot-dash-underscore", "username": "svc~db.read-only_1"},
    {"name": "user-percent", "username": "pct%41user%"},
    {"name": "user-latin1", "username": "jürgen.müller"},
    {"name": "user-cjk", "username": "用户"},
    {"name": "user-emoji", "username": "db🚀"},
    {"name": "user-reserved-ascii", "username": "a@b:c;d,e!f'g(h)i$j&k#l?m[n]o\"p<q>r\\s^t`u{v}w|x"},
    {
        "name": "us-gov-region",
        "hostname": "ledger.cluster-c1d2e3f4.us-gov-west-1.rds.amazonaws.com",
        "region": "us-gov-west-1",
        "username": "auditor",
    },
    {
        "name": "cn-region",
        "hostname": "orders.cluster-c1d2e3f4.rds.cn-north-1.amazonaws.com.cn",
        "region": "cn-north-1",
        "username": "ops",
        "access_key_id": "ASIACNEXAMPLE0000001",
        "secret_access_key": "cnSecretEXAMPLE+/=key0000000000000000000",
        "session_token": "FwoGZXIvYXdzEXAMPLE//cn+token=",
    },
    # The Host header drops the port when it is https's default, the token keeps it.
    {"name": "port-443", "port": 443, "username": "ssotest"},
    # The Host header is lowercased, the token keeps the hostname as given.
    {"name": "uppercase-hostname", "hostname": "Orders-Prod.Cluster-C9AKCIQ32.ap-northeast-1.RDS.amazonaws.com"},
    # strftime drops the fraction: the token says 10:20:30.
    {"name": "fractional-signing-time", "at": "2026-03-01T10:20:30.999Z"},
    {"name": "leap-day-midnight", "at": "2028-02-29T00:00:00Z"},
]

DEFAULTS = {
    "hostname": "orders-prod.cluster-c9akciq32.ap-northeast-1.rds.amazonaws.com",
    "port": 3306,
    "region": "ap-northeast-1",
    "username": "ssotest",
    "access_key_id": EXAMPLE_KEY_ID,
    "secret_access_key": EXAMPLE_SECRET,
    "at": "2026-11-29T12:00:00Z",
}


# The order of rds-auth-tokens.json, so that the two files read alike.
FIELD_ORDER = [
    "name", "hostname", "port", "region", "username",
    "access_key_id", "secret_access_key", "session_token", "at", "token",
]


def signing_time(at):
    moment = datetime.datetime.fromisoformat(at.replace("Z", "+00:00"))
    # get_current_datetime returns naive UTC, so the patch does too.
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def make_token(case):
    session = botocore.session.Session()
    session.set_credentials(case["access_key_id"], case["secret_access_key"], case.get("session_token"))
    client = session.create_client("rds", region_name=case["region"])
    with mock.patch("botocore.auth.get_current_datetime", return_value=signing_time(case["at"])):
        return client.generate_db_auth_token(case["hostname"], case["port"], case["username"], Region=case["region"])


def check_reference_tokens():
    for case in json.loads(REFERENCE_FILE.read_text(encoding="utf-8")):
        if make_token(case) != case["token"]:
            sys.exit(f"{REFERENCE_FILE.name}: case {case['name']} does not come out the same; not writing anything")


def main():
    check_reference_tokens()
    vectors = []
    for overrides in CASES:
        case = {**DEFAULTS, **overrides}
        case["token"] = make_token(case)
        vectors.append({key: case[key] for key in FIELD_ORDER if key in case})
    OUTPUT_FILE.write_text(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(vectors)} vectors to {OUTPUT_FILE}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes local-tokens.json: botocore-made tokens for the stand-in's settings.

These complement rds-auth-tokens.json (reference tokens for AWS hosts) with
tokens for 127.0.0.1:33306 and the keys in ../test-access-keys, including
properly signed tokens that must still be refused (wrong service, too long
X-Amz-Expires, another account, ...). Regenerate with the project's Python:
    $DBIAM_PYTHON aurora-standin/tests/make-local-tokens.py
"""
import datetime
import json
import pathlib
from unittest import mock

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session

HERE = pathlib.Path(__file__).resolve().parent
REGION = "ap-northeast-1"
ACCOUNT = "012345678901"
ENDPOINTS = "127.0.0.1:33306,localhost:33306"
AT = datetime.datetime(2026, 11, 29, 12, 0, 0)


def load_keys():
    keys = {}
    for line in (HERE.parent / "test-access-keys").read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) == 3:
            keys[fields[0]] = (fields[1], fields[2])
    return keys


KEYS = load_keys()


def client_token(host, port, user, akid, session=None, region=REGION):
    """A token exactly as botocore's RDS client generate_db_auth_token makes it."""
    client = botocore.session.Session().create_client(
        "rds", region_name=region, aws_access_key_id=akid,
        aws_secret_access_key=KEYS[akid][0], aws_session_token=session)
    with mock.patch("botocore.auth.get_current_datetime", return_value=AT):
        return client.generate_db_auth_token(DBHostname=host, Port=port, DBUsername=user)


def raw_token(host, port, user, akid, service="rds-db", expires=900, extra=None, region=REGION):
    """The same signing with botocore's SigV4QueryAuth, with knobs AWS clients do not turn."""
    params = {"Action": "connect", "DBUser": user, **(extra or {})}
    request = botocore.awsrequest.AWSRequest(method="GET", url=f"https://{host}:{port}/", data=params)
    auth = botocore.auth.SigV4QueryAuth(
        botocore.credentials.Credentials(akid, KEYS[akid][0]), service, region, expires=expires)
    with mock.patch("botocore.auth.get_current_datetime", return_value=AT):
        auth.add_auth(request)
    return request.url[len("https://"):]


def vector(name, expect, token, user, akid, session=None):
    return {
        "name": name, "expect": expect, "endpoints": ENDPOINTS, "region": REGION,
        "account": ACCOUNT, "username": user, "access_key_id": akid,
        "secret_access_key": KEYS[akid][0], "key_account": KEYS[akid][1],
        **({"session_token": session} if session else {}),
        "at": AT.strftime("%Y-%m-%dT%H:%M:%SZ"), "token": token,
    }


def main():
    session = "FwoGZXIvYXdzEXAMPLE//local+session/token=="
    assert raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001") == \
        client_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001")
    vectors = [
        vector("local-long-term-key", "ok",
               client_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001"),
               "app_user", "AKIALOCALTEST0000001"),
        vector("local-temporary-key", "ok",
               client_token("127.0.0.1", 33306, "app_user", "ASIALOCALTEST0000002", session),
               "app_user", "ASIALOCALTEST0000002", session),
        vector("local-localhost", "ok",
               client_token("localhost", 33306, "dbiam_iam_admin", "AKIALOCALTEST0000001"),
               "dbiam_iam_admin", "AKIALOCALTEST0000001"),
        vector("local-user-needs-encoding", "ok",
               client_token("127.0.0.1", 33306, "a b+c/d=e~f_g.h-%", "AKIALOCALTEST0000001"),
               "a b+c/d=e~f_g.h-%", "AKIALOCALTEST0000001"),
        vector("local-utf8-user", "ok",
               client_token("127.0.0.1", 33306, "\u30e6\u30fc\u30b6", "AKIALOCALTEST0000001"),
               "\u30e6\u30fc\u30b6", "AKIALOCALTEST0000001"),
        vector("other-account", "wrong-account",
               client_token("127.0.0.1", 33306, "app_user", "AKIAOTHERACCOUNT0001"),
               "app_user", "AKIAOTHERACCOUNT0001"),
        vector("temporary-key-without-session-token", "security-token",
               client_token("127.0.0.1", 33306, "app_user", "ASIALOCALTEST0000002"),
               "app_user", "ASIALOCALTEST0000002"),
        vector("long-term-key-with-session-token", "security-token",
               client_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", session),
               "app_user", "AKIALOCALTEST0000001", session),
        vector("wrong-port", "wrong-endpoint",
               client_token("127.0.0.1", 3306, "app_user", "AKIALOCALTEST0000001"),
               "app_user", "AKIALOCALTEST0000001"),
        vector("wrong-region", "wrong-region",
               client_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", region="us-east-1"),
               "app_user", "AKIALOCALTEST0000001"),
        vector("service-rds", "bad-service",
               raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", service="rds"),
               "app_user", "AKIALOCALTEST0000001"),
        vector("expires-901", "bad-expires",
               raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", expires=901),
               "app_user", "AKIALOCALTEST0000001"),
        vector("expires-3600", "bad-expires",
               raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", expires=3600),
               "app_user", "AKIALOCALTEST0000001"),
        vector("expires-60", "ok",
               raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", expires=60),
               "app_user", "AKIALOCALTEST0000001"),
        vector("action-other", "bad-action",
               raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", extra={"Action": "login"}),
               "app_user", "AKIALOCALTEST0000001"),
        vector("extra-signed-parameter", "malformed",
               raw_token("127.0.0.1", 33306, "app_user", "AKIALOCALTEST0000001", extra={"Foo": "bar"}),
               "app_user", "AKIALOCALTEST0000001"),
    ]
    out = HERE / "local-tokens.json"
    out.write_text(json.dumps(vectors, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(vectors)} tokens to {out}")


if __name__ == "__main__":
    main()

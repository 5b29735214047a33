#!/usr/bin/env python3
"""End-to-end test of the running Aurora stand-in (run by ../test-e2e).

Tokens made by botocore's generate_db_auth_token log in with the `mariadb`
client (mysql_clear_password over verified TLS) as users created exactly as on
Aurora; bad tokens get ERROR 1045 and the server log says why, without
printing tokens or secrets. Fails (does not skip) when the server is missing.
"""
import datetime
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
from unittest import mock

import botocore.auth
import botocore.session

CFG = {k: os.environ[k] for k in (
    "AURORA_HOST", "AURORA_PORT", "AURORA_REGION", "AURORA_CA", "AURORA_ERROR_LOG",
    "AURORA_KEYS_FILE", "AURORA_ADMIN_USER", "AURORA_IAM_ADMIN_USER", "DBIAM_LOCAL_ADMIN_PASSWORD")}
HOST, PORT, REGION = CFG["AURORA_HOST"], int(CFG["AURORA_PORT"]), CFG["AURORA_REGION"]
USER, OTHER_USER, BAD_AS_USER = "e2e_iam_user", "e2e_iam_other", "e2e_iam_bad_as"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjE2e2e/session+token=="
WORK = pathlib.Path(tempfile.mkdtemp(prefix="aurora-e2e-"))
failures = []


def keys():
    table = {}
    for line in pathlib.Path(CFG["AURORA_KEYS_FILE"]).read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) == 3:
            table[fields[0]] = fields[1]
    return table


KEYS = keys()
LONG_TERM, TEMPORARY, OTHER_ACCOUNT = "AKIALOCALTEST0000001", "ASIALOCALTEST0000002", "AKIAOTHERACCOUNT0001"
_clients = {}


def token(user, akid=LONG_TERM, secret=None, session=None, region=REGION, host=HOST, port=PORT, offset=0):
    """A token from botocore's RDS client, signed `offset` seconds from now."""
    key = (akid, secret or KEYS[akid], session, region)
    if key not in _clients:
        _clients[key] = botocore.session.Session().create_client(
            "rds", region_name=region, aws_access_key_id=akid,
            aws_secret_access_key=key[1], aws_session_token=session)
    at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(seconds=offset)
    with mock.patch("botocore.auth.get_current_datetime", return_value=at):
        return _clients[key].generate_db_auth_token(DBHostname=host, Port=port, DBUsername=user)


def mariadb(user, password, sql, tls=True, clear_password=True):
    """Runs the mariadb client; the password goes in a 0600 option file, never in argv."""
    option_file = WORK / "client.cnf"
    fd = os.open(option_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(f'[client]\npassword="{password}"\n')
    args = ["mariadb", f"--defaults-extra-file={option_file}", "--protocol=tcp", "-h", HOST, "-P", str(PORT),
            "-u", user, "--batch", "--skip-column-names", "--connect-timeout=10", "-e", sql]
    if clear_password:
        args.append("--default-auth=mysql_clear_password")
    args += [f"--ssl-ca={CFG['AURORA_CA']}", "--ssl-verify-server-cert"] if tls else ["--skip-ssl"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    option_file.unlink()
    return result


def admin(sql):
    r = mariadb(CFG["AURORA_ADMIN_USER"], CFG["DBIAM_LOCAL_ADMIN_PASSWORD"], sql, clear_password=False)
    if r.returncode != 0:
        sys.exit(f"FAIL: admin SQL failed: {r.stderr.strip()}")
    return r.stdout


def log_size():
    return os.path.getsize(CFG["AURORA_ERROR_LOG"])


def log_since(offset):
    with open(CFG["AURORA_ERROR_LOG"], "rb") as f:
        f.seek(offset)
        return f.read().decode(errors="replace")


def report(ok, name, detail=""):
    print(f"{'ok' if ok else 'not ok'} - {name}" + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(name)


WHOAMI = "SELECT CURRENT_USER(), VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME='SSL_VERSION'"


def expect_login(name, user, tok, expect_user=None):
    r = mariadb(user, tok, WHOAMI)
    got = r.stdout.split()
    want = f"{expect_user or user}@%"
    report(r.returncode == 0 and got[:1] == [want] and len(got) == 2 and got[1].startswith("TLS"),
           name, f"rc={r.returncode} out={r.stdout.strip()!r} err={r.stderr.strip()!r}")


def expect_refused(name, user, tok, reason, tls=True):
    before = log_size()
    r = mariadb(user, tok, "SELECT 1", tls=tls)
    log = log_since(before)
    ok = r.returncode != 0 and "ERROR 1045" in r.stderr
    if reason:
        ok = ok and f"AWSAuthenticationPlugin: access denied for '{user}'@'127.0.0.1': {reason}:" in log
    report(ok, name, f"rc={r.returncode} err={r.stderr.strip()!r} log={log.strip()[-300:]!r}")


def main():
    try:
        socket.create_connection((HOST, PORT), timeout=5).close()
    except OSError as e:
        sys.exit(f"FAIL: the Aurora stand-in is not reachable on {HOST}:{PORT} ({e}); run aurora-standin/db-up")
    log_start = log_size()

    # Accounts exactly as dbiam creates them on Aurora.
    for u in (USER, OTHER_USER, BAD_AS_USER):
        admin(f"DROP USER IF EXISTS '{u}'@'%'")
    admin(f"CREATE USER '{USER}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL")
    admin(f"CREATE USER '{OTHER_USER}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL")
    admin(f"CREATE USER '{BAD_AS_USER}'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'IAM' REQUIRE SSL")
    shown = admin(f"SHOW CREATE USER '{USER}'@'%'")
    report("IDENTIFIED VIA AWSAuthenticationPlugin USING 'RDS' REQUIRE SSL" in shown,
           "SHOW CREATE USER shows the plugin", shown)
    plugin = admin("SELECT PLUGIN_STATUS, PLUGIN_TYPE, PLUGIN_MATURITY FROM information_schema.PLUGINS "
                   "WHERE PLUGIN_NAME='AWSAuthenticationPlugin'").split()
    report(plugin == ["ACTIVE", "AUTHENTICATION", "Stable"], "plugin is active and stable", str(plugin))
    ca = admin("SELECT @@ssl_ca").strip()
    report(ca == CFG["AURORA_CA"], "server uses the generated CA", ca)

    # Tokens that log in.
    expect_login("long-term key token logs in over verified TLS", USER, token(USER))
    expect_login("temporary key + session token logs in", USER,
                 token(USER, akid=TEMPORARY, session=SESSION_TOKEN))
    expect_login("token for localhost:33306 logs in", USER, token(USER, host="localhost"))
    expect_login("token signed 14 minutes ago logs in", USER, token(USER, offset=-840))
    expect_login("token signed 4 minutes ahead (clock skew) logs in", USER, token(USER, offset=240))
    r = mariadb(CFG["AURORA_IAM_ADMIN_USER"], token(CFG["AURORA_IAM_ADMIN_USER"]),
                "SELECT CURRENT_USER(), COUNT(*) > 0 FROM mysql.user")
    report(r.returncode == 0 and r.stdout.split() == [f"{CFG['AURORA_IAM_ADMIN_USER']}@%", "1"],
           "IAM admin logs in by token and reads mysql.user", r.stderr.strip())
    same = token(USER)
    expect_login("a token can be used twice (as on AWS, until it expires)", USER, same)
    expect_login("... second use", USER, same)

    # Tokens that are refused, each for its reason.
    good = token(USER)
    sig_at = good.rindex("X-Amz-Signature=") + len("X-Amz-Signature=")
    tampered = good[:sig_at] + ("0" if good[sig_at] != "0" else "1") + good[sig_at + 1:]
    expect_refused("expired token (signed 16 minutes ago)", USER, token(USER, offset=-960), "expired")
    expect_refused("token from the future (10 minutes ahead)", USER, token(USER, offset=600), "not-yet-valid")
    expect_refused("token of another user", USER, token(OTHER_USER), "wrong-user")
    expect_refused("token for the user name in other case", USER, token(USER.upper()), "wrong-user")
    expect_refused("token signed with a wrong secret", USER, token(USER, secret="not-the-secret"), "bad-signature")
    expect_refused("token of a key of another account", USER, token(USER, akid=OTHER_ACCOUNT), "wrong-account")
    expect_refused("token with a tampered signature", USER, tampered, "bad-signature")
    expect_refused("token of an unknown key", USER, token(USER, akid="AKIAUNKNOWNKEY000001", secret="x"),
                   "unknown-key")
    expect_refused("token for another region", USER, token(USER, region="us-east-1"), "wrong-region")
    expect_refused("token for another port", USER, token(USER, port=3306), "wrong-endpoint")
    expect_refused("temporary key without session token", USER, token(USER, akid=TEMPORARY), "security-token")
    expect_refused("truncated token", USER, good[:-1], "malformed")
    expect_refused("password instead of a token", USER, "hunter2", "malformed")
    expect_refused("empty password", USER, "", "malformed")
    expect_refused("account IDENTIFIED ... AS 'IAM'", BAD_AS_USER, token(BAD_AS_USER),
                   "bad-auth-string")
    expect_refused("valid token without TLS (REQUIRE SSL)", USER, token(USER), None, tls=False)
    expect_refused("token for an IAM user used as the password user", CFG["AURORA_ADMIN_USER"],
                   token(CFG["AURORA_ADMIN_USER"]), None)

    # The log says why, but never shows a token, a signature, a session token or a secret.
    log = log_since(log_start)
    secrets = {**{f"secret of {k}": v for k, v in KEYS.items()}, "session token": SESSION_TOKEN,
               "encoded session token": "session%2Btoken", "a signature": good[sig_at:sig_at + 16],
               "a token": "X-Amz-Credential=", "admin password": CFG["DBIAM_LOCAL_ADMIN_PASSWORD"]}
    leaks = [name for name, s in secrets.items() if s in log]
    report(not leaks, "server log holds no token or secret", f"found {leaks}")
    report(log.count("AWSAuthenticationPlugin: access denied") >= 15, "server log explains refusals")

    for u in (USER, OTHER_USER, BAD_AS_USER):
        admin(f"DROP USER IF EXISTS '{u}'@'%'")
    WORK.rmdir()
    print(f"{'FAIL' if failures else 'PASS'}: {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

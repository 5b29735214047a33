"""The local AWS stand-in's server: moto's server app (the one `moto_server` runs)
on loopback, in a process that can also seed it.

    server.py --port=PORT [--host=127.0.0.1] [--pid-file=FILE]

moto keeps its state in Python objects and makes up resource ids, endpoints and
organization ids at random, with no API to set them. So the seeding runs in this
process (seed.py): POST /_standin/seed creates the objects through the AWS APIs and
then sets those attributes on moto's objects. GET /_standin/ping says what answers.
Everything else is moto's (including /moto-api/). Started by aws-up; stops on TERM.
"""

from __future__ import annotations

import argparse
import io
import ipaddress
import json
import os
import signal
import sys
import threading
import traceback

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import seed  # noqa: E402

# Before moto is imported: every request is in the stand-in's account, whatever its key
# (STS aside: other_account_keys).
os.environ["MOTO_ACCOUNT_ID"] = seed.ACCOUNT


def other_account_keys() -> dict[str, str]:
    """The access keys that the MariaDB stand-in's key file gives another account than
    the stand-in's, by key id: moto answers every key with its one account, so STS
    GetCallerIdentity would hide the trap of a token signed in another account."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "aurora-standin", "test-access-keys")
    accounts = {}
    with open(path, encoding="utf-8") as keys:
        for line in keys:
            fields = line.split()
            if len(fields) == 3 and not fields[0].startswith("#") and fields[2] != seed.ACCOUNT:
                accounts[fields[0]] = fields[2]
    return accounts


def caller_identity_of_other_account(environ, key_accounts: dict[str, str]):
    """STS GetCallerIdentity signed with a key of another account: the answer AWS gives
    (that account), as a WSGI app; None for every other request, which moto answers."""
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if "/sts/aws4_request" not in authorization or "Credential=" not in authorization:
        return None
    key = authorization.split("Credential=", 1)[1].split("/", 1)[0]
    account = key_accounts.get(key)
    if account is None:
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    if b"Action=GetCallerIdentity" not in body:
        return None
    from werkzeug.wrappers import Response
    xml = (
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>'
        f"<Arn>arn:aws:iam::{account}:user/engineer</Arn><UserId>AIDAOTHERACCOUNT0001</UserId><Account>{account}</Account>"
        "</GetCallerIdentityResult><ResponseMetadata><RequestId>dbiam-standin</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    )
    return Response(xml, status=200, mimetype="text/xml")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="server.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid-file")
    args = parser.parse_args(argv)
    if not ipaddress.ip_address(args.host).is_loopback:
        parser.error(f"--host must be a loopback address, not {args.host}")

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    moto_app = DomainDispatcherApplication(create_backend_app)
    endpoint = f"http://{args.host}:{args.port}"
    key_accounts = other_account_keys()

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        caller = caller_identity_of_other_account(environ, key_accounts)
        if caller is not None:
            return caller(environ, start_response)
        if not path.startswith("/_standin/"):
            return moto_app(environ, start_response)
        request = Request(environ)
        status, body = 404, {"error": f"no such stand-in endpoint: {request.method} {path}"}
        if path == seed.PING_PATH and request.method == "GET":
            status, body = 200, {"standin": "dbiam-aws", "account": seed.ACCOUNT, "pid": os.getpid()}
        elif path == seed.SEED_PATH and request.method == "POST":
            try:
                status, body = 200, seed.seed(endpoint)
            except Exception as error:  # the log has the traceback, the caller the message
                traceback.print_exc()
                status, body = 500, {"error": f"{type(error).__name__}: {error}"}
        response = Response(json.dumps(body, indent=2) + "\n", status=status, mimetype="application/json")
        return response(environ, start_response)

    server = make_server(args.host, args.port, app, threaded=True)
    if args.pid_file:
        with open(args.pid_file + ".tmp", "w", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(args.pid_file + ".tmp", args.pid_file)

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"server.py: moto (account {seed.ACCOUNT}) listening on {endpoint}, pid {os.getpid()}", flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        if args.pid_file:
            try:
                with open(args.pid_file, encoding="utf-8") as f:
                    mine = f.read().strip() == str(os.getpid())
                if mine:
                    os.remove(args.pid_file)
            except OSError:
                pass
    print("server.py: stopped", flush=True)
    os._exit(0)  # nothing to save (moto keeps its state in memory); skips a slow interpreter teardown


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

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

# Before moto is imported: every request is in the stand-in's account, whatever its key.
os.environ["MOTO_ACCOUNT_ID"] = seed.ACCOUNT


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

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
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

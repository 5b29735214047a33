"""The parsing reference of `make bench`: PyYAML's libyaml loader on a manifest.

usage: yaml_load.py FILE RUNS
Prints one JSON object: whether PyYAML has libyaml, and the seconds of each run.
Only yaml.load is timed, never Python's start-up or the reading of the file.
"""
import json
import sys
import time

import yaml


def main() -> None:
    path, runs = sys.argv[1], int(sys.argv[2])
    if not yaml.__with_libyaml__:
        sys.exit("bench: PyYAML was built without libyaml; reinstall it in .venv-bench (bench/setup)")
    with open(path, encoding="utf-8") as file:
        text = file.read()
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        document = yaml.load(text, Loader=yaml.CBaseLoader)
        seconds.append(time.perf_counter() - started)
    if not isinstance(document, dict) or "users" not in document:
        sys.exit(f"bench: {path} did not load as a manifest")
    print(json.dumps({"with_libyaml": yaml.__with_libyaml__, "version": yaml.__version__, "seconds": seconds}))


if __name__ == "__main__":
    main()

"""Run a replica in the foreground (used by `make demo`):

    python -m tests.replicas linkedin --port 8765 --account 'alice@example.com:secret:Alice Example' \
        [--account 'bob@example.com:pw:Bob:lang=fr,region=FR,challenge=pin'] [--variant markup=sdui ...]

An option's value may be a list, its items separated by '|' (`objects=blog-a|blog-b`); `[]` is the
empty list (an account with no blog).

The first line on stdout is exactly `READY http://127.0.0.1:PORT`; it runs until SIGTERM or Ctrl-C.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from . import names, replica_class
from .server import ReplicaServer, parse_assignments

_BOOL_FIELDS = {"genai"}


def parse_account(spec: str) -> dict[str, Any]:
    """`EMAIL:PASSWORD[:NAME[:key=value,...]]` -> add_account() keywords (no ':' in the password)."""
    parts = spec.split(":", 3)
    if len(parts) < 2 or not parts[0] or not parts[1]:
        raise ValueError(f"--account {spec!r}: expected EMAIL:PASSWORD[:NAME[:key=value,...]]")
    fields: dict[str, Any] = {"email": parts[0], "password": parts[1]}
    if len(parts) > 2 and parts[2]:
        fields["name"] = parts[2]
    if len(parts) > 3 and parts[3]:
        for key, value in parse_assignments(parts[3].split(",")).items():
            if key in _BOOL_FIELDS:
                fields[key] = value.lower() in ("1", "true", "yes", "on")
            elif value == "[]" or "|" in value:
                fields[key] = [item for item in value.strip("[]").split("|") if item]
            else:
                fields[key] = value or None
    return fields


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.replicas", description="Serve a platform replica locally.")
    ap.add_argument("platform", choices=names())
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="0 (default): any free port")
    ap.add_argument("--account", action="append", default=[], metavar="EMAIL:PASSWORD[:NAME[:k=v,...]]")
    ap.add_argument("--variant", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = ap.parse_args(argv)

    replica = replica_class(args.platform)()
    try:
        for spec in args.account:
            replica.add_account(**parse_account(spec))
        replica.configure(**parse_assignments(args.variant))
    except (TypeError, ValueError) as exc:
        ap.error(str(exc))

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with ReplicaServer(replica.app, port=args.port, host=args.host, quiet=not args.verbose) as server:
        replica.url = server.url
        print(f"READY {server.url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

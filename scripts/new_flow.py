"""Scaffold a new platform: `python scripts/new_flow.py NAME [--root DIR]`.

Writes flows/NAME.yaml (every setting marked `status: broken` until it is filled in from
shared/platforms/NAME.md, so nothing half-made runs) and tests/replicas/NAME.py (a replica skeleton
with the interface tests/test_every_flow.py uses), then says what is left to do. Adding a platform
becomes a recipe: fill the flow from the reference file, build the replica from the same file
(ideally two people, neither seeing the other's work), register the replica, run `make test`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

FLOW = """\
# {title}, from shared/platforms/{name}.md only. Labels are lists of alternatives per language;
# controls are found by role, aria state and label text; every *unsure* fact must work both ways.
schema: 2
platform: {name}
title: {title}
origins: ["https://www.{name}.com"]      # TODO: the platform's own origins (credentials go nowhere else)
home: /
languages: [en]
replica: {name}

signin:
  url: /login                             # TODO
  username: [{{css: "input[autocomplete='username']"}}]
  password: [{{css: "input[type='password']"}}]
  submit: [{{role: button, name: [Log in, Sign in]}}]
  signed_in: [{{url: /home}}]              # TODO: how "signed in" looks
  signed_out: [{{url: /login}}, {{css: "input[type='password']"}}]
  rejected: []
  challenges: []

settings:
  - id: ai-training                       # TODO
    title: TODO the setting's title
    path: [TODO, the, click, path]
    kind: switch
    want: "off"
    status: broken                        # remove once the flow and its replica pass
    deep_link: /settings/TODO
    control:
      - {{role: switch, name: [TODO the switch's label], contains: true}}
"""

REPLICA = '''\
"""{title} replica: the pages of shared/platforms/{name}.md, never easier than the real site."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask


class {cls}Replica:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.accounts: dict[str, dict[str, Any]] = {{}}
        self.app = self._create_app()

    def add_account(self, email: str, password: str, name: str = "Alice Example", **extra: Any) -> dict:
        with self._lock:
            self.accounts[email] = {{"password": password, "name": name, "ai_training": True, **extra}}
            return dict(self.accounts[email])

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {{"accounts": {{e: {{k: v for k, v in a.items() if k != "password"}}
                                 for e, a in self.accounts.items()}}}}

    def opted_out(self, email: str) -> dict[str, bool]:
        """Per setting id of flows/{name}.yaml: does the server hold the member as opted out?"""
        return {{"ai-training": self.state()["accounts"][email]["ai_training"] is False}}

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        # TODO: the login page, each challenge, the settings pages, the save request, the faults
        return app
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="the platform's name: lowercase letters, digits, '-'")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", args.name):
        print(f"new_flow: '{args.name}' is not a platform name (lowercase letters, digits, '-')", file=sys.stderr)
        return 2
    title = args.name.replace("-", " ").title()
    cls = title.replace(" ", "")
    module = args.name.replace("-", "_")
    flow_path = args.root / "flows" / f"{args.name}.yaml"
    replica_path = args.root / "tests" / "replicas" / f"{module}.py"
    for path in (flow_path, replica_path):
        if path.exists():
            print(f"new_flow: {path} exists already; nothing written", file=sys.stderr)
            return 2
    flow_path.parent.mkdir(parents=True, exist_ok=True)
    replica_path.parent.mkdir(parents=True, exist_ok=True)
    flow_path.write_text(FLOW.format(name=args.name, title=title), encoding="utf-8")
    replica_path.write_text(REPLICA.format(name=args.name, title=title, cls=cls), encoding="utf-8")
    print(f"wrote {flow_path} and {replica_path}. Next:\n"
          f"  1. fill the flow from shared/platforms/{args.name}.md (every TODO; labels per language)\n"
          f"  2. build the replica from the same file, with its faults and a test-only state endpoint\n"
          f"  3. register it: REPLICAS['{args.name}'] = f\"{{__name__}}.{module}:{cls}Replica\" in "
          f"tests/replicas/__init__.py\n"
          f"  4. drop `status: broken` and run `make test` (tests/test_every_flow.py runs it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

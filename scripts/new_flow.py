"""Scaffold a new platform: `python scripts/new_flow.py NAME [--root DIR]`.

Writes flows/NAME.yaml (every setting marked `status: broken` until it is filled in from
shared/platforms/NAME.md, so nothing half-made runs) and the platform's folder tests/platforms/NAME/
('-' written '_'): replica.py, a skeleton that satisfies tests/replicas/interface.py, and a test
that checks it; then says what is left to do. Adding a platform becomes a recipe: fill the flow from
the reference file, build the replica from the same file (ideally two people, neither seeing the
other's work), run `make test`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

FLOW = """\
# {title}, from shared/platforms/{name}.md only. Labels are lists of alternatives per language;
# controls are found by role, aria state and label text; every *unsure* fact must work both ways.
schema: 4
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
    confidence: low                       # TODO: shared/platforms/README.md's rating
    off_means: TODO what "off" means there
    status: broken                        # remove once the flow and its replica pass
    deep_link: /settings/TODO
    control:
      - {{role: switch, name: [TODO the switch's label], contains: true}}
"""

REPLICA = '''\
"""{title} replica: the pages of shared/platforms/{name}.md, never easier than the real site.
It satisfies tests/replicas/interface.py (tests/platforms/{module}/test_{module}_replica.py checks it)."""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask

from tests.replicas.server import apply_variants, control_blueprint


@dataclass(frozen=True)
class Variants:
    """The faults and page variants, all off by default (TODO: those shared/platforms/{name}.md shows)."""


class {cls}Replica:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.variants = Variants()
        self._added: dict[str, dict[str, Any]] = {{}}  # each account as added, for reset()
        self.accounts: dict[str, dict[str, Any]] = {{}}
        self.url: str | None = None  # set by whoever serves the app
        self.app = self._create_app()

    def add_account(self, email: str, password: str, name: str = "Alice Example", **options: Any) -> dict[str, Any]:
        with self._lock:
            self._added[email] = {{"password": password, "name": name, "ai_training": True, **options}}
            self.accounts[email] = dict(self._added[email])
            return self._account_state(email)

    def configure(self, **variants: Any) -> None:
        with self._lock:
            self.variants = apply_variants(self.variants, variants)  # ValueError on an unknown name

    def reset(self, drop_accounts: bool = False) -> None:
        with self._lock:
            self.variants = Variants()
            if drop_accounts:
                self._added.clear()
            self.accounts = {{email: dict(added) for email, added in self._added.items()}}

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {{"variants": dataclasses.asdict(self.variants),
                    "accounts": {{email: self._account_state(email) for email in self.accounts}}}}

    def opted_out(self, email: str) -> dict[str, bool]:
        """Per setting id of flows/{name}.yaml: does the server hold the member as opted out?"""
        return {{"ai-training": self.state()["accounts"][email]["ai_training"] is False}}

    def switch_back_on(self, email: str | None = None) -> list[str]:
        """The platform switches its switches back on (a sent form stays sent); KeyError: unknown email."""
        with self._lock:
            targets = [self.accounts[email]] if email else list(self.accounts.values())
            for account in targets:
                account["ai_training"] = True
            return [email] if email else list(self.accounts)

    def _account_state(self, email: str) -> dict[str, Any]:
        return {{k: v for k, v in self.accounts[email].items() if k != "password"}}

    def _create_app(self) -> Flask:
        app = Flask(__name__)
        app.register_blueprint(control_blueprint(self))  # the /__replica__/ endpoints every replica has
        # TODO: the login page, each challenge, the settings pages, the save request, the faults
        return app


# tests/replicas finds a platform's replica by this name.
Replica = {cls}Replica
'''

TEST = '''\
"""{title}'s own tests: its replica (tests/test_every_flow.py runs the flow against it)."""

from __future__ import annotations

from optout import flow
from tests.replicas.interface import problems

from .replica import Replica


def test_replica_satisfies_the_interface():
    assert problems(Replica, {{s.id for s in flow.load("{name}").settings}}) == []
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
    folder = args.root / "tests" / "platforms" / module
    files = {
        flow_path: FLOW.format(name=args.name, title=title),
        folder / "__init__.py": "",
        folder / "replica.py": REPLICA.format(name=args.name, title=title, cls=cls, module=module),
        folder / f"test_{module}_replica.py": TEST.format(name=args.name, title=title, module=module),
    }
    for path in (flow_path, folder):
        if path.exists():
            print(f"new_flow: {path} exists already; nothing written", file=sys.stderr)
            return 2
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote {flow_path} and {folder}/ (replica.py, test_{module}_replica.py). Next:\n"
          f"  1. fill the flow from shared/platforms/{args.name}.md (every TODO; labels per language)\n"
          f"  2. build the replica from the same file, with its faults (tests/replicas/README.md), and\n"
          f"     its own tests beside it; it is found by its folder, nothing to register\n"
          f"  3. drop `status: broken` and run `make test` (tests/test_every_flow.py runs the flow:\n"
          f"     run, switched back on, verify, verify --fix, verify)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

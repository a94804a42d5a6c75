"""`optout doctor`: a look at everything a run depends on, one line per check.

Each check says `ok`, `warn` (works, but the user should know) or `FIX` (a run would fail: the line
says what to do). It starts the browser once, as a run does, because a path that exists is not yet a
driver that answers (OPTOUT_CHROMEDRIVER=/bin/true is "found" and useless).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from optout import config
from optout.errors import OptoutError

Status = Literal["ok", "warn", "fix"]


@dataclass(frozen=True)
class Check:
    status: Status
    name: str
    text: str


def _browser() -> str:
    from optout import browser

    browser.chromium_path()
    browser.chromedriver_path()
    return browser.smoke_test()


def _keyring() -> Check:
    from optout import credentials

    name = credentials.backend_name()
    if "Plaintext" in name or "keyrings.alt.file" in name:
        return Check("warn", "keyring", f"{name}: secrets are kept in a file, NOT encrypted; use the system "
                     "keyring where there is one (unset PYTHON_KEYRING_BACKEND)")
    return Check("ok", "keyring", name)


def _flows() -> str:
    from optout import flow

    return ", ".join(sorted(flow.load_all()))


def _home() -> str:
    folder = config.private_dir(config.home())
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        raise OptoutError(f"{folder} is not writable ({exc.strerror}): point OPTOUT_HOME at a folder you can "
                          "write") from None
    return str(folder)


def _accounts() -> str:
    found = config.accounts()
    path = config.accounts_path()
    if not found:
        return f"none yet ({path}): add one with `optout creds set PLATFORM USER`"
    return f"{len(found)} in {path}"


def _ledger() -> str:
    path = config.home() / "ledger.sqlite3"
    if not path.exists():
        return "no ledger yet (the first run starts it)"
    from optout.ledger import Ledger

    with Ledger(path) as ledger:
        problems = ledger.verify()
        count = len(ledger.history())
    if problems:
        raise OptoutError(f"{len(problems)} problem(s), first: {problems[0]} (all: `optout ledger verify`)")
    return f"{path}: {count} results, intact"


def _display() -> Check:
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return Check("warn", "display", "none: `optout login` and --headed need a screen (a desktop session, "
                     "`ssh -X`, or `xvfb-run -a optout login …` with a VNC viewer)")
    return Check("ok", "display", os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY") or "the desktop's")


def run_checks() -> list[Check]:
    simple: list[tuple[str, Callable[[], str]]] = [
        ("browser", _browser), ("flows", _flows), ("home", _home), ("accounts", _accounts), ("ledger", _ledger),
    ]
    checks = []
    for name, check in simple:
        try:
            checks.append(Check("ok", name, check()))
        except OptoutError as exc:
            checks.append(Check("fix", name, str(exc)))
    for made in (_keyring, _display):
        try:
            checks.append(made())
        except OptoutError as exc:
            checks.append(Check("fix", made.__name__.strip("_"), str(exc)))
    return checks

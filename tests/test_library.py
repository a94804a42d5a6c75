"""The front door: `import optout` and nothing else of optout gives a Python caller what the command
line gives a person: the checks, results in the order of the accounts, a run row in the ledger with
its exit code, and alerts when a verify finds a setting back on. Judged by the site's state (the
synthetic `sample` platform, tests/engine_site/)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import optout
from tests.conftest import ROOT
from tests.engine_site.helpers import PLATFORM, SWITCH, in_process

# not in alphabetical order: results follow the accounts file, not names nor who finished first
USERS = ["zoe@example.com", "adam@example.com"]


@dataclass
class Receiver:
    url: str = ""
    posts: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local endpoint for apprise's json:// channel, keeping the bodies it received."""
    box = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            box.posts.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
            self.send_response(200)  # after it is kept: the alert returns once it was received
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    box.url = f"json://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield box
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def accounts(cli, sample, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """USERS on the site and in optout's home (set up as a person would), this process pointed at
    that home, keyring and the `sample` flow."""
    for i, user in enumerate(USERS):
        sample.add_account(user, f"pw-{i}-library", name=f"Member {i}")
        assert cli("creds", "set", PLATFORM, user, "--password-stdin", input=f"pw-{i}-library\n").code == 0
    in_process(cli, monkeypatch)
    return USERS


def run_row(cli, run_id: int) -> tuple[str, int | None]:
    with sqlite3.connect(f"file:{cli.home / 'ledger.sqlite3'}?mode=ro", uri=True) as db:
        return db.execute("SELECT command, exit_code FROM runs WHERE id = ?", (run_id,)).fetchone()


def test_the_front_door_is_light():
    """`import optout` (and so `optout --help`) loads neither Selenium, pydantic nor the runner."""
    code = ("import sys, optout; optout.Selection; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('selenium', 'pydantic', 'tenacity') "
            "or m == 'optout.runner'))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert shown.stdout.strip() == "[]", shown.stdout


def test_a_selection_is_checked_before_any_browser_starts(accounts):
    with pytest.raises(optout.UsageError, match="name a platform") as raised:
        optout.select(optout.Selection(mode="verify"))
    assert raised.value.exit_code == optout.ExitCode.USAGE
    with pytest.raises(optout.OptoutError, match="no account 'nobody@example.com'"):
        optout.select(optout.Selection(platforms=[PLATFORM], account="nobody@example.com"))
    plan = optout.select(optout.Selection(all=True, settings=[SWITCH]))
    assert [j.account.user for j in plan.jobs] == USERS
    assert plan.mode == "run" and all(j.wait == 30.0 for j in plan.jobs)


def test_run_then_drift_alerted_then_fixed(cli, sample, accounts, receiver):
    said: list[str] = []
    selection = optout.Selection(platforms=[PLATFORM], settings=[SWITCH], base_urls={PLATFORM: sample.url})

    done = optout.run(selection, workers=2, say=said.append)
    assert done.exit_code == optout.ExitCode.OK
    assert [(r.account, r.outcome) for r in done.results] == [(u, "changed") for u in USERS]
    assert all(sample.opted_out(u)[SWITCH] for u in USERS)
    assert run_row(cli, done.run_id) == ("run", 0)
    assert any("(--base-url)" in line for line in said)

    assert cli("notify", "add", receiver.url).code == 0
    sample.switch_back_on(USERS[1])  # the platform switches it back on for one account
    found = optout.run(replace(selection, mode="verify"), workers=2, say=said.append)
    assert found.exit_code == optout.ExitCode.FAILED
    assert [(r.account, r.outcome) for r in found.results] == [(USERS[0], "ok"), (USERS[1], "drifted")]
    assert sample.state()["accounts"][USERS[1]]["training"] is True  # verify alone changes nothing
    assert run_row(cli, found.run_id) == ("verify", 1)
    [alert] = receiver.posts
    assert f"{PLATFORM} / {USERS[1]} / {SWITCH}" in alert["message"] and USERS[0] not in alert["message"]
    assert f"optout verify {PLATFORM}" in alert["message"]  # the command it names is the selection's

    fixed = optout.run(replace(selection, mode="verify", fix=True), workers=1,
                       say=said.append)
    assert (fixed.exit_code, [r.outcome for r in fixed.results]) == (optout.ExitCode.OK, ["ok", "changed"])
    assert all(sample.opted_out(u)[SWITCH] for u in USERS)
    assert run_row(cli, fixed.run_id) == ("verify", 0)
    assert len(receiver.posts) == 1  # nothing needed saying
    assert optout.last_broken() == {}

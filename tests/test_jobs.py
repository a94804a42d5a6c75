"""Several accounts at once: every result, proof and ledger row stays right under concurrency."""

from __future__ import annotations

import hashlib
from pathlib import Path

from optout.ledger import Ledger
from tests.engine_site.helpers import SWITCH, base_url, setup_account


def test_four_accounts_two_jobs(cli, sample):
    users = [f"member{i}@example.com" for i in range(4)]
    for i, user in enumerate(users):
        setup_account(cli, sample, user, f"pw-{i}-jobs", name=f"Member {i}")
    sample.configure(delay_ms=100)
    result = cli("run", "--all", "--jobs", "2", "--json", "--setting", SWITCH, "--base-url", base_url(sample))
    assert result.code == 0, result.stderr
    state = sample.state()["accounts"]
    assert all(state[u]["training"] is False for u in users)
    rows = result.json()
    assert sorted(r["account"] for r in rows) == users
    assert {r["outcome"] for r in rows} == {"changed"}
    proofs = {r["proof"] for r in rows}
    assert len(proofs) == 4
    for row in rows:
        assert hashlib.sha256(Path(row["proof"]).read_bytes()).hexdigest() == row["sha256"]
        assert row["account"].replace("@", "_at_") in row["proof"]
    with Ledger(cli.home / "ledger.sqlite3") as ledger:
        assert ledger.verify() == []
        assert sorted(r.account for r in ledger.latest()) == users


def test_progress_shows_at_a_terminal_and_not_with_json(cli, sample):
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import ROOT

    users = ["p0@example.com", "p1@example.com"]
    for user in users:
        setup_account(cli, sample, user, "pw-progress", name="P")

    def stderr_at_a_terminal(*args: str) -> str:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "optout", *args], env=dict(cli.env, COLUMNS="120"),
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process ended
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
        os.close(leader)
        return b"".join(chunks).decode(errors="replace")

    base = ["--setting", SWITCH, "--jobs", "1", "--base-url", base_url(sample)]
    shown = stderr_at_a_terminal("run", "--all", *base)
    assert "accounts" in shown and "/2" in shown, shown[-2000:]
    sample.switch_back_on()
    quiet = stderr_at_a_terminal("run", "--all", "--json", *base)
    assert "/2" not in quiet

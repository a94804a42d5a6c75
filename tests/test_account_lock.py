"""One command per account at a time, with real processes, real Chromium and the replica's state.

A second command on a busy account waits, or stops with one line naming the holder (exit 2, no
result row); it never ends the first one's browser. SIGTERM ends a run as Ctrl-C does; after a
SIGKILL the next run ends the orphaned chromedriver and Chromium of that profile.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.engine_site.helpers import PASSWORD, SWITCH, USER, base_url, setup_account
from tests.waiting import wait_for


def start_run(cli, sample, command: str = "run", **env: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "optout", command, "sample", "--setting", SWITCH, "--json",
            "--base-url", base_url(sample)]
    return subprocess.Popen(args, env={**cli.env, **env}, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=240)
    return proc.returncode, out, err


def profile(cli) -> Path:
    # sample@127.0.0.1_PORT: a --base-url origin has a profile of its own
    return next((cli.home / "profiles").glob("sample*/alice_at_example.com*"))


def lock_names(cli, pid: int) -> bool:
    """The account's lock file names `pid` as its holder."""
    found = list((cli.home / "profiles").glob("sample*/*/optout.lock"))
    return any(f"pid={pid}\n" in f.read_text() for f in found)


def alive(pid: int) -> bool:
    """Running (a zombie has ended: it holds nothing any more)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def children(pid: int, name: bytes) -> list[int]:
    """Live processes whose parent is `pid` and whose command line contains `name`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[-1].split()[1]) == pid and name in cmdline and alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def on_profile(path: Path) -> list[str]:
    """Processes with this profile on their command line (Chromium's), as pgrep -f sees them."""
    proc = subprocess.run(["pgrep", "-f", str(path)], capture_output=True, text=True, check=False)
    return [p for p in proc.stdout.split() if alive(int(p))]


def result_rows(cli) -> list[tuple[int, str]]:
    with sqlite3.connect(cli.home / "ledger.sqlite3") as db:
        return db.execute("SELECT run_id, outcome FROM results ORDER BY id").fetchall()


def outcome(out: str) -> str:
    import json

    [row] = json.loads(out)
    return row["outcome"]


def test_second_command_stops_with_one_line_naming_the_holder(cli, sample):
    setup_account(cli, sample)
    sample.configure(delay_ms=1200)  # the first run holds the account for many seconds
    first = start_run(cli, sample)
    try:
        assert wait_for(lambda: lock_names(cli, first.pid), 60, first)
        # a wait of 30 s x 0.02 = 0.6 s, far shorter than the first run
        second = start_run(cli, sample, command="verify", OPTOUT_TIMEOUT_SCALE="0.02")
        code, out, err = finish(second)
        assert first.poll() is None  # the first was not ended by the second
    finally:
        first_code, first_out, first_err = finish(first)
    assert code == 2, err
    said = [line for line in err.splitlines() if line.startswith("optout:")]
    assert len(said) == 1, err
    assert f"pid {first.pid}" in said[0] and "optout run sample" in said[0], said
    assert PASSWORD not in err and out == ""
    assert first_code == 0, first_err
    assert outcome(first_out) == "changed"
    assert sample.state()["accounts"][USER]["training"] is False
    assert [o for _, o in result_rows(cli)] == ["changed"]  # the second wrote no result row


def test_second_command_waits_for_the_first_and_goes_on(cli, sample):
    setup_account(cli, sample)
    sample.configure(delay_ms=400)
    first = start_run(cli, sample)
    try:
        assert wait_for(lambda: lock_names(cli, first.pid), 60, first)
        second = start_run(cli, sample, OPTOUT_TIMEOUT_SCALE="3")  # waits up to 90 s
        code, out, err = finish(second)
    finally:
        first_code, first_out, first_err = finish(first)
    assert first_code == 0, first_err
    assert outcome(first_out) == "changed"
    assert "is in use by pid" in err and "waiting up to" in err  # it really overlapped the first
    assert code == 0, err
    assert outcome(out) == "already"
    state = sample.state()["accounts"][USER]
    assert state["training"] is False
    assert [o for _, o in result_rows(cli)] == ["changed", "already"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_interrupted_run_leaves_nothing_the_next_run_cannot_clear(cli, sample, sig):
    setup_account(cli, sample)
    sample.configure(delay_ms=1500)  # slow pages: the signal lands mid-run, with the browser open
    first = start_run(cli, sample)
    drivers: list[int] = []
    try:
        assert wait_for(lambda: bool(children(first.pid, b"chromedriver")) and lock_names(cli, first.pid),
                        90, first)
        drivers = children(first.pid, b"chromedriver")
        path = profile(cli)
        assert wait_for(lambda: bool(on_profile(path)), 60, first)
        first.send_signal(sig)
        code, _, err = finish(first)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    if sig == signal.SIGTERM:
        assert code == 130, err
        assert "interrupted" in err and "Traceback" not in err
        # ended like Ctrl-C: the browser was quit, so nothing is left even before the next run
        assert wait_for(lambda: not any(alive(d) for d in drivers) and not on_profile(path), 30)
    else:
        assert code == -signal.SIGKILL
        assert all(alive(d) for d in drivers)  # orphaned: without the next run it would stay for ever
    sample.configure(delay_ms=0)
    code, out, err = finish(start_run(cli, sample))
    assert code == 0, err
    assert sample.state()["accounts"][USER]["training"] is False
    assert outcome(out) in ("changed", "already")
    assert wait_for(lambda: not any(alive(d) for d in drivers), 30), drivers
    assert wait_for(lambda: not on_profile(path), 30), on_profile(path)


def test_a_live_chromium_of_a_held_profile_is_never_ended(tmp_path):
    """release_stale_profile leaves a profile alone while another process holds its lock."""
    from optout import browser, lock
    from optout.errors import AccountBusy

    prof = tmp_path / "profile"
    prof.mkdir()
    # a stand-in "Chromium" on this profile, started by another process (as chromedriver starts it)
    parent = subprocess.Popen(["sh", "-c", f'{sys.executable} -c "import signal; signal.pause()" '
                               f'--user-data-dir={prof} & echo $!; wait'], stdout=subprocess.PIPE, text=True)
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys; from pathlib import Path; from optout import lock;"
                               "lock.hold(Path(sys.argv[1]), 'x'); print('held', flush=True); sys.stdin.read()",
                               str(prof)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    chromium = int(parent.stdout.readline())
    try:
        os.symlink(f"host-{chromium}", prof / "SingletonLock")
        assert holder.stdout.readline().strip() == "held"
        assert lock.held_elsewhere(prof)
        browser.release_stale_profile(prof)
        assert alive(chromium) and (prof / "SingletonLock").is_symlink()  # held: untouched
        with pytest.raises(AccountBusy, match=rf"in use by pid {holder.pid}: optout"):
            lock.hold(prof, "sample account x", wait=0.3)
        holder.stdin.close()
        holder.wait(timeout=30)  # its lock dies with it
        assert not lock.held_elsewhere(prof)
        browser.release_stale_profile(prof)  # free, and no chromedriver drives it: a leftover
        assert not alive(chromium)
        assert not (prof / "SingletonLock").is_symlink()
        taken = lock.hold(prof, "sample account x", wait=0)
        assert not lock.held_elsewhere(prof)  # our own lock is not someone else's
        taken.release()
        taken.release()  # twice is harmless
    finally:
        with contextlib.suppress(OSError):
            os.kill(chromium, signal.SIGKILL)
        for proc in (parent, holder):
            if proc.poll() is None:
                proc.kill()
                proc.wait()

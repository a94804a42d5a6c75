"""The ledger: round trips, concurrent writers, tamper detection and crash safety."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout import config
from optout.errors import ConfigError
from optout.ledger import Ledger, Result, _chain_hash, _row_payload
from tests.waiting import start_together

ROOT = Path(__file__).resolve().parents[1]


def result(setting: str = "ai-training", outcome: str = "changed", **kw: object) -> Result:
    fields: dict[str, object] = dict(
        platform="linkedin",
        account="alice@example.com",
        setting=setting,
        outcome=outcome,
        before="on",
        after="off",
        proof=None,
        sha256=None,
        at="2026-11-28T15:04:05Z",
    )
    fields.update(kw)
    return Result(**fields)  # type: ignore[arg-type]


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    with Ledger(config.ledger_path()) as opened:
        yield opened


def raw(ledger: Ledger, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Touch the file behind the ledger's back, as someone editing it by hand would."""
    db = sqlite3.connect(ledger.path)
    try:
        with db:
            return db.execute(sql, params).fetchall()
    finally:
        db.close()


def child(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


# -- round trip -------------------------------------------------------------------------------------


def test_record_latest_history_round_trip(ledger: Ledger) -> None:
    run = ledger.start_run("run")
    first = result(details={"case": "12345"}, message="switched off")
    ids = [
        ledger.record(first, run),
        ledger.record(result("other", "needs_human", before=None, after=None, at="2026-11-28T15:05:00Z")),
        ledger.record(result(outcome="ok", before="off", command="verify", at="2026-11-29T10:00:00Z")),
    ]
    ledger.finish_run(run, 0)

    assert ids == [1, 2, 3]
    assert ledger.history() == [
        first,
        result("other", "needs_human", before=None, after=None, at="2026-11-28T15:05:00Z"),
        result(outcome="ok", before="off", command="verify", at="2026-11-29T10:00:00Z"),
    ]
    latest = ledger.latest()
    assert [(r.setting, r.outcome) for r in latest] == [("ai-training", "ok"), ("other", "needs_human")]
    assert [r.outcome for r in ledger.history(setting="ai-training")] == ["changed", "ok"]
    assert ledger.latest(platform="nowhere") == []
    assert ledger.last_with_outcome("linkedin", "alice@example.com", "ai-training", {"changed"}) == first
    assert ledger.last_with_outcome("linkedin", "alice@example.com", "ai-training", {"drifted"}) is None
    assert first.to_json() == {
        "platform": "linkedin",
        "account": "alice@example.com",
        "setting": "ai-training",
        "outcome": "changed",
        "before": "on",
        "after": "off",
        "proof": None,
        "sha256": None,
        "at": "2026-11-28T15:04:05Z",
        "message": "switched off",
        "details": {"case": "12345"},
        "command": "run",
        "origin": None,  # the platform's own origin (a --base-url run names its own)
    }
    assert raw(ledger, "SELECT command, exit_code, finished_at IS NOT NULL FROM runs") == [("run", 0, 1)]
    assert ledger.verify() == []


def test_reopen_continues_the_chain(ledger: Ledger) -> None:
    ledger.record(result())
    ledger.close()
    with Ledger(ledger.path) as again:
        again.record(result(outcome="ok"))
        assert [r.outcome for r in again.history()] == ["changed", "ok"]
        assert again.verify() == []


@pytest.mark.parametrize(
    "bad",
    [
        {"outcome": "done"},
        {"before": "disabled"},
        {"at": "2026-11-28 15:04:05"},  # no zone
        {"at": "2026-11-28T15:04:05+01:00"},  # not UTC
        {"details": {"when": object()}},
        {"command": "status"},
    ],
)
def test_record_refuses_rows_that_would_lie(ledger: Ledger, bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ledger.record(result(**bad))
    assert ledger.history() == []
    assert ledger.verify() == []


def test_files_are_private(ledger: Ledger) -> None:
    ledger.record(result())
    for path in [ledger.path, *ledger.path.parent.glob("ledger.sqlite3-*")]:
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_finish_unknown_run(ledger: Ledger) -> None:
    with pytest.raises(ValueError):
        ledger.finish_run(99, 0)


# -- concurrency ------------------------------------------------------------------------------------


def test_threads_write_at_once(ledger: Ledger) -> None:
    others = [Ledger(ledger.path) for _ in range(3)]  # separate connections in the same process
    writers = [ledger] * 5 + others
    barrier = threading.Barrier(len(writers))
    errors: list[BaseException] = []

    def write(n: int, target: Ledger) -> None:
        try:
            barrier.wait()
            for i in range(25):
                target.record(result(f"t{n}-{i}"))
        except BaseException as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n, w)) for n, w in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for other in others:
        other.close()

    assert errors == []
    assert len(ledger.history()) == 25 * len(writers)
    assert raw(ledger, "SELECT MIN(id), MAX(id), COUNT(*) FROM results") == [(1, 200, 200)]
    assert ledger.verify() == []


WRITER = """
import sys
from pathlib import Path
from optout.ledger import Ledger, Result
ledger = Ledger(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()  # the parent starts every writer at the same moment
run = ledger.start_run("run")
for i in range(int(sys.argv[3])):
    ledger.record(Result("linkedin", sys.argv[2], f"s{i}", "changed", "on", "off", None, None,
                         "2026-11-28T15:04:05Z"), run)
ledger.finish_run(run, 0)
"""


def test_two_processes_write_at_once(ledger: Ledger) -> None:
    procs = [child(WRITER, str(ledger.path), name, "60") for name in ("p1", "p2")]
    start_together(procs)
    for i in range(30):  # and this process too
        ledger.record(result(f"main{i}"))
    for proc in procs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0

    for name in ("p1", "p2"):
        assert len(ledger.history(account=name)) == 60
    assert len(ledger.history()) == 150
    assert raw(ledger, "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL") == [(2,)]
    assert ledger.verify() == []


# -- tamper detection -------------------------------------------------------------------------------


def three_rows(ledger: Ledger) -> None:
    for setting in ("one", "two", "three"):
        ledger.record(result(setting))
    assert ledger.verify() == []


def test_verify_detects_an_edited_row(ledger: Ledger) -> None:
    three_rows(ledger)
    raw(ledger, "UPDATE results SET outcome = 'already' WHERE id = 2")
    problems = ledger.verify()
    assert len(problems) == 1
    assert "row 2 (linkedin alice@example.com two at 2026-11-28T15:04:05Z) was edited" in problems[0]


def test_verify_detects_an_edit_whose_hash_was_recomputed(ledger: Ledger) -> None:
    three_rows(ledger)
    raw(ledger, "UPDATE results SET outcome = 'already' WHERE id = 2")
    rehash(ledger, 2)
    problems = ledger.verify()
    assert len(problems) == 1
    assert problems[0].startswith("chain broken at row 3 (linkedin alice@example.com three")


def test_verify_detects_an_edited_last_row_even_rehashed(ledger: Ledger) -> None:
    three_rows(ledger)
    raw(ledger, "UPDATE results SET outcome = 'already' WHERE id = 3")
    rehash(ledger, 3)
    problems = ledger.verify()
    assert len(problems) == 1
    assert "chain head does not match the last row (row 3" in problems[0]


def rehash(ledger: Ledger, row_id: int) -> None:
    db = sqlite3.connect(ledger.path)
    db.row_factory = sqlite3.Row
    row = db.execute("SELECT * FROM results WHERE id = ?", (row_id,)).fetchone()
    with db:
        db.execute(
            "UPDATE results SET row_hash = ? WHERE id = ?",
            (_chain_hash(row["prev_hash"], _row_payload(row)), row_id),
        )
    db.close()


def test_verify_detects_a_deleted_row(ledger: Ledger) -> None:
    three_rows(ledger)
    raw(ledger, "DELETE FROM results WHERE id = 2")
    problems = ledger.verify()
    assert problems == [
        "row 2 was deleted: chain broken at row 3 (linkedin alice@example.com three at 2026-11-28T15:04:05Z)"
    ]


def test_verify_detects_a_deleted_last_row(ledger: Ledger) -> None:
    three_rows(ledger)
    raw(ledger, "DELETE FROM results WHERE id = 3")
    problems = ledger.verify()
    assert len(problems) == 1 and problems[0].startswith("row 3 was deleted at the end")
    ledger.record(result("four"))  # still writable; the gap stays visible
    assert any("row 3 was deleted" in p for p in ledger.verify())


def screenshot_row(ledger: Ledger, tmp_path: Path) -> Path:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG pretend")
    ledger.record(result(proof=str(shot), sha256=hashlib.sha256(shot.read_bytes()).hexdigest()))
    assert ledger.verify() == []
    return shot


def test_verify_detects_a_missing_screenshot(ledger: Ledger, tmp_path: Path) -> None:
    shot = screenshot_row(ledger, tmp_path)
    shot.unlink()
    problems = ledger.verify()
    assert len(problems) == 1
    assert problems[0].startswith("row 1 (linkedin alice@example.com ai-training")
    assert "screenshot missing" in problems[0]


def test_verify_detects_a_replaced_screenshot(ledger: Ledger, tmp_path: Path) -> None:
    shot = screenshot_row(ledger, tmp_path)
    shot.write_bytes(b"\x89PNG another picture")
    problems = ledger.verify()
    assert len(problems) == 1
    assert "row 1 (" in problems[0] and "screenshot changed" in problems[0]


# -- crash safety -----------------------------------------------------------------------------------


FOREVER = """
import sys
from pathlib import Path
from optout.ledger import Ledger, Result
ledger = Ledger(Path(sys.argv[1]))
run = ledger.start_run("run")
i = 0
while True:
    i += 1
    ledger.record(Result("linkedin", "alice@example.com", f"s{i}", "changed", "on", "off", None, None,
                         "2026-11-28T15:04:05Z", details={"n": i}), run)
    print(i, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_writes_leaves_a_sound_ledger(ledger: Ledger) -> None:
    proc = child(FOREVER, str(ledger.path))
    assert proc.stdout is not None
    while int(proc.stdout.readline() or 0) < 150:  # it is writing flat out: kill it mid-stream
        assert proc.poll() is None
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with Ledger(ledger.path) as after:
        assert after.verify() == []
        written = len(after.history())
        assert written >= 150
        assert raw(after, "SELECT finished_at, exit_code FROM runs") == [(None, None)]
        after.record(result("after-the-crash"))
        assert len(after.history()) == written + 1
        assert after.verify() == []


STOP_MID_WRITE = """
import sys
from pathlib import Path
from optout.ledger import Ledger, Result

def row(i):
    return Result("linkedin", "alice@example.com", f"s{i}", "changed", "on", "off", None, None,
                  "2026-11-28T15:04:05Z")

def trace(sql):
    # The riskiest moment: the row is inserted but the chain head not yet moved. Wait here to die.
    if sql.startswith("UPDATE meta"):
        print("mid-write", flush=True)
        sys.stdin.readline()

ledger = Ledger(Path(sys.argv[1]))
for i in range(10):
    ledger.record(row(i))
ledger._conn.set_trace_callback(trace)
ledger.record(row(10))
print("survived", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_inside_a_write_rolls_it_back(ledger: Ledger) -> None:
    proc = child(STOP_MID_WRITE, str(ledger.path))
    assert proc.stdout is not None
    assert proc.stdout.readline() == "mid-write\n"
    os.kill(proc.pid, signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL and "survived" not in out

    with Ledger(ledger.path) as after:
        assert [r.setting for r in after.history()] == [f"s{i}" for i in range(10)]
        assert after.verify() == []
        assert after.record(result("next")) == 11
        assert after.verify() == []


def test_a_file_that_is_not_a_ledger_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(ConfigError, match="cannot open the ledger"):
        Ledger(path)

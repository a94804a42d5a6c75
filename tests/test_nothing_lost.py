"""Nothing lost, nothing hidden (issue 8, section 5 and the ledger parts of 4.4).

A result that happened on the site survives a busy ledger; an emptied, replaced, missing or
damaged ledger is reported, with a recovery that works as printed; a failed check does not erase
what is known; every suggested command works as printed; one problem is said once.
Verdicts on the platform come from the server-side state of the engine's synthetic site
(tests/engine_site/).
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from optout.ledger import Ledger, Result
from tests.engine_site import use_flow
from tests.engine_site.helpers import SWITCH, USER, account_state, base_url, only, run, setup_account
from tests.waiting import start_together

HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")  # another process writing: the ledger's write lock is taken
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


class Holder:
    """A real second process holding the ledger's write lock until released."""

    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None and self.proc.stdout.readline() == "locked\n"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.write("go\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=30)

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def ledger_path(cli) -> Path:
    return cli.home / "ledger.sqlite3"


def result(setting: str = "s", outcome: str = "changed", at: str = "2026-11-28T15:04:05Z", **kw) -> Result:
    kw.setdefault("before", "on" if outcome in ("changed", "drifted") else None)
    kw.setdefault("after", "off" if outcome == "changed" else None)
    return Result("sample", USER, setting, outcome, kw.pop("before"), kw.pop("after"), None, None, at, **kw)


def optout_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("optout:")]


def assert_one_line(res, code: int, *words: str) -> str:
    assert res.code == code, (res.code, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr + res.stdout and "internal error" not in res.stderr
    lines = optout_lines(res.stderr)
    assert len(lines) == 1, res.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- A. a busy ledger loses nothing ---------------------------------------------------------------


def test_busy_ledger_during_a_real_run_keeps_the_result_for_the_next_command(cli, sample):
    setup_account(cli, sample)
    assert cli("status").code == 0  # the ledger exists
    with Holder(ledger_path(cli)):
        res = run(cli, sample)
        assert account_state(sample)["training"] is False, res.stderr  # it happened on the site
        assert res.code == 0, res.stderr
        assert "Traceback" not in res.stderr
        row = only(res)
        assert (row["outcome"], row["before"], row["after"]) == ("changed", "on", "off")
        journal = ledger_path(cli).with_name("ledger.sqlite3.pending")
        assert journal.is_file() and journal.stat().st_mode & 0o777 == 0o600
    status = cli("status", "--json")
    assert status.code == 0, status.stderr
    (kept,) = [r for r in status.json() if r["setting"] == SWITCH]
    assert (kept["outcome"], kept["state"], kept["proof"], kept["sha256"]) == ("changed", "off", row["proof"],
                                                                               row["sha256"])
    assert hashlib.sha256(Path(kept["proof"]).read_bytes()).hexdigest() == kept["sha256"]
    assert not list(cli.home.glob("ledger.sqlite3.pending*"))
    verified = cli("ledger", "verify")
    assert verified.code == 0, verified.stdout + verified.stderr
    exported = cli("export", "--format", "json")
    assert [r["outcome"] for r in json.loads(exported.stdout)] == ["changed"]  # once


REPLAYER = """
import sys
from pathlib import Path
from optout.ledger import Ledger
print("ready", flush=True)
sys.stdin.readline()
Ledger(Path(sys.argv[1])).close()
"""


def test_journal_is_replayed_exactly_once_by_two_commands_starting_together(tmp_path: Path):
    path = tmp_path / "ledger.sqlite3"
    with Ledger(path) as ledger:
        ledger.record(result("before"))
        with Holder(path):
            run_id = ledger.start_run("run")
            for i in range(5):
                assert ledger.record(result(f"kept{i}"), run_id) is None
            ledger.finish_run(run_id, 0)
    procs = [subprocess.Popen([sys.executable, "-c", REPLAYER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent)
             for _ in range(2)]
    start_together(procs)
    for proc in procs:
        proc.communicate(timeout=60)
        assert proc.returncode == 0
    with Ledger(path) as ledger:
        assert [r.setting for r in ledger.history()] == ["before", *(f"kept{i}" for i in range(5))]
        assert ledger.verify() == []
        assert ledger.pending() == 0


def test_opening_and_reading_a_busy_ledger_does_not_wait_or_fail(tmp_path: Path):
    path = tmp_path / "ledger.sqlite3"
    Ledger(path).close()
    with Holder(path), Ledger(path) as ledger:
        assert ledger.start_run("verify") is None
        assert ledger.history() == []
        ledger.finish_run(None, 0)


# -- B. the chain head outside the database -------------------------------------------------------


def test_emptied_ledger_is_reported_and_stays_reported(cli):
    with Ledger(ledger_path(cli)) as ledger:
        for setting in ("a", "b"):
            ledger.record(result(setting))
    db = sqlite3.connect(ledger_path(cli))
    with db:
        db.execute("DELETE FROM results")
        db.execute("UPDATE meta SET value = '0' WHERE key = 'chain_length'")
        db.execute(f"UPDATE meta SET value = '{'0' * 64}' WHERE key = 'chain_head'")
    db.close()
    res = cli("ledger", "verify")
    assert res.code == 1 and "intact" not in res.stdout, res.stdout
    assert "missing" in res.stdout and "emptied" in res.stdout
    with Ledger(ledger_path(cli)) as ledger:  # a new result does not hide the loss
        ledger.record(result("c"))
    res = cli("ledger", "verify")
    assert res.code == 1 and "an earlier chain of 2 results" in res.stdout, res.stdout


def test_deleted_ledger_is_reported(cli):
    with Ledger(ledger_path(cli)) as ledger:
        ledger.record(result())
    ledger_path(cli).unlink()
    res = cli("ledger", "verify")
    assert res.code == 1 and "missing" in res.stdout, res.stdout


def test_damaged_ledger_says_how_to_recover_and_the_printed_command_works(cli):
    with Ledger(ledger_path(cli)) as ledger:
        ledger.record(result())
    ledger_path(cli).write_bytes(b"not a database at all " * 200)
    res = cli("status")
    line = assert_one_line(res, 2, "mv ")
    command = re.search(r"`(mv [^`]+)`", line)
    assert command, line
    moved = subprocess.run(["bash", "-c", command.group(1)], capture_output=True, text=True)
    assert moved.returncode == 0, moved.stderr
    assert cli("status").code == 0
    res = cli("ledger", "verify")
    assert res.code == 1 and "intact" not in res.stdout and "missing" in res.stdout, res.stdout


# -- C. a failed check does not erase what is known ------------------------------------------------


def test_network_error_after_opting_out_keeps_off_since_and_verified(cli):
    from tests.engine_site.site import SampleSite
    from tests.replicas.server import ReplicaServer

    use_flow(cli)
    site = SampleSite()
    server = ReplicaServer(site.app)
    site.url = server.url
    setup_account(cli, site)
    done = run(cli, site)
    assert done.code == 0 and account_state(site)["training"] is False, done.stderr
    changed_at = only(done)["at"]
    server.close()  # the same origin, now unreachable: the check concludes nothing
    failed = cli("verify", "sample", "--json", "--setting", SWITCH, "--base-url", base_url(site))
    outcome = only(failed)["outcome"]
    assert failed.code == 1 and outcome == "error", failed.stdout + failed.stderr  # not "broken": no bundle
    message = only(failed)["message"]
    assert "could not be reached" in message or "ERR_CONNECTION_REFUSED" in message, message
    assert not (cli.home / "broken").exists()
    (row,) = cli("status", "--json").json()
    assert (row["outcome"], row["state"], row["off_since"], row["verified_at"]) == (
        outcome, "off", changed_at, changed_at)
    assert row["last_failure_at"] == only(failed)["at"] and row["last_failure"].startswith(f"{outcome}: ")
    table = cli("status").stdout
    assert f"off since {changed_at}" in table and "last check failed at" in table
    report = Path(cli("report").stdout.strip()).read_text()
    assert "Opted out since" in report and "Last check failed at" in report
    assert "Needs attention" not in report


def test_status_fields_for_each_outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from optout.views import status_rows

    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        ledger.record(result("x", "changed", "2026-11-01T10:00:00Z"))
        ledger.record(result("x", "ok", "2026-11-08T10:00:00Z"))
        ledger.record(result("x", "needs_human", "2026-11-15T10:00:00Z", message="2FA"))
        ledger.record(result("x", "broken", "2026-11-16T10:00:00Z", message="row gone"))
        ledger.record(result("y", "changed", "2026-11-01T10:00:00Z"))
        ledger.record(result("y", "drifted", "2026-11-08T10:00:00Z", after="on"))
        ledger.record(result("y", "error", "2026-11-09T10:00:00Z", message="net"))
        rows = {r["setting"]: r for r in status_rows(ledger)}
    x, y = rows["x"], rows["y"]
    assert (x["state"], x["off_since"], x["verified_at"], x["last_failure_at"], x["last_failure"]) == (
        "off", "2026-11-01T10:00:00Z", "2026-11-08T10:00:00Z", "2026-11-16T10:00:00Z", "broken: row gone")
    assert (y["state"], y["off_since"], y["verified_at"], y["last_failure"]) == ("on", None, None, "error: net")
    assert y["tone"] == "bad" and x["tone"] == "notice"


# -- D. every suggested command works as printed --------------------------------------------------


def test_drift_message_is_the_exact_fix_command(cli, sample):
    setup_account(cli, sample)
    assert run(cli, sample).code == 0
    sample.switch_back_on()
    found = run(cli, sample, command="verify")
    row = only(found)
    assert (found.code, row["outcome"]) == (1, "drifted")
    command = re.search(r"`(optout [^`]+)`", row["message"])
    assert command, row["message"]
    words = shlex.split(command.group(1))
    assert "--fix" in words and "--all" not in words
    fixed = cli(*words[1:])
    assert fixed.code == 0, fixed.stdout + fixed.stderr
    assert account_state(sample)["training"] is False
    assert account_state(sample)["forms"] == []  # the switch's fix sends no legal request


def test_suggested_commands_in_one_line_errors_are_complete(cli, sample):
    """`creds set` suggested for an account not configured: run it, then the account is known."""
    setup_account(cli, sample)
    res = cli("run", "sample", "--account", "bob@example.com", "--base-url", base_url(sample))
    line = assert_one_line(res, 2, "bob@example.com")
    command = re.search(r"`(optout creds set [^`]+)`", line)
    assert command, line
    stored = cli(*shlex.split(command.group(1))[1:], "--password-stdin", input="pw-bob-123\n")
    assert stored.code == 0, stored.stderr
    assert "bob@example.com" in Path(cli.home / "accounts.yaml").read_text()


# -- E. one problem, said once -------------------------------------------------------------------


def test_keyring_fault_stops_the_account_and_is_said_once(cli, sample):
    setup_account(cli, sample)
    cli.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    res = cli("run", "sample", "--base-url", base_url(sample))
    line = assert_one_line(res, 2)
    reason = line.removeprefix("optout: ")[:60]
    assert (res.stdout + res.stderr).count(reason) == 1, res.stdout + res.stderr
    assert account_state(sample)["sign_ins"] == 0 and account_state(sample)["training"] is True
    as_json = cli("run", "sample", "--json", "--base-url", base_url(sample))
    assert as_json.code == 2 and len(as_json.json()) >= 2  # each setting still has its row
    assert len(optout_lines(as_json.stderr)) == 1, as_json.stderr


def test_keyring_fault_after_opting_out_keeps_what_is_known(cli, sample):
    setup_account(cli, sample)
    done = run(cli, sample)
    assert done.code == 0 and account_state(sample)["training"] is False, done.stderr
    sample.revoke_sessions()  # the next check must sign in, so it needs the keyring
    cli.env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    failed = run(cli, sample, command="verify")
    assert failed.code == 2 and only(failed)["outcome"] == "error", failed.stderr
    (row,) = cli("status", "--json").json()
    assert (row["state"], row["off_since"], row["verified_at"]) == ("off", only(done)["at"], only(done)["at"])
    assert row["last_failure_at"] == only(failed)["at"] and "keyring" in row["last_failure"]


def test_locked_keyring_stops_the_account_and_is_said_once(cli, sample, secret_service):
    cli.env.update({**secret_service, "OPTOUT_KEYRING_TIMEOUT": "10",
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring"})
    setup_account(cli, sample)  # stored in the real Secret Service, which the screen lock then locks
    secret_service.lock()
    res = cli("run", "sample", "--base-url", base_url(sample))
    line = assert_one_line(res, 2, "locked")
    assert (res.stdout + res.stderr).count(line.removeprefix("optout: ")[:50]) == 1, res.stdout + res.stderr
    assert account_state(sample)["sign_ins"] == 0 and account_state(sample)["training"] is True


def test_missing_password_is_said_once(cli, sample):
    sample.add_account(USER, "whatever-1", name="Alice")
    cli("account", "sample", USER)
    res = cli("run", "sample", "--base-url", base_url(sample))
    line = assert_one_line(res, 2, "optout creds set sample")
    assert (res.stdout + res.stderr).count(line.removeprefix("optout: ")[:50]) == 1, res.stdout + res.stderr
    command = re.search(r"`(optout creds set [^`]+)`", line)
    assert command, line  # the suggestion, as printed (a terminal prompts; a test pipes the password)
    assert cli(*shlex.split(command.group(1))[1:], "--password-stdin", input="whatever-1\n").code == 0
    again = run(cli, sample)
    assert again.code == 0 and account_state(sample)["training"] is False, again.stderr


def test_unknown_account_is_a_usage_error_before_any_browser(cli, sample):
    setup_account(cli, sample)
    res = cli("run", "sample", "--account", "nobody@example.com", "--base-url", base_url(sample))
    assert_one_line(res, 2, "nobody@example.com")
    assert sample.state()["page_requests"] == {} or sum(sample.state()["page_requests"].values()) == 0
    assert not any((cli.home / "profiles").glob("sample*/*"))


def test_creds_set_from_a_pipe_without_password_stdin(cli):
    use_flow(cli)
    res = cli("creds", "set", "sample", USER, input="pw-123456\n")
    assert_one_line(res, 2, "--password-stdin")
    assert not (cli.home / "accounts.yaml").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_into_head_is_quiet(cli, fmt):
    with Ledger(ledger_path(cli)) as ledger:
        for i in range(1500):
            ledger.record(result(f"setting-{i}", message="x" * 80))
    proc = subprocess.run(["bash", "-c", f"{shlex.quote(sys.executable)} -m optout export --format {fmt} | head -1"],
                          capture_output=True, text=True, env=cli.env, cwd=Path(__file__).parent.parent, timeout=120)
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr and "Exception" not in proc.stderr, \
        proc.stderr


@pytest.mark.parametrize("content", ["linkedin: [ {user: a@b.c\n", '{"linkedin": [{"user": "a@b.c"}', "folder"])
def test_unreadable_accounts_file_is_one_line_naming_it(cli, content):
    accounts = cli.home / "accounts.yaml"
    cli.home.mkdir(parents=True, exist_ok=True)
    if content == "folder":
        accounts.mkdir()
    else:
        accounts.write_text(content)
    assert_one_line(cli("run", "--all"), 2, str(accounts))


def test_accounts_file_without_read_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # root reads any file whatever its mode, so the refusal is the operating system's, simulated
    from optout import config
    from optout.errors import ConfigError

    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    accounts = tmp_path / "accounts.yaml"
    accounts.write_text("linkedin: [{user: a@b.c}]\n")
    real = Path.read_text

    def refuse(self: Path, *args, **kwargs) -> str:
        if self == accounts:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ConfigError, match=re.escape(f"{accounts}: cannot read the accounts file (Permission denied)")):
        config.accounts()


def test_login_without_a_display(cli, sample):
    setup_account(cli, sample)
    cli.env.pop("WAYLAND_DISPLAY", None)
    res = cli("login", "sample", "--base-url", base_url(sample))
    assert_one_line(res, 2, "display", "--headless")
    assert account_state(sample)["sign_ins"] == 0

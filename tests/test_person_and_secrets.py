"""A person in the loop (headed hand-off under Xvfb), kept sessions, several accounts, the real
keyring, and secrets that stay secret. Verdicts come from the server-side state of the engine's
synthetic site (tests/engine_site/), whose sign-in has every kind of check the engine handles."""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.engine_site.helpers import SWITCH, USER, account_state, base_url

PASSWORD = "Zq9-UNIQUE-pw-8472!"
TOTP_SECRET = "KRUGS4ZANFZSAYJAORSXG5BAONSWG4TF"


def store(cli, email: str = USER, password: str = PASSWORD) -> None:
    result = cli("creds", "set", "sample", email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


class Background:
    """`optout …` running in the background; its stderr lines arrive on a queue as they come."""

    def __init__(self, cli, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "optout", *args], env=cli.env, cwd=ROOT, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)
        self._pump_thread.start()

    def _pump(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            self.lines.put(line)

    def wait_for_line(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if text in line:
                return line
        raise AssertionError(f"no {text!r} on stderr within {timeout}s: {''.join(self.stderr)}")

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()  # stderr belongs to the pump: reading it here too would race
        self.proc.wait(timeout=timeout)
        self._pump_thread.join(timeout=timeout)
        return self.proc.returncode, out, "".join(self.stderr)


def person_types(display: str, text: str) -> None:
    """The person: focus the browser window on the X display and type, as a keyboard would."""
    env = {**os.environ, "DISPLAY": display}
    windows = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--class", "chromium"],
                             env=env, capture_output=True, text=True, timeout=30, check=True).stdout.split()
    subprocess.run(["xdotool", "windowfocus", "--sync", windows[-1]], env=env, check=True, timeout=30)
    subprocess.run(["xdotool", "type", "--delay", "60", text], env=env, check=True, timeout=30)
    subprocess.run(["xdotool", "key", "Return"], env=env, check=True, timeout=30)


needs_xdotool = pytest.mark.skipif(shutil.which("xdotool") is None and not os.environ.get("CI"),
                                   reason="xdotool missing (make test installs it)")


@needs_xdotool
def test_headed_run_hands_the_code_to_a_person_then_finishes(cli, sample, xvfb_display):
    sample.add_account(USER, PASSWORD, name="Alice Example", challenge="pin")
    store(cli)
    cli.env["DISPLAY"] = xvfb_display
    run = Background(cli, "run", "sample", "--headed", "--json", "--setting", SWITCH, "--wait", "90",
                     "--base-url", base_url(sample))
    run.wait_for_line("Enter the verification code Sample sent you")
    pin = sample.pending_pin(USER)["pin"]
    person_types(xvfb_display, pin)
    code, out, err = run.finish()
    assert account_state(sample)["training"] is False, err
    assert code == 0, err


def test_headed_app_approval_from_outside(cli, sample, xvfb_display):
    sample.add_account(USER, PASSWORD, name="Alice Example", challenge="app")
    store(cli)
    cli.env["DISPLAY"] = xvfb_display
    run = Background(cli, "run", "sample", "--headed", "--json", "--setting", SWITCH, "--wait", "90",
                     "--base-url", base_url(sample))
    run.wait_for_line("Approve the sign-in in your Sample app")
    assert sample.approve(USER)  # the member taps "Yes" on the phone
    code, out, err = run.finish()
    assert account_state(sample)["training"] is False, err
    assert code == 0, err


@needs_xdotool
def test_login_once_then_headless_runs_sign_in_zero_times(cli, sample, xvfb_display):
    sample.add_account(USER, PASSWORD, name="Alice Example", challenge="pin")
    store(cli)
    login_env = dict(cli.env, DISPLAY=xvfb_display)
    saved, cli.env = cli.env, login_env
    login = Background(cli, "login", "sample", USER, "--wait", "90", "--base-url", base_url(sample))
    cli.env = saved
    login.wait_for_line("Enter the verification code Sample sent you")
    person_types(xvfb_display, sample.pending_pin(USER)["pin"])
    code, _, err = login.finish()
    assert code == 0, err
    assert account_state(sample)["sign_ins"] == 1

    result = cli("run", "sample", "--json", "--setting", SWITCH, "--base-url", base_url(sample))
    assert result.code == 0, result.stderr
    assert account_state(sample)["training"] is False
    assert account_state(sample)["sign_ins"] == 1  # the kept session served: no new sign-in


def test_headless_app_approval_nobody_answers_needs_human(cli, sample):
    sample.add_account(USER, PASSWORD, name="Alice Example", challenge="app")
    store(cli)
    result = cli("run", "sample", "--json", "--setting", SWITCH, "--wait", "3",
                 "--base-url", base_url(sample))
    assert result.code == 3, result.stderr
    assert result.json()[0]["outcome"] == "needs_human"
    assert account_state(sample)["training"] is True


def test_several_accounts_each_in_its_own_profile(cli, sample):
    bob = "bob@example.org"
    sample.add_account(USER, PASSWORD, name="Alice Example")
    sample.add_account(bob, "bob-Pw-771", name="Bob Example")
    store(cli)
    store(cli, bob, "bob-Pw-771")

    only_bob = cli("run", "sample", "--account", bob, "--json", "--setting", SWITCH,
                   "--base-url", base_url(sample))
    assert only_bob.code == 0, only_bob.stderr
    assert account_state(sample, bob)["training"] is False
    assert account_state(sample)["training"] is True  # alice untouched

    both = cli("run", "--all", "--json", "--setting", SWITCH, "--base-url", base_url(sample))
    assert both.code == 0, both.stderr
    assert account_state(sample)["training"] is False
    assert {(r["account"], r["outcome"]) for r in both.json()} == {(USER, "changed"), (bob, "already")}
    assert account_state(sample, bob)["sign_ins"] == 1  # bob's profile kept his session
    profiles = next((cli.home / "profiles").glob("sample@*"))  # the --base-url origin's own profiles
    assert len([p for p in profiles.iterdir() if p.is_dir()]) == 2


def test_real_secret_service_keyring(cli, sample, secret_service):
    sample.add_account(USER, PASSWORD, name="Alice Example")
    cli.env = {k: v for k, v in cli.env.items() if k not in {"PYTHON_KEYRING_BACKEND", "XDG_DATA_HOME"}}
    cli.env.update(secret_service)
    store(cli)
    doctor = cli("doctor")
    assert "SecretService" in doctor.stdout, doctor.stdout
    result = cli("run", "sample", "--json", "--setting", SWITCH, "--base-url", base_url(sample))
    assert result.code == 0, result.stderr
    assert account_state(sample)["training"] is False
    # the password went to the Secret Service, not to a file beside it
    stored = subprocess.run(["secret-tool", "search", "--all", "service", "optout:sample"], env=secret_service,
                            capture_output=True, text=True, timeout=30)
    assert USER in stored.stdout + stored.stderr


def test_locked_keyring_is_one_line_not_a_hang(cli, sample, locked_secret_service):
    sample.add_account(USER, PASSWORD, name="Alice Example")
    cli.env = {k: v for k, v in cli.env.items() if k not in {"PYTHON_KEYRING_BACKEND", "XDG_DATA_HOME"}}
    cli.env.update(locked_secret_service)
    cli.env["OPTOUT_KEYRING_TIMEOUT"] = "5"
    result = cli("creds", "set", "sample", USER, "--password-stdin", input=PASSWORD + "\n", timeout=60)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert "locked" in result.stderr.lower() or "unlock" in result.stderr.lower()


def _cmdlines() -> list[bytes]:
    lines = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                lines.append((entry / "cmdline").read_bytes())
            except OSError:
                continue
    return lines


def _chromium_stores(home: Path) -> dict[str, int]:
    """Rows in each profile's password store (Login Data: logins) and form autofill (Web Data:
    autofill, autofill_profiles where the table exists): optout keeps secrets in the keyring only."""
    import sqlite3

    counts: dict[str, int] = {}
    for name, tables in (("Login Data", ("logins",)), ("Web Data", ("autofill", "autofill_profiles"))):
        for db in home.rglob(name):
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                for table in tables:
                    if table in present:
                        counts[f"{db}:{table}"] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            finally:
                conn.close()
    return counts


def test_secrets_never_leave_the_keyring(cli, sample, tmp_path):
    sample.add_account(USER, PASSWORD, name="Alice Example", challenge="pin", totp_secret=TOTP_SECRET)
    store(cli)
    assert cli("creds", "totp", "sample", USER, "--secret-stdin", input=TOTP_SECRET + "\n").code == 0
    # the other sign-in paths, each with the same distinctive password: a captcha, an email code,
    # an app approval nobody gives, a member the setting is not offered to
    others = {"bob@example.com": {"challenge": "captcha"}, "carol@example.com": {"challenge": "email_pin"},
              "dan@example.com": {"challenge": "app"}, "erin@example.com": {"offered": False}}
    for email, extra in others.items():
        sample.add_account(email, PASSWORD, name="Other Member", **extra)
        store(cli, email)
    log_file = tmp_path / "optout.log"
    outputs = []
    seen_cmdlines: list[bytes] = []
    variants = [{}, {"remember_me": True}, {"late_render_ms": 600, "replace_node": True}, {"save_fails_once": True},
                {"session_expired_once": True}, {"save_never_persists": True}, {"first_load_503": True},
                {"deep_link_moved": True, "delay_ms": 100}]
    for number, variant in enumerate(variants):
        sample.configure(**variant)
        sample.switch_back_on()
        selection = ["--all", "--jobs", "2", "--wait", "2"] if number == 0 else ["--account", USER]
        run = Background(cli, "--verbose", "--log-file", str(log_file), "run", "sample", *selection, "--json",
                         "--base-url", base_url(sample))
        while True:  # watch every process's command line while the run goes on
            seen_cmdlines.extend(_cmdlines())
            try:
                run.proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                continue
        code, out, err = run.finish()
        outputs.append(out + err)
        if number == 0:  # every sign-in path was really walked, so the sweep means something
            import json

            outcomes = {r["account"]: r["outcome"] for r in json.loads(out) if r["setting"] == SWITCH}
            assert outcomes == {USER: "changed", "bob@example.com": "needs_human",
                                "carol@example.com": "needs_human", "dan@example.com": "needs_human",
                                "erin@example.com": "unavailable"}, err
        sample.reset()
    # a wrong password too: its error path must not echo it
    store(cli, USER, "Wrong-" + PASSWORD)
    bad = cli("--verbose", "--log-file", str(log_file), "run", "sample", "--account", USER, "--json",
              "--base-url", base_url(sample))
    outputs.append(bad.stdout + bad.stderr)

    texts = [PASSWORD, TOTP_SECRET, TOTP_SECRET.lower()]
    # UTF-16LE too: Chromium's session and form-state files hold typed text that way
    secrets = [t.encode() for t in texts] + [t.encode("utf-16-le") for t in texts]
    for text in outputs:
        for secret in texts:
            assert secret not in text
    log = log_file.read_bytes()
    assert log, "the log file was written"
    for secret in secrets:
        assert secret not in log
        assert not [c for c in seen_cmdlines if secret in c]
    stores = _chromium_stores(cli.home)
    assert stores, "no Chromium profile was found to sweep"
    for where, rows in stores.items():
        assert rows == 0, f"Chromium kept {rows} saved passwords or form entries in {where}"
    for path in cli.home.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            for secret in secrets:
                assert secret not in data, f"{secret!r} found in {path}"
            assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"
        elif path.is_dir() and not path.is_symlink():
            assert path.stat().st_mode & 0o077 == 0, f"{path} is open to others"


def test_ctrl_c_while_waiting_for_a_person_stops_cleanly(cli, sample):
    import signal

    sample.add_account(USER, PASSWORD, name="Alice Example", challenge="app")
    store(cli)
    run = Background(cli, "run", "sample", "--json", "--setting", SWITCH, "--wait", "120",
                     "--base-url", base_url(sample))
    run.wait_for_line("Approve the sign-in in your Sample app")
    run.proc.send_signal(signal.SIGINT)
    code, out, err = run.finish(timeout=30)
    assert code == 130, err
    assert "Traceback" not in err and "interrupted" in err
    profile = str(cli.home / "profiles" / "sample")
    assert not [c for c in _cmdlines() if profile.encode() in c and b"chrom" in c], "a browser was left running"
    from optout.ledger import Ledger

    with Ledger(cli.home / "ledger.sqlite3") as ledger:
        assert ledger.verify() == []

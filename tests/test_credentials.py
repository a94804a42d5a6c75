"""optout.credentials against real keyrings: gnome-keyring's Secret Service and keyrings.alt's file.

keyring picks (and caches) its backend per process, so the tests of keyring's own choice run their
calls in a fresh Python process; the others call the module in-process with a named backend.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend

from optout import credentials, logs
from optout.errors import (
    ConfigError,
    CredentialError,
    CredentialsMissing,
    KeyringLocked,
    KeyringUnavailable,
    UsageError,
)
from tests import keyring_env
from tests.keyring_env import (
    PLAINTEXT_BACKEND,
    SECRET_SERVICE_BACKEND,
    KeyringEnv,
    no_keyring_env,
    running_secret_service,
)

# The keyring fixtures, by name (harmless once conftest.py imports them too).
secret_service = keyring_env.secret_service
locked_secret_service = keyring_env.locked_secret_service
fresh_secret_service = keyring_env.fresh_secret_service
plaintext_keyring = keyring_env.plaintext_keyring
xvfb_display = keyring_env.xvfb_display

ROOT = Path(__file__).resolve().parent.parent
ACCOUNT = "alice@example.com"
PASSWORD = "correct horse 'battery' staple"
TOTP_RAW = "jbsw y3dp ehpk 3pxp"
TOTP = "JBSWY3DPEHPK3PXP"

# Runs a list of credentials calls in a fresh process; prints one JSON result per call.
_DRIVER = r"""
import json, sys, time
from optout import credentials
out = []
for name, *args in json.loads(sys.argv[1]):
    start = time.monotonic()
    try:
        out.append({"ok": getattr(credentials, name)(*args)})
    except Exception as exc:
        out.append({"error": type(exc).__name__, "message": str(exc)})
    out[-1]["seconds"] = time.monotonic() - start
print(json.dumps(out))
"""


def run_calls(env: dict[str, str], *calls: list[Any], timeout: float = 30) -> list[dict[str, Any]]:
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps(calls)],
        env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    # Whatever the process logged, no secret may be in it.
    for secret in (PASSWORD, TOTP):
        assert secret not in done.stderr
    return json.loads(done.stdout)


def round_trip(env: KeyringEnv) -> list[dict[str, Any]]:
    return run_calls(
        env,
        ["backend_name"],
        ["set_password", "linkedin", ACCOUNT, PASSWORD],
        ["set_totp_secret", "linkedin", ACCOUNT, TOTP_RAW],
        ["get_password", "linkedin", ACCOUNT],
        ["get_totp_secret", "linkedin", ACCOUNT],
    )


def removal(env: KeyringEnv) -> list[dict[str, Any]]:
    return run_calls(
        env,
        ["remove", "linkedin", ACCOUNT],
        ["get_password", "linkedin", ACCOUNT],
        ["get_totp_secret", "linkedin", ACCOUNT],
        ["remove", "linkedin", ACCOUNT],
    )


def secret_tool_lookup(env: KeyringEnv, service: str) -> str:
    done = subprocess.run(
        ["secret-tool", "lookup", "service", service, "username", ACCOUNT],
        env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=10,
    )
    return done.stdout


def test_round_trip_through_the_real_secret_service(secret_service: KeyringEnv) -> None:
    backend, *stored, password, totp = round_trip(secret_service)
    assert backend == {"ok": SECRET_SERVICE_BACKEND, "seconds": backend["seconds"]}
    assert all("error" not in r for r in stored)
    assert password["ok"] == PASSWORD
    assert totp["ok"] == TOTP
    # The entries really are in gnome-keyring, under the documented service names.
    assert secret_tool_lookup(secret_service, "optout:linkedin") == PASSWORD
    assert secret_tool_lookup(secret_service, "optout:linkedin:totp") == TOTP

    removed, password, totp, removed_again = removal(secret_service)
    assert removed["ok"] is True
    assert password["error"] == "CredentialsMissing"
    assert "linkedin" in password["message"] and ACCOUNT in password["message"]
    assert totp["ok"] is None
    assert removed_again["ok"] is False
    assert secret_tool_lookup(secret_service, "optout:linkedin") == ""


def test_a_secret_read_is_registered_for_redaction(
    secret_service: KeyringEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stored by another program, so this process has never seen it before reading it.
    stored = "stored-elsewhere-9d2c"
    subprocess.run(
        ["secret-tool", "store", "--label=optout test", "service", "optout:linkedin", "username", ACCOUNT],
        input=stored, text=True, env=secret_service, check=True, timeout=10,
    )
    secret_service.apply(monkeypatch)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", SECRET_SERVICE_BACKEND)  # in-process: name it
    assert logs.redact(stored) == stored
    assert credentials.get_password("linkedin", ACCOUNT) == stored
    assert logs.redact(f"typed {stored}") == f"typed {logs.MASK}"


def test_round_trip_through_the_plaintext_file(plaintext_keyring: KeyringEnv) -> None:
    backend, *_, password, totp = round_trip(plaintext_keyring)
    assert backend["ok"] == PLAINTEXT_BACKEND
    assert (password["ok"], totp["ok"]) == (PASSWORD, TOTP)
    # The file landed in the temporary HOME, nowhere else.
    files = list(plaintext_keyring.root.rglob("keyring_pass.cfg"))
    assert len(files) == 1
    assert "[optout_3Alinkedin_3Atotp]" in files[0].read_text()  # keyrings.alt escapes ":"
    removed, password, totp, removed_again = removal(plaintext_keyring)
    assert (removed["ok"], password["error"], totp["ok"], removed_again["ok"]) == (
        True, "CredentialsMissing", None, False,
    )


def test_in_process_with_a_named_backend(plaintext_keyring: KeyringEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    plaintext_keyring.apply(monkeypatch)
    assert credentials.backend_name() == PLAINTEXT_BACKEND
    with pytest.raises(CredentialsMissing, match="linkedin account bob"):
        credentials.get_password("linkedin", "bob")
    assert credentials.get_totp_secret("linkedin", "bob") is None
    assert credentials.remove("linkedin", "bob") is False
    credentials.set_password("linkedin", "bob", "pw-of-bob-1")
    assert credentials.get_password("linkedin", "bob") == "pw-of-bob-1"
    # What was read is redacted from logs from then on.
    assert logs.redact("login with pw-of-bob-1") == f"login with {logs.MASK}"


def test_fail_backend_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_keyring_env(tmp_path, "keyring.backends.fail.Keyring").apply(monkeypatch)
    with pytest.raises(KeyringUnavailable, match="PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring"):
        credentials.backend_name()
    with pytest.raises(KeyringUnavailable):
        credentials.get_password("linkedin", ACCOUNT)


def test_backend_that_does_not_import_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_keyring_env(tmp_path, "no_such_module.Keyring").apply(monkeypatch)
    with pytest.raises(KeyringUnavailable, match="no_such_module"):
        credentials.set_password("linkedin", ACCOUNT, "pw-unused-1")


def test_no_secret_service_means_no_silent_plaintext_file(tmp_path: Path) -> None:
    # keyrings.alt is installed, so keyring alone would fall back to its unencrypted file here.
    env = no_keyring_env(tmp_path)
    backend, stored = run_calls(env, ["backend_name"], ["set_password", "linkedin", ACCOUNT, PASSWORD])
    assert backend["error"] == stored["error"] == "KeyringUnavailable"
    assert "gnome-keyring" in stored["message"]
    assert not list(tmp_path.rglob("keyring_pass.cfg"))


def test_locked_keyring_fails_fast_without_a_prompt(locked_secret_service: KeyringEnv) -> None:
    env = {**locked_secret_service, "OPTOUT_KEYRING_TIMEOUT": "10"}
    read, write, rm = run_calls(
        env,
        ["get_password", "linkedin", ACCOUNT],
        ["set_password", "linkedin", ACCOUNT, PASSWORD],
        ["remove", "linkedin", ACCOUNT],
    )
    for result in (read, write, rm):
        assert result["error"] == "KeyringLocked", result
        assert result["seconds"] < 5
        assert "linkedin account alice@example.com" in result["message"]
    assert locked_secret_service.is_locked()


def test_never_unlocked_keyring_is_locked(fresh_secret_service: KeyringEnv) -> None:
    # Without a display the prompt fails at once ("Prompt dismissed"): KeyringLocked either way.
    for prompt in ("0", "1"):
        env = {**fresh_secret_service, "OPTOUT_KEYRING_PROMPT": prompt, "OPTOUT_KEYRING_TIMEOUT": "10"}
        [result] = run_calls(env, ["set_password", "linkedin", ACCOUNT, PASSWORD])
        assert result["error"] == "KeyringLocked", (prompt, result)
        assert result["seconds"] < 5
        assert "linkedin account alice@example.com" in result["message"]


def _prompter_started(env: KeyringEnv) -> bool:
    reply = env._dbus_send(
        "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
        "org.freedesktop.DBus.NameHasOwner", "string:org.gnome.keyring.SystemPrompter",
    )
    return "boolean true" in reply


@pytest.mark.parametrize("prompt", ["1", "0"], ids=["prompt-hangs-bounded", "prompt-avoided"])
def test_locked_keyring_with_a_live_display_does_not_hang(
    tmp_path: Path, xvfb_display: str, prompt: str
) -> None:
    # As under `dbus-run-session` in an Xvfb session: the bus itself has DISPLAY, so an unlock
    # prompt opens on the invisible screen and waits forever.
    with running_secret_service(tmp_path / "ss", display=xvfb_display) as ss:
        ss.lock()
        env = {**ss, "DISPLAY": xvfb_display, "OPTOUT_KEYRING_PROMPT": prompt, "OPTOUT_KEYRING_TIMEOUT": "1"}
        started = time.monotonic()
        [result] = run_calls(env, ["get_password", "linkedin", ACCOUNT], timeout=20)
        assert time.monotonic() - started < 10
        assert result["error"] == "KeyringLocked", result
        if prompt == "1":
            assert "did not answer within 1 s" in result["message"]
            assert _prompter_started(ss)  # the call really was stuck on the invisible prompt
        else:
            assert "did not answer" not in result["message"], result  # refused at once, not timed out
            assert not _prompter_started(ss)


# -- behaviour that needs no real keyring ----------------------------------------------------------

class HangingKeyring(KeyringBackend):
    """A backend whose every call blocks until released, like a prompt nobody answers."""

    priority = -1  # type: ignore[assignment]  # never chosen unless named
    release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait()

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait()


class LeakyKeyring(KeyringBackend):
    """A backend whose error message quotes the password it was given."""

    priority = -1  # type: ignore[assignment]  # never chosen unless named

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("boom")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"could not store {password!r}")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("boom")


@pytest.fixture
def hanging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    no_keyring_env(tmp_path, f"{__name__}.HangingKeyring").apply(monkeypatch)
    HangingKeyring.release.clear()
    yield
    HangingKeyring.release.set()  # let the abandoned worker threads finish


def error_of(call: Any, *args: str, limit: float = 5) -> BaseException | None:
    """Run `call` in a watchdog thread, so that a missing bound fails the test instead of hanging it."""
    box: dict[str, BaseException] = {}

    def run() -> None:
        try:
            call(*args)
        except BaseException as exc:
            box["error"] = exc

    watchdog = threading.Thread(target=run, daemon=True)
    watchdog.start()
    watchdog.join(limit)
    assert not watchdog.is_alive(), f"{call.__name__} hung"
    return box.get("error")


def test_every_call_is_bounded(hanging: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_KEYRING_TIMEOUT", "0.2")
    for call, args in (
        (credentials.get_password, ()),
        (credentials.get_totp_secret, ()),
        (credentials.set_password, ("pw-hang-1",)),
        (credentials.set_totp_secret, (TOTP,)),
        (credentials.remove, ()),
    ):
        started = time.monotonic()
        error = error_of(call, "linkedin", ACCOUNT, *args)
        assert time.monotonic() - started < 2
        assert isinstance(error, KeyringLocked), error
        assert re.search(r"did not answer within 0\.2 s .*linkedin account alice", str(error))


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan"])
def test_bad_timeout_is_a_config_error(hanging: None, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("OPTOUT_KEYRING_TIMEOUT", value)
    with pytest.raises(ConfigError, match="OPTOUT_KEYRING_TIMEOUT"):
        credentials.get_password("linkedin", ACCOUNT)


def test_keyring_errors_never_carry_the_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_keyring_env(tmp_path, f"{__name__}.LeakyKeyring").apply(monkeypatch)
    secret = "leaky-pw-7f3a"
    with pytest.raises(CredentialError) as caught:
        credentials.set_password("linkedin", ACCOUNT, secret)
    assert type(caught.value) is CredentialError
    assert secret not in str(caught.value)
    assert "linkedin account alice@example.com" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None


@pytest.mark.parametrize("secret", ["not base32!", "JBSWY3D1", "Q", "   ", "JBSW Y3DP EHPK 3P"])
def test_invalid_totp_secret_is_a_usage_error(
    plaintext_keyring: KeyringEnv, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    plaintext_keyring.apply(monkeypatch)
    with pytest.raises(UsageError, match="linkedin account alice") as caught:
        credentials.set_totp_secret("linkedin", ACCOUNT, secret)
    if len(secret.strip()) >= 4:
        assert secret not in str(caught.value)
        assert logs.redact(secret) == logs.MASK  # registered before it was even checked
    assert credentials.get_totp_secret("linkedin", ACCOUNT) is None  # nothing was stored


def test_totp_secret_is_normalised(plaintext_keyring: KeyringEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    plaintext_keyring.apply(monkeypatch)
    credentials.set_totp_secret("linkedin", ACCOUNT, f" {TOTP_RAW}\n")
    assert credentials.get_totp_secret("linkedin", ACCOUNT) == TOTP
    assert logs.redact(f"secret {TOTP_RAW} / {TOTP}") == f"secret {logs.MASK} / {logs.MASK}"
    credentials.set_totp_secret("linkedin", ACCOUNT, "jbsw\ty3dp ehpk\n3pxp")
    assert credentials.get_totp_secret("linkedin", ACCOUNT) == TOTP


@pytest.mark.parametrize(
    ("platform", "user", "password"),
    [("linkedin", ACCOUNT, ""), ("linked:in", ACCOUNT, "pw-bad-in"), ("", ACCOUNT, "pw-bad-in"),
     ("linkedin", " ", "pw-bad-in")],
)
def test_bad_input_is_a_usage_error(
    plaintext_keyring: KeyringEnv, monkeypatch: pytest.MonkeyPatch, platform: str, user: str, password: str
) -> None:
    plaintext_keyring.apply(monkeypatch)
    with pytest.raises(UsageError):
        credentials.set_password(platform, user, password)
    assert not list(plaintext_keyring.root.rglob("keyring_pass.cfg"))

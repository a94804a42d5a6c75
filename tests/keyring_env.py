"""A real, private Secret Service (D-Bus + gnome-keyring) and a few other keyring set-ups for tests.

Nothing here touches the keyring of the person running the tests: every daemon gets a minimal
environment built from scratch (no inherited GNOME_KEYRING_CONTROL, DBUS_SESSION_BUS_ADDRESS or
DISPLAY), its own bus socket, and HOME / XDG_* folders under a temporary directory.

Fixtures (the lead imports them into conftest.py):
    secret_service          an unlocked keyring; yields a KeyringEnv (a dict: the env for subprocesses)
    locked_secret_service   the same keyring, locked after start
    fresh_secret_service    a daemon that was never unlocked and has no default collection yet
    plaintext_keyring       a KeyringEnv for keyrings.alt's PlaintextKeyring with its file in tmp
    xvfb_display            a live Xvfb display (":N"); skips when Xvfb is not installed
Building blocks: running_secret_service(root, unlock=, display=), running_xvfb(), plaintext_env(root),
no_keyring_env(root, backend=None). KeyringEnv: .apply(monkeypatch), .lock(), .is_locked(), .root,
.bus_address, .password.

Keyring caches its list of viable backends once per process, so a test that relies on keyring's
automatic choice should run its keyring calls in a subprocess with `env=<the KeyringEnv>`.
In-process, call `.apply(monkeypatch)` and name the backend with PYTHON_KEYRING_BACKEND.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.waiting import stop

KEYRING_PASSWORD = "optout-test-keyring"
START_TIMEOUT = 10.0
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
SECRET_SERVICE_BACKEND = "keyring.backends.SecretService.Keyring"
PLAINTEXT_BACKEND = "keyrings.alt.file.PlaintextKeyring"

# Variables that would point a test at the real user's keyring, bus or screen, or change optout's
# keyring behaviour behind the test's back.
_SCRUBBED = (
    "DBUS_SESSION_BUS_ADDRESS",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "GNOME_KEYRING_CONTROL",
    "GNOME_KEYRING_PID",
    "SSH_AUTH_SOCK",
    "PYTHON_KEYRING_BACKEND",
    "OPTOUT_KEYRING_TIMEOUT",
    "OPTOUT_KEYRING_PROMPT",
)


class KeyringEnv(dict[str, str]):
    """The environment for a process that should use this keyring set-up (pass it as `env=`)."""

    def __init__(self, env: dict[str, str], root: Path, bus_address: str | None = None) -> None:
        super().__init__(env)
        self.root = root
        self.bus_address = bus_address
        self.password = KEYRING_PASSWORD

    def apply(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make the current process use this set-up (undone by monkeypatch at teardown)."""
        for name in _SCRUBBED:
            if name not in self:
                monkeypatch.delenv(name, raising=False)
        for name, value in self.items():
            monkeypatch.setenv(name, value)

    # -- Secret Service only ------------------------------------------------------------------
    def _dbus_send(self, *args: str, timeout: float = 5.0) -> str:
        if not self.bus_address:
            raise RuntimeError("not a Secret Service environment")
        done = subprocess.run(
            ["dbus-send", f"--bus={self.bus_address}", "--print-reply", *args],
            capture_output=True, text=True, timeout=timeout,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
        if done.returncode != 0:
            raise RuntimeError(f"dbus-send {args[1:2]} failed: {done.stderr.strip()}")
        return done.stdout

    def is_locked(self) -> bool:
        """Whether the default collection is locked (asks over D-Bus; never prompts)."""
        reply = self._dbus_send(
            "--dest=org.freedesktop.secrets", DEFAULT_COLLECTION,
            "org.freedesktop.DBus.Properties.Get",
            "string:org.freedesktop.Secret.Collection", "string:Locked",
        )
        return "boolean true" in reply

    def lock(self) -> None:
        """Lock every collection, as a screen lock or `secret-tool lock` would (no prompt needed)."""
        self._dbus_send(
            "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock", f"array:objpath:{DEFAULT_COLLECTION}",
        )
        if not self.is_locked():
            raise RuntimeError("the keyring did not lock")


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = START_TIMEOUT) -> None:
    """Poll `condition` until it holds; fail with `what` once the deadline passes."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not ready within {timeout:g} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _read_line(proc: subprocess.Popen[bytes], what: str, timeout: float = START_TIMEOUT) -> str:
    """The first line a daemon prints on stdout (its readiness signal), with a deadline."""
    assert proc.stdout is not None
    buf = b""
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while b"\n" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise TimeoutError(f"{what} not ready within {timeout:g} s")
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError(f"{what} exited early (rc={proc.wait()})")
            buf += chunk
    return buf.split(b"\n", 1)[0].decode().strip()


def _require(*binaries: str) -> None:
    missing = [b for b in binaries if shutil.which(b) is None]
    if missing:
        msg = f"not installed: {', '.join(missing)} (apt-get install gnome-keyring dbus libsecret-tools)"
        # In CI a missing package is a broken set-up, not a reason to skip the keyring tests.
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def _dirs(root: Path, runtime: Path) -> dict[str, str]:
    home = root / "home"
    dirs = {
        "HOME": home,
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_RUNTIME_DIR": runtime,
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return {name: str(path) for name, path in dirs.items()}


def _client_env(dirs: dict[str, str], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
    env.update(dirs)
    env.update(extra)
    return env


def _kill_group(pgid: int, procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the process group we created (bus, keyring daemon and whatever the bus activated)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        try:
            for proc in procs:
                proc.wait(timeout=3)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def running_secret_service(
    root: Path, *, unlock: bool = True, display: str | None = None
) -> Iterator[KeyringEnv]:
    """A private session bus with gnome-keyring's Secret Service on it.

    unlock=True   start with `--unlock` and a known password: the "login" collection exists, unlocked.
    unlock=False  a fresh HOME and no `--unlock`: no default collection; creating one needs a prompt.
    display       put DISPLAY in the bus's activation environment, as on a desktop or under Xvfb: the
                  unlock prompt (gcr-prompter) then opens there and waits for a person.
    """
    _require("dbus-daemon", "gnome-keyring-daemon", "dbus-send")
    # Unix socket paths are limited to ~107 bytes and pytest's tmp_path can be longer: keep the bus
    # and gnome-keyring's control socket in a short folder of their own.
    runtime = Path(tempfile.mkdtemp(prefix="okr-", dir="/tmp"))
    dirs = _dirs(root, runtime)
    bus_address = f"unix:path={runtime}/bus"
    daemon_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", **dirs}
    if display:
        daemon_env["DISPLAY"] = display
    procs: list[subprocess.Popen[bytes]] = []
    # The daemons' stderr, for when a start fails: <root>/dbus-daemon.log, <root>/gnome-keyring.log.
    daemon_logs = {n: open(root / f"{n}.log", "wb") for n in ("dbus-daemon", "gnome-keyring")}  # noqa: SIM115
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", f"--address={bus_address}", "--print-address=1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=daemon_logs["dbus-daemon"], env=daemon_env,
        process_group=0,  # a group of its own: teardown kills exactly what we started, nothing else
    )
    procs.append(bus)
    try:
        _read_line(bus, "dbus-daemon")
        env = KeyringEnv(_client_env(dirs, DBUS_SESSION_BUS_ADDRESS=bus_address), root, bus_address)
        argv = ["gnome-keyring-daemon", "--replace", "--foreground", "--components=secrets"]
        if unlock:
            argv.append("--unlock")
        keyring_daemon = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=daemon_logs["gnome-keyring"],
            env={**daemon_env, "DBUS_SESSION_BUS_ADDRESS": bus_address}, process_group=bus.pid,
        )
        procs.append(keyring_daemon)
        assert keyring_daemon.stdin is not None
        if unlock:
            keyring_daemon.stdin.write(KEYRING_PASSWORD.encode())
        keyring_daemon.stdin.close()  # --unlock reads the password up to end of file

        def owned() -> bool:
            # NameHasOwner does not activate anything: asking the service itself too early would
            # make the bus start a second gnome-keyring-daemon through D-Bus activation.
            if keyring_daemon.poll() is not None:
                raise RuntimeError(f"gnome-keyring-daemon exited (rc={keyring_daemon.returncode})")
            reply = env._dbus_send(
                "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets",
            )
            return "boolean true" in reply

        _wait_for(owned, "gnome-keyring-daemon on the bus")
        if unlock:

            def unlocked() -> bool:
                try:
                    return not env.is_locked()
                except RuntimeError:  # the login collection is not there yet
                    return False

            _wait_for(unlocked, "the unlocked login keyring")
        yield env
    finally:
        _kill_group(bus.pid, procs)
        for log in daemon_logs.values():
            log.close()
        shutil.rmtree(runtime, ignore_errors=True)


def plaintext_env(root: Path) -> KeyringEnv:
    """keyrings.alt's unencrypted file backend, its file under `root` (never in the real HOME)."""
    runtime = root / "run"
    return KeyringEnv(_client_env(_dirs(root, runtime), PYTHON_KEYRING_BACKEND=PLAINTEXT_BACKEND), root)


def no_keyring_env(root: Path, backend: str | None = None) -> KeyringEnv:
    """No session bus at all; `backend` optionally names PYTHON_KEYRING_BACKEND."""
    extra = {"PYTHON_KEYRING_BACKEND": backend} if backend else {}
    return KeyringEnv(_client_env(_dirs(root, root / "run"), **extra), root)


@contextlib.contextmanager
def running_xvfb() -> Iterator[str]:
    """A live X display; `-displayfd` lets Xvfb pick a free number and say when it is ready."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed")
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-nolisten", "tcp", "-screen", "0", "320x240x24"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f":{_read_line(proc, 'Xvfb')}"
    finally:
        stop(proc, timeout=5)


@pytest.fixture
def secret_service(tmp_path: Path) -> Iterator[KeyringEnv]:
    with running_secret_service(tmp_path / "ss") as env:
        yield env


@pytest.fixture
def locked_secret_service(tmp_path: Path) -> Iterator[KeyringEnv]:
    with running_secret_service(tmp_path / "ss") as env:
        env.lock()
        yield env


@pytest.fixture
def fresh_secret_service(tmp_path: Path) -> Iterator[KeyringEnv]:
    with running_secret_service(tmp_path / "ss", unlock=False) as env:
        yield env


@pytest.fixture
def plaintext_keyring(tmp_path: Path) -> KeyringEnv:
    return plaintext_env(tmp_path / "plain")


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    with running_xvfb() as display:
        yield display

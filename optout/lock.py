"""One command per account at a time: an exclusive lock on a file in the account's browser profile.

Two commands on one account (a scheduled `verify --fix` overlapping a manual `run`) would share a
browser profile, and the second would take the first one's live Chromium for a leftover and end it.
A command therefore holds `flock` on PROFILE/optout.lock for its whole session; a second one waits a
bounded time, then says which command holds the account. The kernel drops the lock when its holder
dies (SIGKILL too), so a lock is never stale; the file's text (pid, command line) only names the
holder in messages. Chromium never inherits the descriptor: Python opens files non-inheritable.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shlex
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from optout.errors import AccountBusy

LOCK_NAME = "optout.lock"
WAIT_SECONDS = 30.0  # how long a second command waits for the account, before OPTOUT_TIMEOUT_SCALE
POLL_SECONDS = 0.2

_held: dict[Path, AccountLock] = {}  # profile -> this process's lock on it
_reserved: dict[Path, AccountLock] = {}  # taken early (backends/early.py) for this process's next hold()
_held_guard = threading.Lock()


def wait_seconds() -> float:
    """The bounded wait for a busy account, scaled like browser.py's timeouts."""
    try:
        scale = float(os.environ.get("OPTOUT_TIMEOUT_SCALE", "1") or 1)
    except ValueError:
        scale = 1.0
    return WAIT_SECONDS * max(scale, 0.0)


def _command_line() -> str:
    """This command as the user typed it, without anything that looks like a credential."""
    from optout.logs import redact

    text = " ".join(shlex.join(["optout", *sys.argv[1:]]).split())  # one line in the file
    text = re.sub(r"(//)[^/@\s]+@", r"\1•••@", text)  # user:pass@ of a URL
    return redact(text)[:300]


class AccountLock:
    """The exclusive lock of one profile folder, held by this process until release()."""

    def __init__(self, profile: Path, fd: int) -> None:
        self.profile = profile
        self._fd: int | None = fd

    def release(self) -> None:
        """Let the next command have the account. Safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with _held_guard:
            if _held.get(self.profile) is self:
                del _held[self.profile]
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _open(profile: Path) -> int:
    return os.open(profile / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def holder(profile: Path) -> str:
    """Who holds the profile, as its lock file says ("pid N: optout run …, since …"), or ''."""
    try:
        text = (profile / LOCK_NAME).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if not fields.get("pid"):
        return ""
    since = f", since {fields['since']}" if fields.get("since") else ""
    return f"pid {fields['pid']}: {fields.get('command', '?')}{since}"


def _write_holder(fd: int) -> None:
    since = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"pid={os.getpid()}\ncommand={_command_line()}\nsince={since}\n"
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode("utf-8"), 0)


def hold(profile: Path, what: str, say: Callable[[str], None] | None = None,
         wait: float | None = None) -> AccountLock:
    """Take the account whose browser profile is `profile`, waiting at most `wait` seconds
    (default wait_seconds()) for another command to let go; AccountBusy names that command."""
    wait = wait_seconds() if wait is None else wait
    profile = Path(os.path.abspath(profile))
    with _held_guard:
        reserved = _reserved.pop(profile, None)
    if reserved is not None:
        return reserved  # this command took it already, when it started the browser early
    fd = _open(profile)
    try:
        deadline = time.monotonic() + wait
        pause = threading.Event()
        told = False
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                who = holder(profile) or "another optout command"
                raise AccountBusy(f"{what} is in use by {who}; try again when it ends "
                                  f"(waited {wait:g} s)")
            if say is not None and not told:
                say(f"{what} is in use by {holder(profile) or 'another optout command'}: "
                    f"waiting up to {wait:g} s for it to end")
                told = True
            pause.wait(POLL_SECONDS)  # the poll interval of a bounded condition wait
        _write_holder(fd)
    except BaseException:
        os.close(fd)
        raise
    lock = AccountLock(profile, fd)
    with _held_guard:
        _held[profile] = lock
    return lock


def reserve(profile: Path) -> AccountLock | None:
    """Take the account now, without waiting, for this process's next hold() of it (an early
    browser start: backends/early.py); None when another command holds it."""
    profile = Path(os.path.abspath(profile))
    fd = _open(profile)
    if not _try_lock(fd):
        os.close(fd)
        return None
    _write_holder(fd)
    lock = AccountLock(profile, fd)
    with _held_guard:
        _held[profile] = lock
        _reserved[profile] = lock
    return lock


def unreserve(profile: Path) -> None:
    """Let go of a reserved account that no hold() took (its early browser was not used)."""
    with _held_guard:
        lock = _reserved.pop(Path(os.path.abspath(profile)), None)
    if lock is not None:
        lock.release()


def held_elsewhere(profile: Path) -> bool:
    """True while another process (a live optout command) holds the profile's lock."""
    profile = Path(os.path.abspath(profile))
    with _held_guard:
        if profile in _held:
            return False  # it is ours
    try:
        fd = os.open(profile / LOCK_NAME, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False  # no lock file: nobody ever locked it
    try:
        if _try_lock(fd):
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        return True
    finally:
        os.close(fd)

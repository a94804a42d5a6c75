"""Process hygiene: no browser, driver or zombie outlives the run that started it.

A run writes its driver's and browser's pids (with their start times, so a reused pid is never
taken for them) into its profile; the next run of that profile ends what a SIGKILL left behind
and clears Chromium's stale profile locks. Linux's /proc is read; elsewhere the records are simply
not found and nothing is ended.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

from loguru import logger

from optout.backends.base import SHORT

_PIDS_NAME = "optout.pids"  # the driver (and browser) of the run that uses the profile, by pid and start time


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, …); [] when the process is
    gone or a zombie, which holds nothing any more."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:
        return []
    return [] if not fields or fields[0] in ("Z", "X") else fields


def _start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot): a pid reused since then has another one."""
    fields = _proc_stat(pid)
    return fields[19] if len(fields) > 19 else None


def _parent(pid: int) -> int:
    fields = _proc_stat(pid)
    return int(fields[1]) if len(fields) > 1 else 0


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def note_processes(profile: Path | None, *pids: int | None) -> None:
    """Write down this run's driver and browser in its profile, so that the run after a SIGKILL
    (which leaves them orphaned, for ever) can end them."""
    if profile is None:
        return
    lines = [f"{pid} {start}" for pid in pids if pid and (start := _start_time(pid))]
    with contextlib.suppress(OSError):
        (profile / _PIDS_NAME).write_text("\n".join(lines) + "\n", encoding="ascii")


def forget_processes(profile: Path | None) -> None:
    if profile is not None:
        with contextlib.suppress(OSError):
            (profile / _PIDS_NAME).unlink()


def _kill(pid: int, what: str) -> None:
    logger.warning("ending the {} (pid {}) that an interrupted run left behind", what, pid)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    pause, deadline = threading.Event(), time.monotonic() + SHORT
    while _start_time(pid) is not None and time.monotonic() < deadline:  # until the kernel has ended it
        pause.wait(0.05)


def _end_recorded(profile: Path) -> None:
    """End the driver and browser an earlier run of this profile wrote down, if they still run."""
    try:
        lines = (profile / _PIDS_NAME).read_text(encoding="ascii").split("\n")
    except OSError:
        return
    for line in lines:
        pid_text, _, start = line.partition(" ")
        pid = int(pid_text) if pid_text.isdigit() else 0
        if pid and pid != os.getpid() and start and _start_time(pid) == start:
            _kill(pid, "chromedriver" if b"chromedriver" in _cmdline(pid) else "browser process")
    forget_processes(profile)


def release_stale_profile(profile: Path) -> None:
    """Free a profile that an interrupted run left behind, so the next run can open it.

    Only a Chromium whose profile lock is free (no live optout command holds the account: lock.py)
    and whose driver is gone is a leftover. Chromium marks a profile in use with a SingletonLock
    link to "host-pid"; when optout is killed (SIGKILL, or SIGTERM mid-start) its Chromium and its
    chromedriver live on as orphans. Both are ended here: the ones the run wrote down (optout.pids),
    and a Chromium with our profile on its command line with the chromedriver that started it.
    Locks of dead processes are removed.
    """
    from optout import lock

    if lock.held_elsewhere(profile):
        return  # a live command drives this profile: its browser is not ours to end
    _end_recorded(profile)
    try:
        target = os.readlink(profile / "SingletonLock")
    except OSError:
        return
    pid_text = target.rsplit("-", 1)[-1]
    pid = int(pid_text) if pid_text.isdigit() else 0
    if pid and f"--user-data-dir={profile}".encode() in _cmdline(pid) and _start_time(pid):
        driver = _parent(pid)
        if driver == os.getpid():
            return  # this process's own live browser
        if driver > 1 and b"chromedriver" in _cmdline(driver) and _parent(driver) != os.getpid():
            _kill(driver, "chromedriver")
        _kill(pid, "Chromium")
    for name in ("SingletonLock", "SingletonSocket", "SingletonCookie"):
        with contextlib.suppress(OSError):
            (profile / name).unlink()


def end_child(pid: int | None, timeout: float) -> None:
    """Wait (bounded) for a child we signalled to end, SIGKILL it after `timeout`, and reap it."""
    if not pid or os.name != "posix":
        return
    reaped = threading.Event()

    def reap() -> None:
        with contextlib.suppress(ChildProcessError):  # not our child, or already reaped
            os.waitpid(pid, 0)
        reaped.set()

    threading.Thread(target=reap, daemon=True).start()
    if not reaped.wait(timeout):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        reaped.wait(timeout)


def reap_children() -> None:
    """undetected-chromedriver leaves zombie processes until Python exits: collect them now."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return

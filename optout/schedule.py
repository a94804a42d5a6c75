"""Periodic re-verification: `optout --quiet verify --all [--fix]` run by the system's scheduler.

The front door of `optout schedule`: which backend (systemd, cron or launchd, picked by platform;
OPTOUT_SCHEDULER overrides, for tests and odd set-ups), and install, remove and show across them.
When a run happens is optout/intervals.py's (an interval laid on the calendar); each scheduler's
artefact and how it is talked to, optout/schedulers.py's.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

from optout import config
from optout.errors import ConfigError, UsageError
from optout.intervals import calendar_slot, format_every, next_run, parse_every
from optout.schedulers import (
    INSTALL,
    LAUNCHD_LABEL,
    PASSED_ENV,
    REMOVE,
    SERVICE,
    SHOW,
    TIMER,
    check_importable,
    cron_line,
    default_command,
    launchd_path,
    launchd_plist,
    log_path,
    systemd_units,
    systemd_usable,
)

BACKENDS = ("systemd", "cron", "launchd")
__all__ = ["BACKENDS", "LAUNCHD_LABEL", "PASSED_ENV", "SERVICE", "TIMER", "cron_line", "format_every", "install",
           "installed_backends", "launchd_path", "launchd_plist", "next_run", "parse_every", "pick_backend", "remove",
           "show", "systemd_units"]


def pick_backend(backend: str | None = None) -> str:
    """`backend`, else OPTOUT_SCHEDULER, else by platform: launchd on macOS, systemd where a user
    manager runs (or its runtime folder exists), cron otherwise."""
    chosen = backend or os.environ.get("OPTOUT_SCHEDULER") or None
    if chosen:
        if chosen not in BACKENDS:
            raise UsageError(f"scheduler {chosen!r}: one of {', '.join(BACKENDS)}")
        return chosen
    if sys.platform == "darwin":
        return "launchd"
    if os.name == "nt":
        raise ConfigError("scheduling is not supported on Windows yet: add a Task Scheduler task that runs "
                          "`optout --quiet verify --all`")
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if (runtime and (Path(runtime) / "systemd").is_dir()) or systemd_usable():
        return "systemd"
    return "cron"


def install(every: timedelta | str, fix: bool = False, backend: str | None = None) -> str:
    """Set up the periodic run (replacing an earlier one); returns what was done, for the user."""
    if isinstance(every, str):
        every = parse_every(every)
    else:
        calendar_slot(every)
    chosen = pick_backend(backend)
    check_importable(default_command()[0])
    # The log's folder must exist before the scheduler opens it; private, as logs name accounts.
    log = log_path()
    config.private_dir(log.parent)
    os.close(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    done = INSTALL[chosen](every, fix)
    return f"{done}\nlog: {log}"


def installed_backends() -> list[str]:
    """Every backend that holds an optout entry now, whichever picked it (an install with --backend
    systemd must be found by a plain `show` and `remove` too)."""
    found = []
    for name, shower in SHOW.items():
        try:
            if shower() is not None:
                found.append(name)
        except ConfigError:  # e.g. crontab -l failing: that backend holds nothing we can see
            continue
    return found


def remove(backend: str | None = None) -> str:
    """Remove the entry of `backend`, or of every backend that holds one."""
    if backend is not None:
        return REMOVE[pick_backend(backend)]()
    present = installed_backends()
    if not present:
        return "no periodic verification was installed (looked at systemd, cron and launchd)"
    return "\n".join(REMOVE[name]() for name in present)


def show(backend: str | None = None) -> str:
    """What is installed (for `backend`, or wherever it is), when it runs next, or how to install it."""
    names = [pick_backend(backend)] if backend is not None else installed_backends()
    found = [text for text in (SHOW[name]() for name in names) if text is not None]
    if not found:
        where = names[0] if backend is not None else "systemd, cron, launchd"
        return f"no periodic verification is installed ({where}): optout schedule install --every 7d"
    return "\n".join(found) + f"\n  log: {log_path()}"

"""Periodic re-verification: `optout --quiet verify --all [--fix]` run by the system's scheduler.

Three backends, picked by platform (OPTOUT_SCHEDULER overrides, for tests and odd set-ups):

    systemd   a user timer + oneshot service in ~/.config/systemd/user (Linux with a user manager)
    cron      one line in the user's crontab, marked with `# optout-verify` (Linux without systemd)
    launchd   a LaunchAgent plist, ~/Library/LaunchAgents/org.optout.verify.plist (macOS)

The artefacts are made by pure functions (`systemd_units`, `cron_line`, `launchd_plist`) that can be
checked anywhere; `install`, `remove` and `show` write them and talk to the scheduler.

Scheduled runs never prompt (`--quiet` and OPTOUT_KEYRING_PROMPT=0) and append their output to
config.home()/logs/verify.log. Intervals are laid on the calendar (OnCalendar, cron fields) rather
than counted from the last run: a calendar slot survives reboots and, with Persistent=true, a slot
missed while the machine was off runs at the next boot.
"""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from optout import config, files
from optout.errors import ConfigError, UsageError

BACKENDS = ("systemd", "cron", "launchd")
UNIT = "optout-verify"
SERVICE = f"{UNIT}.service"
TIMER = f"{UNIT}.timer"
CRON_MARKER = "# optout-verify"
LAUNCHD_LABEL = "org.optout.verify"

MIN_EVERY = timedelta(minutes=15)  # a verify run opens every platform: more often is abuse, not care
MAX_EVERY = timedelta(days=31)  # cron and OnCalendar cannot say "every 40 days"; monthly is the cap
# Variables a scheduled run must see as the user's shell does: cron and systemd start with almost none.
# XDG_*: a file keyring (keyrings.alt) and keyring's own config live there; PATH: chromium and
# chromedriver are looked up on it.
PASSED_ENV = ("OPTOUT_CHROMIUM", "OPTOUT_CHROMEDRIVER", "PYTHON_KEYRING_BACKEND", "OPTOUT_FLOWS",
              "XDG_DATA_HOME", "XDG_CONFIG_HOME", "PATH")
_TIMEOUT_S = 30.0  # scheduler commands answer in well under a second; a hung one must not hang us
_MARKER_RE = re.compile(r"#\s*optout-verify\b")
_EVERY_RE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_WORDS = {"hourly": "1h", "daily": "1d", "weekly": "7d", "monthly": "30d"}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Unit files are written atomically (the scheduler never reads half a file) and 0644: launchd
# refuses group/world-writable agents, and nothing in these files is secret.
_UNIT_MODE = 0o644


# -- intervals --------------------------------------------------------------------------------------
def parse_every(text: str) -> timedelta:
    """'7d', '12h', '30m', '2w' (or hourly/daily/weekly/monthly) -> a timedelta the schedulers can keep."""
    raw = _WORDS.get(text.strip().lower(), text)
    match = _EVERY_RE.match(raw)
    if not match:
        raise UsageError(f"--every {text!r}: write a number and a unit, e.g. 7d (days), 12h (hours), "
                         "30m (minutes) or 2w (weeks)")
    number, unit = int(match[1]), match[2].lower()
    every = {"m": timedelta(minutes=number), "h": timedelta(hours=number), "d": timedelta(days=number),
             "w": timedelta(weeks=number)}[unit]
    _calendar(every)  # refuse now what no backend could keep, whichever backend runs later
    return every


def format_every(every: timedelta) -> str:
    """The short form parse_every reads: 7d, 6h, 30m."""
    seconds = int(every.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class _Slot:
    cron: str  # the five cron fields
    on_calendar: str  # a systemd calendar expression with the same meaning


def _spread() -> tuple[int, int, int, int]:
    """A stable minute, hour (10–17, when machines are on), weekday and day of month for this user.

    Stable so that reinstalling does not move the slot; different per user so that many machines do
    not all hit a platform on the same minute.
    """
    import getpass

    try:
        user = getpass.getuser()
    except Exception:  # no user name in a bare container: any constant will do
        user = "optout"
    h = zlib.crc32(user.encode())
    return h % 60, 10 + (h >> 6) % 8, (h >> 9) % 7, 1 + (h >> 12) % 28


def _calendar(every: timedelta) -> _Slot:
    """The calendar slot that repeats every `every`; UsageError for intervals a calendar cannot hold.

    Intervals that do not divide the day (5h) or the month (3d) restart at midnight or on the 1st,
    in cron and systemd alike: the gap before a restart is shorter, never longer.
    """
    seconds = int(every.total_seconds())
    if every < MIN_EVERY:
        raise UsageError(f"--every {format_every(every)}: at least 15m; a verify run opens every platform")
    if every > MAX_EVERY:
        raise UsageError(f"--every {format_every(every)}: at most 31d (monthly)")
    minute, hour, weekday, day = _spread()
    if seconds % 60:
        raise UsageError("--every: whole minutes, hours or days")
    if seconds < 3600:
        step = seconds // 60
        if 60 % step:
            raise UsageError(f"--every {step}m: use minutes that divide an hour (15m, 20m, 30m) or hours")
        return _Slot(f"*/{step} * * * *", f"*-*-* *:00/{step}:00")
    if seconds < 86400:
        if seconds % 3600:
            raise UsageError(f"--every {format_every(every)}: below a day use whole hours (e.g. 6h)")
        step = seconds // 3600
        if step == 1:
            return _Slot(f"{minute} * * * *", f"*-*-* *:{minute:02d}:00")
        return _Slot(f"{minute} */{step} * * *", f"*-*-* 00/{step}:{minute:02d}:00")
    if seconds % 86400:
        raise UsageError(f"--every {format_every(every)}: above a day use whole days (e.g. 2d)")
    days = seconds // 86400
    if days == 1:
        return _Slot(f"{minute} {hour} * * *", f"*-*-* {hour:02d}:{minute:02d}:00")
    if days == 7:
        cron_weekday = (weekday + 1) % 7  # cron counts from Sunday = 0
        return _Slot(f"{minute} {hour} * * {cron_weekday}", f"{_DAYS[weekday]} *-*-* {hour:02d}:{minute:02d}:00")
    if days < 28:
        return _Slot(f"{minute} {hour} */{days} * *", f"*-*-01/{days} {hour:02d}:{minute:02d}:00")
    return _Slot(f"{minute} {hour} {day} * *", f"*-*-{day:02d} {hour:02d}:{minute:02d}:00")


# -- what a scheduled run executes ------------------------------------------------------------------
def default_command() -> list[str]:
    """How to start optout again later: this interpreter, by absolute path (cron has no venv on PATH)."""
    return [str(Path(sys.executable).absolute()), "-m", "optout"]


def verify_args(command: Sequence[str], fix: bool) -> list[str]:
    # --quiet is an option of the group: it comes before the subcommand.
    return [*command, "--quiet", "verify", "--all", *(["--fix"] if fix else [])]


def scheduled_env() -> dict[str, str]:
    """The environment a scheduled run needs. OPTOUT_HOME is always pinned: cron and a user manager
    do not see the shell's XDG_DATA_HOME, and a run must find the same accounts and ledger."""
    env = {"OPTOUT_HOME": str(config.home().absolute()), "OPTOUT_KEYRING_PROMPT": "0"}
    for name in PASSED_ENV:
        value = os.environ.get(name)
        if value:
            env[name] = value
    return env


def log_path() -> Path:
    return config.home().absolute() / "logs" / "verify.log"


def _header(every: timedelta, fix: bool) -> str:
    return f"optout-verify every={format_every(every)} fix={'yes' if fix else 'no'}"


# -- systemd ----------------------------------------------------------------------------------------
def _sd_word(arg: str) -> str:
    """One ExecStart word: `%` is a specifier and `$` a variable to systemd, so both are doubled."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if arg and not re.search(r"[\s\"'\\;]", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sd_env(key: str, value: str) -> str:
    text = f"{key}={value}".replace("%", "%%").replace("\\", "\\\\").replace('"', '\\"')
    return f'Environment="{text}"'


def systemd_units(every: timedelta, fix: bool, command: Sequence[str] | None = None,
                  env: Mapping[str, str] | None = None, log: Path | None = None) -> dict[str, str]:
    """{file name: text} of the user service and timer. `command` starts optout (default: this
    interpreter with -m optout); the verify arguments are added here."""
    slot = _calendar(every)
    command = default_command() if command is None else list(command)
    env = scheduled_env() if env is None else dict(env)
    log_file = str(log or log_path()).replace("%", "%%")
    # A little jitter so machines set up alike do not all arrive at once; never more than 30 min.
    jitter = int(min(every.total_seconds() / 10, 1800))
    header = (f"# {_header(every, fix)}\n"
              "# Written by `optout schedule install`; `optout schedule remove` deletes it.\n")
    service = header + "\n".join([
        "[Unit]",
        'Description=optout: check that "train AI on my data" settings are still off',
        "",
        "[Service]",
        "Type=oneshot",
        *(_sd_env(k, v) for k, v in sorted(env.items())),
        "ExecStart=" + " ".join(_sd_word(a) for a in verify_args(command, fix)),
        f"StandardOutput=append:{log_file}",
        f"StandardError=append:{log_file}",
        "# A browser that hangs must not hold the unit (and so every later run) forever.",
        "TimeoutStartSec=1h",
        "Nice=10",
        "",
    ])
    timer = header + "\n".join([
        "[Unit]",
        f"Description=optout: re-verify every {format_every(every)}",
        "",
        "[Timer]",
        f"OnCalendar={slot.on_calendar}",
        "# A run missed while the machine was off happens at the next start.",
        "Persistent=true",
        f"RandomizedDelaySec={jitter}",
        f"Unit={SERVICE}",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ])
    return {SERVICE: service, TIMER: timer}


def systemd_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "systemd" / "user"


def systemd_usable() -> bool:
    """True when a user manager answers `systemctl --user` (not in containers without systemd)."""
    if shutil.which("systemctl") is None:
        return False
    try:
        return _run(["systemctl", "--user", "show-environment"], check=False).returncode == 0
    except ConfigError:
        return False


def _systemctl(*args: str) -> str:
    return _run(["systemctl", "--user", *args]).stdout.strip()


def _install_systemd(every: timedelta, fix: bool) -> str:
    folder = systemd_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in systemd_units(every, fix).items():
        files.write_atomic(folder / name, text, mode=_UNIT_MODE)
    where = f"wrote {folder / SERVICE} and {folder / TIMER}"
    enable = f"systemctl --user daemon-reload && systemctl --user enable --now {TIMER}"
    if not systemd_usable():
        return f"{where}\nno systemd user manager answers here: in your session run\n  {enable}"
    _systemctl("daemon-reload")
    _systemctl("enable", "--now", TIMER)
    return f"{where}\nenabled {TIMER}: every {format_every(every)}; see `systemctl --user list-timers {TIMER}`"


def _remove_systemd() -> str:
    folder = systemd_dir()
    present = [folder / name for name in (SERVICE, TIMER) if (folder / name).exists()]
    usable = systemd_usable()
    if usable and present:
        _run(["systemctl", "--user", "disable", "--now", TIMER], check=False)  # not enabled: fine
    for path in present:
        path.unlink()
    if usable and present:
        _systemctl("daemon-reload")
    if not present:
        return f"no systemd timer was installed ({folder / TIMER} does not exist)"
    return "removed " + " and ".join(str(p) for p in present)


def _show_systemd() -> str | None:
    timer = systemd_dir() / TIMER
    if not timer.exists():
        return None
    text = timer.read_text(encoding="utf-8")
    lines = [f"systemd timer {timer}", f"  {_described(text)}"]
    calendar = re.search(r"^OnCalendar=(.*)$", text, re.MULTILINE)
    if calendar:
        lines.append(f"  OnCalendar={calendar[1]}")
    lines += _next_line(text, "plus a random delay of up to 30 min")
    if systemd_usable():
        listing = _run(["systemctl", "--user", "list-timers", "--all", "--no-pager", TIMER], check=False)
        lines += ["  " + line for line in listing.stdout.strip().splitlines()]
    else:
        lines.append("  (no systemd user manager answers here: the timer is not running)")
    return "\n".join(lines)


# -- cron -------------------------------------------------------------------------------------------
def _cron_word(arg: str) -> str:
    # cron turns an unescaped % into a newline; the shell sees the rest.
    return shlex.quote(arg).replace("%", "\\%")


def cron_line(every: timedelta, fix: bool, command: Sequence[str] | None = None,
              env: Mapping[str, str] | None = None, log: Path | None = None) -> str:
    """One crontab line (no newline), ending with the `# optout-verify` marker."""
    slot = _calendar(every)
    command = default_command() if command is None else list(command)
    env = scheduled_env() if env is None else dict(env)
    assignments = [f"{k}={_cron_word(v)}" for k, v in sorted(env.items())]
    words = [_cron_word(a) for a in verify_args(command, fix)]
    log_file = _cron_word(str(log or log_path()))
    return (f"{slot.cron} {' '.join([*assignments, *words])} >> {log_file} 2>&1 "
            f"{CRON_MARKER} every={format_every(every)} fix={'yes' if fix else 'no'}")


def _crontab() -> str:
    path = shutil.which("crontab")
    if path is None:
        raise ConfigError("cron is not installed (no `crontab` command): install cron "
                          "(apt-get install cron), or run optout in a systemd user session")
    return path


def _crontab_read() -> str:
    proc = _run([_crontab(), "-l"], check=False)
    if proc.returncode != 0:
        if "no crontab" in proc.stderr.lower():
            return ""
        raise ConfigError(f"crontab -l failed: {proc.stderr.strip() or proc.returncode}")
    return proc.stdout


def _crontab_write(text: str) -> None:
    proc = _run([_crontab(), "-"], input=text, check=False)
    if proc.returncode != 0:
        raise ConfigError(f"crontab refused the new table: {proc.stderr.strip() or proc.returncode}")


def _without_ours(table: str) -> list[str]:
    return [line for line in table.splitlines() if not _MARKER_RE.search(line)]


def _install_cron(every: timedelta, fix: bool) -> str:
    line = cron_line(every, fix)
    _crontab_write("\n".join([*_without_ours(_crontab_read()), line]) + "\n")
    note = ""
    if sys.platform.startswith("linux") and not any(
            Path(p).exists() for p in ("/run/crond.pid", "/var/run/crond.pid", "/run/cron.pid")):
        note = "\nnote: no running cron daemon was found; start it (e.g. `service cron start`) or runs will not happen"
    return f"added to your crontab (every {format_every(every)}):\n  {line}{note}"


def _remove_cron() -> str:
    table = _crontab_read()
    kept = _without_ours(table)
    if len(kept) == len(table.splitlines()):
        return "no optout line was in your crontab"
    if kept:
        _crontab_write("\n".join(kept) + "\n")
    else:
        _run([_crontab(), "-r"])  # nothing else was there: leave no empty table behind
    return "removed the optout line from your crontab"


def _show_cron() -> str | None:
    if shutil.which("crontab") is None:
        return None
    ours = [line for line in _crontab_read().splitlines() if _MARKER_RE.search(line)]
    if not ours:
        return None
    return "\n".join(["crontab", *(f"  {_described(line)}\n{''.join(n + chr(10) for n in _next_line(line))}  {line}"
                                   for line in ours)])


# -- launchd ----------------------------------------------------------------------------------------
def launchd_plist(every: timedelta, fix: bool, command: Sequence[str] | None = None,
                  env: Mapping[str, str] | None = None, log: Path | None = None) -> bytes:
    """The LaunchAgent plist (XML). launchd keeps a true interval, so no calendar slot is needed."""
    _calendar(every)  # same limits on every platform
    command = default_command() if command is None else list(command)
    env = scheduled_env() if env is None else dict(env)
    log_file = str(log or log_path())
    data = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": verify_args(command, fix),
        "EnvironmentVariables": dict(env),
        "StartInterval": int(every.total_seconds()),
        "RunAtLoad": False,
        "StandardOutPath": log_file,
        "StandardErrorPath": log_file,
        "ProcessType": "Background",  # low priority: nobody is waiting for it
    }
    return plistlib.dumps(data, fmt=plistlib.FMT_XML, sort_keys=False)


def launchd_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"


def _on_macos() -> bool:
    return sys.platform == "darwin" and shutil.which("launchctl") is not None


def _install_launchd(every: timedelta, fix: bool) -> str:
    path = launchd_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_atomic(path, launchd_plist(every, fix), mode=_UNIT_MODE)
    domain = f"gui/{os.getuid()}" if hasattr(os, "getuid") else "gui/$(id -u)"
    if not _on_macos():
        return f"wrote {path}\nload it on the Mac with: launchctl bootstrap {domain} {shlex.quote(str(path))}"
    _run(["launchctl", "bootout", f"{domain}/{LAUNCHD_LABEL}"], check=False)  # an older one: replaced
    _run(["launchctl", "bootstrap", domain, str(path)])
    return f"wrote and loaded {path}: every {format_every(every)}"


def _remove_launchd() -> str:
    path = launchd_path()
    if _on_macos():
        _run(["launchctl", "bootout", f"gui/{os.getuid()}/{LAUNCHD_LABEL}"], check=False)
    if not path.exists():
        return f"no LaunchAgent was installed ({path} does not exist)"
    path.unlink()
    return f"removed {path}"


def _show_launchd() -> str | None:
    path = launchd_path()
    if not path.exists():
        return None
    data = plistlib.loads(path.read_bytes())
    interval = timedelta(seconds=int(data.get("StartInterval", 0)))
    fix = "--fix" in data.get("ProgramArguments", [])
    lines = [f"LaunchAgent {path}", f"  {_described(_header(interval, fix))}",
             f"  StartInterval={int(interval.total_seconds())} s (next: {format_every(interval)} after the "
             "previous run, counted from when it was loaded)"]
    if _on_macos():
        listing = _run(["launchctl", "print", f"gui/{os.getuid()}/{LAUNCHD_LABEL}"], check=False)
        lines.append("  loaded" if listing.returncode == 0 else "  not loaded")
    return "\n".join(lines)


# -- the entry points -------------------------------------------------------------------------------
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
        _calendar(every)
    chosen = pick_backend(backend)
    _check_importable(default_command()[0])
    # The log's folder must exist before the scheduler opens it; private, as logs name accounts.
    log = log_path()
    config.private_dir(log.parent)
    os.close(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    done = {"systemd": _install_systemd, "cron": _install_cron, "launchd": _install_launchd}[chosen](every, fix)
    return f"{done}\nlog: {log}"


_REMOVERS = {"systemd": _remove_systemd, "cron": _remove_cron, "launchd": _remove_launchd}
_SHOWERS = {"systemd": _show_systemd, "cron": _show_cron, "launchd": _show_launchd}


def installed_backends() -> list[str]:
    """Every backend that holds an optout entry now, whichever picked it (an install with --backend
    systemd must be found by a plain `show` and `remove` too)."""
    found = []
    for name, shower in _SHOWERS.items():
        try:
            if shower() is not None:
                found.append(name)
        except ConfigError:  # e.g. crontab -l failing: that backend holds nothing we can see
            continue
    return found


def remove(backend: str | None = None) -> str:
    """Remove the entry of `backend`, or of every backend that holds one."""
    if backend is not None:
        return _REMOVERS[pick_backend(backend)]()
    present = installed_backends()
    if not present:
        return "no periodic verification was installed (looked at systemd, cron and launchd)"
    return "\n".join(_REMOVERS[name]() for name in present)


def show(backend: str | None = None) -> str:
    """What is installed (for `backend`, or wherever it is), when it runs next, or how to install it."""
    names = [pick_backend(backend)] if backend is not None else installed_backends()
    found = [text for text in (_SHOWERS[name]() for name in names) if text is not None]
    if not found:
        where = names[0] if backend is not None else "systemd, cron, launchd"
        return f"no periodic verification is installed ({where}): optout schedule install --every 7d"
    return "\n".join(found) + f"\n  log: {log_path()}"


# -- when it runs next ------------------------------------------------------------------------------
def _cron_field(field: str, value: int) -> bool:
    """Whether one cron field (`*`, `*/N`, `A`, `A/N` as this module writes them) admits `value`."""
    base, _, step = field.partition("/")
    if base == "*":
        start = 0
    else:
        start = int(base)
        if not step:
            return value == start
    return value >= start and (value - start) % int(step or 1) == 0


def next_run(cron: str, after: datetime) -> datetime:
    """The first minute after `after` that the five cron fields match (day of month 1-based)."""
    minute, hour, dom, month, dow = cron.split()
    at = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    for _ in range(60 * 24 * 62):  # every slot this module writes recurs within two months
        # cron's */N for days counts from the 1st; its weekdays count from Sunday = 0
        day = at.day - 1 if dom.startswith("*/") else at.day
        if (_cron_field(minute, at.minute) and _cron_field(hour, at.hour) and _cron_field(dom, day)
                and _cron_field(month, at.month) and _cron_field(dow, (at.weekday() + 1) % 7)):
            return at
        at += timedelta(minutes=1)
    raise ValueError(f"no run of {cron!r} within two months")


def _next_line(text: str, extra: str = "") -> list[str]:
    """'next run: …' for an entry whose header says every=…, in local time and UTC."""
    match = re.search(r"every=(\S+)", text)
    if not match:
        return []
    try:
        slot = _calendar(parse_every(match[1]))
    except UsageError:
        return []
    local = next_run(slot.cron, datetime.now().astimezone())
    utc = local.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [f"  next run: {local:%Y-%m-%d %H:%M} local time ({utc})" + (f", {extra}" if extra else "")]


# -- helpers ----------------------------------------------------------------------------------------
def _described(text: str) -> str:
    match = re.search(r"every=(\S+) fix=(yes|no)", text)
    if not match:
        return "not written by this version of optout"
    return f"every {match[1]}" + (", switching back off what drifted (--fix)" if match[2] == "yes" else "")


def _check_importable(python: str) -> None:
    """A schedule whose command cannot start would fail silently every time: refuse it now."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # a scheduled run has none
    proc = _run([python, "-c", "import optout.cli"], check=False, env=env, cwd="/")
    if proc.returncode != 0:
        raise ConfigError(f"{python} cannot import optout outside this folder: install it "
                          "(pip install optout, or `make setup` in a checkout) before scheduling")


def _run(args: Sequence[str], input: str | None = None, check: bool = True,
         env: Mapping[str, str] | None = None, cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    try:
        proc = subprocess.run(list(args), input=input, capture_output=True, text=True, timeout=_TIMEOUT_S,
                              env=dict(env) if env is not None else None, cwd=cwd)
    except FileNotFoundError:
        raise ConfigError(f"{args[0]} is not installed") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"`{' '.join(args[:3])}` did not answer within {_TIMEOUT_S:g} s") from None
    if check and proc.returncode != 0:
        raise ConfigError(f"`{' '.join(args)}` failed: {proc.stderr.strip() or f'exit {proc.returncode}'}")
    return proc

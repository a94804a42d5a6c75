"""The system schedulers that run `optout --quiet verify --all [--fix]` later, and what that run is.

    systemd   a user timer + oneshot service in ~/.config/systemd/user (Linux with a user manager)
    cron      one line in the user's crontab, marked with `# optout-verify` (Linux without systemd)
    launchd   a LaunchAgent plist, ~/Library/LaunchAgents/org.optout.verify.plist (macOS)

Each backend's artefact is made by a pure function (`systemd_units`, `cron_line`, `launchd_plist`)
that can be checked anywhere; its `install`, `remove` and `show` (in INSTALL, REMOVE, SHOW) write it
and talk to the scheduler. Scheduled runs never prompt (`--quiet` and OPTOUT_KEYRING_PROMPT=0) and
append their output to config.home()/logs/verify.log. When they run is optout/intervals.py's;
which backend, optout/schedule.py's.
"""

from __future__ import annotations

import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path

from optout import config, files
from optout.errors import ConfigError
from optout.intervals import calendar_slot, described, format_every, header, next_line

UNIT = "optout-verify"
SERVICE = f"{UNIT}.service"
TIMER = f"{UNIT}.timer"
CRON_MARKER = "# optout-verify"
LAUNCHD_LABEL = "org.optout.verify"

# Variables a scheduled run must see as the user's shell does: cron and systemd start with almost none.
# XDG_*: a file keyring (keyrings.alt) and keyring's own config live there; PATH: chromium and
# chromedriver are looked up on it.
PASSED_ENV = ("OPTOUT_CHROMIUM", "OPTOUT_CHROMEDRIVER", "PYTHON_KEYRING_BACKEND", "OPTOUT_FLOWS",
              "XDG_DATA_HOME", "XDG_CONFIG_HOME", "PATH")
_TIMEOUT_S = 30.0  # scheduler commands answer in well under a second; a hung one must not hang us
_MARKER_RE = re.compile(r"#\s*optout-verify\b")
# Unit files are written atomically (the scheduler never reads half a file) and 0644: launchd
# refuses group/world-writable agents, and nothing in these files is secret.
_UNIT_MODE = 0o644


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
    slot = calendar_slot(every)
    command = default_command() if command is None else list(command)
    env = scheduled_env() if env is None else dict(env)
    log_file = str(log or log_path()).replace("%", "%%")
    # A little jitter so machines set up alike do not all arrive at once; never more than 30 min.
    jitter = int(min(every.total_seconds() / 10, 1800))
    top = (f"# {header(every, fix)}\n"
           "# Written by `optout schedule install`; `optout schedule remove` deletes it.\n")
    service = top + "\n".join([
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
    timer = top + "\n".join([
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
    lines = [f"systemd timer {timer}", f"  {described(text)}"]
    calendar = re.search(r"^OnCalendar=(.*)$", text, re.MULTILINE)
    if calendar:
        lines.append(f"  OnCalendar={calendar[1]}")
    lines += next_line(text, "plus a random delay of up to 30 min")
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
    slot = calendar_slot(every)
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
    return "\n".join(["crontab", *(f"  {described(line)}\n{''.join(n + chr(10) for n in next_line(line))}  {line}"
                                   for line in ours)])


# -- launchd ----------------------------------------------------------------------------------------
def launchd_plist(every: timedelta, fix: bool, command: Sequence[str] | None = None,
                  env: Mapping[str, str] | None = None, log: Path | None = None) -> bytes:
    """The LaunchAgent plist (XML). launchd keeps a true interval, so no calendar slot is needed."""
    calendar_slot(every)  # same limits on every platform
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
    lines = [f"LaunchAgent {path}", f"  {described(header(interval, fix))}",
             f"  StartInterval={int(interval.total_seconds())} s (next: {format_every(interval)} after the "
             "previous run, counted from when it was loaded)"]
    if _on_macos():
        listing = _run(["launchctl", "print", f"gui/{os.getuid()}/{LAUNCHD_LABEL}"], check=False)
        lines.append("  loaded" if listing.returncode == 0 else "  not loaded")
    return "\n".join(lines)


# -- each backend's entry points (optout/schedule.py picks one) --------------------------------------
INSTALL: dict[str, Callable[[timedelta, bool], str]] = {
    "systemd": _install_systemd, "cron": _install_cron, "launchd": _install_launchd}
REMOVE: dict[str, Callable[[], str]] = {"systemd": _remove_systemd, "cron": _remove_cron, "launchd": _remove_launchd}
SHOW: dict[str, Callable[[], str | None]] = {"systemd": _show_systemd, "cron": _show_cron, "launchd": _show_launchd}


# -- helpers ----------------------------------------------------------------------------------------
def check_importable(python: str) -> None:
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

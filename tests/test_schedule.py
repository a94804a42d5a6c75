"""Periodic re-verification: the artefacts each scheduler gets, checked by the scheduler's own tools.

systemd: units pass `systemd-analyze verify`, calendar slots are read back with `systemd-analyze
calendar`, and a real `systemd --user` manager (in a private mount namespace: no systemd runs as
PID 1 here) enables the timer and runs the service. cron: a stand-in `crontab` on PATH keeps the
table in a temp file, and the line's command is run as cron would run it. launchd: the plist
round-trips.

No test touches this machine's real crontab, user units or LaunchAgents: HOME, XDG_CONFIG_HOME and
XDG_DATA_HOME point into a temp folder, `crontab` is the stand-in, and the systemd manager is a
private one.
"""

from __future__ import annotations

import os
import plistlib
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from optout import schedule
from optout.errors import ConfigError, UsageError
from tests.waiting import stop

IN_CI = bool(os.environ.get("CI"))
# A home with a space and a percent sign: both are special to systemd, cron and the shell.
HOME_NAME = "opt out 100%"
CRONTAB_SHIM = """#!/bin/sh
# A stand-in for crontab(1): the table lives in $OPTOUT_TEST_CRONTAB, never in the user's crontab.
f="$OPTOUT_TEST_CRONTAB"
case "$1" in
  -l) if [ -f "$f" ]; then exec cat "$f"; fi; echo "no crontab for $(id -un)" >&2; exit 1 ;;
  -r) if [ -f "$f" ]; then rm -f "$f"; exit 0; fi; echo "no crontab for $(id -un)" >&2; exit 1 ;;
  -) cat > "$f" ;;
  *) echo "usage: crontab -l | -r | -" >&2; exit 1 ;;
esac
"""


def _need(*binaries: str) -> None:
    missing = [b for b in binaries if shutil.which(b) is None]
    if missing:
        msg = f"not installed: {', '.join(missing)} (run scripts/system-deps.sh)"
        if IN_CI:  # in CI a missing package is a broken set-up, not a reason to skip
            pytest.fail(msg)
        pytest.skip(msg)


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every folder the scheduler code reads points into tmp_path; no user manager is reachable."""
    for name in ("XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "OPTOUT_SCHEDULER", *schedule.PASSED_ENV):
        if name != "PATH":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path / HOME_NAME))
    (tmp_path / "home").mkdir()
    shim = tmp_path / "shim-bin"  # never the machine's crontab: a stand-in keeps the table in a file
    shim.mkdir()
    (shim / "crontab").write_text(CRONTAB_SHIM)
    (shim / "crontab").chmod(0o755)
    monkeypatch.setenv("OPTOUT_TEST_CRONTAB", str(tmp_path / "crontab.txt"))
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


# -- intervals --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("30m", timedelta(minutes=30)),
    ("2w", timedelta(days=14)), (" 1D ", timedelta(days=1)), ("weekly", timedelta(days=7)),
    ("15m", timedelta(minutes=15)), ("31d", timedelta(days=31)),
])
def test_parse_every_accepts(text: str, expected: timedelta) -> None:
    assert schedule.parse_every(text) == expected
    assert schedule.parse_every(schedule.format_every(expected)) == expected


@pytest.mark.parametrize(("text", "hint"), [
    ("7", "e.g. 7d"), ("seven days", "e.g. 7d"), ("1d2h", "e.g. 7d"), ("-1d", "e.g. 7d"),
    ("5m", "at least 15m"), ("0h", "at least 15m"), ("45m", "divide an hour"), ("36h", "whole days"),
    ("40d", "at most 31d"),
])
def test_parse_every_refuses_with_what_to_write(text: str, hint: str) -> None:
    with pytest.raises(UsageError) as caught:
        schedule.parse_every(text)
    assert hint in str(caught.value)
    assert "\n" not in str(caught.value)


def _elapses(spec: str, count: int) -> list[datetime]:
    """The next `count` times systemd itself computes for a calendar expression."""
    proc = subprocess.run(["systemd-analyze", "calendar", f"--iterations={count}", spec],
                          capture_output=True, text=True, timeout=30, env={**os.environ, "TZ": "UTC"})
    assert proc.returncode == 0, proc.stderr
    stamps = re.findall(r"(?:Next elapse|Iter\. #\d+): \w+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC", proc.stdout)
    return [datetime.fromisoformat(s) for s in stamps]


@pytest.mark.parametrize("every", ["15m", "30m", "1h", "6h", "1d", "7d"])
def test_calendar_slot_repeats_at_the_interval(every: str) -> None:
    _need("systemd-analyze")
    delta = schedule.parse_every(every)
    units = schedule.systemd_units(delta, fix=False, command=["/bin/true"], env={})
    spec = re.search(r"^OnCalendar=(.+)$", units[schedule.TIMER], re.MULTILINE)[1]
    times = _elapses(spec, 4)
    assert len(times) == 4, spec
    assert {b - a for a, b in zip(times, times[1:], strict=False)} == {delta}, (spec, times)
    # cron gets the same slot: same minute (and hour, weekday) fields
    fields = schedule.cron_line(delta, False, ["/bin/true"], {}).split()[:5]
    if delta < timedelta(hours=1):
        assert fields[:2] == [f"*/{delta.seconds // 60}", "*"]
    else:
        assert fields[0] == str(times[0].minute)
    if delta >= timedelta(days=1):
        assert fields[1] == str(times[0].hour)
        assert fields[2:4] == ["*", "*"]
        assert fields[4] == ("*" if delta == timedelta(days=1) else str((times[0].weekday() + 1) % 7))


# -- systemd ----------------------------------------------------------------------------------------
def _analyze_verify(folder: Path, runtime: Path) -> subprocess.CompletedProcess[str]:
    runtime.mkdir(mode=0o700, exist_ok=True)
    return subprocess.run(
        ["systemd-analyze", "--user", "verify", "--man=no",
         str(folder / schedule.TIMER), str(folder / schedule.SERVICE)],
        capture_output=True, text=True, timeout=30, env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)})


@pytest.mark.parametrize(("every", "fix"), [("7d", True), ("6h", False), ("30m", False), ("3d", True)])
def test_units_pass_systemd_analyze_verify(isolated: Path, every: str, fix: bool) -> None:
    _need("systemd-analyze")
    folder = isolated / "units"
    folder.mkdir()
    units = schedule.systemd_units(schedule.parse_every(every), fix)
    for name, text in units.items():
        (folder / name).write_text(text)
    proc = _analyze_verify(folder, isolated / "runtime")
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr
    service = units[schedule.SERVICE]
    assert f"ExecStart={sys.executable} -m optout --quiet verify --all" + (" --fix" if fix else "") in service
    assert 'Environment="OPTOUT_KEYRING_PROMPT=0"' in service
    assert f'Environment="OPTOUT_HOME={isolated}/opt out 100%%"' in service  # % doubled for systemd
    assert "Type=oneshot" in service
    assert "Persistent=true" in units[schedule.TIMER]

    # The checker does catch a broken unit: the same files with an unreadable calendar fail.
    (folder / schedule.TIMER).write_text(units[schedule.TIMER].replace("OnCalendar=", "OnCalendar=every fortnight "))
    assert _analyze_verify(folder, isolated / "runtime").returncode != 0


def test_systemd_install_show_remove_without_a_manager(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No systemd runs here: the files are written and the user is told the command to enable them."""
    monkeypatch.setenv("OPTOUT_SCHEDULER", "systemd")
    folder = isolated / "config" / "systemd" / "user"
    said = schedule.install("7d")
    assert "systemctl --user daemon-reload && systemctl --user enable --now optout-verify.timer" in said
    assert sorted(p.name for p in folder.iterdir()) == [schedule.SERVICE, schedule.TIMER]
    assert (folder / schedule.TIMER).stat().st_mode & 0o777 == 0o644
    log = isolated / HOME_NAME / "logs" / "verify.log"
    assert log.exists() and log.stat().st_mode & 0o777 == 0o600
    assert "every 7d" in schedule.show() and "not running" in schedule.show()

    schedule.install("12h", fix=True)  # replaces the first one
    assert sorted(p.name for p in folder.iterdir()) == [schedule.SERVICE, schedule.TIMER]
    assert "every 12h, switching back off" in schedule.show()
    assert "--fix" in (folder / schedule.SERVICE).read_text()

    assert "removed" in schedule.remove()
    assert list(folder.iterdir()) == []
    assert "no periodic verification is installed" in schedule.show()
    assert "no periodic verification was installed" in schedule.remove()
    assert "no systemd timer was installed" in schedule.remove(backend="systemd")


@pytest.fixture
def user_manager(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real `systemd --user` for this test; yields its XDG_RUNTIME_DIR.

    A user manager refuses to start unless /run/systemd/system exists (systemd booted). It gets a
    private mount namespace with a fresh tmpfs on /run holding that folder: the host's /run is not
    touched. It says READY=1 on NOTIFY_SOCKET when it is up, so there is nothing to poll.
    """
    binary = next((p for p in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd") if Path(p).exists()), None)
    if binary is None or shutil.which("unshare") is None or os.geteuid() != 0:
        msg = "a private systemd --user needs root, unshare and the systemd package"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    runtime = isolated / "runtime"
    runtime.mkdir(mode=0o700)
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify_path = str(isolated / "notify.sock")
    notify.bind(notify_path)
    notify.settimeout(20)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    env = {**os.environ, "NOTIFY_SOCKET": notify_path}
    log = (isolated / "manager.log").open("w")
    proc = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         'mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && exec "$0" "$@"', binary, "--user"],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        try:
            while b"READY=1" not in notify.recv(4096):
                pass
        except TimeoutError:
            pytest.fail(f"systemd --user did not start: {(isolated / 'manager.log').read_text()}")
        yield runtime
    finally:
        notify.close()
        stop(proc, timeout=15)  # SIGTERM: the user manager stops its units and exits
        log.close()


def _systemctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["systemctl", "--user", *args], capture_output=True, text=True, timeout=60)


def test_systemd_user_manager_enables_and_runs_the_timer(user_manager: Path, isolated: Path) -> None:
    assert schedule.pick_backend() == "systemd"  # chosen by itself: a user manager answers
    said = schedule.install("7d")
    assert "enabled optout-verify.timer" in said
    wants = isolated / "config" / "systemd" / "user" / "timers.target.wants" / schedule.TIMER
    assert wants.is_symlink()
    assert _systemctl("is-active", schedule.TIMER).stdout.strip() == "active"
    shown = schedule.show()
    assert "every 7d" in shown and schedule.TIMER in shown and "1 timers listed" in shown

    # Run the service now, as the timer would: verify starts, finds no account, says so in the log.
    started = _systemctl("start", schedule.SERVICE)
    assert started.returncode != 0  # verify exits 2 (nothing configured): systemd marks the run failed
    status = _systemctl("show", schedule.SERVICE, "-p", "ExecMainStatus").stdout.strip()
    assert status == "ExecMainStatus=2"
    log = (isolated / HOME_NAME / "logs" / "verify.log").read_text()
    assert "optout: no accounts configured" in log and "Traceback" not in log

    assert "removed" in schedule.remove()
    assert _systemctl("is-active", schedule.TIMER).stdout.strip() == "inactive"
    assert not wants.exists()
    assert "no periodic verification is installed" in schedule.show()


# -- cron -------------------------------------------------------------------------------------------


@pytest.fixture
def crontab(isolated: Path) -> Path:
    """The file that holds the stand-in crontab's table (see `isolated`)."""
    return isolated / "crontab.txt"


def _table(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _cron_command(line: str) -> str:
    """What cron hands to /bin/sh for a crontab line: after the five time fields, with `\\%` -> `%`
    (an unescaped % would end the command and feed the rest to its standard input)."""
    command = line.split(None, 5)[5]
    assert not re.search(r"(?<!\\)%", command), f"unescaped % in {command!r}"
    return command.replace("\\%", "%")


def test_cron_install_show_remove(crontab: Path, isolated: Path) -> None:
    keep = "0 3 * * * /bin/true # someone else's job"
    old = "1 1 * * * /bin/false # optout-verify every=1d fix=no"
    crontab.write_text(f"{keep}\n{old}\n")

    said = schedule.install("7d", backend="cron")
    assert "every 7d" in said
    table = _table(crontab)
    ours = [line for line in table if "# optout-verify" in line]
    assert keep in table and old not in table and len(ours) == 1, table
    minute, hour, dom, month, dow = ours[0].split()[:5]
    assert (dom, month) == ("*", "*") and dow.isdigit() and minute.isdigit() and hour.isdigit()
    assert "--quiet verify --all" in ours[0] and "--fix" not in ours[0]
    shown = schedule.show(backend="cron")
    assert "every 7d" in shown
    # when it runs next: the line's own slot, a weekday in the coming week
    nxt = re.search(r"next run: (\d{4}-\d\d-\d\d \d\d:\d\d) local time", shown)
    assert nxt, shown
    at = datetime.strptime(nxt[1], "%Y-%m-%d %H:%M")
    assert (at.minute, at.hour, (at.weekday() + 1) % 7) == (int(minute), int(hour), int(dow))
    assert timedelta(0) < at - datetime.now() <= timedelta(days=7)

    # Run the line's command the way cron does: /bin/sh, an almost empty environment.
    cron_env = {"HOME": str(isolated / "home"), "LOGNAME": "root", "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run(["/bin/sh", "-c", _cron_command(ours[0])], env=cron_env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == proc.stderr == ""  # everything went to the log
    log = (isolated / HOME_NAME / "logs" / "verify.log").read_text()
    assert "optout: no accounts configured" in log

    assert "removed" in schedule.remove(backend="cron")
    assert _table(crontab) == [keep]
    assert "no optout line" in schedule.remove(backend="cron")


def test_show_and_remove_find_the_entry_whichever_backend_holds_it(
        crontab: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_SCHEDULER", "cron")  # what a plain show/remove would pick here
    schedule.install("12h", backend="systemd")
    units = isolated / "config" / "systemd" / "user"
    shown = schedule.show()
    assert "systemd timer" in shown and "every 12h" in shown and "next run:" in shown, shown
    said = schedule.remove()
    assert "removed" in said and not (units / schedule.TIMER).exists() and not (units / schedule.SERVICE).exists()
    assert "no periodic verification is installed" in schedule.show()

    schedule.install("1d", backend="cron")
    schedule.install("7d", backend="launchd")
    shown = schedule.show()
    assert "crontab" in shown and "LaunchAgent" in shown
    schedule.remove()
    assert _table(crontab) == [] and not schedule.launchd_path().exists()
    assert "no periodic verification was installed" in schedule.remove()


def test_scheduled_run_finds_a_file_keyring_under_a_custom_xdg_data_home(
        crontab: Path, isolated: Path, linkedin, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crontab line carries XDG_DATA_HOME and the keyring backend: a scheduled run reads the same
    file keyring the user's shell wrote, and signs in with it (judged by the replica)."""
    data = isolated / "custom data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    user, password = "sched@example.com", "sched-Pw-1"
    linkedin.add_account(user, password)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    stored = subprocess.run([sys.executable, "-m", "optout", "creds", "set", "linkedin", user, "--password-stdin"],
                            input=password + "\n", env=env, capture_output=True, text=True, timeout=60)
    assert stored.returncode == 0, stored.stderr
    assert list(data.rglob("keyring_pass.cfg")), "the file keyring is not under the custom XDG_DATA_HOME"

    schedule.install("1d", backend="cron")
    line = next(line for line in _table(crontab) if "# optout-verify" in line)
    for name in ("XDG_DATA_HOME", "PYTHON_KEYRING_BACKEND", "OPTOUT_HOME", "PATH"):
        assert f"{name}=" in line, (name, line)
    # The scheduled command, pointed at the replica (the only change), in cron's bare environment.
    command = _cron_command(line).replace(" --quiet verify --all",
                                          f" --quiet verify --all --base-url linkedin={linkedin.url}")
    cron_env = {"HOME": str(isolated / "home"), "LOGNAME": "root", "SHELL": "/bin/sh", "PATH": "/usr/bin:/bin"}
    subprocess.run(["/bin/sh", "-c", command], env=cron_env, capture_output=True, text=True, timeout=240)
    log = (isolated / HOME_NAME / "logs" / "verify.log").read_text()
    assert linkedin.state()["accounts"][user]["sign_ins"] == 1, log
    assert "Traceback" not in log


def test_cron_without_crontab_is_one_line(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = isolated / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # really no crontab on PATH
    with pytest.raises(ConfigError) as caught:
        schedule.install("7d", backend="cron")
    assert "apt-get install cron" in str(caught.value) and "\n" not in str(caught.value)


# -- launchd ----------------------------------------------------------------------------------------
def test_launchd_plist_round_trips(isolated: Path) -> None:
    data = plistlib.loads(schedule.launchd_plist(schedule.parse_every("7d"), fix=True))
    assert data["Label"] == "org.optout.verify"
    assert data["ProgramArguments"] == [sys.executable, "-m", "optout", "--quiet", "verify", "--all", "--fix"]
    assert data["StartInterval"] == 7 * 86400
    assert data["EnvironmentVariables"] == {
        "OPTOUT_HOME": str(isolated / HOME_NAME), "OPTOUT_KEYRING_PROMPT": "0", "PATH": os.environ["PATH"],
        "XDG_CONFIG_HOME": str(isolated / "config"), "XDG_DATA_HOME": str(isolated / "data")}
    assert data["StandardOutPath"] == data["StandardErrorPath"] == str(isolated / HOME_NAME / "logs" / "verify.log")
    assert data["RunAtLoad"] is False


def test_launchd_install_show_remove(isolated: Path) -> None:
    said = schedule.install("12h", backend="launchd")
    path = isolated / "home" / "Library" / "LaunchAgents" / "org.optout.verify.plist"
    assert str(path) in said
    if sys.platform != "darwin":
        assert "launchctl bootstrap" in said  # not loaded here: the user is told how
    assert plistlib.loads(path.read_bytes())["StartInterval"] == 12 * 3600
    assert path.stat().st_mode & 0o022 == 0  # launchd refuses group/world-writable agents
    assert "every 12h" in schedule.show(backend="launchd")
    assert "removed" in schedule.remove(backend="launchd")
    assert not path.exists()


# -- choosing a backend -----------------------------------------------------------------------------
def test_backend_choice(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_SCHEDULER", "anacron")
    with pytest.raises(UsageError, match="systemd, cron, launchd"):
        schedule.pick_backend()
    monkeypatch.delenv("OPTOUT_SCHEDULER")
    if sys.platform.startswith("linux"):
        assert schedule.pick_backend() == "cron"  # no user manager reachable
        runtime = isolated / "runtime"
        (runtime / "systemd").mkdir(parents=True)
        monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
        assert schedule.pick_backend() == "systemd"
    assert schedule.pick_backend("launchd") == "launchd"

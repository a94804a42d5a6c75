"""When a scheduled verify runs: an interval (`--every 7d`) laid on the calendar, for every scheduler.

Intervals are laid on the calendar (systemd's OnCalendar, cron's five fields) rather than counted
from the last run: a calendar slot survives reboots and, with Persistent=true, a slot missed while
the machine was off runs at the next boot. Each user gets a stable minute and hour of their own, so
that many machines do not all reach a platform on the same minute. No files, no processes: the
schedulers (optout/schedulers.py) write what these compute.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from optout.errors import UsageError

MIN_EVERY = timedelta(minutes=15)  # a verify run opens every platform: more often is abuse, not care
MAX_EVERY = timedelta(days=31)  # cron and OnCalendar cannot say "every 40 days"; monthly is the cap
_EVERY_RE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_WORDS = {"hourly": "1h", "daily": "1d", "weekly": "7d", "monthly": "30d"}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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
    calendar_slot(every)  # refuse now what no backend could keep, whichever backend runs later
    return every


def format_every(every: timedelta) -> str:
    """The short form parse_every reads: 7d, 6h, 30m."""
    seconds = int(every.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


@dataclass(frozen=True)
class Slot:
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


def calendar_slot(every: timedelta) -> Slot:
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
        return Slot(f"*/{step} * * * *", f"*-*-* *:00/{step}:00")
    if seconds < 86400:
        if seconds % 3600:
            raise UsageError(f"--every {format_every(every)}: below a day use whole hours (e.g. 6h)")
        step = seconds // 3600
        if step == 1:
            return Slot(f"{minute} * * * *", f"*-*-* *:{minute:02d}:00")
        return Slot(f"{minute} */{step} * * *", f"*-*-* 00/{step}:{minute:02d}:00")
    if seconds % 86400:
        raise UsageError(f"--every {format_every(every)}: above a day use whole days (e.g. 2d)")
    days = seconds // 86400
    if days == 1:
        return Slot(f"{minute} {hour} * * *", f"*-*-* {hour:02d}:{minute:02d}:00")
    if days == 7:
        cron_weekday = (weekday + 1) % 7  # cron counts from Sunday = 0
        return Slot(f"{minute} {hour} * * {cron_weekday}", f"{_DAYS[weekday]} *-*-* {hour:02d}:{minute:02d}:00")
    if days < 28:
        return Slot(f"{minute} {hour} */{days} * *", f"*-*-01/{days} {hour:02d}:{minute:02d}:00")
    return Slot(f"{minute} {hour} {day} * *", f"*-*-{day:02d} {hour:02d}:{minute:02d}:00")


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


def next_line(text: str, extra: str = "") -> list[str]:
    """'next run: …' for an entry whose header says every=…, in local time and UTC."""
    match = re.search(r"every=(\S+)", text)
    if not match:
        return []
    try:
        slot = calendar_slot(parse_every(match[1]))
    except UsageError:
        return []
    local = next_run(slot.cron, datetime.now().astimezone())
    utc = local.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return [f"  next run: {local:%Y-%m-%d %H:%M} local time ({utc})" + (f", {extra}" if extra else "")]


# -- what an entry says of itself -------------------------------------------------------------------
def header(every: timedelta, fix: bool) -> str:
    """The marker every entry carries: `optout-verify every=7d fix=no`."""
    return f"optout-verify every={format_every(every)} fix={'yes' if fix else 'no'}"


def described(text: str) -> str:
    """An entry's marker, in words."""
    match = re.search(r"every=(\S+) fix=(yes|no)", text)
    if not match:
        return "not written by this version of optout"
    return f"every {match[1]}" + (", switching back off what drifted (--fix)" if match[2] == "yes" else "")

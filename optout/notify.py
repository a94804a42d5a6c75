"""Alerts: when a verify finds a setting switched back on (or a page it cannot read, or a check only a
person can pass), tell the user through the channels they chose.

Channels are apprise URLs (mailto://, mailtos://, ntfy://, json://, tgram://, … see
https://github.com/caronc/apprise/wiki), kept in config.home()/notify.yaml:

    channels:
      - mailtos://alice:app-password@example.com?to=alice@example.com
      - ntfys://my-optout-topic

A URL often carries a password or a token, so the file is private (0600) and a URL is only ever
shown or logged as its scheme and host (`redact_url`). Sending never breaks a run: a channel that
fails is a warning in the log and a False in the return value, never an exception.
"""

from __future__ import annotations

import logging
import re
import socket
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import yaml
from loguru import logger

from optout import config, files
from optout.errors import ConfigError, UsageError
from optout.outcomes import Outcome

# failed and error too: a scheduled check that cannot run (keyring locked…) must not stay silent
ALERT_OUTCOMES = frozenset(o.value for o in Outcome if o.alerts)
# "unavailable" alerts only where the setting was seen opted out before: it may be back on where
# optout can no longer see it, which is news as bad as a drift
ALERT_IF_WAS_OFF = frozenset(o.value for o in Outcome if o.alerts_if_was_off)
WAS_OPTED_OUT = frozenset(o.value for o in Outcome if o.opted_out)
_HINTS = {
    "drifted": "switched back on by the platform; `optout verify --all --fix` switches it off again",
    "unavailable": "it was opted out before and the platform no longer shows it: check it by hand on the "
                   "platform (it may be on again), or report it if it moved",
    "broken": "the page no longer matches optout's flow: update optout, or report it",
    "needs_human": "a check only a person can pass (2FA, captcha): run `optout login {platform} {account}`",
}
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


class _ResultLike(Protocol):
    platform: str
    account: str
    setting: str
    outcome: str
    message: str
    proof: str | None


def notify_path() -> Path:
    return config.home() / "notify.yaml"


# -- the channels file ------------------------------------------------------------------------------
def channels() -> list[str]:
    """The configured apprise URLs, in order (secrets included: never print them)."""
    path = notify_path()
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({getattr(exc, 'problem', exc)}): fix or remove it") from None
    urls = data.get("channels") if isinstance(data, dict) else data  # a bare list is read too
    if urls is None:
        return []
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise ConfigError(f"{path}: expected 'channels: [URL, …]': fix it or use `optout notify add URL`")
    return [u.strip() for u in urls if u.strip()]


def _write(urls: Sequence[str]) -> None:
    path = notify_path()
    config.private_dir(path.parent)
    # Atomic and 0600: never half a file, never readable by others.
    header = "# optout alert channels (apprise URLs). They may hold passwords: keep this file private.\n"
    files.write_atomic(path, header + yaml.safe_dump({"channels": list(urls)}, allow_unicode=True, sort_keys=False))


def add_channel(url: str) -> bool:
    """Add an apprise URL after checking apprise can use it; False when it was there already."""
    url = url.strip()
    if _instantiate(url) is None:
        raise UsageError(f"{redact_url(url)}: not a URL apprise can send to "
                         "(see https://github.com/caronc/apprise/wiki for each service's form)")
    current = channels()
    if url in current:
        return False
    _write([*current, url])
    logger.debug("notify: added {}", redact_url(url))
    return True


def remove_channel(which: str) -> str:
    """Remove a channel named by its URL, by its number in `optout notify list` (1, 2, …) or by its
    shown form when that is unambiguous. Returns the shown form of what was removed."""
    current = channels()
    which = which.strip()
    shown = labels(current)
    if which in current:
        index = current.index(which)
    elif which.isdigit() and 1 <= int(which) <= len(current):
        index = int(which) - 1
    elif shown.count(which) == 1:
        index = shown.index(which)
    else:
        hint = "; it matches several: give its number" if shown.count(which) > 1 else ""
        raise UsageError(f"no such alert channel{hint} (see `optout notify list`)")
    label = shown[index]
    _write(current[:index] + current[index + 1:])
    logger.debug("notify: removed {}", label)
    return label


def labels(urls: Sequence[str] | None = None) -> list[str]:
    """The shown form of each channel (scheme and host), numbered where two would look the same."""
    urls = channels() if urls is None else urls
    plain = [redact_url(u) for u in urls]
    counts = Counter(plain)
    seen: Counter[str] = Counter()
    shown = []
    for label in plain:
        seen[label] += 1
        shown.append(label if counts[label] == 1 else f"{label} #{seen[label]}")
    return shown


def redact_url(url: str) -> str:
    """`scheme://host[:port]` of an apprise URL: no user, password, path or query.

    The host is taken from apprise's own privacy form, which masks it where the service keeps a
    token there (tgram://BOT_TOKEN/…); such a host is shown as •••."""
    scheme = url.split("://", 1)[0] if "://" in url else "?"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return "?://•••"
    plugin = _instantiate(url)
    private = plugin.url(privacy=True) if plugin is not None else url
    try:
        parts = urlsplit(private)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # a "port" that is really a token
        host, port = "", None
    if not host or "..." in host or "*" in host or plugin is None:
        host = "•••"  # masked by apprise, or unknown: nothing of it is safe to show
    return f"{scheme}://{host}" + (f":{port}" if port else "")


# -- sending ----------------------------------------------------------------------------------------
def compose(results: Iterable[_ResultLike], command: str,
            outcomes: frozenset[str] = ALERT_OUTCOMES,
            was_opted_out: Callable[[_ResultLike], bool] = lambda r: False) -> tuple[str, str] | None:
    """(title, body) of the alert for `results`, or None when none of them needs the user.

    An "unavailable" needs the user when `was_opted_out` says the setting was off before."""
    found = [r for r in results if r.outcome in outcomes
             or (r.outcome in ALERT_IF_WAS_OFF and was_opted_out(r))]
    if not found:
        return None
    counts = Counter(r.outcome for r in found)
    summary = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in sorted(counts.items()))
    noun = "setting needs" if len(found) == 1 else "settings need"
    title = f"optout: {len(found)} {noun} attention ({summary})"
    lines = [f"`{command}` on {socket.gethostname()} found:", ""]
    for r in found:
        origin = getattr(r, "origin", None)  # a --base-url run: a replica or staging host, said as such
        via = f" (via {origin}, not {r.platform} itself)" if origin else ""
        lines.append(f"{r.outcome.upper()}: {r.platform} / {r.account} / {r.setting}{via}")
        if r.message:
            lines.append(f"  {r.message}")
        hint = _HINTS.get(r.outcome, "see `optout status`").format(platform=r.platform, account=r.account)
        lines.append(f"  what to do: {hint}")
        if r.proof:
            lines.append(f"  proof: {r.proof}")
        lines.append("")
    lines.append("`optout status` and `optout report` show the full history.")
    return title, "\n".join(lines)


def alert(results: Sequence[_ResultLike], command: str, outcomes: frozenset[str] = ALERT_OUTCOMES) -> int:
    """Send one message about the results whose outcome needs the user to every channel; returns how
    many channels accepted it (0 when nothing needed saying or no channel is set). Never raises."""
    try:
        message = compose(results, command, outcomes, _opted_out_before(results))
        if message is None:
            return 0
        urls = channels()
        if not urls:
            logger.debug("notify: an alert was due but no channel is set (optout notify add URL)")
            return 0
        sent = _send(urls, *message, warning=True)
        return sum(sent.values())
    except Exception as exc:  # an alert that fails must never turn a run into a crash
        logger.warning("notify: could not send the alert ({})", _clean(str(exc)) or type(exc).__name__)
        return 0


def _opted_out_before(results: Sequence[_ResultLike]) -> Callable[[_ResultLike], bool]:
    """Whether the ledger holds a changed/ok/already for a result's setting and account."""
    lost = [r for r in results if r.outcome in ALERT_IF_WAS_OFF]
    if not lost or not config.ledger_path().exists():
        return lambda r: False
    from optout.ledger import Ledger

    ledger = Ledger(config.ledger_path())
    try:
        seen = {_key(r) for r in lost if ledger.last_with_outcome(
            r.platform, r.account, r.setting, set(WAS_OPTED_OUT), origin=getattr(r, "origin", None))}
    finally:
        ledger.close()
    return lambda r: _key(r) in seen


def _key(r: _ResultLike) -> tuple[str, str, str, str | None]:
    """A setting of an account at one origin: a replica's history is not the platform's."""
    return r.platform, r.account, r.setting, getattr(r, "origin", None)


def test_channels() -> dict[str, bool]:
    """Send a short test message to each channel: {shown form: accepted}."""
    urls = channels()
    if not urls:
        return {}
    body = (f"This is a test from optout on {socket.gethostname()}: alerts about settings switched back on "
            "will arrive here.")
    return _send(urls, "optout: test alert", body, warning=False)


test_channels.__test__ = False  # type: ignore[attr-defined]  # a tool function, not a pytest test


def _send(urls: Sequence[str], title: str, body: str, warning: bool) -> dict[str, bool]:
    import apprise

    kind = apprise.NotifyType.WARNING if warning else apprise.NotifyType.INFO
    accepted: dict[str, bool] = {}
    for url, label in zip(urls, labels(urls), strict=True):
        _register_url_secrets(url)
        reason = ""
        # apprise logs through the standard `logging`; captured here so that nothing of a URL reaches
        # stderr unfiltered, and so a failure can say why.
        with apprise.LogCapture(level=logging.WARNING) as captured:
            try:
                sender = apprise.Apprise()
                if not sender.add(url):
                    ok, reason = False, "not a URL apprise can send to"
                else:
                    ok = bool(sender.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT,
                                            notify_type=kind))
            except Exception as exc:  # a plugin bug or an odd URL: one channel down, not the run
                ok, reason = False, type(exc).__name__
            text = captured.getvalue()
        if not ok:
            reason = reason or _last_reason(text) or "no reason given"
            logger.warning("notify: {} did not accept the alert ({})", label, reason)
        accepted[label] = ok
    return accepted


# -- helpers ----------------------------------------------------------------------------------------
def _instantiate(url: str) -> Any:
    """apprise's plugin for `url`, or None; apprise's own log lines about it are kept quiet."""
    import apprise

    with apprise.LogCapture(level=logging.CRITICAL):
        try:
            return apprise.Apprise.instantiate(url)
        except Exception:
            return None


def _register_url_secrets(url: str) -> None:
    """The URL's password and the whole URL are secrets for every later log line."""
    from optout import logs

    logs.register_secret(url)
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password and len(password) >= 4:  # a 1–3 character "password" would mask ordinary words
        logs.register_secret(password)


def _last_reason(captured: str) -> str:
    lines = [line.split(" - ", 2)[-1] for line in captured.strip().splitlines() if line.strip()]
    return _clean(lines[-1]) if lines else ""


def _clean(text: str) -> str:
    """A message from apprise or an exception, with any URL cut to its scheme and redacted."""
    from optout import logs

    text = _URL_IN_TEXT.sub(lambda m: m.group(0).split("://", 1)[0] + "://•••", text)
    return logs.redact(text).strip()

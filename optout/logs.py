"""Logging set-up (loguru) and secret redaction.

Every secret optout reads or writes (passwords, TOTP secrets) is registered here first; from then on
a loguru patcher replaces it with "•••" in each record before any sink sees it: the message, the
`extra` values and the text of a logged exception. The patcher is global to loguru's core, so sinks
added later (by tests, by a library) are covered too.

Exceptions are the hard part: a sink formats `record["exception"]` itself, from the live exception
object, and loguru's `diagnose` mode even prints local variables. The patcher therefore renders the
traceback itself (no locals), redacts it, appends it to the message and drops the live exception.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from loguru import logger

MASK = "•••"

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None  # replaced whole under _lock; read without it (atomic)
_handler_ids: list[int] = []
_patcher_installed = False


def _variants(value: str) -> set[str]:
    """The forms a secret takes once trimmed or quoted in a repr, JSON or a URL."""
    forms = {
        value, value.strip(), repr(value)[1:-1], repr(value.encode())[2:-1], json.dumps(value)[1:-1],
        quote(value, safe=""), quote_plus(value),
    }
    return {f for f in forms if f}


def register_secret(value: str) -> None:
    """Redact `value` (and its quoted forms) from every later log line and from `redact()`."""
    global _pattern
    if not value.strip():
        return  # an empty or blank "secret" would mask every gap between words
    with _lock:
        new = _variants(value) - _secrets
        if new:
            _secrets.update(new)
            # Longest first, so a secret that contains another is masked whole.
            alternatives = sorted(_secrets, key=len, reverse=True)
            _pattern = re.compile("|".join(re.escape(s) for s in alternatives))
    _install_patcher()


def redact(text: str) -> str:
    """`text` with every registered secret replaced by the mask."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def _redact_value(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact(value)
    if depth < 20:  # containers nest; a cycle must not recurse forever
        if isinstance(value, Mapping):
            return {_redact_value(k, depth + 1): _redact_value(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            items = [_redact_value(v, depth + 1) for v in value]
            if isinstance(value, list):
                return items
            return tuple(items) if isinstance(value, tuple) else set(items)
    # Anything else (numbers too: a PIN is a secret): kept unless its text shows a secret.
    text = repr(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


def _patch(record: dict[str, Any]) -> None:
    if _pattern is None:
        return
    record["message"] = redact(record["message"])
    record["extra"].update({k: _redact_value(v) for k, v in record["extra"].items()})
    exc = record["exception"]
    if exc is not None:
        # Render the traceback ourselves (never with local variables) and redact it; a sink would
        # otherwise format the live exception, secrets and all.
        try:
            text = "".join(traceback.format_exception(exc.type, exc.value, exc.traceback)).rstrip()
        except Exception:  # an odd exception triple; its type name still helps
            text = getattr(exc.type, "__name__", "exception")
        record["message"] = f"{record['message']}\n{redact(text)}"
        record["exception"] = None


def _install_patcher() -> None:
    global _patcher_installed
    with _lock:  # held while configuring: no record slips through half-installed
        if _patcher_installed:
            return
        # Note: loguru has one core patcher; a later logger.configure(patcher=...) elsewhere would
        # replace this one. Use logger.patch() for extra patchers instead.
        logger.configure(patcher=_patch)
        _patcher_installed = True


def setup(verbose: bool = False, log_file: Path | None = None, quiet: bool = False) -> None:
    """Log to stderr (INFO; DEBUG with verbose; WARNING with quiet) and optionally to a private file.

    Calling it again replaces the sinks it added before (and loguru's default one); other sinks stay.
    """
    _install_patcher()
    with _lock:
        old, _handler_ids[:] = list(_handler_ids), []
    for handler_id in [0, *old]:  # 0: loguru's default stderr sink (DEBUG, its own format)
        with contextlib.suppress(ValueError):  # already removed
            logger.remove(handler_id)
    level = "DEBUG" if verbose else "WARNING" if quiet else "INFO"
    ids = [
        logger.add(
            sys.stderr, level=level, format="<level>{level: <8}</level> {message}",
            backtrace=False, diagnose=False,  # diagnose would print local variables: passwords
        )
    ]
    if log_file is not None:
        ids.append(
            logger.add(
                _private_file(log_file), level="DEBUG", encoding="utf-8",
                format="{time:YYYY-MM-DDTHH:mm:ss.SSSZZ} {level: <8} {name}:{line} {message}",
                backtrace=False, diagnose=False, opener=_private_opener,
            )
        )
    with _lock:
        _handler_ids.extend(ids)


def _private_opener(path: str, flags: int) -> int:
    # New files (including rotated ones) are created 0600: logs show accounts and pages.
    return os.open(path, flags, 0o600)


def _private_file(path: Path) -> Path:
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    os.chmod(path, 0o600)  # an older file may have been created wider
    return path

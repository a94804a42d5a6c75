"""The "sent" marker: a form's submission, kept beside the proofs as well as in the ledger.

A form is a legal request: sent once, never again by accident. The ledger records it, but a ledger
can be emptied, moved aside or deleted; this small file cannot be lost with it. It is written
before the Submit click ("submitting") and again after it ("sent", or "unconfirmed" when no
confirmation was recognised), atomically and readable by the user only:

    OPTOUT_HOME/proofs/PLATFORM/ACCOUNT_SLUG/SETTING.sent.json

A run that finds either this file or a ledger row of the submission does not send again without
`--resend`. A file that cannot be read counts as sent: a doubt never sends a second request.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from optout import config, files
from optout.errors import OptoutError

SUBMITTING = "submitting"  # written just before the click: the request may have gone out
SENT = "sent"  # the confirmation was recognised
UNCONFIRMED = "unconfirmed"  # submitted, but no confirmation was recognised
STATES = (SUBMITTING, SENT, UNCONFIRMED)


def path(platform: str, account: str, setting: str) -> Path:
    folder = config.proofs_dir() / config.slug(platform) / config.account_slug(account)
    return folder / f"{config.slug(setting)}.sent.json"


def read(platform: str, account: str, setting: str) -> dict[str, Any] | None:
    """The marker's facts, or None when nothing was ever submitted from here."""
    where = path(platform, account, setting)
    try:
        text = where.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return {"state": UNCONFIRMED, "unreadable": f"{where}: {exc.strerror or exc}"}
    try:
        facts = json.loads(text)
    except ValueError:
        facts = None
    if not isinstance(facts, dict) or facts.get("state") not in STATES:
        return {"state": UNCONFIRMED, "unreadable": f"{where}: not a marker optout wrote"}
    return facts


def write(platform: str, account: str, setting: str, facts: dict[str, Any]) -> Path:
    """Replace the marker with `facts`, atomically (a crash leaves the old or the new file)."""
    where = path(platform, account, setting)
    try:
        config.private_dir(where.parent)
        files.write_atomic(where, json.dumps(facts, ensure_ascii=False, indent=2, sort_keys=True))
    except OSError as exc:
        raise OptoutError(f"cannot write {where} ({exc.strerror or exc})") from None
    return where


def clear(platform: str, account: str, setting: str) -> None:
    """Forget a submission the platform refused (its form came back with errors)."""
    with contextlib.suppress(FileNotFoundError):
        path(platform, account, setting).unlink()

"""Time as optout writes it: UTC, to the second, `2026-11-28T15:04:05Z` (ledger, JSON, markers)."""

from __future__ import annotations

from datetime import UTC, datetime


def now_utc() -> datetime:
    return datetime.now(UTC)


def iso_utc(when: datetime | None = None) -> str:
    """`when` (default: now) as optout writes times: 2026-11-28T15:04:05Z."""
    when = when or now_utc()
    if when.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass an aware one")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

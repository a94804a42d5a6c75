"""The ledger's chain head kept outside the database: `ledger.sqlite3.head` beside it.

The database's own `meta` table holds the head (hash and length of the last row) of its hash chain;
this file holds it too, written by the ledger under its write lock before each commit, so an
emptied, replaced or missing ledger shows up in `Ledger.verify()`. A chain the file knows and the
database no longer holds stays listed in the file ("lost"): the next records start a new chain but
do not hide that the old one is gone.

Nothing here knows SQL: the ledger says what the database holds.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from loguru import logger

from optout import files
from optout.clock import iso_utc

SUFFIX = ".head"  # the chain head kept outside the database


class HeadFile:
    """The chain record of the ledger at `ledger_path`."""

    def __init__(self, ledger_path: Path) -> None:
        self.ledger_name = ledger_path.name
        self.path = ledger_path.with_name(ledger_path.name + SUFFIX)

    def read(self) -> dict[str, Any] | None:
        """The record; None when there is none, `{"damaged": True}` when it cannot be read."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"damaged": True}
        if not isinstance(data, dict) or not isinstance(data.get("length"), int):
            return {"damaged": True}
        return data

    def lost(self) -> list[dict[str, Any]]:
        """The chains the record lists as lost."""
        lost = (self.read() or {}).get("lost")
        return [c for c in lost if isinstance(c, dict)] if isinstance(lost, list) else []

    def lost_now(self, holds: Callable[[int, str], bool]) -> list[dict[str, Any]]:
        """The lost chains, plus the recorded one if the database no longer `holds(length, hash)` it."""
        lost = self.lost()
        data = self.read()
        if data and not data.get("damaged") and not holds(data["length"], str(data.get("hash"))):
            lost.append({"hash": data.get("hash"), "length": data["length"], "noticed": iso_utc()})
        return lost

    def write(self, head: str, length: int, lost: list[dict[str, Any]]) -> None:
        """Record the chain's head (atomic, 0600); a failure is logged, never raised."""
        data = {"ledger": self.ledger_name, "hash": head, "length": length, "lost": lost, "at": iso_utc()}
        try:
            files.write_atomic(self.path, json.dumps(data, indent=1))
        except OSError as exc:
            logger.warning("cannot write the ledger's chain record {}: {}", self.path, exc.strerror or exc)

    def check(self, data: dict[str, Any] | None, hashes: Mapping[int, str], db_head: str,
              db_length: int) -> list[str]:
        """What the record `data` (as read) says is missing from a database whose rows have these
        `hashes` (row id -> row hash) and whose `meta` holds (db_head, db_length): one line each."""
        if data is None:
            return []
        if data.get("damaged"):
            return [f"the chain record {self.path} is damaged: it cannot tell whether rows were removed"]
        problems = [
            f"an earlier chain of {c.get('length')} results (last hash {str(c.get('hash'))[:16]}…) is missing "
            f"from this ledger (noticed {c.get('noticed')}): the ledger was emptied, replaced or moved aside"
            for c in data.get("lost") or [] if isinstance(c, dict)
        ]
        length, head = data["length"], str(data.get("hash"))
        # Agreeing with `meta` leaves row-level damage to the chain check; otherwise the row the
        # file names must be there (the file may lag one commit behind, never run ahead).
        if (head, length) != (db_head, db_length) and length > 0 and hashes.get(length) != head:
            problems.append(
                f"the chain of {length} results recorded in {self.path.name} (last hash {head[:16]}…) is "
                f"missing: this ledger holds {len(hashes)} results; it was emptied, replaced or lost")
        return problems

"""The ledger's journal: what a busy ledger could not take, kept until the next command adds it.

A writer that waited its bounded time for another process's write lock appends the entry (a result,
or a run's finish) to `ledger.sqlite3.pending` beside the ledger: JSON lines, 0600, each under an
advisory lock and fsync'd, for it is the only copy. Whoever opens the ledger next replays it: the file
is renamed first (of two commands starting together, one takes each file), and the ledger writes
each entry's id to its `meta` table in the transaction that adds the entry, so an entry lands
exactly once even if two commands replay together.

Nothing here knows SQL or the hash chain: `Journal.replay` hands the entries to the ledger's writer.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from loguru import logger

from optout.errors import OptoutError

SUFFIX = ".pending"  # results kept while the ledger was busy
KINDS = ("result", "finish")

Entry = dict[str, Any]  # {"kind": "result", "run_id", "result": {...}} or {"kind": "finish", "run_id", …}


class Journal:
    """The journal of the ledger at `ledger_path`."""

    def __init__(self, ledger_path: Path) -> None:
        self.path = ledger_path.with_name(ledger_path.name + SUFFIX)

    def keep(self, entry: Entry) -> None:
        """Append one entry (with a fresh id), flushed to disk: it is the only copy."""
        line = json.dumps({**entry, "id": uuid.uuid4().hex}, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            while True:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                try:
                    _lock_file(fd)  # a replayer reads a claimed file only once no writer is in it
                    if not _same_file(fd, self.path):
                        continue  # claimed (renamed) between our open and our lock: write the new one
                    os.write(fd, line.encode("utf-8"))
                    os.fsync(fd)
                    break
                finally:
                    os.close(fd)
        except OSError as exc:
            raise OptoutError(f"the ledger is busy and its journal {self.path} cannot be written "
                              f"({exc.strerror or exc}): this result is only in the log") from None

    def files(self) -> list[Path]:
        """The journal and the files claimed from it but not replayed yet."""
        return sorted(self.path.parent.glob(glob_escape(self.path.name) + "*"))

    def entries(self) -> list[Entry]:
        """Every entry waiting, oldest file first."""
        return [entry for path in self.files() for entry in read(path)]

    def pending(self) -> int:
        """How many results wait (a run's finish is not counted)."""
        return sum(1 for entry in self.entries() if entry["kind"] == "result")

    def replay(self, append_all: Callable[[list[Entry]], list[int | None]]) -> int:
        """Hand each claimed file's entries to `append_all` (the ledger's one write transaction,
        which applies an entry id at most once and returns a row id per result added); a file is
        removed once its entries are in. Returns how many results were added. A ledger still busy
        (sqlite3.Error) keeps the rest for later; a file this version cannot read is kept."""
        added = 0
        for path in self.claim():
            entries = read(path)
            try:
                added += sum(1 for row_id in append_all(entries) if row_id is not None)
            except sqlite3.Error as exc:
                logger.warning("the ledger is still busy ({}): {} waits for the next command", exc, path.name)
                return added
            except (KeyError, TypeError, ValueError) as exc:  # an entry this version cannot read: keep it
                logger.warning("{}: cannot replay it ({}); it is kept", path, exc)
                continue
            path.unlink(missing_ok=True)
        if added:
            logger.info("the ledger: {} result(s) kept while it was busy were added", added)
        return added

    def claim(self) -> list[Path]:
        """Rename the journal first: of two commands starting together, one takes each file.

        Files claimed earlier but not replayed (busy, or a crash) are taken up again; entry ids
        in the ledger's `meta` keep a second replay of them from adding anything twice.
        """
        claimed = self.path.with_name(f"{self.path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}")
        with suppress(FileNotFoundError):
            os.rename(self.path, claimed)
        return [p for p in self.files() if p != self.path]


def read(path: Path) -> list[Entry]:
    """A journal file's entries; a line cut short by a crash is skipped (it was never acknowledged)."""
    try:
        with path.open("rb") as f:
            _lock_file(f.fileno())  # a writer that opened it just before it was claimed finishes first
            lines = f.read().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            logger.warning("{}: an unreadable line was skipped", path)
            continue
        if isinstance(entry, dict) and entry.get("id") and entry.get("kind") in KINDS:
            entries.append(entry)
    return entries


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _lock_file(fd: int) -> None:
    """An exclusive advisory lock, released when `fd` is closed (none where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the rename still gives each file one claimant
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False

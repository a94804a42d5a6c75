"""The ledger: an SQLite history of runs and results that can show it has not been tampered with.

Every result row is linked to the one before it by a hash chain:

    row_hash = sha256(prev_hash + canonical JSON of the row's fields, incl. the screenshot's SHA-256)

and the `meta` table keeps the chain's head (hash and length of the last row written), so an edited
row, a deleted row (in the middle or at the end) and a swapped or missing screenshot all show up in
`Ledger.verify()`. The chain detects accidents and naive edits; it is not a signature: someone who
can rewrite the file can also recompute every hash.

Concurrency: writes are serialized by a lock inside the process and by `BEGIN IMMEDIATE` across
processes; the next link of the chain is read and written inside that one transaction, so
concurrent writers cannot fork it. Each write is one transaction: a process killed mid-run leaves a
consistent file in which the unfinished run simply has no finish time.

Secrets: the ledger stores exactly what it is given. Callers must never pass a password, a TOTP
code or secret, a cookie or a URL with a token in it (proof.clean_url strips query and fragment).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from optout.errors import ConfigError

OUTCOMES = frozenset({"changed", "already", "ok", "drifted", "unavailable", "needs_human", "broken", "failed", "error"})
STATES = frozenset({"on", "off"})
COMMANDS = frozenset({"run", "verify", "login"})

SCHEMA_VERSION = 1
GENESIS = "0" * 64  # prev_hash of the first row
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another process's transaction

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        exit_code INTEGER,
        pid INTEGER NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS results (
        id INTEGER PRIMARY KEY,
        run_id INTEGER REFERENCES runs(id),
        platform TEXT NOT NULL,
        account TEXT NOT NULL,
        setting TEXT NOT NULL,
        outcome TEXT NOT NULL,
        before_state TEXT,
        after_state TEXT,
        proof TEXT,
        sha256 TEXT,
        at TEXT NOT NULL,
        message TEXT NOT NULL,
        details TEXT NOT NULL,
        command TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        row_hash TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS results_key ON results (platform, account, setting, id)",
    f"INSERT OR IGNORE INTO meta (key, value) VALUES ('chain_head', '{GENESIS}')",
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('chain_length', '0')",
)

# Column -> field name in the hashed payload; order matters (record() inserts in this order).
_HASHED = {
    "id": "id",
    "run_id": "run_id",
    "platform": "platform",
    "account": "account",
    "setting": "setting",
    "outcome": "outcome",
    "before_state": "before",
    "after_state": "after",
    "proof": "proof",
    "sha256": "sha256",
    "at": "at",
    "message": "message",
    "details": "details",
    "command": "command",
}
_RESULT_COLUMNS = ", ".join([*_HASHED, "prev_hash", "row_hash"])


def iso_utc(when: datetime | None = None) -> str:
    """`when` (default: now) as the ledger writes times: 2026-11-28T15:04:05Z."""
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass an aware one")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Result:
    """One outcome for one platform × account × setting. Holds no secret (see the module doc)."""

    platform: str
    account: str
    setting: str
    outcome: str
    before: str | None
    after: str | None
    proof: str | None
    sha256: str | None
    at: str
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    command: str = "run"

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "account": self.account,
            "setting": self.setting,
            "outcome": self.outcome,
            "before": self.before,
            "after": self.after,
            "proof": self.proof,
            "sha256": self.sha256,
            "at": self.at,
            "message": self.message,
            "details": dict(self.details),
            "command": self.command,
        }


class Ledger:
    """The history file. Safe to share between threads; open one per process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._inherited: sqlite3.Connection | None = None
        _create_private_file(self.path)
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._connect()
            self._create_schema()
        except sqlite3.DatabaseError as exc:  # not a database, damaged, or not writable
            self.close()
            raise ConfigError(f"{self.path}: cannot open the ledger: {exc}") from exc

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        _check_command(command)
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO runs (command, started_at, pid) VALUES (?, ?, ?)",
                (command, iso_utc(), os.getpid()),
            )
            return _rowid(cur)

    def finish_run(self, run_id: int, exit_code: int) -> None:
        with self._write() as db:
            cur = db.execute(
                "UPDATE runs SET finished_at = ?, exit_code = ? WHERE id = ?",
                (iso_utc(), int(exit_code), run_id),
            )
            if cur.rowcount != 1:
                raise ValueError(f"no run with id {run_id}")

    # -- results ------------------------------------------------------------------------------------

    def record(self, result: Result, run_id: int | None = None) -> int:
        """Append `result` to the chain; returns its row id."""
        _check_result(result)
        details = _canonical(result.details)
        with self._write() as db:
            head, length = _chain_head(db)
            max_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM results").fetchone()[0]
            # ids are 1, 2, 3, ...: a gap is a deleted row. max() keeps writing possible even if
            # someone damaged `meta`; verify() will still report it.
            row = _payload(result, max(length, max_id) + 1, run_id, details)
            row_hash = _chain_hash(head, row)
            db.execute(
                f"INSERT INTO results ({_RESULT_COLUMNS}) VALUES ({', '.join('?' * (len(_HASHED) + 2))})",
                (*row.values(), head, row_hash),
            )
            db.executemany(
                "UPDATE meta SET value = ? WHERE key = ?",
                ((row_hash, "chain_head"), (str(row["id"]), "chain_length")),
            )
            return int(row["id"])

    def latest(
        self, platform: str | None = None, account: str | None = None, setting: str | None = None
    ) -> list[Result]:
        """The newest row for each (platform, account, setting), sorted by those three."""
        where, params = _where(platform, account, setting)
        rows = self._read(
            f"SELECT {_RESULT_COLUMNS} FROM results WHERE id IN "
            f"(SELECT MAX(id) FROM results{where} GROUP BY platform, account, setting) "
            "ORDER BY platform, account, setting",
            params,
        )
        return [_to_result(r) for r in rows]

    def history(
        self, platform: str | None = None, account: str | None = None, setting: str | None = None
    ) -> list[Result]:
        """Every matching row, oldest first."""
        where, params = _where(platform, account, setting)
        rows = self._read(f"SELECT {_RESULT_COLUMNS} FROM results{where} ORDER BY id", params)
        return [_to_result(r) for r in rows]

    def last_with_outcome(self, platform: str, account: str, setting: str, outcomes: set[str]) -> Result | None:
        """The newest row for this key whose outcome is in `outcomes` (e.g. when it was last off)."""
        if not outcomes:
            return None
        marks = ", ".join("?" * len(outcomes))
        rows = self._read(
            f"SELECT {_RESULT_COLUMNS} FROM results "
            f"WHERE platform = ? AND account = ? AND setting = ? AND outcome IN ({marks}) "
            "ORDER BY id DESC LIMIT 1",
            [platform, account, setting, *sorted(outcomes)],
        )
        return _to_result(rows[0]) if rows else None

    # -- integrity ----------------------------------------------------------------------------------

    def verify(self) -> list[str]:
        """Recompute the chain and re-hash the screenshots; one readable line per problem."""
        with self._locked() as db:
            db.execute("BEGIN")  # one snapshot: rows and chain head must agree
            try:
                check = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
                rows = db.execute(f"SELECT {_RESULT_COLUMNS} FROM results ORDER BY id").fetchall()
                head, length = _chain_head(db)
            finally:
                db.execute("COMMIT")
        problems = [] if check == ["ok"] else [f"the database file is damaged: {'; '.join(check)}"]
        problems += _check_chain(rows, head, length)
        for row in rows:
            problems += self._check_screenshot(row)
        return problems

    def close(self) -> None:
        with self._locked(open_only=False):
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves; one connection, guarded by _lock.
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")  # readers do not block the writer, nor it them
        db.execute("PRAGMA synchronous = FULL")  # a committed result survives a power cut too
        db.execute("PRAGMA foreign_keys = ON")
        return db

    @contextmanager
    def _locked(self, open_only: bool = True) -> Iterator[sqlite3.Connection]:
        """Hold the lock and yield the connection (reopened in a forked child)."""
        if os.getpid() != self._pid and self._conn is not None:
            # A forked child must not use its parent's SQLite connection, nor a lock copied in
            # whatever state; the inherited connection is kept unclosed so the parent's is untouched.
            self._inherited, self._pid = self._conn, os.getpid()
            self._lock = threading.RLock()
            self._conn = self._connect()
        with self._lock:
            if self._conn is None and open_only:
                raise ValueError("the ledger is closed")
            yield self._conn  # type: ignore[misc]

    def _create_schema(self) -> None:
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ConfigError(f"{self.path}: ledger schema {version} is newer than this optout ({SCHEMA_VERSION})")
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; BEGIN IMMEDIATE takes the file's write lock before reading."""
        with self._locked() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _read(self, sql: str, params: list[Any]) -> list[sqlite3.Row]:
        with self._locked() as db:
            return db.execute(sql, params).fetchall()

    def _check_screenshot(self, row: sqlite3.Row) -> list[str]:
        if not row["proof"]:
            return []
        path = Path(row["proof"])
        if not path.is_absolute():
            path = self.path.parent / path  # relative proofs are relative to the ledger's folder
        if not path.is_file():
            return [f"{_label(row)}: screenshot missing: {path}"]
        if row["sha256"] is None:
            return []
        actual = _sha256_file(path)
        if actual != row["sha256"]:
            return [
                f"{_label(row)}: screenshot changed: {path} has SHA-256 {actual}, the ledger recorded {row['sha256']}"
            ]
        return []


# -- helpers ------------------------------------------------------------------------------------------


def _create_private_file(path: Path) -> None:
    """Create the ledger 0600 before SQLite opens it (its -wal/-shm files copy this mode)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def _check_command(command: str) -> None:
    if command not in COMMANDS:
        raise ValueError(f"unknown command {command!r}; expected one of {sorted(COMMANDS)}")


def _check_result(result: Result) -> None:
    """Refuse rows that would make the history lie or be unreadable later."""
    if result.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {result.outcome!r}; expected one of {sorted(OUTCOMES)}")
    for name in ("before", "after"):
        state = getattr(result, name)
        if state is not None and state not in STATES:
            raise ValueError(f"{name} must be 'on', 'off' or None, not {state!r}")
    _check_command(result.command)
    if not isinstance(result.details, dict):
        raise ValueError("details must be a dict")
    try:
        offset = datetime.fromisoformat(result.at).utcoffset()
    except (TypeError, ValueError):
        raise ValueError(f"'at' is not an ISO 8601 time: {result.at!r}") from None
    if offset is None or offset:
        raise ValueError(f"'at' must be in UTC (e.g. 2026-11-28T15:04:05Z): {result.at!r}")


def _canonical(value: Any) -> str:
    """One spelling per value, so the same row always hashes the same."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"details must be plain JSON data: {exc}") from None


def _payload(result: Result, row_id: int, run_id: int | None, details: str) -> dict[str, Any]:
    """The hashed fields, in column order (the insert relies on that order)."""
    return {
        "id": row_id,
        "run_id": run_id,
        "platform": result.platform,
        "account": result.account,
        "setting": result.setting,
        "outcome": result.outcome,
        "before": result.before,
        "after": result.after,
        "proof": result.proof,
        "sha256": result.sha256,
        "at": result.at,
        "message": result.message,
        "details": details,
        "command": result.command,
    }


def _row_payload(row: sqlite3.Row) -> dict[str, Any]:
    """The hashed fields as stored, to recompute a row's hash."""
    return {name: row[column] for column, name in _HASHED.items()}


def _chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + _canonical(payload)).encode("utf-8")).hexdigest()


def _chain_head(db: sqlite3.Connection) -> tuple[str, int]:
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    try:
        length = int(meta.get("chain_length", 0))
    except ValueError:
        length = -1  # damaged meta; verify() reports the mismatch
    return meta.get("chain_head", GENESIS), length


def _check_chain(rows: list[sqlite3.Row], head: str, length: int) -> list[str]:
    problems: list[str] = []
    prev_hash, prev_id = GENESIS, 0
    for row in rows:
        if row["id"] != prev_id + 1:
            problems.append(f"{_span(prev_id + 1, row['id'] - 1)} deleted: chain broken at {_label(row)}")
        elif row["prev_hash"] != prev_hash:
            problems.append(f"chain broken at {_label(row)}: the row before it was changed or replaced")
        if _chain_hash(row["prev_hash"], _row_payload(row)) != row["row_hash"]:
            problems.append(f"{_label(row)} was edited: its content no longer matches its hash")
        prev_hash, prev_id = row["row_hash"], row["id"]
    if length > prev_id:
        problems.append(
            f"{_span(prev_id + 1, length)} deleted at the end: the ledger wrote {length} rows, "
            f"only {prev_id} remain in sequence"
        )
    elif length != prev_id or head != prev_hash:
        last = f"the last row ({_label(rows[-1])})" if rows else "an empty ledger"
        problems.append(f"the chain head does not match {last}: rows or the chain record were altered")
    return problems


def _span(first: int, last: int) -> str:
    return f"row {first} was" if first == last else f"rows {first}-{last} were"


def _label(row: sqlite3.Row) -> str:
    return f"row {row['id']} ({row['platform']} {row['account']} {row['setting']} at {row['at']})"


def _where(platform: str | None, account: str | None, setting: str | None) -> tuple[str, list[Any]]:
    pairs = [(c, v) for c, v in (("platform", platform), ("account", account), ("setting", setting)) if v is not None]
    if not pairs:
        return "", []
    return " WHERE " + " AND ".join(f"{c} = ?" for c, _ in pairs), [v for _, v in pairs]


def _to_result(row: sqlite3.Row) -> Result:
    return Result(
        platform=row["platform"],
        account=row["account"],
        setting=row["setting"],
        outcome=row["outcome"],
        before=row["before_state"],
        after=row["after_state"],
        proof=row["proof"],
        sha256=row["sha256"],
        at=row["at"],
        message=row["message"],
        details=_load_details(row["details"]),
        command=row["command"],
    )


def _load_details(text: str) -> dict[str, Any]:
    # A damaged row must not break `status`; verify() reports it.
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {"unreadable": text}
    return value if isinstance(value, dict) else {"value": value}


def _rowid(cur: sqlite3.Cursor) -> int:
    assert cur.lastrowid is not None
    return cur.lastrowid


def _sha256_file(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()

"""The ledger: an SQLite history of runs and results that can show it has not been tampered with.

Every result row is linked to the one before it by a hash chain:

    row_hash = sha256(prev_hash + canonical JSON of the row's fields, incl. the screenshot's SHA-256)

and the `meta` table keeps the chain's head (hash and length of the last row written), so an edited
row, a deleted row (in the middle or at the end) and a swapped or missing screenshot all show up in
`Ledger.verify()`. The chain detects accidents and naive edits; it is not a signature: someone who
can rewrite the file can also recompute every hash.

The chain's head is also kept outside the database, in `ledger.sqlite3.head` beside it
(optout/chainhead.py; written under the write lock, before each commit), so an emptied, replaced or
missing ledger shows up in `verify()` too.

Concurrency: writes are serialized by a lock inside the process and by `BEGIN IMMEDIATE` across
processes; the next link of the chain is read and written inside that one transaction, so
concurrent writers cannot fork it. Each write is one transaction: a process killed mid-run leaves a
consistent file in which the unfinished run simply has no finish time.

Busy ledger: a writer waits a bounded time (BUSY_WAIT_S) for another process's write lock; after
that, a result (or a run's finish) goes to the journal (optout/journal.py, `ledger.sqlite3.pending`)
and the ledger is not waited for again by this process. Whoever opens the ledger next replays the
journal; each entry's id is written to `meta` in the transaction that adds it, so an entry lands
exactly once even if two commands replay together.

Secrets: the ledger stores exactly what it is given. Callers must never pass a password, a TOTP
code or secret, a cookie or a URL with a token in it (proof.clean_url strips query and fragment).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loguru import logger

from optout import proofcheck
from optout.chainhead import HeadFile
from optout.clock import iso_utc
from optout.errors import ConfigError
from optout.journal import Journal
from optout.outcomes import Outcome

OUTCOMES = frozenset(o.value for o in Outcome)
STATES = frozenset({"on", "off"})
COMMANDS = frozenset({"run", "verify", "login"})

SCHEMA_VERSION = 2  # 2: results.origin (a result obtained through --base-url names its origin)
GENESIS = "0" * 64  # prev_hash of the first row
ANY_ORIGIN: Any = object()  # latest()/history(): rows of every origin (None means the platform's own)


def _timeout_scale() -> float:
    """OPTOUT_TIMEOUT_SCALE, as browser.py reads it (slow machines wait longer)."""
    try:
        return max(float(os.environ.get("OPTOUT_TIMEOUT_SCALE", "1") or 1), 0.1)
    except ValueError:
        return 1.0


# How long a writer waits for another process's transaction before the journal keeps the result:
# short, because the result already happened on the site and the browser is still open.
BUSY_WAIT_S = 5.0 * _timeout_scale()

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
        row_hash TEXT NOT NULL,
        origin TEXT
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
    # NULL: the flow's own origin. Hashed only when set, so rows written before it keep their hash.
    "origin": "origin",
}
_RESULT_COLUMNS = ", ".join([*_HASHED, "prev_hash", "row_hash"])


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
    # The origin a --base-url run reached instead of the platform's own (a replica, a staging
    # host); None for the platform itself. Results of another origin never stand for the real account.
    origin: str | None = None

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
            "origin": self.origin,
            # one object of a list (a blog, a site: a setting with `each`): its name
            **({"object": self.details["object"]} if "object" in self.details else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        """The Result to_json() gave (`object` is kept in `details`, where it came from)."""
        return cls(**{k: v for k, v in data.items() if k != "object"})


class Ledger:
    """The history file. Safe to share between threads; open one per process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.head = HeadFile(self.path)  # optout/chainhead.py
        self.journal = Journal(self.path)  # optout/journal.py
        self.head_path, self.journal_path = self.head.path, self.journal.path
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._inherited: sqlite3.Connection | None = None
        self._journaling = False  # once the ledger was busy, the rest of this process journals too
        _create_private_file(self.path)
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._connect()
            self._create_schema()
        except sqlite3.DatabaseError as exc:  # not a database, damaged, or not writable
            self.close()
            raise _open_error(self.path, exc) from None
        if self.journal.files():
            self.replay()

    # -- runs ---------------------------------------------------------------------------------------

    def start_run(self, command: str) -> int | None:
        """A new run's id; None when the ledger is busy (its results then carry no run)."""
        _check_command(command)
        if self._journaling:
            return None
        try:
            with self._write() as db:
                cur = db.execute(
                    "INSERT INTO runs (command, started_at, pid) VALUES (?, ?, ?)",
                    (command, iso_utc(), os.getpid()),
                )
                return _rowid(cur)
        except sqlite3.Error as exc:
            self._busy(exc)
            return None

    def finish_run(self, run_id: int | None, exit_code: int) -> None:
        if run_id is None:
            return
        entry = {"kind": "finish", "run_id": run_id, "exit_code": int(exit_code), "at": iso_utc()}
        if not self._journaling:
            try:
                with self._write() as db:
                    _apply_finish(db, entry)
                return
            except sqlite3.Error as exc:
                self._busy(exc)
        self.journal.keep(entry)

    # -- results ------------------------------------------------------------------------------------

    def record(self, result: Result, run_id: int | None = None) -> int | None:
        """Append `result` to the chain; returns its row id.

        When the ledger stays busy past BUSY_WAIT_S, the result goes to the journal instead
        (returns None): the next command that opens the ledger adds it.
        """
        _check_result(result)
        _canonical(result.details)  # refuse what could not be stored, before anything is written
        entry = {"kind": "result", "run_id": run_id, "result": result.to_json()}
        if not self._journaling:
            try:
                return self._append_all([entry])[0]
            except sqlite3.Error as exc:
                self._busy(exc)
        self.journal.keep(entry)
        return None

    def replay(self) -> int:
        """Add what the journal kept while the ledger was busy, each entry exactly once.

        Returns how many entries were added. A ledger still busy keeps the journal for later.
        """
        return self.journal.replay(self._append_all)

    def pending(self) -> int:
        """How many entries wait in the journal (kept while the ledger was busy)."""
        return self.journal.pending()

    def latest(
        self, platform: str | None = None, account: str | None = None, setting: str | None = None,
        origin: str | None | Any = ANY_ORIGIN,
    ) -> list[Result]:
        """The newest row for each (platform, account, setting, origin), sorted by those four.

        `origin`: None for the platform's own origin only, a URL for that --base-url origin only."""
        where, params = _where(platform, account, setting, origin)
        rows = self._read(
            f"SELECT {_RESULT_COLUMNS} FROM results WHERE id IN "
            f"(SELECT MAX(id) FROM results{where} GROUP BY platform, account, setting, origin) "
            "ORDER BY platform, account, setting, origin",
            params,
        )
        return [_to_result(r) for r in rows]

    def latest_broken(self) -> dict[tuple[str, str], list[str]]:
        """(platform, setting) -> accounts whose latest result was `broken`; an account seen broken
        through --base-url is named with that origin (the flow may be at fault, or only that host)."""
        found: dict[tuple[str, str], list[str]] = {}
        for result in self.latest():
            if result.outcome == "broken":
                who = result.account if not result.origin else f"{result.account} (via {result.origin})"
                found.setdefault((result.platform, result.setting), []).append(who)
        return found

    def history(
        self, platform: str | None = None, account: str | None = None, setting: str | None = None,
        origin: str | None | Any = ANY_ORIGIN,
    ) -> list[Result]:
        """Every matching row, oldest first (`origin` as in latest())."""
        where, params = _where(platform, account, setting, origin)
        rows = self._read(f"SELECT {_RESULT_COLUMNS} FROM results{where} ORDER BY id", params)
        return [_to_result(r) for r in rows]

    def last_with_outcome(self, platform: str, account: str, setting: str, outcomes: set[str],
                          origin: str | None = None) -> Result | None:
        """The newest row for this key whose outcome is in `outcomes` (e.g. when it was last off).

        Only rows of `origin` (None: the platform's own) count: a replica's "off" is not the account's."""
        if not outcomes:
            return None
        marks = ", ".join("?" * len(outcomes))
        # What the journal keeps (the ledger was busy) is newer than any row: e.g. a form just sent.
        for entry in reversed(self.journal.entries()):
            kept = entry.get("result") or {}
            if (kept.get("platform"), kept.get("account"), kept.get("setting"), kept.get("origin")) == \
                    (platform, account, setting, origin) and kept.get("outcome") in outcomes:
                with suppress(TypeError):  # an entry this version cannot read
                    return Result.from_json(kept)
        rows = self._read(
            f"SELECT {_RESULT_COLUMNS} FROM results "
            f"WHERE platform = ? AND account = ? AND setting = ? AND origin IS ? AND outcome IN ({marks}) "
            "ORDER BY id DESC LIMIT 1",
            [platform, account, setting, origin, *sorted(outcomes)],
        )
        return _to_result(rows[0]) if rows else None

    # -- integrity ----------------------------------------------------------------------------------

    def verify(self) -> list[str]:
        """Recompute the chain and re-hash the screenshots; one readable line per problem."""
        with self._locked() as db:
            try:
                try:  # the write lock: no writer is between its head file and its COMMIT
                    db.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:  # busy past the bounded wait, or read-only: a snapshot
                    db.execute("BEGIN")
                try:
                    check = [r[0] for r in db.execute("PRAGMA quick_check").fetchall()]
                    rows = db.execute(f"SELECT {_RESULT_COLUMNS} FROM results ORDER BY id").fetchall()
                    head, length = _chain_head(db)
                    recorded = self.head.read()
                finally:
                    db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise _open_error(self.path, exc) from None
        problems = [] if check == ["ok"] else [f"the database file is damaged: {'; '.join(check)}"]
        problems += _check_chain(rows, head, length)
        problems += self.head.check(recorded, {row["id"]: row["row_hash"] for row in rows}, head, length)
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
        db = sqlite3.connect(self.path, timeout=BUSY_WAIT_S, isolation_level=None, check_same_thread=False)
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_WAIT_S * 1000)}")
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
        with self._locked() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version == SCHEMA_VERSION and {"meta", "runs", "results"} <= tables:
            return  # nothing to write: a ledger another process is writing opens at once
        with self._write() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise ConfigError(f"{self.path}: ledger schema {version} is newer than this optout ({SCHEMA_VERSION})")
            for statement in _SCHEMA:
                db.execute(statement)
            columns = {r[1] for r in db.execute("PRAGMA table_info(results)")}
            if "origin" not in columns:  # a schema 1 ledger: its rows keep their hashes (origin NULL)
                db.execute("ALTER TABLE results ADD COLUMN origin TEXT")
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
            try:
                return db.execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise _open_error(self.path, exc) from None

    # -- writing rows and the head file -----------------------------------------------------------

    def _append_all(self, entries: list[dict[str, Any]]) -> list[int | None]:
        """Apply journal-shaped entries in one transaction; the head file follows under the lock.

        Entries with an "id" (from the journal) are applied at most once: that id goes to `meta`
        in the same transaction. Returns each entry's row id (None: a finish, or already applied).
        """
        ids: list[int | None] = []
        wrote_head = False
        before = None
        try:
            with self._write() as db:
                before = _chain_head(db)
                lost = self.head.lost_now(lambda length, head: _holds(db, length, head))
                for entry in entries:
                    key = f"journal:{entry['id']}" if entry.get("id") else None
                    if key and db.execute("SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone():
                        ids.append(None)
                        continue
                    ids.append(_apply(db, entry))
                    if key:
                        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, iso_utc()))
                # Written before COMMIT, under the write lock: two writers cannot swap the order.
                self.head.write(*_chain_head(db), lost)
                wrote_head = True
        except sqlite3.Error:
            if wrote_head and before is not None:  # COMMIT failed: the file must not run ahead
                self.head.write(*before, self.head.lost())
            raise
        return ids

    def _busy(self, exc: sqlite3.Error) -> None:
        self._journaling = True
        logger.warning("the ledger is busy or cannot be written ({}): results are kept in {} and the next "
                       "command adds them", exc, self.journal_path)

    def _check_screenshot(self, row: sqlite3.Row) -> list[str]:
        if not row["proof"]:
            return []
        check = proofcheck.check(row["proof"], row["sha256"], self.path.parent)
        if check.status == proofcheck.MISSING:
            return [f"{_label(row)}: screenshot missing: {check.path}"]
        if row["sha256"] is not None and check.actual != row["sha256"]:
            return [
                f"{_label(row)}: screenshot changed: {check.path} has SHA-256 {check.actual}, "
                f"the ledger recorded {row['sha256']}"
            ]
        return []


# -- helpers ------------------------------------------------------------------------------------------


def _open_error(path: Path, exc: sqlite3.Error) -> ConfigError:
    """A damaged ledger: one line that says how to get going again, as a command that works."""
    text = str(exc)
    if "not a database" not in text and "malformed" not in text and "corrupt" not in text:
        return ConfigError(f"{path}: cannot open the ledger: {text}")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    moves = []
    for suffix in ("", "-wal", "-shm"):  # a stale -wal must not be replayed into the new ledger
        source = path.with_name(path.name + suffix)
        if source.exists():
            moves.append(f"mv {shlex.quote(str(source))} {shlex.quote(str(path) + '.damaged-' + stamp + suffix)}")
    return ConfigError(
        f"{path}: cannot open the ledger, it is damaged ({text}): move it aside with `{' && '.join(moves)}`; "
        "the next command starts a new ledger and `optout ledger verify` will report the old chain as missing")


def _holds(db: sqlite3.Connection, length: int, head: str) -> bool:
    """Whether this database holds the chain whose head is (head, length): its row `length` ends it."""
    if length <= 0:
        return True
    row = db.execute("SELECT row_hash FROM results WHERE id = ?", (length,)).fetchone()
    return row is not None and row[0] == head


def _apply(db: sqlite3.Connection, entry: dict[str, Any]) -> int | None:
    if entry.get("kind") == "finish":
        _apply_finish(db, entry)
        return None
    result = Result.from_json(entry["result"])
    run_id = entry.get("run_id")
    if run_id is not None and not db.execute("SELECT 1 FROM runs WHERE id = ?", (run_id,)).fetchone():
        run_id = None  # the run is not in this ledger (replaced since): keep the result anyway
    return _append(db, result, run_id)


def _apply_finish(db: sqlite3.Connection, entry: dict[str, Any]) -> None:
    cur = db.execute(
        "UPDATE runs SET finished_at = ?, exit_code = ? WHERE id = ?",
        (entry["at"], int(entry["exit_code"]), entry["run_id"]),
    )
    if cur.rowcount != 1 and not entry.get("id"):
        raise ValueError(f"no run with id {entry['run_id']}")


def _append(db: sqlite3.Connection, result: Result, run_id: int | None) -> int:
    """The next link of the chain, inside the caller's write transaction."""
    details = _canonical(result.details)
    head, length = _chain_head(db)
    max_id = db.execute("SELECT COALESCE(MAX(id), 0) FROM results").fetchone()[0]
    # ids are 1, 2, 3, ...: a gap is a deleted row. max() keeps writing possible even if
    # someone damaged `meta`; verify() will still report it.
    row = _payload(result, max(length, max_id) + 1, run_id, details)
    row_hash = _chain_hash(head, row)
    db.execute(
        f"INSERT INTO results ({_RESULT_COLUMNS}) VALUES ({', '.join('?' * (len(_HASHED) + 2))})",
        (*(row.get(name) for name in _HASHED.values()), head, row_hash),
    )
    db.executemany(
        "UPDATE meta SET value = ? WHERE key = ?",
        ((row_hash, "chain_head"), (str(row["id"]), "chain_length")),
    )
    return int(row["id"])


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
    """The hashed fields (origin only when set: rows of schema 1 hash as they always did)."""
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
        **({"origin": result.origin} if result.origin is not None else {}),
    }


def _row_payload(row: sqlite3.Row) -> dict[str, Any]:
    """The hashed fields as stored, to recompute a row's hash (origin only when set, as written)."""
    payload = {name: row[column] for column, name in _HASHED.items()}
    if payload["origin"] is None:
        del payload["origin"]
    return payload


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
    via = f" via {row['origin']}" if row["origin"] else ""
    return f"row {row['id']} ({row['platform']}{via} {row['account']} {row['setting']} at {row['at']})"


def _where(platform: str | None, account: str | None, setting: str | None,
           origin: str | None | Any = ANY_ORIGIN) -> tuple[str, list[Any]]:
    pairs = [(c, v) for c, v in (("platform", platform), ("account", account), ("setting", setting)) if v is not None]
    clauses = [f"{c} = ?" for c, _ in pairs]
    params: list[Any] = [v for _, v in pairs]
    if origin is not ANY_ORIGIN:
        clauses.append("origin IS ?")  # IS: None matches the platform's own origin (NULL)
        params.append(origin)
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(clauses), params


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
        origin=row["origin"],
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

"""LinkedIn's test helpers: the account the tests use, and the CLI pointed at the replica. Shared
with engine tests that still borrow LinkedIn's pages (the replica is the only real-looking site)."""

from __future__ import annotations

import hashlib
from pathlib import Path

PASSWORD = "Tr0ub4dor&3-sekret"
USER = "alice@example.com"
GENAI = "genai-training"
FORM = "objection-form"


def account_state(replica, email: str = USER) -> dict:
    return replica.state()["accounts"][email]


def setup_account(cli, replica, email: str = USER, password: str = PASSWORD, **account) -> None:
    replica.add_account(email, password, name="Alice Example", **account)
    result = cli("creds", "set", "linkedin", email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def run(cli, replica, *extra: str, command: str = "run", setting: str | None = GENAI):
    args = [command, "linkedin", "--json", "--base-url", f"linkedin={replica.url}", *extra]
    if setting:
        args += ["--setting", setting]
    return cli(*args)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, rows
    return rows[0]


def assert_proof(row: dict) -> None:
    path = Path(row["proof"])
    assert path.is_file()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row["sha256"]
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

"""The `sample` platform's test account and the command line pointed at its site, for engine tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .site import FORM, SWITCH

PLATFORM = "sample"
PASSWORD = "Tr0ub4dor&3-sekret"
USER = "alice@example.com"
NAME = "Alice Example"
__all__ = ["FORM", "NAME", "PASSWORD", "PLATFORM", "SWITCH", "USER", "account_state", "assert_proof", "base_url",
           "in_process",
           "only", "run", "setup_account"]


def account_state(site, email: str = USER) -> dict:
    return site.state()["accounts"][email]


def base_url(site) -> str:
    return f"{PLATFORM}={site.url}"


def setup_account(cli, site, email: str = USER, password: str = PASSWORD, **account) -> None:
    """The member on the site (name NAME unless given) and their password in the keyring."""
    site.add_account(email, password, **{"name": NAME, **account})
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def run(cli, site, *extra: str, command: str = "run", setting: str | None = SWITCH):
    args = [command, PLATFORM, "--json", "--base-url", base_url(site), *extra]
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


def in_process(cli, monkeypatch) -> None:
    """Point this test process (optout called as a library) at `cli`'s home, keyring and caches and
    at the `sample` flow, headless."""
    from . import FLOWS

    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("OPTOUT_HOME", "PYTHON_KEYRING_BACKEND", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                 "OPTOUT_TIMEOUT_SCALE"):
        monkeypatch.setenv(name, cli.env[name])
    monkeypatch.setenv("OPTOUT_FLOWS", str(FLOWS))

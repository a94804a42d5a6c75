"""Where optout keeps its files, and the accounts file.

Every file lives under OPTOUT_HOME when it is set; otherwise under the platform's user folders.
Folders are created private (0700) and files private (0600): proofs show account pages.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import yaml

from optout import files
from optout.errors import ConfigError


def home() -> Path:
    """The folder that holds the accounts file, the ledger, the proofs and the browser profiles."""
    explicit = os.environ.get("OPTOUT_HOME")
    if explicit:
        return Path(explicit).expanduser()
    # ~/.local/share/optout (or $XDG_DATA_HOME/optout), ~/Library/Application Support/optout,
    # %LOCALAPPDATA%\optout: appauthor=False keeps Windows from nesting "optout\optout".
    return Path(platformdirs.user_data_dir("optout", appauthor=False))


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only."""
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)
    except OSError as exc:
        raise ConfigError(f"cannot use {path} as a folder ({exc.strerror}): point OPTOUT_HOME at a folder "
                          "you can write") from None
    return path


def ledger_path() -> Path:
    return private_dir(home()) / "ledger.sqlite3"


def proofs_dir() -> Path:
    return private_dir(home() / "proofs")


def profiles_dir() -> Path:
    return private_dir(home() / "profiles")


def accounts_path() -> Path:
    return home() / "accounts.yaml"


# -- the accounts file ------------------------------------------------------------------------------
# accounts.yaml:
#   linkedin:
#     - user: alice@example.com
#       name: Alice Example              # fields a flow's forms may use: {name}, {email}, …
#       objection_details: "…"
# No secret is ever written here: passwords and TOTP secrets live in the keyring.


@dataclass(frozen=True)
class Account:
    platform: str
    user: str
    fields: dict[str, str] = field(default_factory=dict)


def _read_accounts() -> dict[str, list[dict[str, Any]]]:
    path = accounts_path()
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({getattr(exc, 'problem', exc)}): fix or remove it") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file (UTF-8): fix or remove it") from None
    except OSError as exc:  # no read permission, a folder in its place, an I/O error
        raise ConfigError(f"{path}: cannot read the accounts file ({exc.strerror or exc}): "
                          "check its permissions, or remove it") from None
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ConfigError(f"{path}: expected 'platform: [ {{user: …}}, … ]': fix or remove it")
    for platform, entries in data.items():
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("user"), str):
                raise ConfigError(f"{path}: {platform}: every account needs 'user: NAME'")
    return data


def _write_accounts(data: dict[str, list[dict[str, Any]]]) -> None:
    path = accounts_path()
    private_dir(path.parent)
    # Atomic: a crash never leaves half an accounts file.
    files.write_atomic(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def accounts(platform: str | None = None) -> list[Account]:
    data = _read_accounts()
    found = []
    for name, entries in data.items():
        if platform is None or name == platform:
            for entry in entries:
                extra = {k: str(v) for k, v in entry.items() if k != "user" and v is not None}
                found.append(Account(name, entry["user"], extra))
    return found


def save_account(platform: str, user: str, **fields: str) -> Account:
    """Add the account, or update its fields; other accounts and fields are kept as they were."""
    data = _read_accounts()
    entries = data.setdefault(platform, [])
    entry = next((e for e in entries if e["user"] == user), None)
    if entry is None:
        entry = {"user": user}
        entries.append(entry)
    entry.update({k: v for k, v in fields.items() if v is not None})
    _write_accounts(data)
    return Account(platform, user, {k: str(v) for k, v in entry.items() if k != "user"})


def forget_account(platform: str, user: str) -> bool:
    data = _read_accounts()
    entries = data.get(platform, [])
    kept = [e for e in entries if e["user"] != user]
    if len(kept) == len(entries):
        return False
    if kept:
        data[platform] = kept
    else:
        del data[platform]
    _write_accounts(data)
    return True


_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(text: str) -> str:
    """A filesystem-safe name: letters, digits, '.', '_' and '-' only, never hidden or '..'."""
    safe = _SAFE.sub("_", text)[:80]
    return f"_{safe}" if not safe or safe.startswith(".") else safe


def account_slug(account: str) -> str:
    """alice@example.com -> alice_at_example.com; a lossy slug gets a short hash so two never meet."""
    name = slug(account.replace("@", "_at_"))
    lossless = name == account.replace("@", "_at_") and "_at_" not in account
    return name if lossless else f"{name}-{hashlib.sha256(account.encode()).hexdigest()[:8]}"


def profile_dir(platform: str, user: str, base_url: str | None = None) -> Path:
    """The account's browser profile; a --base-url origin has its own (PLATFORM@HOST_PORT), so a
    replica's or a staging host's cookies never mix with the real session."""
    return private_dir(profiles_dir() / origin_slug(platform, base_url) / account_slug(user))


def origin_slug(platform: str, base_url: str | None) -> str:
    """`linkedin` for the platform itself, `linkedin@127.0.0.1_8000` for a --base-url origin."""
    if not base_url:
        return platform
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{slug(platform)}@{slug(parts.hostname or '')}_{port}"

"""Where optout keeps its files, and the accounts file.

Every file lives under OPTOUT_HOME when it is set; otherwise under the platform's user folders.
Folders are created private (0700) and files private (0600): proofs show account pages.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def home() -> Path:
    """The folder that holds the accounts file, the ledger, the proofs and the browser profiles."""
    explicit = os.environ.get("OPTOUT_HOME")
    if explicit:
        return Path(explicit).expanduser()
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "optout"
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "optout"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "optout"


def private_dir(path: Path) -> Path:
    """Create `path` (and parents) readable by the user only."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


def ledger_path() -> Path:
    return private_dir(home()) / "ledger.sqlite3"


def proofs_dir() -> Path:
    return private_dir(home() / "proofs")


def profiles_dir() -> Path:
    return private_dir(home() / "profiles")


def accounts_path() -> Path:
    return home() / "accounts.yaml"

"""Validated flows kept between commands: a flow file is validated once after each change, not on
every start.

Validating a flow (pydantic building its schema, then checking the file) costs a command tens of
milliseconds before its browser can be used. The validated flow is kept, pickled, in the user's
cache folder (platformdirs' user_cache_dir: ~/.cache/optout/flows), under a key made of the file's
bytes and of everything that judges them: this optout's flow model and kind names (their source),
pydantic's and Python's versions. An edited file or an upgraded optout has another key; a cache that
cannot be read or written is only a miss, never an error. The folder is the user's own (0700), as
the flows and the ledger are.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

_CODE = ("flow.py", "flowcheck.py", "kinds.py")  # the modules whose source decides what a valid flow is
_KEEP_S = 30 * 24 * 3600  # an entry not written again for this long is removed when another is written


def folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("optout", appauthor=False)) / "flows"


def key(raw: bytes, judge: str) -> str:
    """The cache key of a flow file's bytes, as judged by this optout and `judge` (the validating
    library and its version, which flow.py names)."""
    digest = hashlib.sha256(raw)
    here = Path(__file__).resolve().parent
    for name in _CODE:
        with contextlib.suppress(OSError):
            digest.update((here / name).read_bytes())
    digest.update(f"{judge} {sys.version_info[:3]}".encode())
    return digest.hexdigest()


def get(digest: str) -> Any | None:
    """The flow kept under `digest`, or None (never kept, unreadable, or from other code)."""
    try:
        raw = (folder() / f"{digest}.pickle").read_bytes()
        return pickle.loads(raw)  # noqa: S301 - written by this user's own optout, in a 0700 folder
    except Exception:  # noqa: BLE001 - a cache miss, whatever the reason: the file is validated again
        return None


def put(digest: str, flow: Any) -> None:
    """Keep `flow` under `digest`; a folder that cannot be written is no error."""
    import time

    from optout import files

    with contextlib.suppress(Exception):
        where = folder()
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
        files.write_atomic(where / f"{digest}.pickle", pickle.dumps(flow, protocol=pickle.HIGHEST_PROTOCOL))
        for old in where.glob("*.pickle"):  # what older files or an older optout left: made again if needed
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < time.time() - _KEEP_S:
                    old.unlink()

"""A screenshot as found on disk now, against the SHA-256 the ledger recorded for it.

One check for `ledger verify` and the report page, so both call the same file "missing" or
"changed". A relative proof path is relative to the ledger's folder.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

# ProofCheck.status values
MATCHES, MISMATCH, MISSING, UNRECORDED, NO_PROOF = (
    "matches", "does not match", "missing", "no hash recorded", "no screenshot")


@dataclass(frozen=True)
class ProofCheck:
    path: Path | None
    recorded: str | None
    actual: str | None
    status: str  # MATCHES, MISMATCH, MISSING, UNRECORDED or NO_PROOF
    data: bytes | None = None  # the bytes that were hashed, to embed or copy exactly those


def locate(proof: str, base: Path) -> Path:
    path = Path(proof)
    return path if path.is_absolute() else base / path


def read(path: Path) -> tuple[bytes, str] | None:
    """The file's bytes and their SHA-256; None when it is gone, unreadable or a folder."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data, hashlib.sha256(data).hexdigest()


def judge(path: Path, recorded: str | None, found: tuple[bytes, str] | None) -> ProofCheck:
    """What `found` (from `read`) says about the screenshot the ledger recorded as `recorded`."""
    if found is None:
        return ProofCheck(path, recorded, None, MISSING)
    data, actual = found
    if not recorded:
        return ProofCheck(path, None, actual, UNRECORDED, data)
    return ProofCheck(path, recorded, actual, MATCHES if actual == recorded else MISMATCH, data)


def check(proof: str | None, recorded: str | None, base: Path) -> ProofCheck:
    if not proof:
        return ProofCheck(None, recorded, None, NO_PROOF)
    path = locate(proof, base)
    return judge(path, recorded, read(path))

"""Writing optout's files so that no reader and no crash ever sees half of one.

`write_atomic` writes beside the target, flushes and fsyncs, renames over it, then fsyncs the folder
so the rename itself survives a power cut. The mode defaults to 0600: accounts, ledger heads,
markers, reports and proofs are the user's alone (the scheduler's unit files pass 0644).
`write_new` is the same for a file that must not exist yet (a proof is never overwritten).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

PRIVATE = 0o600


def write_atomic(path: Path, data: bytes | str, *, mode: int = PRIVATE) -> None:
    """Replace `path` with `data` (str is written as UTF-8): the old file or the new, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        _fill(fd, data)
        os.chmod(tmp, mode)  # mkstemp made it 0600; a wider mode is asked for on purpose
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sync_folder(path.parent)


def write_new(path: Path, data: bytes | str, *, mode: int = PRIVATE) -> None:
    """Create `path` with `data`; FileExistsError if it exists. A failed write leaves no file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        _fill(fd, data)
        os.chmod(path, mode)  # the umask may have narrowed or (for 0600) nothing to do
    except BaseException:
        path.unlink(missing_ok=True)  # never leave a truncated file behind
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder, so a file created or renamed in it is there after a crash (POSIX only)."""
    if os.name != "posix":
        return  # Windows cannot open a folder as a file; its renames are journaled by NTFS
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        # some file systems (certain network and FUSE mounts) cannot sync a folder: nothing to do
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
    finally:
        os.close(fd)


def _fill(fd: int, data: bytes | str) -> None:
    with os.fdopen(fd, "wb") as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
        out.flush()
        os.fsync(out.fileno())

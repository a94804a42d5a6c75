"""The one writer of optout's files: atomic, fsynced, private unless told otherwise."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from optout import files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_written_file_is_private_and_a_mode_is_kept_when_asked(tmp_path: Path) -> None:
    old = os.umask(0)  # a wide umask must not widen the file
    try:
        files.write_atomic(tmp_path / "secret.yaml", "a: 1\n")
        files.write_atomic(tmp_path / "unit.timer", b"[Timer]\n", mode=0o644)
    finally:
        os.umask(old)
    assert _mode(tmp_path / "secret.yaml") == 0o600
    assert _mode(tmp_path / "unit.timer") == 0o644


def test_replacing_leaves_the_new_content_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "head.json"
    target.write_text("old", encoding="utf-8")
    files.write_atomic(target, "néw")
    assert target.read_bytes() == "néw".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["head.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "accounts.yaml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        files.write_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.yaml"]


def test_the_folder_is_synced_even_when_it_is_brand_new(tmp_path: Path) -> None:
    fresh = tmp_path / "new" / "folder"
    fresh.mkdir(parents=True)
    files.sync_folder(fresh)  # nothing in it yet
    files.write_atomic(fresh / "first.json", "{}")
    assert (fresh / "first.json").read_text(encoding="utf-8") == "{}"


def test_write_new_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "proof.png"
    files.write_new(target, b"first")
    with pytest.raises(FileExistsError):
        files.write_new(target, b"second")
    assert target.read_bytes() == b"first"
    if os.name == "posix":
        assert _mode(target) == 0o600

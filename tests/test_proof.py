"""Proof screenshots: annotated, private, hashed, and free of URL tokens."""

from __future__ import annotations

import errno
import hashlib
import io
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from optout import files, proof
from optout.config import account_slug
from optout.errors import OptoutError
from optout.proof import banner_lines, clean_url, fit, save_proof, sha256_file

AT = datetime(2026, 11, 28, 15, 4, 5, 123456, tzinfo=UTC)
URL = "https://bob:hunter2@www.linkedin.com/mypreferences/d/settings/data-for-ai?token=SECRET#frag"


def screenshot(width: int = 800, height: int = 600, mode: str = "RGB") -> Image.Image:
    image = Image.new(mode, (width, height), "#dde4f0")
    draw = ImageDraw.Draw(image)
    draw.rectangle((50, 50, 300, 200), fill="#1d4ed8")
    draw.ellipse((400, 300, 700, 550), fill="#f59e0b")
    return image


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def save(**kw: object) -> proof.Proof:
    args: dict[str, object] = dict(
        platform="linkedin",
        account="alice@example.com",
        setting="data-for-ai",
        outcome="changed",
        state="off",
        url=URL,
        at=AT,
    )
    args.update(kw)
    shot = args.pop("png", png(screenshot()))
    return save_proof(shot, **args)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """Every string drawn on an image, with its font: what a reader of the proof can see."""
    texts: list[tuple[str, object]] = []
    original = ImageDraw.ImageDraw.text

    def spy(self: ImageDraw.ImageDraw, xy: object, text: str, *args: object, **kw: object) -> None:
        texts.append((text, kw.get("font")))
        original(self, xy, text, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spy)
    return texts


def test_saved_proof_is_the_screenshot_under_a_banner(home: Path) -> None:
    original = screenshot()
    saved = save(png=png(original))

    with Image.open(saved.path) as image:
        assert image.format == "PNG"
        assert image.width == 800 and image.height > 600
        banner_height = image.height - 600
        below = image.convert("RGB").crop((0, banner_height, 800, image.height))
        assert ImageChops.difference(below, original).getbbox() is None  # page content untouched
        banner = image.convert("RGB").crop((0, 0, 800, banner_height))
        colours = banner.getcolors(maxcolors=1 << 16) or []
        light = sum(n for n, rgb in colours if min(rgb) > 200)  # the white text
        assert len(colours) > 10 and light > 500


def test_proof_path_name_and_permissions(home: Path) -> None:
    saved = save()
    folder = home / "proofs" / "linkedin" / "alice_at_example.com"
    assert saved.path.parent == folder
    assert re.fullmatch(r"20261128T150405123456Z-data-for-ai-changed\.png", saved.path.name)
    assert saved.path.stat().st_mode & 0o777 == 0o600
    for path in (folder, folder.parent, folder.parent.parent):
        assert path.stat().st_mode & 0o777 == 0o700, path


def test_sha256_is_of_the_file_as_written() -> None:
    saved = save()
    assert saved.sha256 == hashlib.sha256(saved.path.read_bytes()).hexdigest()
    assert sha256_file(saved.path) == saved.sha256


def test_banner_says_what_it_proves_and_hides_url_secrets(drawn: list[tuple[str, object]]) -> None:
    save(title="Data for Generative AI Improvement")
    text = "\n".join(t for t, _ in drawn)
    for expected in (
        "optout",
        "linkedin",
        "alice@example.com",
        "Data for Generative AI Improvement (data-for-ai)",
        "state: off",
        "outcome: changed",
        "2026-11-28T15:04:05Z",
        "https://www.linkedin.com/mypreferences/d/settings/data-for-ai",
    ):
        assert expected in text
    for secret in ("SECRET", "token", "frag", "?", "#", "hunter2", "bob"):
        assert secret not in text


def test_banner_lines() -> None:
    lines = banner_lines(
        platform="linkedin",
        account="alice@example.com",
        setting="data-for-ai",
        outcome="needs_human",
        state=None,
        url=URL,
        at=AT.astimezone(timezone(timedelta(hours=2))),  # shown in UTC whatever zone it came in
    )
    assert lines == [
        "optout · linkedin · alice@example.com",
        "setting: data-for-ai",
        "state: unknown · outcome: needs_human",
        "time: 2026-11-28T15:04:05Z",
        "url: https://www.linkedin.com/mypreferences/d/settings/data-for-ai",
    ]


def test_long_text_is_ellipsised_within_the_image(drawn: list[tuple[str, object]]) -> None:
    saved = save(
        png=png(screenshot(300, 120)),  # narrower than the banner's minimum: padded to it
        account="a-very-long-account-name-that-goes-on@an-extremely-long-domain-name.example.com",
        url="https://www.linkedin.com/" + "segment/" * 60,
    )
    with Image.open(saved.path) as image:
        width = image.width
    assert width == proof.MIN_WIDTH
    assert any(t.endswith("…") for t, _ in drawn)
    for text, font in drawn:
        assert isinstance(font, ImageFont.FreeTypeFont)
        assert font.getlength(text) < width


def test_fit() -> None:
    font = ImageFont.load_default(size=16)
    assert fit("short", font, 500) == "short"
    cut = fit("x" * 500, font, 200)
    assert cut.endswith("…") and font.getlength(cut) <= 200 and len(cut) > 5


def test_same_microsecond_proofs_do_not_collide() -> None:
    first, second = save(), save()
    assert first.path != second.path
    assert first.path.exists() and second.path.exists()
    assert second.path.name.endswith("-changed-2.png")


def test_transparent_screenshot_is_accepted() -> None:
    saved = save(png=png(screenshot(mode="RGBA").resize((640, 400))), outcome="error", state=None)
    with Image.open(saved.path) as image:
        assert image.mode == "RGB" and image.height > 400


def test_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        save(at=datetime(2026, 11, 28, 15, 4, 5))  # naive: which zone?
    with pytest.raises(OptoutError, match="not a readable image"):
        save(png=b"not a png")
    with pytest.raises(ValueError):
        save(state="maybe")


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        (URL, "https://www.linkedin.com/mypreferences/d/settings/data-for-ai"),
        ("http://127.0.0.1:8765/login?next=/x", "http://127.0.0.1:8765/login"),
        ("https://[::1]:9000/a#b", "https://[::1]:9000/a"),
        ("data:text/html,<p>secret</p>", "data:…"),
        ("about:blank", "about:blank"),
    ],
)
def test_clean_url(url: str, clean: str) -> None:
    assert clean_url(url) == clean


def test_account_slug() -> None:
    assert account_slug("alice@example.com") == "alice_at_example.com"
    assert account_slug("a b") != account_slug("a_b")  # a lossy slug gets a hash
    for nasty in ("../../etc", "..", "", "a/b\\c", ".hidden"):
        name = account_slug(nasty)
        assert "/" not in name and "\\" not in name and not name.startswith(".") and name


def test_a_failed_write_is_an_optout_error_and_leaves_no_partial_file(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)  # proofs are written by optout.files
    with pytest.raises(OptoutError, match="cannot save the screenshot.*No space left"):
        save()
    assert list((home / "proofs" / "linkedin" / "alice_at_example.com").iterdir()) == []

"""Screenshots as proof: the page as the browser showed it, under a banner that says what it proves.

The banner is added above the screenshot (nothing of the page is covered) and names the tool,
platform, account, setting, state, outcome, UTC time and the page's URL without its query string,
fragment or user info (they can carry tokens). The SHA-256 is taken over the final file's bytes;
the ledger records it so a swapped or edited screenshot is detected later.

Callers pass no secrets: only names, states and URLs, which are cleaned here anyway.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from optout import config, files
from optout.clock import iso_utc
from optout.config import account_slug, slug
from optout.errors import OptoutError
from optout.outcomes import tone

if TYPE_CHECKING:  # Pillow itself is loaded when a proof is drawn (warm_up() loads it early, aside)
    from PIL import Image, ImageFont

    Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

ELLIPSIS = "…"
MIN_WIDTH = 480  # below this the banner's text would be unreadable; narrower shots are padded
# Pillow finds these by name in the system's font folders (/usr/share/fonts, Windows, macOS).
REGULAR_FONTS = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf")
BOLD_FONTS = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf")
_OPAQUE_SCHEMES = {"data", "blob", "javascript"}  # the whole "path" is content, not an address

# FreeType faces are shared through the font cache; drawing is quick, so one lock keeps it simple.
_render_lock = threading.Lock()


@dataclass(frozen=True)
class Proof:
    path: Path
    sha256: str


def save_proof(
    png: bytes,
    *,
    platform: str,
    account: str,
    setting: str,
    outcome: str,
    state: str | None,
    url: str,
    at: datetime,
    title: str | None = None,
) -> Proof:
    """Annotate the screenshot `png` and save it privately under proofs_dir(); return path and hash.

    `at` must be timezone-aware; `title` (optional) is the setting's human title, shown next to its id.
    Raises OptoutError when the screenshot is unreadable or cannot be written; ValueError for a
    naive `at` or a state other than "on"/"off"/None (a caller's mistake).
    """
    lines = banner_lines(
        platform=platform,
        account=account,
        setting=setting,
        outcome=outcome,
        state=state,
        url=url,
        at=at,
        title=title,
    )
    data = _encode(_annotate(png, lines, outcome), lines)
    stem = f"{_utc(at).strftime('%Y%m%dT%H%M%S%fZ')}-{slug(setting)}-{slug(outcome)}"
    try:
        folder = config.private_dir(config.private_dir(config.proofs_dir() / slug(platform)) / account_slug(account))
        path = _write_unique(folder, stem, data)
    except OSError as exc:  # disk full, permissions: the result is still recorded, without proof
        raise OptoutError(f"cannot save the screenshot: {exc}") from exc
    return Proof(path=path, sha256=hashlib.sha256(data).hexdigest())


def sha256_file(path: Path) -> str:
    with Path(path).open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def banner_lines(
    *,
    platform: str,
    account: str,
    setting: str,
    outcome: str,
    state: str | None,
    url: str,
    at: datetime,
    title: str | None = None,
) -> list[str]:
    """The banner's text, line by line, before it is fitted to the image's width."""
    if state not in ("on", "off", None):
        raise ValueError(f"state must be 'on', 'off' or None, not {state!r}")
    what = f"{title} ({setting})" if title and title != setting else setting
    lines = [
        f"optout · {platform} · {account}",
        f"setting: {what}",
        f"state: {state or 'unknown'} · outcome: {outcome}",
        f"time: {iso_utc(at)}",
        f"url: {clean_url(url)}",
    ]
    return [_one_line(line) for line in lines]


def clean_url(url: str) -> str:
    """`url` without user info, query string or fragment: those can carry tokens."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "(unreadable URL)"
    if parts.scheme.lower() in _OPAQUE_SCHEMES:
        return f"{parts.scheme}:{ELLIPSIS}"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"  # IPv6
    netloc = f"{host}:{port}" if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def fit(text: str, font: Font, width: float) -> str:
    """`text`, cut and ended with an ellipsis if it is wider than `width` pixels."""
    if font.getlength(text) <= width:
        return text
    low, high = 0, len(text)  # binary search for the longest prefix that fits with the ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        if font.getlength(text[:mid].rstrip() + ELLIPSIS) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


# -- drawing ------------------------------------------------------------------------------------------


def _annotate(png: bytes, lines: list[str], outcome: str) -> Image.Image:
    from PIL import Image, ImageDraw

    try:
        shot = Image.open(io.BytesIO(png))
        shot.load()
    except (OSError, Image.DecompressionBombError) as exc:
        raise OptoutError(f"the screenshot is not a readable image: {exc}") from None
    width = max(shot.width, MIN_WIDTH)
    size = max(14, min(32, width // 64))  # grows with high-DPI screenshots
    pad, line_height = size // 2 + 4, round(size * 1.4)
    banner_height = 2 * pad + line_height * len(lines)
    canvas = Image.new("RGB", (width, banner_height + shot.height), "white")
    with _render_lock:
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((0, 0, width - 1, banner_height - 1), fill=_colour(outcome))
        draw.line((0, banner_height - 1, width - 1, banner_height - 1), fill="black", width=1)
        for i, line in enumerate(lines):
            font = _font(size, bold=i == 0)
            draw.text((pad, pad + i * line_height), fit(line, font, width - 2 * pad), fill="white", font=font)
    rgba = shot.convert("RGBA")  # composite any transparency onto white rather than black
    canvas.paste(rgba, (0, banner_height), rgba)
    return canvas


_COLOURS = {"good": "#166534", "notice": "#92400e", "bad": "#991b1b"}  # green, amber, red


def _colour(outcome: str) -> str:
    return _COLOURS[tone(outcome)]


@lru_cache(maxsize=16)
def _font(size: int, bold: bool) -> Font:
    from PIL import ImageFont

    for name in BOLD_FONTS if bold else REGULAR_FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _encode(image: Image.Image, lines: list[str]) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("optout", json.dumps(lines, ensure_ascii=False))  # the banner, machine-readable
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, compress_level=3)  # 40% faster than 6 for ~10% more bytes
    return buffer.getvalue()


# -- files --------------------------------------------------------------------------------------------


def _write_unique(folder: Path, stem: str, data: bytes) -> Path:
    """Write `data` to a new 0600 file; O_EXCL plus a counter keeps same-microsecond proofs apart."""
    for n in itertools.count(1):
        path = folder / (f"{stem}.png" if n == 1 else f"{stem}-{n}.png")
        try:
            files.write_new(path, data)  # leaves no truncated proof behind
        except FileExistsError:
            continue
        return path
    raise AssertionError("unreachable")


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass an aware one (UTC)")
    return at.astimezone(UTC)


def _one_line(text: str) -> str:
    return " ".join(text.split())

"""The breakage bundle: what a maintainer needs when a page no longer matches its flow.

One folder per broken result with the page's screenshot, its DOM with every form value removed,
the URL (no query string: it can carry tokens) and the locators that found nothing, so a user can
attach it to a report after a look for personal data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from optout import config, files
from optout.clock import iso_utc


@dataclass(frozen=True)
class Bundle:
    folder: Path

    def how_to_report(self) -> str:
        return (f"the page no longer matches the flow; what a maintainer needs is in {self.folder} "
                "(screenshot, page without form values, URL, what was looked for): look it over for "
                "personal data, then attach it to a report")


def save_bundle(*, platform: str, account: str, setting: str, url: str, reason: str, dom: str,
                screenshot: bytes | None, at: datetime) -> Bundle:
    stamp = at.strftime("%Y%m%dT%H%M%S%fZ")
    folder = config.private_dir(config.home() / "broken" / platform / f"{stamp}-{setting}")
    parts = urlsplit(url)
    info = {
        "platform": platform,
        "setting": setting,
        "account": config.account_slug(account),
        "at": iso_utc(at),
        "url": f"{parts.scheme}://{parts.netloc}{parts.path}",
        "what_was_not_found": reason,
    }
    files.write_atomic(folder / "info.json", json.dumps(info, indent=2, ensure_ascii=False).encode())
    files.write_atomic(folder / "page.html", dom.encode())
    if screenshot:
        files.write_atomic(folder / "screenshot.png", screenshot)
    return Bundle(folder)


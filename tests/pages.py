"""A small local page in real headless Chromium, for engine tests that need no replica."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from optout.browser import Browser, BrowserOptions


@contextmanager
def small_page(tmp_path_factory: pytest.TempPathFactory, html: str) -> Iterator[Browser]:
    """`html` written to a temp file and opened in a fresh browser, quit afterwards."""
    path = tmp_path_factory.mktemp("page") / "page.html"
    path.write_text(html, encoding="utf-8")
    browser = Browser(BrowserOptions())
    try:
        browser.open(path.as_uri())
        yield browser
    finally:
        browser.quit()

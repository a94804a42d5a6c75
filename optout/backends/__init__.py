"""The ways to get a WebDriver session, one module each (like httpx's transports):

    local.py       Chromium through chromedriver on this machine (the default)
    remote.py      a remote WebDriver: a Selenium Grid, or a chromedriver on a port
    undetected.py  undetected-chromedriver, the optional extra, imported only when asked for
    processes.py   process hygiene: leftovers of an interrupted run ended, children reaped
    base.py        what they share: BrowserOptions, the timeout tiers, Chrome's flags

Each backend module has `start(opts) -> driver` and raises BrowserSetupError (its cause chained)
when no session comes of it. Only these modules and optout/browser.py import Selenium.
"""

from __future__ import annotations

import importlib
from typing import Any

from optout.backends.base import BrowserOptions

_MODULES = {"chromium": "local", "remote": "remote", "undetected": "undetected"}


def start(opts: BrowserOptions) -> Any:
    """A new WebDriver session from the backend `opts` names; its module is imported only now."""
    return importlib.import_module(f"optout.backends.{_MODULES[opts.backend]}").start(opts)

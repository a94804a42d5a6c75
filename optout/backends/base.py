"""What every backend shares: the options of a browser, the timeout tiers, Chrome's flags, and the
words of a failure (its first line; the whole cause at debug, shown with --verbose).

Selenium is imported only inside functions (the command line starts fast without it); Selenium
Manager is told to stay offline before anything imports it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from loguru import logger

from optout.errors import BrowserSetupError

# Selenium Manager would try the network to fetch a driver: never here, paths are explicit.
os.environ.setdefault("SE_OFFLINE", "true")

Backend = Literal["chromium", "undetected", "remote"]

# Named timeout tiers (SeleniumBase's good idea), scaled by OPTOUT_TIMEOUT_SCALE for slow machines.
_SCALE = float(os.environ.get("OPTOUT_TIMEOUT_SCALE", "1") or 1)
SHORT = 4 * _SCALE
NORMAL = 15 * _SCALE
LONG = 40 * _SCALE


@dataclass(frozen=True)
class BrowserOptions:
    backend: Backend = "chromium"
    headed: bool = False
    profile_dir: Path | None = None
    remote_url: str | None = None  # may hold user:password@ (basic auth): show it with shown_url()
    window: tuple[int, int] = (1280, 1000)
    allow_insecure_remote: bool = False  # plain http:// to a Grid on another machine


def first_line(text: object, fallback: str = "no reason given") -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0].strip() if lines else fallback


def log_cause(what: str, exc: BaseException) -> None:
    """The library's own words for a failure, at debug (shown with --verbose): the one-line error
    that replaces it keeps only their gist, and the exception is chained as its __cause__."""
    text = " ".join(str(getattr(exc, "msg", None) or exc).split())
    logger.debug("{}: caused by {}: {}", what, type(exc).__name__, text[:500] or "no message")


def quiet_selenium_logs() -> None:
    # Selenium logs every command's body at DEBUG, typed passwords included: never let it.
    for name in ("selenium", "urllib3", "undetected_chromedriver"):
        logging.getLogger(name).setLevel(logging.WARNING)


def chrome_options(opts: BrowserOptions, binary: str | None) -> Any:
    from selenium.webdriver.chrome.options import Options

    options = Options()
    if binary:
        options.binary_location = binary
    if not opts.headed:
        options.add_argument("--headless=new")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to start as root otherwise
    for flag in ("--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--no-default-browser-check",
                 "--disable-sync", "--password-store=basic", f"--window-size={opts.window[0]},{opts.window[1]}",
                 # work a person's browser does in the background and a run never needs: on 2 cores
                 # the browser's own CPU is what limits several accounts at once
                 "--disable-extensions", "--disable-component-extensions-with-background-pages",
                 "--disable-default-apps", "--disable-domain-reliability", "--disable-breakpad",
                 "--disable-client-side-phishing-detection", "--metrics-recording-only", "--no-pings",
                 "--mute-audio", "--disable-features=PasswordLeakDetection,AutofillServerCommunication,"
                 "Translate,MediaRouter,OptimizationHints,InterestFeedContentSuggestions"):
        options.add_argument(flag)
    if opts.profile_dir is not None:
        options.add_argument(f"--user-data-dir={opts.profile_dir}")
    # Chrome's own password saving and autofill off: the keyring is the one place for secrets.
    options.add_experimental_option("prefs", {
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
        "autofill.profile_enabled": False,
        "autofill.credit_card_enabled": False,
        "autofill.enabled": False,  # the "autocomplete" entries typed into forms (names, emails)
    })
    return options


# The page rebuilt from an allowlist of tags and attributes, for a breakage bundle: what a


def major_version(executable: str, what: str) -> tuple[str, int | None]:
    """What `executable --version` says, and its major version (None if it names none)."""
    import re
    import subprocess

    try:
        said = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30,
                              check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BrowserSetupError(f"`{executable} --version` failed ({type(exc).__name__}): is it {what}?") from exc
    found = re.search(r"(\d+)\.\d+", said)
    return said, int(found.group(1)) if found else None

"""Local Chromium through chromedriver: explicit paths (OPTOUT_CHROMIUM / OPTOUT_CHROMEDRIVER, else
PATH), never a driver downloaded at run time, and the profile's leftovers freed before the start."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from optout.backends.base import BrowserOptions, chrome_options, log_cause
from optout.backends.processes import note_processes, release_stale_profile
from optout.errors import BrowserSetupError


def _which(env: str, names: list[str], what: str, hint: str) -> str:
    explicit = os.environ.get(env)
    if explicit:
        path = Path(explicit)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise BrowserSetupError(f"{env}={explicit} is not an executable file: {hint}")
        return str(path)
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserSetupError(f"{what} not found on PATH: {hint}, or set {env}=/path/to/it")


def chromium_path() -> str:
    return _which("OPTOUT_CHROMIUM", ["chromium", "chromium-browser", "google-chrome", "chrome"],
                  "Chromium", "install it (Debian: apt-get install chromium chromium-driver)")


def chromedriver_path() -> str:
    return _which("OPTOUT_CHROMEDRIVER", ["chromedriver"], "chromedriver",
                  "install it (Debian: apt-get install chromium-driver)")


def _browser_env() -> dict[str, str]:
    """The environment for chromedriver and Chromium. Chromium puts its singleton socket under
    TMPDIR, and a Unix socket path over ~107 bytes fails with only "Chrome instance exited": a
    long TMPDIR (deep CI or test folders) is swapped for the system's short one."""
    env = dict(os.environ)
    if len(env.get("TMPDIR", "")) > 60 and Path("/tmp").is_dir():
        env["TMPDIR"] = "/tmp"
    return env


def start(opts: BrowserOptions) -> Any:
    from optout.backends import early

    adopted = early.take(opts)  # the browser this command started while it was loading, if any
    if adopted is not None:
        return adopted

    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium_path(), chromedriver_path()
    if opts.profile_dir is not None:
        release_stale_profile(opts.profile_dir)
    try:
        chrome = webdriver.Chrome(service=Service(driver, env=_browser_env()), options=chrome_options(opts, binary))
    except WebDriverException as exc:
        first = (exc.msg or str(exc)).strip().splitlines()[0] if (exc.msg or str(exc)) else "no reason"
        log_cause("starting Chromium", exc)
        raise BrowserSetupError(f"Chromium ({binary}) did not start through {driver}: {first}") from exc
    note_processes(opts.profile_dir, getattr(chrome.service.process, "pid", None))
    return chrome

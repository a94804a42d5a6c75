"""Chromium through undetected-chromedriver, the optional extra (pip install 'optout[undetected]'):
imported only when --browser undetected asks for it, so nothing else needs the package.

Its starter is long because uc leaves things behind by design: it patches the driver in place
(here: a copy), asks for its own window size, and neither ends nor reaps what it started.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path
from typing import Any

from optout.backends.base import NORMAL, SHORT, BrowserOptions, chrome_options, first_line, log_cause, major_version
from optout.backends.local import chromedriver_path, chromium_path
from optout.backends.processes import end_child, note_processes, release_stale_profile
from optout.errors import BrowserSetupError


def start(opts: BrowserOptions) -> Any:
    """Chromium through undetected-chromedriver: the local binaries, a patched COPY of the local
    chromedriver (never a download), a normal user agent when headless, and no process left behind.

    Where it cannot work (the module missing, a driver it cannot patch, versions that do not match)
    it says so in one line and points at --browser chromium.
    """
    hint = "use --browser chromium"
    try:
        import undetected_chromedriver as uc
    except ImportError as exc:  # on Python >= 3.12 also setuptools (it imports distutils)
        raise BrowserSetupError(f"--browser undetected needs undetected-chromedriver and setuptools "
                                f"({exc.name or 'a module'} is missing): pip install 'optout[undetected]', "
                                f"or {hint}") from exc

    binary, driver = chromium_path(), chromedriver_path()
    browser_said, major = major_version(binary, "Chromium")
    driver_said, driver_major = major_version(driver, "chromedriver")
    if "chromedriver" not in driver_said.lower():
        raise BrowserSetupError(f"{driver} is not a chromedriver (`--version` says "
                                f"{first_line(driver_said, 'nothing')!r}): undetected-chromedriver cannot "
                                f"patch it; {hint}")
    if major is None or driver_major != major:
        raise BrowserSetupError(f"undetected-chromedriver needs matching versions, and ChromeDriver "
                                f"{driver_major} is not Chromium {major} ({first_line(browser_said, binary)}); "
                                f"{hint}")
    if opts.profile_dir is not None:
        release_stale_profile(opts.profile_dir)

    # It patches the driver binary in place: give it a copy, never the system's. Its data folder (for
    # drivers it downloads, which it never does here) would be made under ~/.local/share: point it at
    # the temp folder, which exists, so nothing lands outside optout's own files.
    workdir = Path(tempfile.mkdtemp(prefix="optout-uc-"))
    patched = workdir / "chromedriver"
    try:
        shutil.copy2(driver, patched)
        uc.Patcher.data_path = tempfile.gettempdir()
        patcher = uc.Patcher(executable_path=str(patched), version_main=major)
        patcher.auto()
        if not patcher.is_binary_patched(str(patched)):
            raise BrowserSetupError(f"undetected-chromedriver {getattr(uc, '__version__', '?')} cannot patch "
                                    f"{first_line(driver_said).split(' (')[0]} ({driver}); {hint}")
    except BrowserSetupError:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the optional backend is one line
        shutil.rmtree(workdir, ignore_errors=True)
        log_cause(f"patching {driver}", exc)
        raise BrowserSetupError(f"undetected-chromedriver could not patch {driver} ({type(exc).__name__}: "
                                f"{first_line(exc)}); {hint}") from exc

    # uc starts Chromium itself and attaches chromedriver to it: Chrome's prefs must be written into
    # the profile before the start (uc's ChromeOptions does that), not sent to chromedriver.
    options = uc.ChromeOptions.from_options(chrome_options(BrowserOptions(headed=True, window=opts.window), binary))
    if not opts.headed:
        # Headless Chromium says "HeadlessChrome" in its user agent: send the one the same build
        # sends with a window.
        options.add_argument("--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                             f"Gecko) Chrome/{major}.0.0.0 Safari/537.36")

    died: list[int] = []  # Chromium's exit code, when it ended while starting

    class _Chrome(uc.Chrome):  # type: ignore[misc]
        """uc.Chrome that leaves nothing behind: neither zombies, nor a browser, nor the patched copy."""

        _optout_ended = False

        def __init__(self, **kwargs: Any) -> None:
            started = threading.Event()
            watcher = threading.Thread(target=self._optout_watch_start, args=(started,), daemon=True)
            watcher.start()
            try:
                super().__init__(**kwargs)
            except BaseException:
                started.set()
                watcher.join()
                self._optout_end()  # it may have started Chromium before failing
                raise
            finally:
                started.set()

        def _optout_watch_start(self, started: threading.Event) -> None:
            """A Chromium that exits as it starts would keep chromedriver waiting 60 s to attach to
            it: once it is gone, end chromedriver too, so the start fails now."""
            own = object.__getattribute__(self, "__dict__")  # uc's __getattribute__ needs a finished init
            while not started.wait(0.1):  # the poll interval of a condition wait
                pid = own.get("browser_pid")
                if not died and pid:
                    try:
                        done, status = os.waitpid(pid, os.WNOHANG)
                    except ChildProcessError:
                        return
                    if done:
                        died.append(os.waitstatus_to_exitcode(status))
                if died:
                    process = getattr(own.get("service"), "process", None)
                    if process is not None:
                        with contextlib.suppress(Exception):
                            process.kill()
                        return

        def quit(self) -> None:
            if self._optout_ended:
                return  # a second quit (uc's __del__) must not signal a pid that may be reused by now
            with contextlib.suppress(Exception):
                super().quit()  # kills chromedriver, SIGTERMs Chromium, and waits for neither
            self._optout_end()

        def _optout_end(self) -> None:
            self._optout_ended = True
            process = getattr(getattr(self, "service", None), "process", None)
            if process is not None:
                with contextlib.suppress(Exception):
                    process.kill()
                    process.wait(timeout=SHORT)
            browser_pid = getattr(self, "browser_pid", None)
            if browser_pid:
                with contextlib.suppress(OSError):
                    os.kill(browser_pid, signal.SIGTERM)
                # Chromium ends gracefully (the profile's cookies are written); it is reaped here,
                # not left a zombie until optout exits
                end_child(browser_pid, NORMAL)
            shutil.rmtree(workdir, ignore_errors=True)

    try:
        chrome = _Chrome(driver_executable_path=str(patched), browser_executable_path=binary,
                         version_main=major, options=options, headless=not opts.headed,
                         user_data_dir=str(opts.profile_dir) if opts.profile_dir else None)
    except Exception as exc:  # noqa: BLE001 - any failure of the optional backend is one line
        shutil.rmtree(workdir, ignore_errors=True)
        log_cause("starting Chromium under undetected-chromedriver", exc)
        if died:
            raise BrowserSetupError(f"Chromium ({binary}) exited as it started (exit code {died[0]}) under "
                                    f"undetected-chromedriver; {hint}") from exc
        raise BrowserSetupError(f"undetected-chromedriver could not start Chromium ({type(exc).__name__}: "
                                f"{first_line(getattr(exc, 'msg', None) or exc)}); {hint}") from exc
    with contextlib.suppress(Exception):
        chrome.set_window_size(*opts.window)  # uc asks for 1920x1080: keep proofs alike across backends
    note_processes(opts.profile_dir, getattr(getattr(chrome.service, "process", None), "pid", None),
                   getattr(chrome, "browser_pid", None))
    return chrome

"""A local Chromium started early, while the command is still loading.

Starting Chromium is ~0.4 s of waiting on chromedriver and the browser, and a command's own start
(imports, the flow file, the selection's checks, Selenium) is about as much Python work: done one
after the other, `optout run linkedin` pays both. `begin()` starts chromedriver and asks it for a
session in a thread, with the standard library and the very options local.py would give; the
Browser that then needs that profile adopts the session (`take()`) instead of starting one.

An early start can cost a wasted browser, never a different one: a browser whose options are not
exactly the ones asked for, or that failed, is ended and the normal start follows (and reports any
failure in its own words). The account's lock (lock.py) is taken before anything starts, without
waiting: a busy account gets no early browser, and the normal path waits and says who holds it.
Whatever is not taken ends with the command (`cancel_all`, also at exit).
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loguru import logger

from optout.backends.base import LONG, SHORT, BrowserOptions, chrome_options
from optout.backends.local import _browser_env, chromedriver_path, chromium_path
from optout.backends.processes import note_processes, release_stale_profile

_READY_POLL_S = 0.01  # chromedriver listens within tens of milliseconds


@dataclass
class _Early:
    opts: BrowserOptions
    driver_path: str
    options: Any  # selenium's ChromeOptions, as local.py builds them
    port: int
    process: subprocess.Popen[bytes]
    thread: threading.Thread | None = None
    session: dict[str, Any] | None = None  # chromedriver's answer: sessionId and capabilities
    error: str = ""


_pending: dict[Path, _Early] = {}
_guard = threading.Lock()
_atexit_registered = False


def begin(opts: BrowserOptions) -> bool:
    """Start the browser `opts` describes in the background; False (and nothing started) when it
    cannot be (another backend, a window, no profile, missing binaries, a busy account)."""
    global _atexit_registered
    from optout import lock

    profile = opts.profile_dir
    if opts.backend != "chromium" or opts.headed or profile is None:
        return False
    with _guard:
        if profile in _pending:
            return True
    try:
        binary, driver_path = chromium_path(), chromedriver_path()
    except Exception:  # noqa: BLE001 - the normal start says what is missing, in its words
        return False
    if lock.reserve(profile) is None:
        return False  # another command holds the account: the normal path waits and says so
    try:
        release_stale_profile(profile)
        options = chrome_options(opts, binary)
        port = _free_port()
        process = subprocess.Popen(  # as selenium's Service starts it
            [driver_path, f"--port={port}"], env=_browser_env(), stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)
    except Exception as exc:  # noqa: BLE001 - no early browser; the normal start will try and tell
        logger.debug("no early browser: {}: {}", type(exc).__name__, exc)
        lock.unreserve(profile)
        return False
    note_processes(profile, process.pid)  # a SIGKILL now still leaves a record for the next run
    early = _Early(opts, driver_path, options, port, process)
    early.thread = threading.Thread(target=_new_session, args=(early,), name="optout-early-browser", daemon=True)
    with _guard:
        _pending[profile] = early
        if not _atexit_registered:
            atexit.register(cancel_all)
            _atexit_registered = True
    early.thread.start()
    return True


def take(opts: BrowserOptions) -> Any | None:
    """The early browser for exactly `opts`, as a selenium driver; None when there is none (the
    caller starts one). An early browser for the profile with other options is ended."""
    if opts.profile_dir is None:
        return None
    with _guard:
        early = _pending.get(opts.profile_dir)
    if early is None:
        return None
    if early.opts != opts:
        logger.debug("the early browser had other options: ended")
        _forget(early)
        _end(early)
        return None
    # Selenium's driver modules load while Chromium is still starting: ~0.15 s of Python work
    # that would otherwise come after the wait
    import selenium.webdriver.chrome.service  # noqa: F401
    import selenium.webdriver.chrome.webdriver  # noqa: F401

    # Until it is adopted it stays pending: an interrupt here leaves it to cancel_all()
    if early.thread is not None:
        early.thread.join()  # bounded: its requests have timeouts
    if early.session is None:
        logger.debug("no early browser: {}", early.error or "no session")
        _forget(early)
        _end(early)
        return None
    try:
        driver = _adopt(early)
    except Exception as exc:  # noqa: BLE001 - the normal start follows
        logger.debug("the early browser could not be adopted: {}: {}", type(exc).__name__, exc)
        _forget(early)
        _end(early)
        return None
    _forget(early)  # the caller's now: its quit ends it
    return driver


def _forget(early: _Early) -> None:
    with _guard:
        if early.opts.profile_dir is not None and _pending.get(early.opts.profile_dir) is early:
            del _pending[early.opts.profile_dir]


def cancel_all() -> None:
    """End every early browser nobody took, and let go of its account."""
    with _guard:
        left = list(_pending.values())
        _pending.clear()
    for early in left:
        _end(early)


# -- inside ---------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _request(port: int, method: str, path: str, body: dict | None, timeout: float) -> dict[str, Any]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json;charset=UTF-8"} if data is not None else {}
        connection.request(method, path, body=data, headers=headers)
        answer = connection.getresponse()
        return json.loads(answer.read() or b"{}")  # type: ignore[no-any-return]
    finally:
        connection.close()


def _new_session(early: _Early) -> None:
    """In the thread: wait for chromedriver to listen, then ask it for the session."""
    deadline = time.monotonic() + LONG
    pause = threading.Event()
    while True:
        if early.process.poll() is not None:
            early.error = f"chromedriver ended (exit {early.process.returncode})"
            return
        try:
            if _request(early.port, "GET", "/status", None, SHORT).get("value", {}).get("ready"):
                break
        except (OSError, ValueError, http.client.HTTPException):
            pass  # not listening yet
        if time.monotonic() > deadline:
            early.error = "chromedriver did not listen"
            return
        pause.wait(_READY_POLL_S)  # the poll interval of a bounded wait for a port
    caps = {"capabilities": {"firstMatch": [{}], "alwaysMatch": early.options.to_capabilities()}}
    try:
        value = _request(early.port, "POST", "/session", caps, LONG).get("value", {})
    except (OSError, ValueError, http.client.HTTPException) as exc:
        early.error = f"{type(exc).__name__}: {exc}"
        return
    if isinstance(value, dict) and value.get("sessionId"):
        early.session = value
    else:
        early.error = str(value.get("message", value) if isinstance(value, dict) else value)[:300]


def _adopt(early: _Early) -> Any:
    """A selenium Chrome driver on the running chromedriver and session."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    session = early.session or {}

    class _Running(Service):
        def start(self) -> None:  # chromedriver runs already: only make sure it still does
            self.assert_process_still_running()

    class _Adopted(webdriver.Chrome):
        def start_session(self, capabilities: dict) -> None:  # the session exists already
            self.session_id = session["sessionId"]
            self.caps = session.get("capabilities") or {}

    service = _Running(early.driver_path, port=early.port, env=_browser_env())
    service.process = early.process
    return _Adopted(service=service, options=early.options)


def _end(early: _Early) -> None:
    """Close the session (Chromium with it), stop chromedriver, let go of the account."""
    from optout import lock
    from optout.backends.processes import end_child, forget_processes

    profile = early.opts.profile_dir
    try:
        if early.thread is not None:
            early.thread.join(LONG + SHORT)
        if early.session is not None and early.process.poll() is None:
            with contextlib.suppress(OSError, ValueError, http.client.HTTPException):
                _request(early.port, "DELETE", f"/session/{early.session['sessionId']}", None, SHORT)
        if early.process.poll() is None:
            early.process.terminate()
        end_child(early.process.pid, SHORT)
        if early.process.stdin is not None:
            with contextlib.suppress(OSError):
                early.process.stdin.close()
        if profile is not None:
            release_stale_profile(profile)  # a Chromium the session's end left behind
            forget_processes(profile)
    finally:
        if profile is not None:
            lock.unreserve(profile)

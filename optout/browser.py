"""The WebDriver factory and the only module that touches Selenium.

Local Chromium through chromedriver with explicit paths (OPTOUT_CHROMIUM / OPTOUT_CHROMEDRIVER,
else PATH), never a download at run time (SE_OFFLINE); undetected-chromedriver as an optional
backend; a remote WebDriver (Selenium Grid). Selenium's exceptions are translated here into
optout's (errors.py), so nothing above this module knows Selenium.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from loguru import logger

from optout.errors import BrowserSetupError, OptoutError, Transient

# Selenium Manager would try the network to fetch a driver: never here, paths are explicit.
os.environ.setdefault("SE_OFFLINE", "true")

Backend = Literal["chromium", "undetected", "remote"]

# Named timeout tiers (SeleniumBase's good idea), scaled by OPTOUT_TIMEOUT_SCALE for slow machines.
_SCALE = float(os.environ.get("OPTOUT_TIMEOUT_SCALE", "1") or 1)
SHORT = 4 * _SCALE
NORMAL = 15 * _SCALE
LONG = 40 * _SCALE

# Counts fetch/XHR requests in flight, so a change is read back only once its save has gone out.
_INFLIGHT_TRACKER = r"""
if (!window.__optoutNet) {
  const net = window.__optoutNet = {n: 0, last: performance.now()};
  const bump = d => { net.n += d; net.last = performance.now(); };
  const origFetch = window.fetch;
  if (origFetch) window.fetch = function (...a) {
    bump(1);
    return origFetch.apply(this, a).finally(() => bump(-1));
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...a) {
    bump(1);
    this.addEventListener('loadend', () => bump(-1), {once: true});
    return send.apply(this, a);
  };
}
"""


@dataclass(frozen=True)
class BrowserOptions:
    backend: Backend = "chromium"
    headed: bool = False
    profile_dir: Path | None = None
    remote_url: str | None = None
    window: tuple[int, int] = (1280, 1000)


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


def _quiet_selenium_logs() -> None:
    # Selenium logs every command's body at DEBUG, typed passwords included: never let it.
    for name in ("selenium", "urllib3", "undetected_chromedriver"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _chrome_options(opts: BrowserOptions, binary: str | None) -> Any:
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
                 "--disable-sync", "--disable-features=PasswordLeakDetection,AutofillServerCommunication",
                 "--password-store=basic", f"--window-size={opts.window[0]},{opts.window[1]}"):
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
    })
    return options


def release_stale_profile(profile: Path) -> None:
    """Free a profile that a killed run left behind, so the next run can open it.

    Chromium marks a profile in use with a SingletonLock link to "host-pid". When optout is killed
    its Chromium may live on as an orphan holding the profile; that orphan (recognised by our
    profile path on its command line) is ended, and locks of dead processes are removed.
    """
    lock = profile / "SingletonLock"
    try:
        target = os.readlink(lock)
    except OSError:
        return
    pid_text = target.rsplit("-", 1)[-1]
    pid = int(pid_text) if pid_text.isdigit() else 0
    alive = False
    if pid:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            alive = True
        except OSError:
            cmdline = b""
        if alive and f"--user-data-dir={profile}".encode() in cmdline:
            logger.warning("a Chromium left by an interrupted run holds {}: ending it", profile)
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            alive = False
    if not alive:
        for name in ("SingletonLock", "SingletonSocket", "SingletonCookie"):
            with contextlib.suppress(OSError):
                (profile / name).unlink()


def _start_local(opts: BrowserOptions) -> Any:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium_path(), chromedriver_path()
    if opts.profile_dir is not None:
        release_stale_profile(opts.profile_dir)
    try:
        return webdriver.Chrome(service=Service(driver), options=_chrome_options(opts, binary))
    except WebDriverException as exc:
        first = (exc.msg or str(exc)).strip().splitlines()[0] if (exc.msg or str(exc)) else "no reason"
        raise BrowserSetupError(f"Chromium ({binary}) did not start through {driver}: {first}") from None


def _start_remote(opts: BrowserOptions) -> Any:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException

    if not opts.remote_url:
        raise BrowserSetupError("--browser remote needs --remote-url http://HOST:4444")
    # The profile and binary are the Grid node's business, not ours.
    options = _chrome_options(BrowserOptions(headed=opts.headed, window=opts.window), None)
    try:
        return webdriver.Remote(command_executor=opts.remote_url, options=options)
    except WebDriverException as exc:
        raise BrowserSetupError(f"no remote WebDriver at {opts.remote_url}: {exc.msg}") from None
    except OSError as exc:
        raise BrowserSetupError(f"no remote WebDriver at {opts.remote_url}: {exc}") from None


def _start_undetected(opts: BrowserOptions) -> Any:
    try:
        import undetected_chromedriver as uc
    except ImportError:
        raise BrowserSetupError(
            "--browser undetected needs the extra: pip install 'optout[undetected]'; "
            "or use --browser chromium") from None
    import re
    import subprocess
    import tempfile

    binary, driver = chromium_path(), chromedriver_path()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout
    major = re.search(r"(\d+)\.", version)
    # undetected-chromedriver patches the driver binary: give it a copy, never the system's.
    patched = Path(tempfile.mkdtemp(prefix="optout-uc-")) / "chromedriver"
    shutil.copy2(driver, patched)
    options = _chrome_options(BrowserOptions(headed=True, window=opts.window), binary)
    if not opts.headed:
        options.add_argument("--headless=new")
        options.add_argument("--user-agent=Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                             f"Gecko) Chrome/{major.group(1) if major else '120'}.0.0.0 Safari/537.36")
    try:
        return uc.Chrome(driver_executable_path=str(patched), browser_executable_path=binary,
                         version_main=int(major.group(1)) if major else None, options=options,
                         user_data_dir=str(opts.profile_dir) if opts.profile_dir else None)
    except Exception as exc:  # noqa: BLE001 - any failure of the optional backend is one line
        raise BrowserSetupError(f"undetected-chromedriver could not start ({type(exc).__name__}): "
                                "use --browser chromium") from None


class Browser:
    """One WebDriver session with the few actions a flow needs, errors translated."""

    def __init__(self, opts: BrowserOptions) -> None:
        _quiet_selenium_logs()
        starters: dict[str, Callable[[BrowserOptions], Any]] = {
            "chromium": _start_local, "remote": _start_remote, "undetected": _start_undetected}
        self.opts = opts
        self.driver = starters[opts.backend](opts)

    # -- translation of Selenium's errors -------------------------------------------------------
    def _guard(self, action: Callable[[], Any], what: str) -> Any:
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            ElementNotInteractableException,
            InvalidSessionIdException,
            NoSuchWindowException,
            StaleElementReferenceException,
            TimeoutException,
            WebDriverException,
        )

        try:
            return action()
        except (StaleElementReferenceException, ElementClickInterceptedException,
                ElementNotInteractableException) as exc:
            raise Transient(f"{what}: the element changed under us ({type(exc).__name__})") from None
        except TimeoutException:
            raise Transient(f"{what}: the browser timed out") from None
        except (InvalidSessionIdException, NoSuchWindowException):
            raise OptoutError(f"{what}: the browser window was closed") from None
        except WebDriverException as exc:
            text = (exc.msg or "").strip().splitlines()
            if text and ("net::ERR_" in text[0] or "timeout" in text[0].lower()):
                raise Transient(f"{what}: {text[0]}") from None
            raise OptoutError(f"{what}: {text[0] if text else type(exc).__name__}") from None

    # -- navigation -------------------------------------------------------------------------------
    def open(self, url: str) -> None:
        self._guard(lambda: self.driver.get(url), f"opening {_no_query(url)}")
        self._track_network()

    def reload(self) -> None:
        self._guard(self.driver.refresh, "reloading")
        self._track_network()

    def url(self) -> str:
        return self._guard(lambda: self.driver.current_url, "reading the URL")

    def path(self) -> str:
        return urlsplit(self.url()).path or "/"

    def origin(self) -> str:
        parts = urlsplit(self.url())
        return f"{parts.scheme}://{parts.netloc}"

    def http_status(self) -> int | None:
        """The main document's HTTP status (Chromium exposes it to the page), or None if unknown."""
        status = self.run_js(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return n && n.responseStatus ? n.responseStatus : null;")
        return int(status) if status else None

    def _track_network(self) -> None:
        self.run_js(_INFLIGHT_TRACKER)

    def network_idle(self, quiet_ms: int = 300) -> bool:
        """True when no fetch/XHR of the page has been in flight for quiet_ms."""
        return bool(self.run_js(
            "const n = window.__optoutNet; if (!n) return true;"
            "return n.n === 0 && performance.now() - n.last >= arguments[0];", quiet_ms))

    # -- waiting ----------------------------------------------------------------------------------
    def wait_until(self, condition: Callable[[], Any], timeout: float, what: str) -> Any:
        """Poll `condition` until it returns something truthy; that value, or None at the timeout."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        def check(_driver: Any) -> Any:
            try:
                return condition()
            except Transient:
                return None  # a node replaced mid-look: look again on the next poll

        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(check, what)
        except TimeoutException:
            return None

    def ready(self) -> bool:
        return self.run_js("return document.readyState") == "complete"

    # -- elements ---------------------------------------------------------------------------------
    def run_js(self, script: str, *args: Any) -> Any:
        return self._guard(lambda: self.driver.execute_script(script, *args), "running a page script")

    def click(self, element: Any) -> None:
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            ElementNotInteractableException,
        )

        # Text found inside a link or button: click the control a person would aim at.
        target = self.run_js(
            "const e = arguments[0];"
            "const c = e.closest('a[href],button,label,[role=button],[role=link],[role=menuitem],"
            "[role=tab],[role=switch],[role=checkbox],[role=option]');"
            "const t = (c && c !== e && !['INPUT','SELECT','TEXTAREA'].includes(e.tagName)) ? c : e;"
            "t.scrollIntoView({block: 'center', inline: 'nearest'}); return t;", element)

        def native() -> None:
            try:
                target.click()
            except (ElementClickInterceptedException, ElementNotInteractableException):
                # A styled toggle hides its native input: a person clicks the label, so do we.
                self.driver.execute_script(
                    "const e = arguments[0];"
                    "const l = e.labels && e.labels[0]; (l || e).click();", target)

        self._guard(native, "clicking")

    def focus(self, element: Any) -> None:
        self.run_js("arguments[0].focus();", element)

    def fill(self, element: Any, text: str) -> None:
        def type_in() -> None:
            element.clear()
            element.send_keys(text)

        self._guard(type_in, "typing")

    def value(self, element: Any) -> str:
        return self._guard(lambda: element.get_property("value") or "", "reading a field")

    def choose(self, element: Any, texts: list[str]) -> str | None:
        """Pick the first choice whose text contains one of `texts`: an <option> of a select, or a
        radio button of the group around `element`. The chosen text, or None."""
        return self.run_js(
            "const [el, wanted] = arguments;"
            "const norm = s => (s || '').replace(/[\\u2018\\u2019]/g, \"'\").replace(/\\s+/g, ' ')"
            "  .trim().toLowerCase();"
            "const esc = w => norm(w).replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');"
            "const has = (t, w) => new RegExp('(^|[^\\\\p{L}\\\\p{N}])' + esc(w) + '($|[^\\\\p{L}\\\\p{N}])', 'u')"
            "  .test(norm(t));"
            "const sel = el.tagName === 'SELECT' ? el : el.querySelector('select');"
            "if (sel) { for (const w of wanted) for (const o of sel.options) {"
            "  if (!o.disabled && o.value !== '' && has(o.textContent, w)) {"
            "    sel.value = o.value; sel.dispatchEvent(new Event('input', {bubbles: true}));"
            "    sel.dispatchEvent(new Event('change', {bubbles: true})); return o.textContent.trim(); } }"
            "  return null; }"
            "const scope = el.closest('fieldset,[role=radiogroup],form') || el;"
            "const radios = Array.from(scope.querySelectorAll('input[type=radio],[role=radio]'));"
            "const text = r => norm((r.labels && r.labels.length ? Array.from(r.labels).map(l => l.textContent)"
            "  .join(' ') : '') + ' ' + (r.getAttribute('aria-label') || '') + ' ' + (r.textContent || ''));"
            "for (const w of wanted) for (const r of radios) {"
            "  if (!r.disabled && has(text(r), w)) {"
            "    ((r.labels && r.labels[0]) || r).click(); return text(r); } }"
            "return null;", element, texts)

    def read_state(self, element: Any, sources: list[str]) -> str | None:
        """'on' / 'off' from the first source that says (aria-checked, checked, aria-pressed)."""
        return self.run_js(
            "const [e, sources] = arguments;"
            "for (const s of sources) {"
            "  if (s === 'checked') { if (typeof e.checked === 'boolean' && e.type) return e.checked ? 'on' : 'off'; }"
            "  else { const v = e.getAttribute(s); if (v === 'true') return 'on'; if (v === 'false') return 'off'; }"
            "} return null;", element, sources)

    def dom_without_values(self) -> str:
        """The page's HTML with what was typed or chosen in forms taken out (for breakage reports)."""
        return self.run_js(
            "const doc = document.documentElement.cloneNode(true);"
            "doc.querySelectorAll('input').forEach(e => { e.removeAttribute('value');"
            "  e.removeAttribute('checked'); });"
            "doc.querySelectorAll('textarea').forEach(e => { e.textContent = ''; });"
            "doc.querySelectorAll('option').forEach(e => e.removeAttribute('selected'));"
            "doc.querySelectorAll('script').forEach(e => e.remove());"
            "return '<!doctype html>\\n' + doc.outerHTML;") or ""

    def page_text(self) -> str:
        return self.run_js("return document.body ? document.body.innerText : ''") or ""

    def screenshot_png(self) -> bytes:
        return self._guard(self.driver.get_screenshot_as_png, "taking a screenshot")

    def quit(self) -> None:
        with contextlib.suppress(Exception):  # quitting a dead session is not worth an error
            self.driver.quit()
        if self.opts.backend == "undetected":
            _reap_children()


def _reap_children() -> None:
    """undetected-chromedriver leaves zombie processes until Python exits: collect them now."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _no_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"

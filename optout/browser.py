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
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from loguru import logger

from optout.errors import BrowserSetupError, OptoutError, Transient, UsageError

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
    remote_url: str | None = None  # may hold user:password@ (basic auth): show it with shown_url()
    window: tuple[int, int] = (1280, 1000)
    allow_insecure_remote: bool = False  # plain http:// to a Grid on another machine


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
# maintainer needs (structure, roles, labels, visible text) and nothing a person typed: input values,
# text areas, contenteditable text and chosen options are masked; scripts, styles, frames' content,
# comments and every attribute off the list are left out; URLs lose their query and fragment.
_SAFE_DOM_JS = r"""
const KEEP = new Set(['html','head','title','body','div','span','p','a','button','input','label','select',
  'option','optgroup','textarea','form','fieldset','legend','h1','h2','h3','h4','h5','h6','ul','ol','li',
  'nav','header','footer','main','section','article','aside','img','table','thead','tbody','tfoot','tr',
  'td','th','strong','em','b','i','small','br','hr','dialog','details','summary','iframe','svg','output',
  'code','pre','dl','dt','dd','time','abbr','meta']);
const DROP = new Set(['script','style','noscript','template','object','embed','canvas','link','base']);
const ATTRS = new Set(['id','class','role','name','type','for','alt','title','placeholder','autocomplete',
  'disabled','hidden','tabindex','lang','dir','href','src','action','method','checked','selected','charset']);
const MASK = '\u2022\u2022\u2022';
const esc = s => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const bare = u => {
  try { const x = new URL(u, location.href); return x.origin + x.pathname; } catch (e) { return ''; }
};
const attrs = el => {
  let out = '';
  for (const a of Array.from(el.attributes)) {
    const n = a.name.toLowerCase();
    if (!(ATTRS.has(n) || n.startsWith('aria-'))) continue;
    if (n === 'checked' || n === 'selected') continue;  // a choice a person made
    let v = a.value;
    if (n === 'href' || n === 'src' || n === 'action') v = v.startsWith('data:') ? 'data:' : bare(v);
    out += ' ' + n + '="' + esc(v) + '"';
  }
  const tag = el.tagName.toLowerCase();
  if (tag === 'input' && !['checkbox', 'radio', 'submit', 'button', 'reset', 'image', 'hidden'].includes(el.type)
      && el.value) out += ' value="' + MASK + '"';
  return out;
};
const walk = n => {
  if (n.nodeType === 3) {
    const p = n.parentElement;
    if (p && (p.isContentEditable || p.tagName === 'TEXTAREA')) return n.nodeValue.trim() ? MASK : '';
    return esc(n.nodeValue);
  }
  if (n.nodeType !== 1) return '';
  const tag = n.tagName.toLowerCase();
  if (DROP.has(tag)) return '';
  if (tag === 'textarea') return '<textarea' + attrs(n) + '>' + (n.value ? MASK : '') + '</textarea>';
  if (n.isContentEditable && !(n.parentElement && n.parentElement.isContentEditable))
    return '<div' + attrs(n) + '>' + (n.textContent.trim() ? MASK : '') + '</div>';
  const inner = tag === 'iframe' ? '' : Array.from(n.childNodes).map(walk).join('');
  if (!KEEP.has(tag)) return inner;  // unknown or custom elements: their content, not their markup
  if (['input', 'img', 'br', 'hr', 'meta'].includes(tag)) return '<' + tag + attrs(n) + '>';
  return '<' + tag + attrs(n) + '>' + inner + '</' + tag + '>';
};
return '<!doctype html>\n' + walk(document.documentElement);
"""

_PIDS_NAME = "optout.pids"  # the driver (and browser) of the run that uses the profile, by pid and start time


def _proc_stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state, ppid, …); [] when the process is
    gone or a zombie, which holds nothing any more."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:
        return []
    return [] if not fields or fields[0] in ("Z", "X") else fields


def _start_time(pid: int) -> str | None:
    """When the process started (clock ticks since boot): a pid reused since then has another one."""
    fields = _proc_stat(pid)
    return fields[19] if len(fields) > 19 else None


def _parent(pid: int) -> int:
    fields = _proc_stat(pid)
    return int(fields[1]) if len(fields) > 1 else 0


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def note_processes(profile: Path | None, *pids: int | None) -> None:
    """Write down this run's driver and browser in its profile, so that the run after a SIGKILL
    (which leaves them orphaned, for ever) can end them."""
    if profile is None:
        return
    lines = [f"{pid} {start}" for pid in pids if pid and (start := _start_time(pid))]
    with contextlib.suppress(OSError):
        (profile / _PIDS_NAME).write_text("\n".join(lines) + "\n", encoding="ascii")


def _forget_processes(profile: Path | None) -> None:
    if profile is not None:
        with contextlib.suppress(OSError):
            (profile / _PIDS_NAME).unlink()


def _kill(pid: int, what: str) -> None:
    logger.warning("ending the {} (pid {}) that an interrupted run left behind", what, pid)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    import time

    pause, deadline = threading.Event(), time.monotonic() + SHORT
    while _start_time(pid) is not None and time.monotonic() < deadline:  # until the kernel has ended it
        pause.wait(0.05)


def _end_recorded(profile: Path) -> None:
    """End the driver and browser an earlier run of this profile wrote down, if they still run."""
    try:
        lines = (profile / _PIDS_NAME).read_text(encoding="ascii").split("\n")
    except OSError:
        return
    for line in lines:
        pid_text, _, start = line.partition(" ")
        pid = int(pid_text) if pid_text.isdigit() else 0
        if pid and pid != os.getpid() and start and _start_time(pid) == start:
            _kill(pid, "chromedriver" if b"chromedriver" in _cmdline(pid) else "browser process")
    _forget_processes(profile)


def release_stale_profile(profile: Path) -> None:
    """Free a profile that an interrupted run left behind, so the next run can open it.

    Only a Chromium whose profile lock is free (no live optout command holds the account: lock.py)
    and whose driver is gone is a leftover. Chromium marks a profile in use with a SingletonLock
    link to "host-pid"; when optout is killed (SIGKILL, or SIGTERM mid-start) its Chromium and its
    chromedriver live on as orphans. Both are ended here: the ones the run wrote down (optout.pids),
    and a Chromium with our profile on its command line with the chromedriver that started it.
    Locks of dead processes are removed.
    """
    from optout import lock

    if lock.held_elsewhere(profile):
        return  # a live command drives this profile: its browser is not ours to end
    _end_recorded(profile)
    try:
        target = os.readlink(profile / "SingletonLock")
    except OSError:
        return
    pid_text = target.rsplit("-", 1)[-1]
    pid = int(pid_text) if pid_text.isdigit() else 0
    if pid and f"--user-data-dir={profile}".encode() in _cmdline(pid) and _start_time(pid):
        driver = _parent(pid)
        if driver == os.getpid():
            return  # this process's own live browser
        if driver > 1 and b"chromedriver" in _cmdline(driver) and _parent(driver) != os.getpid():
            _kill(driver, "chromedriver")
        _kill(pid, "Chromium")
    for name in ("SingletonLock", "SingletonSocket", "SingletonCookie"):
        with contextlib.suppress(OSError):
            (profile / name).unlink()


def _browser_env() -> dict[str, str]:
    """The environment for chromedriver and Chromium. Chromium puts its singleton socket under
    TMPDIR, and a Unix socket path over ~107 bytes fails with only "Chrome instance exited": a
    long TMPDIR (deep CI or test folders) is swapped for the system's short one."""
    env = dict(os.environ)
    if len(env.get("TMPDIR", "")) > 60 and Path("/tmp").is_dir():
        env["TMPDIR"] = "/tmp"
    return env


def _start_local(opts: BrowserOptions) -> Any:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium_path(), chromedriver_path()
    if opts.profile_dir is not None:
        release_stale_profile(opts.profile_dir)
    try:
        chrome = webdriver.Chrome(service=Service(driver, env=_browser_env()), options=_chrome_options(opts, binary))
    except WebDriverException as exc:
        first = (exc.msg or str(exc)).strip().splitlines()[0] if (exc.msg or str(exc)) else "no reason"
        raise BrowserSetupError(f"Chromium ({binary}) did not start through {driver}: {first}") from None
    note_processes(opts.profile_dir, getattr(chrome.service.process, "pid", None))
    return chrome


def smoke_test() -> str:
    """Start Chromium through chromedriver once, as a run would, and say which versions answered
    (for `optout doctor`): a path that exists is not yet a driver that starts the browser."""
    said, _ = _major_version(chromedriver_path(), "chromedriver")
    if "chromedriver" not in said.lower():  # e.g. /bin/true: found, executable, and no driver at all
        raise BrowserSetupError(f"{chromedriver_path()} is not a chromedriver (`--version` says "
                                f"{_first_line(said, 'nothing')!r}): install chromium-driver or fix "
                                "OPTOUT_CHROMEDRIVER")
    started = Browser(BrowserOptions())
    try:
        caps = started.driver.capabilities
    finally:
        started.quit()
    version = str(caps.get("browserVersion", "?"))
    driver = str((caps.get("chrome") or {}).get("chromedriverVersion", "?")).split(" ")[0]
    if version.split(".")[0] != driver.split(".")[0]:
        raise BrowserSetupError(f"Chromium {version} and ChromeDriver {driver} differ: install matching "
                                "versions (Debian: apt-get install chromium chromium-driver)")
    return f"Chromium {version} through ChromeDriver {driver} ({chromium_path()}, {chromedriver_path()})"


def _first_line(text: object, fallback: str = "no reason given") -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0].strip() if lines else fallback


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost: traffic that never leaves this machine."""
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def shown_url(url: str) -> str:
    """`url` with its user:password@ part masked: the form every message and log line uses."""
    from optout.logs import MASK

    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    if not sep or "@" not in netloc:
        return url
    return f"{scheme}://{MASK}@{netloc.rpartition('@')[2]}{slash}{path}"


def check_remote_url(url: str, allow_insecure: bool = False) -> str:
    """The --remote-url, checked before anything starts; its user:password is a secret from here on.

    Plain http:// only to this machine: a Grid reached over the network in clear text hands every
    signed-in cookie (and the Grid's own password) to whoever listens on the way."""
    from urllib.parse import unquote

    from optout import logs

    parts = urlsplit(url)
    if parts.username or parts.password:
        userinfo = parts.netloc.rpartition("@")[0]
        for secret in (userinfo, unquote(userinfo), parts.password or "", unquote(parts.password or "")):
            if len(secret) >= 4:  # shorter would mask ordinary words in every later line
                logs.register_secret(secret)
    shown = shown_url(url)
    try:
        parts.port  # noqa: B018 - a port that is not a number raises here, not deep in urllib3
    except ValueError:
        raise UsageError(f"--remote-url {shown}: the port is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--remote-url {shown}: expected the WebDriver's address, e.g. https://HOST:4444")
    if parts.scheme == "http" and not is_loopback(parts.hostname) and not allow_insecure:
        raise UsageError(f"--remote-url {shown}: plain http:// to another machine exposes the browser's "
                         "cookies and the Grid's password on the network: use https:// (or an SSH tunnel to "
                         "127.0.0.1), or pass --allow-insecure-remote on a network you trust")
    return url


def _remote_config(url: str) -> Any:
    """Selenium's ClientConfig for `url`: its user:password become basic authentication (not a URL
    Selenium would warn about and print), the address it keeps and shows has none."""
    from urllib.parse import unquote, urlunsplit

    from selenium.webdriver.remote.client_config import ClientConfig

    parts = urlsplit(url)
    clean = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    if parts.username is None:
        return ClientConfig(remote_server_addr=clean)
    return ClientConfig(remote_server_addr=clean, username=unquote(parts.username),
                        password=unquote(parts.password or ""))


def _start_remote(opts: BrowserOptions) -> Any:
    """A session on a remote WebDriver (a Selenium Grid, or a chromedriver listening on a port).

    The Grid node owns the browser: there is no kept profile (each run is a new session, so it signs
    in), and the Chromium binary is the node's business, unless OPTOUT_CHROMIUM names it, for a node
    on this machine or one laid out alike: it then goes to the node as goog:chromeOptions.binary.
    """
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from urllib3.exceptions import HTTPError

    if not opts.remote_url:
        raise BrowserSetupError("--browser remote needs --remote-url https://HOST:4444")
    config = _remote_config(check_remote_url(opts.remote_url, allow_insecure=opts.allow_insecure_remote))
    url = shown_url(opts.remote_url)  # every message below names the Grid without its password
    binary = os.environ.get("OPTOUT_CHROMIUM") or None
    options = _chrome_options(BrowserOptions(headed=opts.headed, window=opts.window), binary)
    try:
        return webdriver.Remote(command_executor=config.remote_server_addr, options=options, client_config=config)
    except WebDriverException as exc:
        # the Grid answered but could not give a browser: its first line says why (no slot, bad binary…)
        on_node = f" (OPTOUT_CHROMIUM={binary} was asked for on the node)" if binary else ""
        raise BrowserSetupError(f"the remote WebDriver at {url} did not start Chromium{on_node}: "
                                f"{_first_line(exc.msg or exc)}") from None
    except (OSError, HTTPError) as exc:
        reason = getattr(exc, "reason", None) or exc  # urllib3 wraps the socket's error
        raise BrowserSetupError(f"no remote WebDriver answers at {url}: {_first_line(reason)}") from None


def _major_version(executable: str, what: str) -> tuple[str, int | None]:
    """What `executable --version` says, and its major version (None if it names none)."""
    import re
    import subprocess

    try:
        said = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30,
                              check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BrowserSetupError(f"`{executable} --version` failed ({type(exc).__name__}): is it {what}?") from None
    found = re.search(r"(\d+)\.\d+", said)
    return said, int(found.group(1)) if found else None


def _end_process(pid: int | None, timeout: float) -> None:
    """Wait (bounded) for a child we signalled to end, SIGKILL it after `timeout`, and reap it."""
    import threading

    if not pid or os.name != "posix":
        return
    reaped = threading.Event()

    def reap() -> None:
        with contextlib.suppress(ChildProcessError):  # not our child, or already reaped
            os.waitpid(pid, 0)
        reaped.set()

    threading.Thread(target=reap, daemon=True).start()
    if not reaped.wait(timeout):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        reaped.wait(timeout)


def _start_undetected(opts: BrowserOptions) -> Any:
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
                                f"or {hint}") from None
    import tempfile

    binary, driver = chromium_path(), chromedriver_path()
    browser_said, major = _major_version(binary, "Chromium")
    driver_said, driver_major = _major_version(driver, "chromedriver")
    if "chromedriver" not in driver_said.lower():
        raise BrowserSetupError(f"{driver} is not a chromedriver (`--version` says "
                                f"{_first_line(driver_said, 'nothing')!r}): undetected-chromedriver cannot "
                                f"patch it; {hint}")
    if major is None or driver_major != major:
        raise BrowserSetupError(f"undetected-chromedriver needs matching versions, and ChromeDriver "
                                f"{driver_major} is not Chromium {major} ({_first_line(browser_said, binary)}); "
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
                                    f"{_first_line(driver_said).split(' (')[0]} ({driver}); {hint}")
    except BrowserSetupError:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the optional backend is one line
        shutil.rmtree(workdir, ignore_errors=True)
        raise BrowserSetupError(f"undetected-chromedriver could not patch {driver} ({type(exc).__name__}: "
                                f"{_first_line(exc)}); {hint}") from None

    # uc starts Chromium itself and attaches chromedriver to it: Chrome's prefs must be written into
    # the profile before the start (uc's ChromeOptions does that), not sent to chromedriver.
    options = uc.ChromeOptions.from_options(_chrome_options(BrowserOptions(headed=True, window=opts.window), binary))
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
                _end_process(browser_pid, NORMAL)
            shutil.rmtree(workdir, ignore_errors=True)

    try:
        chrome = _Chrome(driver_executable_path=str(patched), browser_executable_path=binary,
                         version_main=major, options=options, headless=not opts.headed,
                         user_data_dir=str(opts.profile_dir) if opts.profile_dir else None)
    except Exception as exc:  # noqa: BLE001 - any failure of the optional backend is one line
        shutil.rmtree(workdir, ignore_errors=True)
        if died:
            raise BrowserSetupError(f"Chromium ({binary}) exited as it started (exit code {died[0]}) under "
                                    f"undetected-chromedriver; {hint}") from None
        raise BrowserSetupError(f"undetected-chromedriver could not start Chromium ({type(exc).__name__}: "
                                f"{_first_line(getattr(exc, 'msg', None) or exc)}); {hint}") from None
    with contextlib.suppress(Exception):
        chrome.set_window_size(*opts.window)  # uc asks for 1920x1080: keep proofs alike across backends
    note_processes(opts.profile_dir, getattr(getattr(chrome.service, "process", None), "pid", None),
                   getattr(chrome, "browser_pid", None))
    return chrome


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

    def network_error(self) -> bool:
        """Whether the browser shows its own "site can't be reached" page (refused, DNS, offline):
        Chromium opens it without an error to WebDriver, and it is no page of the platform."""
        return bool(self.run_js("return location.href.startsWith('chrome-error://');"))

    def _track_network(self) -> None:
        self.run_js(_INFLIGHT_TRACKER)

    def network_idle(self, quiet_ms: int = 150) -> bool:
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

    # The choice list around `element`: a <select>'s options, or the radio buttons of its group.
    _CHOICES_JS = (
        "const norm = s => (s || '').replace(/[\\u2018\\u2019]/g, \"'\").replace(/\\s+/g, ' ')"
        "  .trim().toLowerCase();"
        "const sel = el.tagName === 'SELECT' ? el : el.querySelector('select');"
        "const choices = sel ? Array.from(sel.options).filter(o => !o.disabled && o.value !== '')"
        "  .map(o => ({node: o, text: o.textContent.trim()})) : "
        "  Array.from((el.closest('fieldset,[role=radiogroup],form') || el)"
        "    .querySelectorAll('input[type=radio],[role=radio]')).filter(r => !r.disabled)"
        "  .map(r => ({node: r, text: ((r.labels && r.labels.length ? Array.from(r.labels)"
        "    .map(l => l.textContent).join(' ') : '') + ' ' + (r.getAttribute('aria-label') || '') + ' '"
        "    + (r.textContent || '')).replace(/\\s+/g, ' ').trim()}));"
        "const pick = c => { if (sel) { sel.value = c.node.value;"
        "  sel.dispatchEvent(new Event('input', {bubbles: true}));"
        "  sel.dispatchEvent(new Event('change', {bubbles: true})); }"
        "  else ((c.node.labels && c.node.labels[0]) || c.node).click(); return c.text; };"
    )

    def options(self, element: Any) -> list[str]:
        """The texts of the choice list's options (a placeholder with no value left out), in order."""
        return self.run_js("const el = arguments[0];" + self._CHOICES_JS
                           + "return choices.map(c => c.text);", element) or []

    def choose(self, element: Any, texts: list[str], exact: bool = False) -> str | None:
        """Pick the first choice whose text contains one of `texts` as whole words (or, `exact`,
        is that text): an <option> of a select, or a radio button of the group around `element`.
        The chosen text, or None."""
        return self.run_js(
            "const [el, wanted, exact] = arguments;" + self._CHOICES_JS
            + "const esc = w => norm(w).replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');"
            "const has = (t, w) => exact ? norm(t) === norm(w) :"
            "  new RegExp('(^|[^\\\\p{L}\\\\p{N}])' + esc(w) + '($|[^\\\\p{L}\\\\p{N}])', 'u').test(norm(t));"
            "for (const w of wanted) for (const c of choices) if (has(c.text, w)) return pick(c);"
            "return null;", element, texts, exact)

    def read_state(self, element: Any, sources: list[str]) -> str | None:
        """'on' / 'off' from the first source that says (aria-checked, checked, aria-pressed)."""
        return self.run_js(
            "const [e, sources] = arguments;"
            "for (const s of sources) {"
            "  if (s === 'checked') { if (typeof e.checked === 'boolean' && e.type) return e.checked ? 'on' : 'off'; }"
            "  else { const v = e.getAttribute(s); if (v === 'true') return 'on'; if (v === 'false') return 'off'; }"
            "} return null;", element, sources)

    def dom_without_values(self) -> str:
        """The page's markup for a breakage report, rebuilt from an allowlist (_SAFE_DOM_JS): no
        script, no unknown attribute, and nothing a person typed or chose."""
        return self.run_js(_SAFE_DOM_JS) or ""

    def page_text(self) -> str:
        return self.run_js("return document.body ? document.body.innerText : ''") or ""

    def screenshot_png(self) -> bytes:
        return self._guard(self.driver.get_screenshot_as_png, "taking a screenshot")

    def quit(self) -> None:
        with contextlib.suppress(Exception):  # quitting a dead session is not worth an error
            self.driver.quit()
        _forget_processes(self.opts.profile_dir)
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

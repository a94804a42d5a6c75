"""The page API: one WebDriver session with the few actions a flow needs, and the one place where
Selenium's exceptions become optout's (`translated`).

How a session is had lives in optout/backends/ (local Chromium, a remote WebDriver,
undetected-chromedriver; process hygiene); this module and those are the only ones that import
Selenium, so nothing above them knows it. Names other modules import from here are re-exported.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from loguru import logger

from optout import backends
from optout.backends import processes
from optout.backends.base import (  # noqa: F401 - re-exported: the names callers import from here
    LONG,
    NORMAL,
    SHORT,
    Backend,
    BrowserOptions,
    first_line,
    log_cause,
    major_version,
    quiet_selenium_logs,
)
from optout.backends.local import chromedriver_path, chromium_path
from optout.backends.processes import release_stale_profile  # noqa: F401 - re-exported
from optout.backends.remote import check_remote_url, is_loopback, shown_url  # noqa: F401 - re-exported
from optout.errors import BrowserSetupError, OptoutError, Transient

FIRST_POLL_S = 0.02  # a wait's first look again; doubled up to POLL_S
POLL_S = 0.1
_POLL = threading.Event()  # never set: waiting on it is the pause between two looks of a wait


@dataclass(frozen=True)
class NotYet:
    """A wait's condition that does not hold yet and knows when it can at the earliest: look
    again in `seconds` (Browser.wait_until). False, like any condition that does not hold."""

    seconds: float

    def __bool__(self) -> bool:
        return False

# Counts fetch/XHR requests in flight, so a change is read back only once its save has gone out.
# Each request has a number in the order it started, so a wait can tell the requests an action sent
# (numbered after its mark) from a page's own long-lived ones (a stream or long poll opened at load).
_INFLIGHT_TRACKER = r"""
if (!window.__optoutNet) {
  const net = window.__optoutNet = {started: 0, last: performance.now(), mark: null, open: new Set(), ended: []};
  const begin = () => { const id = ++net.started; net.open.add(id); net.last = performance.now(); return id; };
  const end = id => { if (!net.open.delete(id)) return; net.last = performance.now();
                      net.ended.push([id, net.last]); if (net.ended.length > 64) net.ended.shift(); };
  const origFetch = window.fetch;
  if (origFetch) window.fetch = function (...a) {
    const id = begin();
    return origFetch.apply(this, a).finally(() => end(id));
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...a) {
    const id = begin();
    this.addEventListener('loadend', () => end(id), {once: true});
    return send.apply(this, a);
  };
}
"""

_STATUS_JS = ("const nav = performance.getEntriesByType('navigation')[0];"
              "return nav && nav.responseStatus ? nav.responseStatus : null;")
_MARK = "window.__optoutNet.mark = {at: performance.now(), started: window.__optoutNet.started};"

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


def smoke_test() -> str:
    """Start Chromium through chromedriver once, as a run would, and say which versions answered
    (for `optout doctor`): a path that exists is not yet a driver that starts the browser."""
    said, _ = major_version(chromedriver_path(), "chromedriver")
    if "chromedriver" not in said.lower():  # e.g. /bin/true: found, executable, and no driver at all
        raise BrowserSetupError(f"{chromedriver_path()} is not a chromedriver (`--version` says "
                                f"{first_line(said, 'nothing')!r}): install chromium-driver or fix "
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


@contextlib.contextmanager
def translated(what: str) -> Iterator[None]:
    """The one boundary where Selenium's exceptions become optout's (errors.py), `what` naming the
    action in the message. The Selenium exception stays the __cause__ and is logged at debug, so
    --verbose shows what the one-line error sums up."""
    from selenium.common.exceptions import WebDriverException

    try:
        yield
    except WebDriverException as exc:  # the root of Selenium's own errors
        log_cause(what, exc)
        raise _mapped(what, exc) from exc


def _mapped(what: str, exc: Exception) -> OptoutError:
    """Worth another try (Transient: a node replaced, a timeout, a network error) or not."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
        InvalidSessionIdException,
        NoSuchWindowException,
        StaleElementReferenceException,
        TimeoutException,
    )

    if isinstance(exc, StaleElementReferenceException | ElementClickInterceptedException
                  | ElementNotInteractableException):
        return Transient(f"{what}: the element changed under us ({type(exc).__name__})")
    if isinstance(exc, TimeoutException):
        return Transient(f"{what}: the browser timed out")
    if isinstance(exc, InvalidSessionIdException | NoSuchWindowException):
        return OptoutError(f"{what}: the browser window was closed")
    text = (getattr(exc, "msg", None) or "").strip().splitlines()
    if text and ("net::ERR_" in text[0] or "timeout" in text[0].lower()):
        return Transient(f"{what}: {text[0]}")
    return OptoutError(f"{what}: {text[0] if text else type(exc).__name__}")


class Browser:
    """One WebDriver session with the few actions a flow needs, errors translated."""

    def __init__(self, opts: BrowserOptions) -> None:
        quiet_selenium_logs()
        self.opts = opts
        self.driver = backends.start(opts)

    # -- navigation -------------------------------------------------------------------------------
    def open(self, url: str) -> int | None:
        """Open `url`; the page's HTTP status (as http_status()), read in the same request that
        starts counting its fetch/XHR requests."""
        with translated(f"opening {_no_query(url)}"):
            self.driver.get(url)
        return self._track_network()

    def reload(self) -> int | None:
        with translated("reloading"):
            self.driver.refresh()
        return self._track_network()

    def url(self) -> str:
        with translated("reading the URL"):
            return self.driver.current_url

    def path(self) -> str:
        return urlsplit(self.url()).path or "/"

    def origin(self) -> str:
        parts = urlsplit(self.url())
        return f"{parts.scheme}://{parts.netloc}"

    def http_status(self) -> int | None:
        """The main document's HTTP status (Chromium exposes it to the page), or None if unknown."""
        status = self.run_js(_STATUS_JS)
        return _status(status)

    def landing(self) -> tuple[str, int | None]:
        """path() and http_status() in one request: where an open() ended up, and how it answered."""
        path, status = self.run_js("const p = (() => {" + _STATUS_JS + "})();"
                                   "return [location.protocol.startsWith('http') ? location.pathname : null, p];")
        return (path or self.path()), _status(status)

    def network_error(self) -> bool:
        """Whether the browser shows its own "site can't be reached" page (refused, DNS, offline):
        Chromium opens it without an error to WebDriver, and it is no page of the platform."""
        return bool(self.run_js("return location.href.startsWith('chrome-error://');"))

    def _track_network(self) -> int | None:
        status = self.run_js(_INFLIGHT_TRACKER + _STATUS_JS)
        return _status(status)

    def network_idle(self, quiet_ms: int = 150) -> bool:
        """True when no fetch/XHR of the page has been in flight for quiet_ms."""
        return bool(self.run_js(
            "const n = window.__optoutNet; if (!n) return true;"
            "return n.open.size === 0 && performance.now() - n.last >= arguments[0];", quiet_ms))

    def mark_network(self) -> None:
        """Note the page's requests so far, before an action whose save is waited for by
        network_settled(). A page reached by a click (no open() of ours) gets its tracker here."""
        self.run_js(_INFLIGHT_TRACKER + _MARK)

    def network_settled(self, after_request_ms: int = 50, without_request_ms: int = 400) -> bool:
        """Whether the save an action (since mark_network) sent has ended: none of the requests
        started since the mark in flight, and either one went out and none of them ended for
        after_request_ms (a save's follow-up starts at once), or none at all went out for
        without_request_ms since the mark (a save sent after a short delay is still seen). A request
        the page had open before the mark (a stream, a long poll) is not the action's. A page that
        navigated away took its requests with it."""
        return self._settle_left(after_request_ms, without_request_ms) == 0

    def _settle_left(self, after_request_ms: int = 50, without_request_ms: int = 400) -> float | None:
        """How many ms until network_settled() can hold at the earliest: 0 when it does, None while
        a request of the action is in flight (its end is not known in advance)."""
        left = self.run_js(
            "const n = window.__optoutNet; if (!n) return 0;"
            "const m = n.mark || {at: n.last, started: n.started};"
            "for (const id of n.open) if (id > m.started) return null;"
            "let lastEnd = -1; for (const [id, at] of n.ended) if (id > m.started) lastEnd = Math.max(lastEnd, at);"
            "const until = n.started > m.started ? Math.max(lastEnd, m.at) + arguments[0] : m.at + arguments[1];"
            "return Math.max(0, until - performance.now());", after_request_ms, without_request_ms)
        return None if left is None else float(left)

    def wait_for_save(self, timeout: float, what: str) -> bool:
        """Wait until network_settled() holds; False at the timeout. Each look says how long the
        quiet still has to last, and the next look comes then (NotYet), not at the next poll: a
        poll's lag after a save (up to POLL_S) was most of what a change cost beyond the page's own."""
        def save_ended() -> bool | NotYet | None:
            left = self._settle_left()
            return None if left is None else (True if left == 0 else NotYet(left / 1000 + 0.001))

        return self.wait_until(save_ended, timeout, what) is not None

    # -- waiting ----------------------------------------------------------------------------------
    def wait_until(self, condition: Callable[[], Any], timeout: float, what: str) -> Any:
        """Poll `condition` until it returns something truthy; that value, or None at the timeout.

        The first looks come quickly, then every POLL_S: most conditions hold within a few tens of
        milliseconds (a switch that moved, a save that ended), and a fixed 0.1 s step made every
        wait cost up to that much more than the page needed. A condition that knows when it can
        hold at the earliest says so (NotYet) and is looked at again then. `what` names the wait
        in the log."""
        from selenium.common.exceptions import NoSuchElementException

        deadline = time.monotonic() + timeout
        pause = FIRST_POLL_S
        while True:
            try:
                value = condition()
            except (Transient, NoSuchElementException):
                value = None  # a node replaced mid-look: look again on the next poll
            if value:
                return value
            left = deadline - time.monotonic()
            if left <= 0:
                logger.debug("gave up waiting for {} after {:.1f} s", what, timeout)
                return None
            if isinstance(value, NotYet):
                _POLL.wait(min(value.seconds, left))  # when the condition can hold at the earliest
                continue
            _POLL.wait(min(pause, left))  # the polling interval, not a delay: the condition decides
            pause = min(pause * 2, POLL_S)

    def ready(self) -> bool:
        return self.run_js("return document.readyState") == "complete"

    # -- elements ---------------------------------------------------------------------------------
    def run_js(self, script: str, *args: Any) -> Any:
        with translated("running a page script"):
            return self.driver.execute_script(script, *args)

    def click(self, element: Any, mark_network: bool = False) -> None:
        """Click `element` as a person would; `mark_network`: count the page's requests from here
        (mark_network(), in the same round trip), for network_settled() to wait for this click's save."""
        from selenium.common.exceptions import (
            ElementClickInterceptedException,
            ElementNotInteractableException,
        )

        # Text found inside a link or button: click the control a person would aim at.
        target = self.run_js(
            (_INFLIGHT_TRACKER + _MARK if mark_network else "") + "const e = arguments[0];"
            "const c = e.closest('a[href],button,label,[role=button],[role=link],[role=menuitem],"
            "[role=tab],[role=switch],[role=checkbox],[role=option]');"
            "const t = (c && c !== e && !['INPUT','SELECT','TEXTAREA'].includes(e.tagName)) ? c : e;"
            "t.scrollIntoView({block: 'center', inline: 'nearest'}); return t;", element)

        with translated("clicking"):
            try:
                target.click()
            except (ElementClickInterceptedException, ElementNotInteractableException):
                # A styled toggle hides its native input: a person clicks the label, so do we.
                self.driver.execute_script(
                    "const e = arguments[0];"
                    "const l = e.labels && e.labels[0]; (l || e).click();", target)

    def focus(self, element: Any) -> None:
        self.run_js("arguments[0].focus();", element)

    def fill(self, element: Any, text: str, clear: bool = True) -> None:
        """Type `text` into the field; what it held is cleared first (`clear=False`: known empty)."""
        with translated("typing"):
            if clear:
                element.clear()
            element.send_keys(text)

    def value(self, element: Any) -> str:
        with translated("reading a field"):
            return element.get_property("value") or ""

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
        """'on' / 'off' from the first attribute source that says (aria-checked, checked,
        aria-pressed, data-state: checked/unchecked as component libraries write it)."""
        return self.run_js(
            "const [e, sources] = arguments;"
            "for (const s of sources) {"
            "  if (s === 'checked') { if (typeof e.checked === 'boolean' && e.type) return e.checked ? 'on' : 'off'; }"
            "  else if (s === 'data-state') { const v = (e.getAttribute(s) || '').toLowerCase();"
            "    if (v === 'checked' || v === 'on') return 'on'; if (v === 'unchecked' || v === 'off') return 'off'; }"
            "  else if (s !== 'text') { const v = e.getAttribute(s);"
            "    if (v === 'true') return 'on'; if (v === 'false') return 'off'; }"
            "} return null;", element, sources)

    def selected_text(self, element: Any) -> str | None:
        """A <select>'s chosen option's text; None for any other element."""
        return self.run_js("const e = arguments[0]; if (e.tagName !== 'SELECT') return null;"
                           "const o = e.options[e.selectedIndex]; return o ? o.text : '';", element)

    def tag(self, element: Any) -> str:
        """The element's tag name, lower case ("select", "input")."""
        return str(self.run_js("return arguments[0].tagName.toLowerCase();", element) or "")

    def visible_text(self, element: Any) -> str:
        """The element's text as shown (innerText): a chip's "On ▾", not its aria-label."""
        return self.run_js("return arguments[0].innerText || arguments[0].textContent || '';", element) or ""

    def dom_without_values(self) -> str:
        """The page's markup for a breakage report, rebuilt from an allowlist (_SAFE_DOM_JS): no
        script, no unknown attribute, and nothing a person typed or chose."""
        return self.run_js(_SAFE_DOM_JS) or ""

    def page_text(self) -> str:
        return self.run_js("return document.body ? document.body.innerText : ''") or ""

    def screenshot_png(self) -> bytes:
        with translated("taking a screenshot"):
            return self.driver.get_screenshot_as_png()

    def quit(self) -> None:
        with contextlib.suppress(Exception):  # quitting a dead session is not worth an error
            self.driver.quit()
        processes.forget_processes(self.opts.profile_dir)
        if self.opts.backend == "undetected":
            processes.reap_children()  # undetected-chromedriver leaves zombies until Python exits


def _status(value: Any) -> int | None:
    """The HTTP status a page script read (_STATUS_JS): a number, or None where the page has none."""
    return int(value) if value else None


def _no_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"

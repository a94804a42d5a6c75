"""One browser for one account of one platform: navigation, sign-in, and reaching a setting's control.

A Session opens pages with the transient faults real sites show retried (5xx, "something went
wrong" pages, a network error is an error, never "broken"), signs in when the platform asks
(optout/signin.py), answers dialogs that carry the same choice (optout/modals.py), and reaches a
setting's control by its deep link, then every click path; when all fail, the verdict is
"unavailable" only on a positive sign, else "broken". Nothing here names a platform.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from loguru import logger

from optout import locate, lock, modals, signin, warmup
from optout.browser import NORMAL, Browser, BrowserOptions
from optout.config import Account, profile_dir
from optout.errors import Broken, OptoutError, Transient, Unavailable
from optout.flow import Flow, Setting, path_of
from optout.retry import retrying as _retrying

Mode = Literal["run", "verify", "login"]
GONE = {404, 410}  # a page that moved away in a newer release


@dataclass(frozen=True)
class Job:
    """What to do for one account of one platform."""

    flow: Flow
    account: Account
    mode: Mode = "run"
    fix: bool = False
    resend: bool = False
    delete_activity: bool = False  # a menu's item that also deletes history (menu_item_delete)
    settings: tuple[str, ...] = ()  # empty: every setting of the flow
    base_url: str | None = None  # replaces the flow's origin (a replica, a staging host)
    headed: bool = False
    wait: float = 300.0  # how long a person (or a phone approval) is waited for
    browser: BrowserOptions = field(default_factory=BrowserOptions)



class Session:
    """One browser for one account of one platform, signed in at most as often as needed."""

    def __init__(self, job: Job, say: Callable[[str], None]) -> None:
        self.job = job
        self.flow = job.flow
        self.say = say
        self.base = (job.base_url or self.flow.origins[0]).rstrip("/")
        base_origin = _origin(self.base)
        # Credentials go only to the flow's own origins, or to the one --base-url named instead.
        self.allowed_origins = {base_origin} if job.base_url else set(self.flow.origins)
        self.sign_ins = 0
        self.modal_notes: list[str] = []  # dialogs answered (optout/modals.py), for the next result
        # the runner's word: nothing uses the browser after the next result's screenshot (quit_soon)
        self.last_use = False
        self._browser: Browser | None = None
        self._quitting: threading.Thread | None = None
        # A --base-url origin has a profile of its own: its cookies never mix with the real session.
        self.profile = profile_dir(self.flow.platform, job.account.user, job.base_url)
        # one command per account: a second one waits, or stops here before any ledger row
        self._lock = lock.hold(self.profile,
                               f"{self.flow.platform} account {job.account.user}", say)

    # -- the browser, started only when a setting needs it ---------------------------------------
    @property
    def browser(self) -> Browser:
        if self._browser is None:
            # the job's options (backend, remote URL and its checks) with this session's profile
            self._browser = Browser(replace(self.job.browser, headed=self.job.headed, profile_dir=self.profile))
            warmup.start()  # the keyring and Pillow load while the first page does
        return self._browser

    @property
    def started(self) -> bool:
        return self._browser is not None

    def quit_soon(self) -> None:
        """Start ending the browser in the background: its ~0.1 s of waiting on chromedriver overlaps
        the last proof's drawing and ledger row. close() waits for it."""
        if self._browser is not None and self._quitting is None:
            self._quitting = threading.Thread(target=self._browser.quit, name="optout-quit", daemon=True)
            self._quitting.start()

    def close(self) -> None:
        if self._quitting is not None:
            self._quitting.join()
            self._quitting = None
        elif self._browser is not None:
            self._browser.quit()
        self._browser = None
        self._lock.release()  # after the browser has ended: the next command finds the profile free

    def url(self, path: str) -> str:
        """A flow's path on the session's origin; a full URL on another of the flow's origins stays
        as it is, or moves to the --base-url origin, which stands in for all of them."""
        if path.startswith(("https://", "http://")):  # a full URL (a flow's, or a link an object list gave)
            if self.job.base_url and _origin(path) in self.flow.origins:
                return self.base + path_of(path)
            return path
        return self.base + path

    # -- navigation with the transient faults real sites show ------------------------------------
    def goto(self, path: str) -> None:
        for attempt in _retrying(f"opening {path}"):
            with attempt:
                status = self.browser.open(self.url(path))
                self._raise_if_transient(path, status)

    def reload(self) -> None:
        for attempt in _retrying("reloading"):
            with attempt:
                status = self.browser.reload()
                self._raise_if_transient(None, status)
        self.answer_modals()

    def answer_modals(self) -> None:
        """Answer the flow's dialogs that show over the page (optout/modals.py), once it settled:
        they are drawn by script after the load."""
        if self.flow.modals:
            self.browser.wait_until(lambda: self.browser.ready() and self.browser.network_idle(), NORMAL,
                                    "the page to settle")
            self.modal_notes += modals.answer(self)

    def take_modal_notes(self) -> list[str]:
        notes, self.modal_notes = self.modal_notes, []
        return notes

    def find_control(self, setting: Setting) -> locate.Found:
        """The setting's control on this page; a dialog over it is answered first (its own copy
        of the choice would otherwise make the control's label match twice)."""
        self.answer_modals()
        try:
            return locate.find(self.browser, setting.control, NORMAL, f"the {setting.title} control")
        except locate.NotFound:
            if not (self.flow.modals and any(locate.present(self.browser, m.detect) for m in self.flow.modals)):
                raise
        self.answer_modals()  # a dialog drawn late, while the control was looked for
        return locate.find(self.browser, setting.control, NORMAL, f"the {setting.title} control")

    def _raise_if_transient(self, where: str | None, status: int | None) -> None:
        """A 5xx, the browser's network error page or the flow's "something went wrong" is transient;
        `status` is the page's HTTP status (http_status(), or as open() read it with the load).
        `where` names the page in the message; None: the current page's path, read only to say so."""
        def page() -> str:
            return where if where is not None else self.browser.path()

        if status is not None and status >= 500:
            raise Transient(f"{page()} answered HTTP {status}")
        if status is None and self.browser.network_error():  # not the platform's page: say so, never "broken"
            raise Transient(f"{page()}: {self.base} could not be reached (the browser shows its network error page)")
        if locate.present(self.browser, self.flow.transient):
            raise Transient(f"{page()} says something went wrong")

    def signed_out(self) -> bool:
        return locate.present(self.browser, self.flow.signin.signed_out)

    def open_signed_in(self, path: str) -> None:
        """Open a page of the account, signing in when the platform sends us to its login."""
        self.goto(path)
        while self.signed_out():
            self.sign_in()  # bounded: a platform that keeps signing us out ends as an error
            self.goto(path)
        self.answer_modals()

    # -- signing in: optout/signin.py, where every secret is typed only on an allowed origin ------
    def sign_in(self) -> None:
        signin.sign_in(self)

    def login_command(self) -> str:
        words = ["optout", "login", self.flow.platform, self.job.account.user]
        if self.job.base_url:
            words += ["--base-url", f"{self.flow.platform}={self.job.base_url}"]
        return " ".join(words)

    # -- finding a setting's control ---------------------------------------------------------------
    def reach_control(self, setting: Setting) -> locate.Found:
        """The deep link first, then every click path; only when all fail, a verdict.

        "unavailable" needs a positive sign that the platform withholds the setting: a click path
        reached the page that should list it (`unavailable_if`) and found it absent, and no route
        saw a sign of a renamed or moved setting (`moved_if`, a match shown twice) or ended on a
        live page that is not that one. Anything else is "broken": never a quiet exit 0 while the
        setting may still be on.
        """
        misses: list[tuple[str, str]] = []  # (route, verdict): gone | withheld | moved | twice | missing
        reasons: list[str] = []
        if setting.deep_link:
            self.open_signed_in(setting.deep_link)
            landed, status = self.browser.landing()
            if status in GONE:
                reasons.append(f"deep link {setting.deep_link} answered HTTP {status}")
                misses.append(("deep link", "gone"))
            else:
                try:
                    # an object's page (each) is wherever its own link led, a redirect included
                    if setting.object_name is not None or \
                            landed.rstrip("/") == urlsplit(path_of(setting.deep_link)).path.rstrip("/"):
                        return self.find_control(setting)
                    raise locate.NotFound(f"deep link {setting.deep_link} led to {landed}")
                except locate.NotFound as exc:
                    reasons.append(f"deep link: {exc}")
                    misses.append(("deep link", self._why_missing(setting, exc)))
            logger.warning("{}: {}: {}; trying the click paths", self.flow.platform, setting.id, reasons[-1])
        for number, steps in enumerate(setting.click_paths, 1):
            try:
                self.follow(steps, setting)
                return self.find_control(setting)
            except locate.NotFound as exc:
                verdict = self._why_missing(setting, exc)
                reasons.append(f"click path {number}: {exc}")
                misses.append((f"click path {number}", verdict))
                logger.warning("{}: {}: click path {} did not reach it ({})", self.flow.platform, setting.id,
                               number, verdict)
        raise self._verdict(setting, misses, reasons)

    def _why_missing(self, setting: Setting, miss: locate.NotFound) -> str:
        """What the page a route ended on says about a control it lacks."""
        if self.browser.http_status() in GONE:
            return "gone"  # a page that moved away: this route says nothing either way
        if miss.ambiguous:
            return "twice"
        if locate.present(self.browser, setting.moved_if):
            return "moved"
        if locate.present(self.browser, setting.unavailable_if):
            return "withheld"
        return "missing"

    def _verdict(self, setting: Setting, misses: list[tuple[str, str]], reasons: list[str]) -> OptoutError:
        """Unavailable or Broken, once every route failed (see reach_control)."""
        verdicts = {verdict for _, verdict in misses}
        by_paths = {verdict for route, verdict in misses if route != "deep link"}
        where = _path_only(self.browser.url())
        # The deep link may land anywhere when the platform hides a setting: only its signs of a
        # moved setting count against "withheld"; the click paths must all say "withheld" or "gone".
        if "withheld" in by_paths and by_paths <= {"withheld", "gone"} and not verdicts & {"moved", "twice"}:
            return Unavailable(f"{self.flow.title} does not offer '{setting.title}' to this account "
                               f"(the page is there without it: {where})")
        if "twice" in verdicts:
            lead = f"'{setting.title}' matched more than once: the page changed"
        elif "moved" in verdicts:
            lead = (f"'{setting.title}' seems renamed or moved: the page shows an entry about it in "
                    "words the flow does not know")
        else:
            lead = f"'{setting.title}' not found"
        return Broken(f"{lead}: " + " | ".join(reasons))

    def follow(self, steps: list, setting: Setting) -> None:
        for step in steps:
            if step.open is not None:
                self.open_signed_in(step.open)
                status = self.browser.http_status()
                if status in GONE:  # a moved page: no use waiting for what it will never show
                    raise locate.NotFound(f"{step.open} answered HTTP {status}")
            else:
                found = locate.find(self.browser, step.click, NORMAL, f"a step towards {setting.title}")
                self.browser.click(found.element)
                self.browser.wait_until(self.browser.ready, NORMAL, "the next page")
                if self.signed_out():
                    self.sign_in()  # the platform sends a signed-in member on to the page asked for
                try:
                    self._raise_if_transient(None, self.browser.http_status())
                except Transient as exc:  # the page a click led to failed (a 5xx): reloaded, bounded
                    logger.warning("{}: {}: reloading", self.flow.platform, exc)
                    self.reload()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path_only(url: str) -> str:
    return urlsplit(url).path

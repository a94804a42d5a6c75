"""One flow for one account: sign in -> open -> read -> change -> reload and verify -> proof.

The runner never names a platform: everything it knows of one comes from the flow file. A
Session reaches each setting's control; the setting's kind names the code that acts on it in
the registry of optout/kinds.py (a toggle, optout/toggle.py: read before touching, act only when
the state differs, success only after a reload shows the wanted state; a form, optout/forms.py:
sent once). Transient faults (5xx, timeouts, nodes replaced under us) are retried (optout/retry.py),
bounded and logged; nothing else is retried. An error whose class `stops_account` ends the
account's remaining settings too. Each setting ends as one Result with a screenshot, its SHA-256
and a ledger row.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from loguru import logger

from optout import bundle, kinds, locate, lock, logs, modals, outcomes, proof, signin
from optout.browser import NORMAL, Browser, BrowserOptions
from optout.clock import iso_utc, now_utc
from optout.config import Account, profile_dir
from optout.errors import Broken, ExitCode, OptoutError, Transient, Unavailable
from optout.flow import Flow, Setting, path_of
from optout.ledger import Ledger, Result
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


@dataclass(frozen=True)
class Done:
    result: Result
    exit_code: ExitCode


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
        self._browser: Browser | None = None
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
        return self._browser

    @property
    def started(self) -> bool:
        return self._browser is not None

    def close(self) -> None:
        if self._browser is not None:
            self._browser.quit()
            self._browser = None
        self._lock.release()  # after the browser has ended: the next command finds the profile free

    def url(self, path: str) -> str:
        """A flow's path on the session's origin; a full URL on another of the flow's origins stays
        as it is, or moves to the --base-url origin, which stands in for all of them."""
        if path.startswith("https://") and not self.job.base_url:
            return path
        return self.base + path_of(path)

    # -- navigation with the transient faults real sites show ------------------------------------
    def goto(self, path: str) -> None:
        for attempt in _retrying(f"opening {path}"):
            with attempt:
                self.browser.open(self.url(path))
                self._raise_if_transient(path)

    def reload(self) -> None:
        for attempt in _retrying("reloading"):
            with attempt:
                self.browser.reload()
                self._raise_if_transient(self.browser.path())
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

    def _raise_if_transient(self, where: str) -> None:
        status = self.browser.http_status()
        if status is not None and status >= 500:
            raise Transient(f"{where} answered HTTP {status}")
        if status is None and self.browser.network_error():  # not the platform's page: say so, never "broken"
            raise Transient(f"{where}: {self.base} could not be reached (the browser shows its network error page)")
        if locate.present(self.browser, self.flow.transient):
            raise Transient(f"{where} says something went wrong")

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
            landed = self.browser.path()
            status = self.browser.http_status()
            if status in GONE:
                reasons.append(f"deep link {setting.deep_link} answered HTTP {status}")
                misses.append(("deep link", "gone"))
            else:
                try:
                    if landed.rstrip("/") == urlsplit(path_of(setting.deep_link)).path.rstrip("/"):
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
                    self.sign_in()


class Runner:
    """Runs jobs: one Session per job, one Result per setting, every Result in the ledger."""

    def __init__(self, ledger: Ledger, say: Callable[[str], None] = lambda text: None,
                 run_id: int | None = None) -> None:
        self.ledger = ledger
        self.say = say
        self.run_id = run_id

    def run(self, job: Job) -> list[Done]:
        settings = [s for s in job.flow.settings if not job.settings or s.id in job.settings]
        session = Session(job, self.say)
        done: list[Done] = []
        # An error that stops the account (`stops_account`: a failed sign-in, a configuration error
        # such as keyring, password, account fields) stands for every setting after it: they are not
        # tried, and the reason is said once (by the caller, or in the log for a sign-in), each
        # setting's row carrying it for `status`.
        blocker: OptoutError | None = None
        try:
            for setting in settings:
                if setting.status == "broken":
                    logger.warning("{}: {} is marked broken in its flow: skipped", job.flow.platform, setting.id)
                    done.append(self._record(job, setting, "broken", message="marked broken in the flow file"))
                    continue
                if blocker is not None:
                    done.append(self._failure(job, setting, blocker, None, repeated=True))
                    continue
                try:
                    done.append(self._one(session, setting))
                except OptoutError as exc:
                    if exc.stops_account:
                        blocker = exc
                    done.append(self._failure(job, setting, exc, session))
                except Exception as exc:  # noqa: BLE001 - one setting's surprise must not lose the rest
                    logger.opt(exception=exc).debug("{}: {}: unexpected failure", job.flow.platform, setting.id)
                    done.append(self._failure(job, setting, OptoutError(f"{type(exc).__name__}: {exc}"), session))
        finally:
            session.close()
        return done

    def login(self, job: Job) -> str:
        """Sign in with a person at hand, so the kept profile serves the headless runs after it.

        Nothing is checked or changed, so nothing goes to the ledger; errors are raised.
        """
        session = Session(job, self.say)
        try:
            session.open_signed_in(job.flow.home)
            return (f"{job.flow.title}: signed in as {job.account.user}; the session is kept in "
                    f"{session.profile}")
        finally:
            session.close()

    # -- one setting ------------------------------------------------------------------------------
    def _one(self, session: Session, setting: Setting) -> Done:
        """The setting's kind names its handler in the registry (optout/kinds.py): a toggle is
        ensured (optout/toggle.py), a form sent once (optout/forms.py)."""
        return kinds.handler(setting.kind)(session, setting, self._record, self.ledger)

    # -- results ----------------------------------------------------------------------------------
    def _failure(self, job: Job, setting: Setting, exc: OptoutError, session: Session | None,
                 repeated: bool = False) -> Done:
        message = logs.redact(str(exc))
        # Said once: a configuration error is the command's last word (cli), a blocker's repeat is not logged.
        said_elsewhere = repeated or exc.exit_code == ExitCode.USAGE
        (logger.debug if said_elsewhere else logger.warning)(
            "{}: {} ({}): {}", job.flow.platform, setting.id, exc.outcome, message)
        if exc.outcome == "broken" and session is not None and session.started:
            message = f"{message} — {self._bundle(job, setting, session, message)}"
        return self._record(job, setting, exc.outcome, session, message=message, exit_code=exc.exit_code,
                            said=said_elsewhere)

    def _bundle(self, job: Job, setting: Setting, session: Session, reason: str) -> str:
        try:
            saved = bundle.save_bundle(
                platform=job.flow.platform, account=job.account.user, setting=setting.id,
                url=session.browser.url(), reason=reason, dom=session.browser.dom_without_values(),
                screenshot=session.browser.screenshot_png(), at=now_utc())
        except OptoutError as exc:
            return f"no breakage bundle ({exc})"
        self.say(f"optout: {job.flow.platform} {setting.id}: {saved.how_to_report()}")
        return f"bundle: {saved.folder}"

    def _record(self, job: Job, setting: Setting, outcome: str, session: Session | None = None, *,
                before: str | None = None, after: str | None = None, message: str = "",
                details: dict | None = None, proof_of: Result | None = None,
                exit_code: ExitCode | None = None, command: str | None = None, said: bool = False) -> Done:
        at = now_utc()
        path = sha = None
        if proof_of is not None:
            path, sha = proof_of.proof, proof_of.sha256  # the proof of the earlier submission stands
        elif session is not None and session.started:
            try:
                png = session.browser.screenshot_png()
                saved = proof.save_proof(png, platform=job.flow.platform, account=job.account.user,
                                         setting=setting.id, title=setting.title, outcome=outcome, state=after,
                                         url=session.browser.url(), at=at)
                path, sha = str(saved.path), saved.sha256
            except OptoutError as exc:
                logger.warning("{}: no screenshot for {}: {}", job.flow.platform, setting.id, exc)
        result = Result(platform=job.flow.platform, account=job.account.user, setting=setting.id,
                        outcome=outcome, before=before, after=after, proof=path, sha256=sha, at=iso_utc(at),
                        message=message, details=details or {}, command=command or job.mode, origin=job.base_url)
        try:
            self.ledger.record(result, self.run_id)  # a busy ledger journals it: never lost, never raised
        except OptoutError as exc:  # not even the journal could be written: the output still has it
            logger.error("{}: {}: {}", job.flow.platform, setting.id, exc)
        # `said`: the reason is the command's last word, or was logged for an earlier setting
        logger.info("{}: {}: {} ({})", job.flow.platform, setting.id, outcome,
                    "reason given once" if said else message or "-")
        code = exit_code if exit_code is not None else _exit_for(outcome)
        return Done(result, code)


def _exit_for(outcome: str) -> ExitCode:
    known = outcomes.parse(outcome)
    return known.exit_code if known else ExitCode.FAILED


def command_for(job: Job, verb: str, setting: str | None = None, *flags: str) -> str:
    """The exact command that repeats `verb` for this job's platform and account, to print."""
    words = ["optout", verb, job.flow.platform, "--account", job.account.user]
    if setting:
        words += ["--setting", setting]
    words += flags
    if job.base_url:
        words += ["--base-url", f"{job.flow.platform}={job.base_url}"]
    return " ".join(shlex.quote(w) for w in words)


def overall_exit(done: list[Done]) -> ExitCode:
    """2 for a configuration error, else 1 for any failure, else 3 if a person is needed, else 0."""
    codes = {d.exit_code for d in done}
    for code in (ExitCode.USAGE, ExitCode.FAILED, ExitCode.NEEDS_HUMAN):
        if code in codes:
            return code
    return ExitCode.OK


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _path_only(url: str) -> str:
    return urlsplit(url).path

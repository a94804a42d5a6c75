"""What to do and doing it: a Selection is checked into a Plan of jobs, a Plan is executed.

    Selection  what was asked (platforms or all, account, settings, mode, browser…): a frozen value
    select()   -> Plan: every check a command line makes before work starts (usage, --base-url,
               --remote-url, a display for a window, the browser binaries, configured accounts)
    execute()  -> Report: the jobs on a pool, results in the order of the jobs, the run's row in the
               ledger with its exit code, the overall exit code, and for `verify` the alerts
    run()      select() then execute();  login(): a person signs in, the session is kept

The command line and a Python caller (`import optout`) both come through here, so a caller gets
the same checks, run rows, ordering and alerts as `optout run`. Errors are raised (an OptoutError
knows its exit code); nothing is printed except through `say`. The runner and Selenium are
imported inside the functions: importing this module stays as light as `optout --help` needs.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from optout import config
from optout.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from optout.ledger import Result
    from optout.runner import Done, Job

Mode = Literal["run", "verify", "login"]
Say = Callable[[str], None]
# Two browsers at once pay off while pages wait on the network; more only fight for 2 cores.
DEFAULT_JOBS = 2


def to_stderr(text: str) -> None:
    """The default `say`: notices meant for a person (a phone to approve, a replica in use)."""
    print(text, file=sys.stderr, flush=True)


def _words(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Selection:
    """Which platforms, accounts and settings, and how: the options of `optout run` and `verify`.

    A Python caller may give lists for the tuples and a {platform: url} mapping for `base_urls`."""

    mode: Mode = "run"
    platforms: tuple[str, ...] = ()
    all: bool = False  # every platform with a configured account
    account: str | None = None
    settings: tuple[str, ...] = ()  # empty: every setting
    fix: bool = False  # verify: switch back off what drifted
    resend: bool = False  # run: send objection forms again
    delete_activity: bool = False  # a menu setting's item that also deletes history (Gemini's)
    base_urls: tuple[str, ...] = ()  # "PLATFORM=URL", as --base-url takes them
    headed: bool = False
    wait: float | None = None  # seconds for a person or a phone approval [300 headed, 30 headless]
    backend: str = "chromium"  # chromium, undetected or remote
    remote_url: str | None = None
    allow_insecure_remote: bool = False

    def __post_init__(self) -> None:
        given = self.base_urls
        bases = [f"{p}={u}" for p, u in given.items()] if isinstance(given, Mapping) else _words(given)
        object.__setattr__(self, "platforms", _words(self.platforms))
        object.__setattr__(self, "settings", _words(self.settings))
        object.__setattr__(self, "base_urls", tuple(bases))


@dataclass(frozen=True)
class Plan:
    """A checked Selection: one job per account of each selected platform, in the order results come."""

    selection: Selection
    jobs: tuple[Job, ...]

    @property
    def mode(self) -> Mode:
        return self.selection.mode


@dataclass(frozen=True)
class Report:
    """What an executed Plan did. `problems`: configuration errors (exit 2), each said once."""

    mode: Mode
    done: tuple[Done, ...]
    exit_code: ExitCode
    run_id: int | None
    problems: tuple[str, ...] = ()

    @property
    def results(self) -> list[Result]:
        return [d.result for d in self.done]


# -- selection ---------------------------------------------------------------------------------------
def need_display(what: str) -> None:
    """A window needs a display: say so in one line instead of Chromium failing after a minute."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise UsageError(f"{what} needs a display to show the browser on, and there is none (DISPLAY and "
                         "WAYLAND_DISPLAY are unset): run it in a desktop session, or use --headless with a "
                         "phone approval or a stored TOTP secret")


def parse_base_urls(values: Iterable[str]) -> dict[str, str]:
    """{platform: origin} from "PLATFORM=URL" values; the platform's own origin is left out."""
    from urllib.parse import urlsplit

    from optout import flow
    from optout.browser import is_loopback, shown_url

    parsed: dict[str, str] = {}
    for given in values:
        value = shown_url(given)  # as said back: never a user:password@
        platform, sep, url = given.partition("=")
        parts = urlsplit(url)
        if not sep or not platform or parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--base-url {value!r}: expected PLATFORM=URL, e.g. linkedin=http://127.0.0.1:8000")
        if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
            raise UsageError(f"--base-url {value!r}: give an origin only (scheme://host:port), no path or user")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            # credentials are typed there: in clear text only to this machine
            raise UsageError(f"--base-url {value!r}: plain http:// only to this machine (127.0.0.1, ::1, "
                             f"localhost); use https://{parts.netloc}")
        origin = _origin_of(url)
        if origin in flow.load(platform).origins:
            continue  # the platform itself: its own profile and rows, as without --base-url
        parsed[platform] = origin
    return parsed


def _origin_of(url: str) -> str:
    """scheme://host[:port] of `url`, lower case: what a --base-url stands for."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def select(selection: Selection, say: Say = to_stderr) -> Plan:
    """The jobs of `selection`, after every check that can fail before a browser is used.

    A selection of one account has its browser started first (`_start_early`), ended again if a
    check fails."""
    s = selection
    if not s.platforms and not s.all:
        raise UsageError(f"name a platform (see `optout list`) or use --all: optout {s.mode} --all")
    if s.remote_url:  # first: its password is masked in every line from here on
        from optout.browser import check_remote_url

        check_remote_url(s.remote_url, s.allow_insecure_remote)
    if s.backend == "remote" and not s.remote_url:
        raise UsageError("--browser remote needs --remote-url https://HOST:4444")
    started_early = _start_early(s)
    try:
        return _plan(s, say)
    except BaseException:
        if started_early:
            from optout.backends import early

            early.cancel_all()  # a selection that fails ends the browser it started
        raise


def _plan(s: Selection, say: Say) -> Plan:
    from optout import flow
    from optout.browser import BrowserOptions
    from optout.runner import Job

    bases = parse_base_urls(s.base_urls)
    if s.headed and s.backend != "remote":
        need_display(f"optout {s.mode}" + (" --headed" if s.mode != "login" else ""))
    if s.backend != "remote":
        from optout import browser

        # a missing binary is one line, before any work starts
        browser.chromium_path()
        browser.chromedriver_path()
    found = list(dict.fromkeys(s.platforms)) or sorted({a.platform for a in config.accounts()})
    names = _without_guided(found, named=bool(s.platforms), say=say)
    if s.all and not names:
        raise UsageError(f"no accounts configured{' where a bot can act' if found else ''}: add one with "
                         "`optout creds set PLATFORM USER`")
    if s.account and not any(a.user == s.account for a in config.accounts() if a.platform in names):
        raise UsageError(f"no account '{s.account}' is configured for {', '.join(names)}: add it with "
                         f"`optout creds set {names[0]} {shlex.quote(s.account)}` (see `optout status`)")
    options = BrowserOptions(backend=s.backend, remote_url=s.remote_url,  # type: ignore[arg-type]
                             allow_insecure_remote=s.allow_insecure_remote)
    jobs = []
    for name in names:
        platform_flow = flow.load(name)
        for setting_id in s.settings:
            if setting_id not in {x.id for x in platform_flow.settings} and len(names) == 1:
                raise UsageError(f"{name} has no setting '{setting_id}' (see `optout list`)")
        accounts = config.accounts(name)
        if s.account:
            accounts = [a for a in accounts if a.user == s.account]
            if not accounts:
                continue  # --all --account: only the platforms where this account is configured
        if not accounts:
            raise UsageError(f"no {name} account: add one with `optout creds set {name} USER`")
        if name in bases:
            say(f"{name}: using {bases[name]} instead of {platform_flow.origins[0]} (--base-url)")
        for acc in accounts:
            jobs.append(Job(
                flow=platform_flow, account=acc, mode=s.mode, fix=s.fix, resend=s.resend,
                delete_activity=s.delete_activity, settings=s.settings,
                base_url=bases.get(name), headed=s.headed, wait=s.wait or (300.0 if s.headed else 30.0),
                browser=options))
    return Plan(s, tuple(jobs))


def _start_early(s: Selection) -> bool:
    """Start the browser of a selection of one account now, while the flow, the checks and the
    modules still load (optout/backends/early.py); the job adopts it if it is the very browser it
    needs, else it is ended. Any doubt (several accounts, a window, another backend, anything odd)
    means no early start: the checks below then say what is wrong, as always."""
    if s.mode == "login" or s.headed or s.backend != "chromium":
        return False
    try:
        from optout import flowfiles

        names = list(dict.fromkeys(s.platforms)) or sorted({a.platform for a in config.accounts()})
        if len(names) != 1 or flowfiles.path_of(names[0]) is None:
            return False
        accounts = [a for a in config.accounts(names[0]) if not s.account or a.user == s.account]
        if len(accounts) != 1:
            return False
        # the origin parse_base_urls() would give (checked there: this browser only opens about:blank)
        base = None
        for given in s.base_urls:
            platform, _, url = given.partition("=")
            if platform == names[0]:
                base = _origin_of(url)
        from optout.backends import early
        from optout.backends.base import BrowserOptions

        return early.begin(BrowserOptions(profile_dir=config.profile_dir(names[0], accounts[0].user, base)))
    except Exception:  # noqa: BLE001 - only a head start: the selection's own checks report problems
        return False


def _without_guided(names: list[str], named: bool, say: Say) -> list[str]:
    """A guided platform (optout/guides.py: no bot can act there) has no flow: named, it is a usage
    error pointing at its guide; found by --all through its account's fields, it is skipped, said once."""
    from optout import flowfiles

    with_flow = set(flowfiles.names())
    if all(n in with_flow for n in names):
        return names  # the common case: the guides are not even read
    from optout import guides

    guided = [n for n in names if n not in with_flow and guides.is_guided(n)]
    if guided and named:
        raise UsageError(f"no bot can act on {guided[0]} ({guides.load(guided[0]).why_no_bot}): see "
                         f"`optout guide {guided[0]}`")
    if guided:
        say(f"skipped {', '.join(guided)}: no bot can act there (see `optout guide PLATFORM`)")
    return [n for n in names if n not in guided]


# -- execution ---------------------------------------------------------------------------------------
def execute(plan: Plan, *, workers: int = DEFAULT_JOBS, say: Say = to_stderr,
            on_job_done: Callable[[Job], None] | None = None, command: str | None = None) -> Report:
    """Run the plan's jobs, `workers` accounts at once (one browser each), every result in the ledger
    under one run row that ends with the overall exit code; `verify` then alerts the user's channels.

    `on_job_done` is called after each account (a progress bar); `command` is the command line an
    alert names, masked here (default: the one equivalent to the selection)."""
    from optout.ledger import Ledger
    from optout.runner import Runner, overall_exit

    if plan.mode == "login":
        raise UsageError("a login is not executed as a run: use optout.login()")
    ledger = Ledger(config.ledger_path())
    run_id = ledger.start_run(plan.mode)
    runner = Runner(ledger, say=say, run_id=run_id)
    advance = on_job_done or (lambda job: None)
    done: list[Done] = []
    try:
        if workers == 1 or len(plan.jobs) == 1:
            for job in plan.jobs:
                done.extend(runner.run(job))
                advance(job)
        else:
            from concurrent.futures import ThreadPoolExecutor, as_completed

            with ThreadPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(runner.run, job): job for job in plan.jobs}
                for future in as_completed(futures):
                    done.extend(future.result())
                    advance(futures[future])
        # accounts finish in any order; results are given in the order of the jobs
        order = {(j.flow.platform, j.account.user): i for i, j in enumerate(plan.jobs)}
        done.sort(key=lambda d: order[(d.result.platform, d.result.account)])
        code = overall_exit(done)
    finally:
        ledger.finish_run(run_id, int(overall_exit(done)) if done else int(ExitCode.FAILED))
        ledger.close()
        from optout.backends import early

        early.cancel_all()  # a browser started early that no job took
    # A configuration problem is said once, as the last word: not in each of its settings' rows.
    problems = tuple(dict.fromkeys(d.result.message for d in done if d.exit_code == ExitCode.USAGE))
    if plan.mode == "verify":  # tell the user without their looking: drifted, broken, needs a person
        from optout import notify

        # masked only now: the secrets read during the run are known; a --remote-url's user:password
        # must not travel in an alert
        notify.alert([d.result for d in done], command=masked(command or command_line(plan.selection)))
    return Report(plan.mode, tuple(done), code, run_id, problems)


def run(selection: Selection, *, workers: int = DEFAULT_JOBS, say: Say = to_stderr,
        on_job_done: Callable[[Job], None] | None = None, command: str | None = None) -> Report:
    """select() then execute(): `optout run` / `optout verify` from Python."""
    return execute(select(selection, say), workers=workers, say=say, on_job_done=on_job_done, command=command)


def login(platform: str, user: str | None = None, *, wait: float = 300.0, base_urls: Sequence[str] = (),
          headless: bool = False, say: Say = to_stderr) -> str:
    """Sign in with a window a person uses to pass 2FA or a captcha; the browser profile keeps the
    session for the headless runs after it. Returns what to tell the person; nothing is recorded."""
    from optout.runner import Runner

    if not headless:
        need_display("optout login")
    if user is None:
        users = [a.user for a in config.accounts(platform)]
        if len(users) != 1:
            raise UsageError(f"name the account: optout login {platform} USER"
                             + (f" (one of {', '.join(users)})" if users else ""))
        user = users[0]
    plan = select(Selection(mode="login", platforms=(platform,), account=user, headed=not headless, wait=wait,
                            base_urls=tuple(base_urls)), say)
    return Runner(None, say=say).login(plan.jobs[0])  # type: ignore[arg-type]


def last_broken() -> dict[tuple[str, str], list[str]]:
    """(platform, setting) -> accounts whose latest result was `broken` (empty with no ledger yet)."""
    path = config.home() / "ledger.sqlite3"
    if not path.exists():  # opening it would create it: `optout list` writes nothing
        return {}
    from optout.ledger import Ledger

    with Ledger(path) as ledger:
        return ledger.latest_broken()


def masked(text: str) -> str:
    """`text` with every URL's user:password@ masked and known secrets redacted (an alert travels)."""
    from optout.logs import MASK, redact

    return redact(re.sub(r"(://)[^/@\s]+@", rf"\1{MASK}@", text))


def command_line(selection: Selection) -> str:
    """The `optout` command equivalent to `selection` (not yet masked), for an alert to name."""
    s = selection
    words = ["optout", s.mode, *s.platforms]
    flags = {"--all": s.all, "--fix": s.fix, "--resend": s.resend, "--delete-activity": s.delete_activity,
             "--headed": s.headed,
             "--allow-insecure-remote": s.allow_insecure_remote}
    words += [flag for flag, on in flags.items() if on]
    words += ["--account", s.account] if s.account else []
    for setting in s.settings:
        words += ["--setting", setting]
    for base in s.base_urls:
        words += ["--base-url", base]
    if s.backend != "chromium":
        words += ["--browser", s.backend]
    words += ["--remote-url", s.remote_url] if s.remote_url else []
    return " ".join(shlex.quote(w) for w in words)

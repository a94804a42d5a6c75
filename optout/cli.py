"""The command line only: parse, call the engine (optout.engine, what `import optout` exports), print,
exit code. No logic lives here: selection, the run and its alerts are the engine's.

Heavy modules (Selenium, the runner, rich) are imported inside the commands that need them, so
`optout --help` starts fast.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Any, Literal, NoReturn

import click

from optout import config, engine, outcomes
from optout.errors import ExitCode, OptoutError, UsageError

if TYPE_CHECKING:
    from optout.guides import Guide


def _fail(exc: OptoutError) -> NoReturn:
    from optout.logs import redact

    click.echo(f"optout: {redact(str(exc))}", err=True)
    sys.exit(int(exc.exit_code))


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Expected errors print one line and exit with their code; never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OptoutError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("optout: interrupted; what was recorded is kept", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.exceptions.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            if not _stdout_closed():
                raise
            # `optout export | head -1`: the reader has all it wanted; nothing to say, no traceback
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own exit flush too
            sys.exit(int(ExitCode.FAILED))
        except Exception as exc:  # noqa: BLE001 - a bug of ours is one line too, with the details logged
            from loguru import logger

            from optout.logs import redact

            logger.opt(exception=exc).debug("internal error")
            click.echo(f"optout: internal error ({type(exc).__name__}: {redact(str(exc))[:200]}); "
                       "run again with --verbose for details, and please report it", err=True)
            sys.exit(int(ExitCode.FAILED))

    return wrapper


def _stdout_closed() -> bool:
    """Whether standard output's reader went away (a broken pipe is ours, not a browser's socket)."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        return True
    except OSError:
        return False
    return False


def _say(text: str) -> None:
    click.echo(text, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="More detail on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False), help="Also write the log to this file.")
@click.version_option(package_name="optout")
def main(verbose: bool, quiet: bool, log_file: str | None) -> None:
    """Switch off "use my data to train AI" settings, prove it, and re-check later."""
    import os
    from pathlib import Path

    os.umask(0o077)  # proofs, the ledger and browser profiles (Chromium's files too) stay private
    import signal

    def interrupted(signum: int, frame: object) -> NoReturn:
        raise KeyboardInterrupt  # SIGTERM (systemd, timeout, kill) ends a run as Ctrl-C does

    with contextlib.suppress(ValueError):  # not the main thread (an embedding caller): keep its handler
        signal.signal(signal.SIGTERM, interrupted)  # the browser quits, the lock goes, results are kept

    from optout import logs

    logs.setup(verbose=verbose, quiet=quiet, log_file=Path(log_file) if log_file else None)


# -- list --------------------------------------------------------------------------------------------
@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_guarded
def list_cmd(as_json: bool) -> None:
    """Each platform's settings with their click paths, from the flow files."""
    from optout import flow

    flows = flow.load_all()
    broken_last = engine.last_broken()
    rows = [{"platform": f.platform, "title": f.title, "setting": s.id, "setting_title": s.title,
             "kind": s.kind, "want": s.want, "path": s.path, "deep_link": s.deep_link,
             "confidence": s.confidence, "off_means": s.off_means,
             "status": s.status, "last_broken": sorted(broken_last.get((f.platform, s.id), []))}
            for f in flows.values() for s in f.settings]
    for row in rows:
        row["guided"] = False
    guided = _guided_rows()
    if as_json:
        click.echo(json.dumps(rows + guided, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flag = "  [marked broken]" if row["status"] == "broken" else ""
        if row["last_broken"]:
            flag += f"  [broken at last check: {', '.join(row['last_broken'])}]"
        sure = f"  confidence {row['confidence']}" if row["confidence"] else ""
        click.echo(f"{row['platform']:<10} {row['setting']:<20} {row['kind']:<8} want {row['want']}{sure}{flag}")
        click.echo(f"{'':<10} {' → '.join(row['path'])}")
    if guided:
        click.echo("\nguided (no bot can act there; `optout guide PLATFORM` says what to do):")
    for row in guided:
        click.echo(f"{row['platform']:<12} {row['how']:<14} confidence {row['confidence']:<7} {row['why_no_bot']}")


def _guided_rows() -> list[dict[str, Any]]:
    """`optout list`'s rows for the guided platforms, with a flow row's keys (empty) too."""
    from optout import guides

    return [{"platform": g.platform, "title": g.title, "guided": True, "how": g.how, "why_no_bot": g.why_no_bot,
             "who": g.who, "letter": g.letter.offered, "check": g.robots is not None, "confidence": g.confidence,
             "setting": None, "setting_title": None, "kind": "guide", "want": None, "path": [], "deep_link": None,
             "off_means": None, "status": None, "last_broken": []}
            for g in guides.load_all().values()]


# -- credentials -------------------------------------------------------------------------------------
@main.group()
def creds() -> None:
    """Passwords and TOTP secrets, kept in the OS keyring (never in files or logs)."""


def _known_platform(platform: str) -> None:
    from optout import flow

    flow.load(platform)


def _read_secret(from_stdin: bool, prompt: str, option: str) -> str:
    if from_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():  # a prompt would read the pipe twice and fail with "Aborted!"
        raise UsageError(f"standard input is not a terminal: to pipe the secret in, add {option}")
    else:
        value = click.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True)
    if not value:
        raise UsageError("nothing was given: type it at the prompt, or pipe it with the --…-stdin option")
    return value


def _store(platform: str, user: str, from_stdin: bool, what: str, save: Callable[[str, str, str], None],
           option: str) -> None:
    from optout import logs

    _known_platform(platform)
    secret = _read_secret(from_stdin, f"{platform} {what} for {user}", option)
    logs.register_secret(secret)
    save(platform, user, secret)
    config.save_account(platform, user)


@creds.command("set")
@click.argument("platform")
@click.argument("user")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_guarded
def creds_set(platform: str, user: str, password_stdin: bool) -> None:
    """Store PLATFORM's password for USER and add the account."""
    from optout import credentials

    _store(platform, user, password_stdin, "password", credentials.set_password, "--password-stdin")
    _say(f"stored the {platform} password for {user} in the keyring ({credentials.backend_name()})")


@creds.command("totp")
@click.argument("platform")
@click.argument("user")
@click.option("--secret-stdin", is_flag=True, help="Read the base32 TOTP secret from standard input.")
@_guarded
def creds_totp(platform: str, user: str, secret_stdin: bool) -> None:
    """Store the TOTP secret of USER's 2FA, so runs pass it unattended."""
    from optout import credentials

    _store(platform, user, secret_stdin, "TOTP secret (base32)", credentials.set_totp_secret, "--secret-stdin")
    _say(f"stored the {platform} TOTP secret for {user} in the keyring")


@creds.command("remove")
@click.argument("platform")
@click.argument("user")
@_guarded
def creds_remove(platform: str, user: str) -> None:
    """Forget USER's secrets for PLATFORM and the account."""
    from optout import credentials

    removed = credentials.remove(platform, user)
    forgotten = config.forget_account(platform, user)
    if not (removed or forgotten):
        raise UsageError(f"no {platform} account '{user}' to remove (see `optout status`)")
    _say(f"removed {platform} account {user}")


@main.command("account")
@click.argument("platform")
@click.argument("user")
@click.option("--set", "pairs", multiple=True, metavar="KEY[=VALUE]",
              help="A field forms use, e.g. name='Alice Example'; KEY alone asks for the value.")
@_guarded
def account_cmd(platform: str, user: str, pairs: tuple[str, ...]) -> None:
    """Add an account, or set the fields its forms use (name, email, objection_details…)."""
    from optout import flow, guides

    known = (guides.load(platform).account_keys() if guides.is_guided(platform)
             else flow.account_keys(flow.load(platform)))
    fields = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not key:
            raise UsageError(f"--set takes KEY=VALUE (or KEY alone, to be asked), not {pair!r}")
        if key not in known:  # a typo would otherwise be kept and never used
            raise UsageError(f"{platform} uses no account field '{key}': known keys are {', '.join(known) or 'none'}")
        if not sep:
            value = _ask(f"{platform} {key.replace('_', ' ')} for {user}")
        if not value.strip():
            raise UsageError(f"--set {key}= gives no value: e.g. --set {key}=\"…\", or --set {key} to be asked")
        fields[key] = value.strip() if not sep else value
    account = config.save_account(platform, user, **fields)
    _say(f"{platform} account {user}: " + (", ".join(f"{k}={v!r}" for k, v in account.fields.items()) or
                                           "no fields"))


def _ask(prompt: str) -> str:
    """A value typed at a prompt, or the first line of a pipe; one line when there is none."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line.strip():
            raise UsageError(f"{prompt}: nothing was given on standard input")
        return line.rstrip("\r\n")
    try:
        return str(click.prompt(prompt, err=True))
    except click.exceptions.Abort:
        raise UsageError(f"{prompt}: nothing was given") from None


# -- guide (platforms where no bot can act: optout/guides.py, drafts.py, robots.py) ----------------------
@main.command("guide")
@click.argument("platform")
@click.option("--plan", help="Only the steps for this plan (where they differ by plan).")
@click.option("--workspace", metavar="URL", help="The workspace's (or org's) URL the opt-out email names.")
@click.option("--account", "user", metavar="USER", help="The account whose fields fill in the email or letter.")
@click.option("--mailto", is_flag=True,
              help="Also open the email (or letter) in your mail client (OPTOUT_OPENER: a command to open it with).")
@click.option("--check", "site", metavar="SITE_URL",
              help="Read SITE_URL/robots.txt: which AI crawlers it blocks (exit 0: all, 1: not all, 2: unreachable).")
@click.option("--letter", is_flag=True, help="Draft a GDPR Article 21 objection letter, for you to send.")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="The letter's language [en].")
@click.option("--timeout", type=click.FloatRange(min=1, max=120), default=10.0, show_default=True,
              help="Seconds --check waits for the site.")
@_guarded
def guide_cmd(platform: str, plan: str | None, workspace: str | None, user: str | None, mailto: bool,
              site: str | None, letter: bool, lang: Literal["en", "fr"] | None, timeout: float) -> None:
    """Where no bot can act: the steps, an email or letter ready to send, a site's robots.txt check."""
    from optout import drafts

    guide = _guide(platform)
    if site is not None and (letter or mailto):
        raise UsageError("--check reads a site's robots.txt: run it without --letter and --mailto")
    if lang and not letter:
        raise UsageError("--lang is the letter's language: add --letter")
    if workspace and guide.email is None:
        raise UsageError(f"{platform} has no email to write: --workspace is not used there")
    if site is not None:
        _check_robots(guide, site, timeout)
    if letter:
        draft: drafts.Draft | None = drafts.letter(guide, lang or "en", user)
        click.echo(draft.text(), nl=False)
    else:
        click.echo(drafts.steps_text(guide, plan))
        draft = None
        if guide.email is not None:
            try:
                draft = drafts.email(guide, {"workspace": workspace}, user)
            except drafts.MissingValue as exc:
                if mailto:
                    raise
                click.echo(f"\nNot written yet: {exc}")
            else:
                click.echo("\n" + draft.text(), nl=False)
    if mailto:
        if draft is None:
            raise UsageError(f"{platform} has no email to open" + ("; --letter drafts one" if guide.letter.offered
                                                                   else ""))
        _say(f"opened in your mail client: {drafts.open_mailto(draft)}")


def _guide(platform: str) -> Guide:
    from optout import flow, guides

    if not guides.is_guided(platform) and platform in flow.load_all():
        raise UsageError(f"{platform} has settings optout switches off itself: `optout run {platform}`")
    return guides.load(platform)


def _check_robots(guide: Guide, site: str, timeout: float) -> NoReturn:
    from optout import guides, robots

    if guide.robots is None:
        checked = ", ".join(p for p, g in guides.load_all().items() if g.robots)
        raise UsageError(f"{guide.platform} has no site to check: --check is for {checked}")
    crawlers = {c.agent: c for c in guide.robots.crawlers}
    result = robots.check(site, crawlers, timeout)
    blocked = sum(v.blocked for v in result.verdicts)
    click.echo(f"{result.url}: {blocked} of {len(result.verdicts)} AI crawlers blocked" if result.found else
               f"{result.url}: there is none (the site answers 4xx), so nothing blocks any AI crawler")
    for v in result.verdicts:
        verdict = "blocked" if v.blocked else "allowed"
        click.echo(f"  {verdict:<8} {v.agent:<19} {crawlers[v.agent].operator:<13} {v.by}")
    if not result.all_blocked:
        path = next((" → ".join(s.path) for s in guide.steps if s.path), "")
        click.echo(f"not all blocked; in {guide.title}: {path}" if path else "not all blocked")
    sys.exit(int(ExitCode.OK if result.all_blocked else ExitCode.FAILED))


# -- run / verify / login ------------------------------------------------------------------------------
def _selection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("platforms", nargs=-1),
        click.option("--all", "all", is_flag=True, help="Every platform with a configured account."),
        click.option("--account", "account", help="Only this account."),
        click.option("--setting", "settings", multiple=True, help="Only this setting id (repeatable)."),
        click.option("--headed", is_flag=True, help="Show the browser, so a person can pass 2FA or a captcha."),
        click.option("--delete-activity", is_flag=True,
                     help="Where turning a setting off can also delete the history it kept (e.g. "
                          "\"Turn off and delete activity\"), choose that. Off by default: nothing is deleted."),
        click.option("--wait", type=click.FloatRange(min=1), default=None,
                     help="Seconds to wait for a person or a phone approval [300 headed, 30 headless]."),
        click.option("--jobs", type=click.IntRange(min=1, max=16), default=engine.DEFAULT_JOBS, show_default=True,
                     help="Accounts run at once, one browser each (about 400 MB each)."),
        click.option("--json", "as_json", is_flag=True, help="Print only a JSON array of results on stdout."),
        click.option("--base-url", "base_urls", multiple=True, metavar="PLATFORM=URL",
                     help="Point a platform at another origin (a replica, a staging host)."),
        click.option("--browser", "backend", type=click.Choice(["chromium", "undetected", "remote"]),
                     default="chromium", show_default=True),
        click.option("--remote-url", help="The Selenium Grid / remote WebDriver URL for --browser remote "
                     "(https://USER:PASSWORD@HOST:4444 for a Grid with basic authentication)."),
        click.option("--allow-insecure-remote", is_flag=True,
                     help="Accept a plain http:// --remote-url on another machine (cookies cross the network "
                          "unencrypted)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _execute(mode: Literal["run", "verify"], jobs: int, as_json: bool, **options: Any) -> NoReturn:
    """Select, run with a progress bar, print the results, exit with the overall code."""
    plan = engine.select(engine.Selection(mode=mode, **options), say=_say)
    quiet = bool(click.get_current_context().find_root().params.get("quiet"))
    with _progress(len(plan.jobs), enabled=not (as_json or quiet)) as advance:
        report = engine.execute(plan, workers=jobs, say=_say, on_job_done=advance,
                                command=" ".join(["optout", *sys.argv[1:]]))
    _print_results(report.results, as_json, said_below=set(report.problems))
    if report.exit_code == ExitCode.USAGE:
        for problem in report.problems[:-1]:
            _say(f"optout: {problem}")
        raise UsageError(report.problems[-1])
    sys.exit(int(report.exit_code))


@contextlib.contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr for runs of several accounts, at a terminal only."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        yield lambda job: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("accounts", total=total)

        def advance(job: Any) -> None:
            progress.update(task, advance=1, description=f"{job.flow.platform} {job.account.user} done")

        yield advance


def _console() -> Any:
    """Rich's console for tables on stdout: at a terminal its width; piped or logged, wide enough
    that a message is not folded into a column of single words."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=160)


def _print_results(results: list[Any], as_json: bool, said_below: Collection[str] = ()) -> None:
    if as_json:
        click.echo(json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2))
        return
    if results and all(r.message in said_below for r in results):
        return  # nothing was checked: the one line below says why
    from rich.table import Table

    table = Table(title="optout results")
    for column in ("platform", "account", "setting", "outcome", "before", "after", "message"):
        table.add_column(column, overflow="fold")
    colours = {"good": "green", "notice": "yellow", "bad": "red"}  # by Outcome.tone, as in `status`
    # grouped by platform (in the order they first came), one section each, its name said once
    order = {key: n for n, key in reversed(list(enumerate((r.platform, r.origin) for r in results)))}
    previous = None
    for r in sorted(results, key=lambda r: order[(r.platform, r.origin)]):
        message = "(see the configuration error below)" if r.message in said_below else r.message
        known = outcomes.parse(r.outcome)
        group = (r.platform, r.origin)
        if previous is not None and group != previous:
            table.add_section()
        shown_platform = _platform_text(r.platform, r.origin) if group != previous else ""
        previous = group
        table.add_row(shown_platform, r.account, r.setting,
                      f"[{colours[known.tone] if known else 'white'}]{r.outcome}[/]",
                      r.before or "-", r.after or "-", message)
    console = _console()
    console.print(table)
    proofs = sorted({str(__import__("pathlib").Path(r.proof).parent) for r in results if r.proof})
    for folder in proofs:
        console.print(f"proofs: {folder}")


@main.command()
@_selection_options
@click.option("--resend", is_flag=True, help="Send objection forms again even if sent before.")
@_guarded
def run(**kwargs: Any) -> None:
    """Opt out: switch each setting off, verify after a reload, keep the proof."""
    _execute("run", **kwargs)


@main.command()
@_selection_options
@click.option("--fix", is_flag=True, help="Switch back off whatever drifted.")
@_guarded
def verify(**kwargs: Any) -> None:
    """Check, read-only, that each setting is still off (exit code says); --fix repairs."""
    _execute("verify", **kwargs)


@main.command()
@click.argument("platform")
@click.argument("user", required=False)
@click.option("--wait", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Seconds to wait for you to pass the check.")
@click.option("--base-url", "base_urls", multiple=True, metavar="PLATFORM=URL")
@click.option("--headless", is_flag=True, help="No window (only useful with a phone approval or TOTP).")
@_guarded
def login(platform: str, user: str | None, wait: float, base_urls: tuple[str, ...], headless: bool) -> None:
    """Sign in with a visible browser and pass 2FA or a captcha yourself; the session is kept."""
    _say(engine.login(platform, user, wait=wait, base_urls=base_urls, headless=headless, say=_say))


# -- status / doctor ---------------------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_guarded
def status(as_json: bool) -> None:
    """The latest result of every account and setting: outcome, since when, proof still intact."""
    from optout.ledger import Ledger
    from optout.views import status_rows

    with Ledger(config.ledger_path()) as ledger:
        rows = status_rows(ledger)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        _say("nothing recorded yet: run `optout run --all`")
        return
    from rich.table import Table

    table = Table(title="optout status")
    for column in ("platform", "account", "setting", "outcome", "state", "last checked", "proof"):
        # a date is never folded in two: the state and check columns keep room for "off since DATE"
        table.add_column(column, overflow="fold", min_width=31 if column in ("state", "last checked") else None)
    colours = {"good": "green", "notice": "yellow", "bad": "red"}
    for r in rows:
        proof = {"matches": "[green]✓[/]", "no screenshot": "-"}.get(r["proof_check"], f"[red]{r['proof_check']}[/]")
        table.add_row(_platform_text(r["platform"], r["origin"]), r["account"], r["title"],
                      f"[{colours[r['tone']]}]{r['outcome']}[/]",
                      _state_text(r), _checked_text(r), proof)
    _console().print(table)


def _platform_text(platform: str, origin: str | None) -> str:
    """A result of a --base-url origin (a replica, a staging host) never passes for the platform's."""
    from rich.markup import escape

    return escape(f"{platform} (via {origin})") if origin else platform


def _state_text(row: dict[str, Any]) -> str:
    """What is known of the setting, which a failed check does not erase."""
    if row["state"] == "off":
        return f"off since {row['off_since']}\nverified {row['verified_at']}"
    if row["state"] is None:
        return "unknown (no check concluded yet)"
    return f"{row['state']} since {row['since']}"


def _checked_text(row: dict[str, Any]) -> str:
    if row["last_failure_at"]:
        reason = row["last_failure"] if len(row["last_failure"]) <= 100 else row["last_failure"][:99] + "…"
        return f"last check failed at {row['last_failure_at']}\n({reason})"
    return row["last_checked"]


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write it [default: OPTOUT_HOME/report.html].")
@click.option("--no-embed", is_flag=True,
              help="Copy the screenshots into FILE_files/ beside the page instead of embedding them.")
@_guarded
def report(output: str | None, no_embed: bool) -> None:
    """Write the HTML proof report (one page, no network): what is off, since when, every screenshot."""
    from pathlib import Path

    from optout.ledger import Ledger
    from optout.report import build_report, default_report_path

    with Ledger(config.ledger_path()) as ledger:
        path = build_report(ledger, Path(output) if output else default_report_path(), embed=not no_embed)
    click.echo(str(path))  # stdout: `xdg-open "$(optout report)"`


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), required=True, help="json or csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@_guarded
def export_cmd(fmt: str, output: str | None) -> None:
    """The full history: every result with its command, proof path, SHA-256 and details."""
    import io

    from optout.export import export
    from optout.ledger import Ledger

    with Ledger(config.ledger_path()) as ledger:
        if output is None:
            if isinstance(sys.stdout, io.TextIOWrapper):
                sys.stdout.reconfigure(newline="")  # csv writes its own CRLF: no second translation
            count = export(ledger, fmt, sys.stdout)  # type: ignore[arg-type]
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    count = export(ledger, fmt, out)  # type: ignore[arg-type]
            except OSError as exc:
                raise OptoutError(f"cannot write {output}: {exc.strerror or exc}") from None
    _say(f"{count} result{'s' if count != 1 else ''} exported" + (f" to {output}" if output else ""))


@main.group("ledger")
def ledger_group() -> None:
    """The ledger itself: check that no row was edited or deleted and no screenshot replaced."""


@ledger_group.command("verify")
@_guarded
def ledger_verify() -> None:
    """Recompute the hash chain and every screenshot's SHA-256; exit 1 and name what differs."""
    from optout.ledger import Ledger

    with Ledger(config.ledger_path()) as ledger:
        problems = ledger.verify()
        rows = len(ledger.history())
        pending = ledger.pending()
    if pending:  # kept while the ledger was busy; not a problem, not yet in the chain either
        _say(f"{pending} result(s) kept while the ledger was busy wait in {ledger.journal_path.name}* beside "
             "it: the next command that finds the ledger free adds them")
    if not problems:
        click.echo(f"ledger intact: {rows} results, every screenshot matches its SHA-256")
        return
    for problem in problems:
        click.echo(problem)
    raise OptoutError(f"the ledger has {len(problems)} problem(s): see above")


@main.command()
@_guarded
def doctor() -> None:
    """Check what runs need: the browser (started once), the keyring, flows, home, accounts, ledger,
    a display for `login`; say what to fix (exit 2 when something must be)."""
    from optout.doctor import run_checks

    checks = run_checks()
    for check in checks:
        click.echo(f"{ {'ok': 'ok  ', 'warn': 'warn', 'fix': 'FIX '}[check.status]}  {check.name}: {check.text}")
    sys.exit(int(ExitCode.USAGE if any(c.status == "fix" for c in checks) else ExitCode.OK))


# -- schedule ----------------------------------------------------------------------------------------
@main.group("schedule")
def schedule_group() -> None:
    """Re-check periodically that settings are still off (systemd user timer, cron or launchd)."""


_SCHEDULERS = click.Choice(["systemd", "cron", "launchd"])


@schedule_group.command("install")
@click.option("--every", default="7d", show_default=True, help="How often: 30m, 12h, 1d, 7d, 2w.")
@click.option("--fix", is_flag=True, help="Also switch back off whatever drifted, unattended.")
@click.option("--backend", type=_SCHEDULERS, default=None,
              help="The scheduler to use [picked for this system; OPTOUT_SCHEDULER too].")
@_guarded
def schedule_install(every: str, fix: bool, backend: str | None) -> None:
    """Run `optout verify --all` every so often, never prompting; output goes to a log file."""
    from optout import schedule

    _say(schedule.install(schedule.parse_every(every), fix=fix, backend=backend))


@schedule_group.command("remove")
@click.option("--backend", type=_SCHEDULERS, default=None)
@_guarded
def schedule_remove(backend: str | None) -> None:
    """Stop the periodic verification."""
    from optout import schedule

    _say(schedule.remove(backend=backend))


@schedule_group.command("show")
@click.option("--backend", type=_SCHEDULERS, default=None)
@_guarded
def schedule_show(backend: str | None) -> None:
    """What is scheduled, when it runs next and where it logs."""
    from optout import schedule

    click.echo(schedule.show(backend=backend))


# -- notify ------------------------------------------------------------------------------------------
@main.group("notify")
def notify_group() -> None:
    """Where alerts go when a verify finds a setting back on: apprise URLs (mailtos://, ntfy://, json://…)."""


@notify_group.command("add")
@click.argument("url")
@_guarded
def notify_add(url: str) -> None:
    """Add an alert channel; URL '-' reads it from standard input (keeps a password out of `ps`)."""
    from optout import logs, notify

    if url == "-":
        url = sys.stdin.readline().strip()
    logs.register_secret(url)  # it may hold a password or a token
    label = notify.redact_url(url)
    _say(f"added {label}" if notify.add_channel(url) else f"{label} was already there")


@notify_group.command("remove")
@click.argument("which")
@_guarded
def notify_remove(which: str) -> None:
    """Remove a channel: its number in `optout notify list`, its URL, or its shown form."""
    from optout import notify

    _say(f"removed {notify.remove_channel(which)}")


@notify_group.command("list")
@_guarded
def notify_list() -> None:
    """The alert channels, shown as scheme://host only (their URLs may hold secrets)."""
    from optout import notify

    shown = notify.labels()
    if not shown:
        _say("no alert channel: add one with `optout notify add URL`")
    for number, label in enumerate(shown, 1):
        click.echo(f"{number}. {label}")


@notify_group.command("test")
@_guarded
def notify_test() -> None:
    """Send a test message to every channel; exit 1 if one did not accept it."""
    from optout import notify

    results = notify.test_channels()
    if not results:
        raise UsageError("no alert channel: add one with `optout notify add URL`")
    for label, ok in results.items():
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {label}")
    sys.exit(int(ExitCode.OK if all(results.values()) else ExitCode.FAILED))


if __name__ == "__main__":
    main()

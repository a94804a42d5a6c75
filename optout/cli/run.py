"""`optout run`, `optout verify` and `optout login`: the options parsed into an engine.Selection, the
engine called (selection, execution, alerts are its own), the results printed, the overall exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Literal, NoReturn

import click

from optout import engine
from optout.cli.guard import exit_now, guarded
from optout.cli.output import print_results, progress, say
from optout.errors import ExitCode, UsageError


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
    plan = engine.select(engine.Selection(mode=mode, **options), say=say)
    quiet = bool(click.get_current_context().find_root().params.get("quiet"))
    with progress(len(plan.jobs), enabled=not (as_json or quiet)) as advance:
        report = engine.execute(plan, workers=jobs, say=say, on_job_done=advance,
                                command=" ".join(["optout", *sys.argv[1:]]))
    print_results(report.results, as_json, said_below=set(report.problems))
    if report.exit_code == ExitCode.USAGE:
        for problem in report.problems[:-1]:
            say(f"optout: {problem}")
        raise UsageError(report.problems[-1])
    sys.stdout.flush()  # a closed pipe is said here, inside the guard, not lost in exit_now
    exit_now(int(report.exit_code))


@click.command()
@_selection_options
@click.option("--resend", is_flag=True, help="Send objection forms again even if sent before.")
@guarded
def run(**kwargs: Any) -> None:
    """Opt out: switch each setting off, verify after a reload, keep the proof."""
    _execute("run", **kwargs)


@click.command()
@_selection_options
@click.option("--fix", is_flag=True, help="Switch back off whatever drifted.")
@guarded
def verify(**kwargs: Any) -> None:
    """Check, read-only, that each setting is still off (exit code says); --fix repairs."""
    _execute("verify", **kwargs)


@click.command()
@click.argument("platform")
@click.argument("user", required=False)
@click.option("--wait", type=click.FloatRange(min=1), default=300.0, show_default=True,
              help="Seconds to wait for you to pass the check.")
@click.option("--base-url", "base_urls", multiple=True, metavar="PLATFORM=URL")
@click.option("--headless", is_flag=True, help="No window (only useful with a phone approval or TOTP).")
@guarded
def login(platform: str, user: str | None, wait: float, base_urls: tuple[str, ...], headless: bool) -> None:
    """Sign in with a visible browser and pass 2FA or a captcha yourself; the session is kept."""
    say(engine.login(platform, user, wait=wait, base_urls=base_urls, headless=headless, say=say))

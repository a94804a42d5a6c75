"""What the command line prints: messages on stderr (`say`), the progress bar of a run of several
accounts, the results table (or --json) and the status table. Rich is imported only when a table or a
bar is drawn, so `optout --help` stays light."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Collection, Iterator
from typing import Any

import click

from optout import outcomes


def say(text: str) -> None:
    """A message for the person: on stderr, so stdout holds only what a command answers."""
    click.echo(text, err=True)


@contextlib.contextmanager
def progress(total: int, enabled: bool) -> Iterator[Callable[[Any], None]]:
    """A progress bar on stderr for runs of several accounts, at a terminal only."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        yield lambda job: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("accounts", total=total)

        def advance(job: Any) -> None:
            bar.update(task, advance=1, description=f"{job.flow.platform} {job.account.user} done")

        yield advance


def _console() -> Any:
    """Rich's console for tables on stdout: at a terminal its width; piped or logged, wide enough
    that a message is not folded into a column of single words."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=160)


def print_results(results: list[Any], as_json: bool, said_below: Collection[str] = ()) -> None:
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


def print_status(rows: list[dict[str, Any]]) -> None:
    """`optout status`'s table: one row per platform x account x setting (optout/views.py's rows)."""
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

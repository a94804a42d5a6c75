"""What the ledger holds, read back: `optout status`, `optout report` (HTML), `optout export` (json /
csv) and `optout ledger verify` (the hash chain and every screenshot)."""

from __future__ import annotations

import json
import sys

import click

from optout import config
from optout.cli.guard import guarded
from optout.cli.output import print_status, say
from optout.errors import OptoutError


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@guarded
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
        say("nothing recorded yet: run `optout run --all`")
        return
    print_status(rows)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Where to write it [default: OPTOUT_HOME/report.html].")
@click.option("--no-embed", is_flag=True,
              help="Copy the screenshots into FILE_files/ beside the page instead of embedding them.")
@guarded
def report(output: str | None, no_embed: bool) -> None:
    """Write the HTML proof report (one page, no network): what is off, since when, every screenshot."""
    from pathlib import Path

    from optout.ledger import Ledger
    from optout.report import build_report, default_report_path

    with Ledger(config.ledger_path()) as ledger:
        path = build_report(ledger, Path(output) if output else default_report_path(), embed=not no_embed)
    click.echo(str(path))  # stdout: `xdg-open "$(optout report)"`


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), required=True, help="json or csv.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@guarded
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
    say(f"{count} result{'s' if count != 1 else ''} exported" + (f" to {output}" if output else ""))


@click.group("ledger")
def ledger_group() -> None:
    """The ledger itself: check that no row was edited or deleted and no screenshot replaced."""


@ledger_group.command("verify")
@guarded
def ledger_verify() -> None:
    """Recompute the hash chain and every screenshot's SHA-256; exit 1 and name what differs."""
    from optout.ledger import Ledger

    with Ledger(config.ledger_path()) as ledger:
        problems = ledger.verify()
        rows = len(ledger.history())
        pending = ledger.pending()
    if pending:  # kept while the ledger was busy; not a problem, not yet in the chain either
        say(f"{pending} result(s) kept while the ledger was busy wait in {ledger.journal_path.name}* beside "
             "it: the next command that finds the ledger free adds them")
    if not problems:
        click.echo(f"ledger intact: {rows} results, every screenshot matches its SHA-256")
        return
    for problem in problems:
        click.echo(problem)
    raise OptoutError(f"the ledger has {len(problems)} problem(s): see above")

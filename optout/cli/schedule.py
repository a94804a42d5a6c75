"""`optout schedule`: install, remove or show the periodic `optout verify --all` (optout/schedule.py
picks the scheduler and does the work)."""

from __future__ import annotations

import click

from optout.cli.guard import guarded
from optout.cli.output import say


@click.group("schedule")
def schedule_group() -> None:
    """Re-check periodically that settings are still off (systemd user timer, cron or launchd)."""


_SCHEDULERS = click.Choice(["systemd", "cron", "launchd"])


@schedule_group.command("install")
@click.option("--every", default="7d", show_default=True, help="How often: 30m, 12h, 1d, 7d, 2w.")
@click.option("--fix", is_flag=True, help="Also switch back off whatever drifted, unattended.")
@click.option("--backend", type=_SCHEDULERS, default=None,
              help="The scheduler to use [picked for this system; OPTOUT_SCHEDULER too].")
@guarded
def schedule_install(every: str, fix: bool, backend: str | None) -> None:
    """Run `optout verify --all` every so often, never prompting; output goes to a log file."""
    from optout import schedule

    say(schedule.install(schedule.parse_every(every), fix=fix, backend=backend))


@schedule_group.command("remove")
@click.option("--backend", type=_SCHEDULERS, default=None)
@guarded
def schedule_remove(backend: str | None) -> None:
    """Stop the periodic verification."""
    from optout import schedule

    say(schedule.remove(backend=backend))


@schedule_group.command("show")
@click.option("--backend", type=_SCHEDULERS, default=None)
@guarded
def schedule_show(backend: str | None) -> None:
    """What is scheduled, when it runs next and where it logs."""
    from optout import schedule

    click.echo(schedule.show(backend=backend))

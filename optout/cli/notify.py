"""`optout notify`: the alert channels (apprise URLs, kept by optout/notify.py) added, removed, listed
(never their secrets) and tested."""

from __future__ import annotations

import sys

import click

from optout.cli.guard import guarded
from optout.cli.output import say
from optout.errors import ExitCode, UsageError


@click.group("notify")
def notify_group() -> None:
    """Where alerts go when a verify finds a setting back on: apprise URLs (mailtos://, ntfy://, json://…)."""


@notify_group.command("add")
@click.argument("url")
@guarded
def notify_add(url: str) -> None:
    """Add an alert channel; URL '-' reads it from standard input (keeps a password out of `ps`)."""
    from optout import logs, notify

    if url == "-":
        url = sys.stdin.readline().strip()
    logs.register_secret(url)  # it may hold a password or a token
    label = notify.redact_url(url)
    say(f"added {label}" if notify.add_channel(url) else f"{label} was already there")


@notify_group.command("remove")
@click.argument("which")
@guarded
def notify_remove(which: str) -> None:
    """Remove a channel: its number in `optout notify list`, its URL, or its shown form."""
    from optout import notify

    say(f"removed {notify.remove_channel(which)}")


@notify_group.command("list")
@guarded
def notify_list() -> None:
    """The alert channels, shown as scheme://host only (their URLs may hold secrets)."""
    from optout import notify

    shown = notify.labels()
    if not shown:
        say("no alert channel: add one with `optout notify add URL`")
    for number, label in enumerate(shown, 1):
        click.echo(f"{number}. {label}")


@notify_group.command("test")
@guarded
def notify_test() -> None:
    """Send a test message to every channel; exit 1 if one did not accept it."""
    from optout import notify

    results = notify.test_channels()
    if not results:
        raise UsageError("no alert channel: add one with `optout notify add URL`")
    for label, ok in results.items():
        click.echo(f"{'ok  ' if ok else 'FAIL'}  {label}")
    sys.exit(int(ExitCode.OK if all(results.values()) else ExitCode.FAILED))

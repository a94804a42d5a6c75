"""`optout doctor`: what runs need, checked (optout/doctor.py), and what to fix."""

from __future__ import annotations

import sys

import click

from optout.cli.guard import guarded
from optout.errors import ExitCode


@click.command()
@guarded
def doctor() -> None:
    """Check what runs need: the browser (started once), the keyring, flows, home, accounts, ledger,
    a display for `login`; say what to fix (exit 2 when something must be)."""
    from optout.doctor import run_checks

    checks = run_checks()
    for check in checks:
        click.echo(f"{ {'ok': 'ok  ', 'warn': 'warn', 'fix': 'FIX '}[check.status]}  {check.name}: {check.text}")
    sys.exit(int(ExitCode.USAGE if any(c.status == "fix" for c in checks) else ExitCode.OK))

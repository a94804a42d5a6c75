"""The command line only: parse, call the engine (optout.engine, what `import optout` exports), print,
exit code. No logic lives here: selection, the run and its alerts are the engine's.

This package holds the click group `main` (the entry point, `optout.cli:main`) and registers the
commands, one module per area:

  guard.py     the one error boundary (`guarded`): one line and an exit code, never a traceback
  output.py    what is printed: `say` (stderr), the progress bar, the results and status tables
  run.py       run, verify, login
  accounts.py  creds (set, totp, remove), account
  records.py   status, report, export, ledger verify
  guide.py     guide (platforms where no bot can act)
  listing.py   list
  doctor.py    doctor
  schedule.py  schedule (install, remove, show)
  notify.py    notify (add, remove, list, test)

Imports point one way: this package -> the command modules -> {output, guard}; nothing imports a
command module but this one. Heavy modules (Selenium, the runner, rich) are imported inside the
commands that need them, so `optout --help` starts fast.
"""

from __future__ import annotations

import contextlib
from typing import NoReturn

import click

from optout.cli import accounts, doctor, guide, listing, notify, records, run, schedule


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


for _command in (listing.list_cmd, accounts.creds, accounts.account_cmd, guide.guide_cmd, run.run, run.verify,
                 run.login, records.status, records.report, records.export_cmd, records.ledger_group,
                 doctor.doctor, schedule.schedule_group, notify.notify_group):
    main.add_command(_command)

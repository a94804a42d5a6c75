"""`optout creds` (passwords and TOTP secrets, into the keyring) and `optout account` (an account
and the fields its forms use): what a run needs before it starts, read from a prompt or a pipe."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from optout import config
from optout.cli.guard import guarded
from optout.cli.output import say
from optout.errors import UsageError


@click.group()
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
@guarded
def creds_set(platform: str, user: str, password_stdin: bool) -> None:
    """Store PLATFORM's password for USER and add the account."""
    from optout import credentials

    _store(platform, user, password_stdin, "password", credentials.set_password, "--password-stdin")
    say(f"stored the {platform} password for {user} in the keyring ({credentials.backend_name()})")


@creds.command("totp")
@click.argument("platform")
@click.argument("user")
@click.option("--secret-stdin", is_flag=True, help="Read the base32 TOTP secret from standard input.")
@guarded
def creds_totp(platform: str, user: str, secret_stdin: bool) -> None:
    """Store the TOTP secret of USER's 2FA, so runs pass it unattended."""
    from optout import credentials

    _store(platform, user, secret_stdin, "TOTP secret (base32)", credentials.set_totp_secret, "--secret-stdin")
    say(f"stored the {platform} TOTP secret for {user} in the keyring")


@creds.command("remove")
@click.argument("platform")
@click.argument("user")
@guarded
def creds_remove(platform: str, user: str) -> None:
    """Forget USER's secrets for PLATFORM and the account."""
    from optout import credentials

    removed = credentials.remove(platform, user)
    forgotten = config.forget_account(platform, user)
    if not (removed or forgotten):
        raise UsageError(f"no {platform} account '{user}' to remove (see `optout status`)")
    say(f"removed {platform} account {user}")


@click.command("account")
@click.argument("platform")
@click.argument("user")
@click.option("--set", "pairs", multiple=True, metavar="KEY[=VALUE]",
              help="A field forms use, e.g. name='Alice Example'; KEY alone asks for the value.")
@guarded
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
    say(f"{platform} account {user}: " + (", ".join(f"{k}={v!r}" for k, v in account.fields.items()) or
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

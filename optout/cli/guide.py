"""`optout guide`: platforms where no bot can act (optout/guides.py, drafts.py, robots.py): the
steps, an email or a letter ready to send, a site's robots.txt check."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Literal, NoReturn

import click

from optout.cli.guard import guarded
from optout.cli.output import say
from optout.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from optout.guides import Guide


@click.command("guide")
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
@guarded
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
        say(f"opened in your mail client: {drafts.open_mailto(draft)}")


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

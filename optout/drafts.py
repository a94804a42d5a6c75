"""What `optout guide` writes for the user from a guide (optout/guides.py): the steps as text, an
email ready to send, a GDPR Article 21 objection letter, a draft's mailto: URL and opening it.

Values come from the command line's options and the accounts file (`optout account PLATFORM USER
--set KEY=…`), never invented: a missing one is a one-line UsageError naming the option to pass or
the exact command that sets it. The request is the user's; optout only drafts it and sends nothing.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlsplit

from optout import config
from optout.config import Account
from optout.errors import OptoutError, UsageError
from optout.guides import Guide, Lang, letters

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}


class MissingValue(UsageError):
    """A value the draft names was given nowhere (neither an option nor the accounts file)."""


@dataclass(frozen=True)
class Draft:
    """An email for the user to send: `to` is None where optout does not know the address."""

    to: str | None
    to_text: str  # the To line as shown (the address, or whose address it is)
    subject: str
    body: str

    def text(self) -> str:
        return f"To: {self.to_text}\nSubject: {self.subject}\n\n{self.body}\n"

    def mailto(self) -> str:
        """RFC 6068: percent-encoded, line breaks as CRLF; no address when it is not known."""
        def encoded(text: str) -> str:
            return quote(text.replace("\r\n", "\n").replace("\n", "\r\n"), safe="")

        return f"mailto:{quote(self.to or '', safe='@')}?subject={encoded(self.subject)}&body={encoded(self.body)}"


# -- the guide's text --------------------------------------------------------------------------------
def steps_text(guide: Guide, plan: str | None = None) -> str:
    """Why, who, and the numbered steps (only `plan`'s where the guide has plans), then the notes."""
    if plan is not None and plan not in guide.plans:
        raise UsageError(f"--plan {plan!r}: {guide.platform} has " + (
            f"the plans {', '.join(guide.plans)}" if guide.plans else "no plans to choose from"))
    lines = [f"{guide.title}: {guide.why_no_bot}", "", f"why: {guide.why}", f"who: {guide.who}"]
    if guide.default:
        lines.append(f"default: {guide.default}")
    lines.append("")
    steps = [s for s in guide.steps if plan is None or s.when in (None, plan)]
    for number, step in enumerate(steps, 1):
        said = " → ".join(step.path)
        if step.text:
            said = f"{said}: {step.text}" if said else step.text
        lines.append(f"{number}. {step.title + ': ' if step.title else ''}{said}")
    for label, text in (("then", guide.after), ("note", guide.note)):
        if text:
            lines.append(f"{label}: {text}")
    lines.extend(f"not in optout's facts: {text}" for text in guide.unsure)
    if guide.forward:
        lines += ["", guide.forward]
    return "\n".join(lines)


# -- the account -------------------------------------------------------------------------------------
def _account(guide: Guide, user: str | None) -> Account | None:
    """The account named (an empty one when not configured yet), else the platform's only one."""
    accounts = config.accounts(guide.platform)
    if user is not None:
        return next((a for a in accounts if a.user == user), Account(guide.platform, user))
    return accounts[0] if len(accounts) == 1 else None


def _set_command(platform: str, user: str, keys: list[str]) -> str:
    """`optout account PLATFORM USER --set KEY …`: each KEY alone is asked for, so it runs as printed."""
    return shlex.join(["optout", "account", platform, user, *(w for key in keys for w in ("--set", key))])


# -- the email ---------------------------------------------------------------------------------------
def email(guide: Guide, given: dict[str, str | None], user: str | None = None) -> Draft:
    """The guide's email, its {keys} from `given` (the options) or the account's fields; signed with
    the account's name when it is known."""
    spec = guide.email
    if spec is None:
        raise UsageError(f"{guide.platform} has no email to write")
    account = _account(guide, user)
    fields = account.fields if account else {}
    values: dict[str, str] = {}
    for need in spec.needs:
        value = (given.get(need.key) or fields.get(need.key) or "").strip()
        metavar = "URL" if need.url else need.key.upper()
        if not value:
            where = (f"`{_set_command(guide.platform, account.user, [need.key])}`" if account else
                     f"`optout account {guide.platform} USER --set {need.key}={metavar}`")
            raise MissingValue(f"the email names {need.says}: pass {need.option} {metavar}, or keep it with {where}")
        values[need.key] = _web_address(value, need.option) if need.url else value
    body = spec.body.format(**values)
    if fields.get("name"):
        body += f"\n{fields['name']}"
    return Draft(spec.to, spec.to, spec.subject.format(**values), body)


def _web_address(value: str, option: str) -> str:
    """`acme.example.com` -> `https://acme.example.com`; a value that is no web address is refused."""
    parts = urlsplit(value if "://" in value else f"https://{value}")
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or "") or any(c.isspace() for c in value):
        raise UsageError(f"{option} {value!r}: expected a web address, e.g. https://example.com")
    return parts.geturl().rstrip("/")


# -- the letter --------------------------------------------------------------------------------------
def _letter_account(guide: Guide, user: str | None) -> Account:
    account = _account(guide, user)
    if account is not None:
        return account
    users = [a.user for a in config.accounts(guide.platform)]
    if users:
        raise UsageError(f"several {guide.platform} accounts: pass --account USER (one of {', '.join(users)})")
    raise UsageError(f"the letter is signed with your {guide.title} account's name and email: pass "
                     f"--account USER (your {guide.title} user name)")


def letter(guide: Guide, lang: Lang = "en", user: str | None = None, today: date | None = None) -> Draft:
    """The GDPR Article 21 objection, in `lang`, with the account's name and email."""
    if not guide.letter.offered:
        raise UsageError(f"no letter for {guide.platform}: {guide.letter.why}")
    account = _letter_account(guide, user)
    name = account.fields.get("name", "").strip()
    address = account.fields.get("email", "").strip() or (account.user if "@" in account.user else "")
    missing = [key for key, value in (("name", name), ("email", address)) if not value]
    if missing:
        raise UsageError(f"the letter is signed with the account's {' and '.join(missing)}, which optout does not "
                         f"have: run `{_set_command(guide.platform, account.user, missing)}` (it asks for "
                         f"{'them' if len(missing) > 1 else 'it'}), then this command again")
    day = today or date.today()
    values = {"title": guide.title, "concerns": guide.letter.concerns[lang], "user": account.user, "name": name,
              "email": address, "date": f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"}
    text = getattr(letters(), lang)
    return Draft(None, text.to.format(**values), text.subject.format(**values), text.body.format(**values))


# -- opening a draft ---------------------------------------------------------------------------------
def open_mailto(draft: Draft) -> str:
    """Open the draft in the mail client: through OPTOUT_OPENER (a command, given the URL as its last
    argument) when set, else the system's handler (xdg-open, open, start). Returns the URL."""
    url = draft.mailto()
    opener = os.environ.get("OPTOUT_OPENER")
    try:
        if opener:
            how, code = opener, subprocess.run([*shlex.split(opener), url], check=False, timeout=60).returncode
        else:
            import click

            how, code = "the system's mail handler", click.launch(url)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        how, code = f"{opener or 'the system handler'} ({exc.__class__.__name__})", -1
    if code != 0:
        raise OptoutError(f"could not open a mail client ({how} answered {code}): copy the email printed above")
    return url

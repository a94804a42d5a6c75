"""A setting of kind `form`: a request sent once, with the right option, under the member's name.

A form is a legal request, so the rules are strict:
- sent once: before the Submit click a marker says "submitting" (optout/sent.py), after it "sent"
  or "unconfirmed"; a run that finds the marker or a ledger row of the submission sends nothing
  without --resend, whatever happened to the ledger;
- the right option: a choice list with `pick` words is answered only when one option is singled
  out by them; otherwise a person decides (needs_human) and nothing is sent;
- never under a made-up name: a value the page prefills is kept, any other comes from the account
  or the flow's defaults; a value missing for a required field sends nothing and says how to set it;
- proof of what was sent: a screenshot of the filled form just before Submit (its path and SHA-256
  in the result's details, which the ledger hashes), and the confirmation as the row's proof;
- the confirmation is recognised by its words or by the form's structure (the form gave way to a
  page without an error), so a form in another language is confirmed too; a submission whose
  answer is neither is "unconfirmed": recorded as such, never sent again on its own.

Nothing here names a platform: words and locators come from the flow.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from loguru import logger

from optout import config, locate, proof, sent
from optout.browser import LONG, NORMAL
from optout.clock import iso_utc, now_utc
from optout.errors import ExitCode, OptoutError, Unavailable
from optout.flow import FormField, Locator, OptionWords, Setting
from optout.ledger import Result

Record = Callable[..., Any]  # Runner._record

# -- telling options apart by their words ------------------------------------------------------------
WANTED, WRONG, UNCLEAR, OFF_TOPIC = "wanted", "wrong", "unclear", "off-topic"


def words(text: str) -> list[str]:
    """Whole words, folded: case and accents ignored, apostrophes and hyphens split words
    ("d'IA" -> d, ia; "non-generative" -> non, generative; "don't" -> don, t)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


def _at(tokens: list[str], phrases: list[list[str]]) -> list[tuple[int, int]]:
    """(start, end) of every place where one of `phrases` stands in `tokens`."""
    spans = []
    for phrase in phrases:
        size = len(phrase)
        spans += [(i, i + size) for i in range(len(tokens) - size + 1) if phrase and tokens[i:i + size] == phrase]
    return spans


def _follows(first: list[tuple[int, int]], then: list[tuple[int, int]], window: int) -> bool:
    """Whether a span of `then` starts at most `window` words after the end of a span of `first`."""
    return any(0 <= start - end < window for _, end in first for start, _ in then)


def classify(option: str, by: OptionWords) -> str:
    """What an option is, as the flow's words tell: wanted, wrong, unclear or off-topic."""
    tokens = words(option)
    about = _at(tokens, [words(w) for w in by.about])
    if not about:
        return OFF_TOPIC
    wrong = _at(tokens, [words(w) for w in by.wrong])
    negations = _at(tokens, [words(w) for w in by.negations])
    plain_wrong = [span for span in wrong if not _follows(negations, [span], by.window)]
    wanted = len(plain_wrong) < len(wrong) or _follows(_at(tokens, [words(w) for w in by.others]), about, by.window)
    if wanted and plain_wrong:
        return UNCLEAR  # both kinds in one option ("generative and non-generative AI")
    if wanted:
        return WANTED
    return WRONG if wrong else UNCLEAR


def decide(options: list[str], by: OptionWords) -> str | None:
    """The one option the words single out, or None when a person must choose.

    The one wanted option; with no wanted and no wrong one, the only option about the subject
    (there is nothing to tell apart); anything else (two wanted, a wrong one beside unclear ones,
    several unclear) is a guess, which a legal request must not be.
    """
    kinds = [(option, classify(option, by)) for option in options]
    wanted = [o for o, kind in kinds if kind == WANTED]
    if len(wanted) == 1:
        return wanted[0]
    if wanted:
        return None
    unclear = [o for o, kind in kinds if kind == UNCLEAR]
    if len(unclear) == 1 and not any(kind == WRONG for _, kind in kinds):
        return unclear[0]
    return None


# -- sending ---------------------------------------------------------------------------------------
@dataclass
class _Plan:
    """What will be typed and chosen, decided before anything on the page is touched."""

    fills: list[tuple[FormField, Any, str]] = field(default_factory=list)  # field, element, text
    picks: list[tuple[FormField, Any, list[str], bool]] = field(default_factory=list)  # …, texts, exact
    missing: list[str] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)


class NeedsChoice(Exception):
    """A choice list whose options the flow's words cannot tell apart."""

    def __init__(self, form_field: FormField, options: list[str]) -> None:
        super().__init__(form_field.key)
        self.field, self.options = form_field, options


class FormRun:
    """One form for one account: check it was not sent, plan, fill, prove, submit, confirm."""

    def __init__(self, session: Any, setting: Setting, record: Record, ledger: Any) -> None:
        self.session, self.setting, self.record, self.ledger = session, setting, record, ledger
        self.job = session.job
        self.flow = session.flow
        self.key = (self.flow.platform, self.job.account.user, setting.id)
        # A form sent to a replica or a staging host (--base-url) is not sent to the platform: its
        # marker and its ledger rows are that origin's own.
        self.marker = (config.origin_slug(self.flow.platform, self.job.base_url), *self.key[1:])

    # -- was it sent before? ---------------------------------------------------------------------
    def previous(self) -> dict[str, Any] | None:
        """The latest submission known from the marker or the ledger (the later of the two)."""
        marker = sent.read(*self.marker)
        row = self._ledger_row()
        if row is None:
            if marker is not None:
                marker = {**marker, "ledger_lost": True}
            return marker
        from_ledger = {"state": sent.SENT if row.details.get("confirmed", True) else sent.UNCONFIRMED,
                       "sent_at": row.details.get("sent_at") or row.at, "case": row.details.get("case"),
                       **({"code_pending": True} if row.details.get("code_pending") else {}),
                       **{k: row.details[k] for k in ("filled_proof", "filled_sha256") if k in row.details}}
        if marker is None or str(marker.get("sent_at") or "") < str(from_ledger["sent_at"]):
            if marker is None:  # the second place was lost: write it again from the ledger
                try:
                    sent.write(*self.marker, from_ledger)
                except OptoutError as exc:
                    logger.warning("{}: {}", self.flow.platform, exc)
            return from_ledger
        return marker

    def _ledger_row(self) -> Result | None:
        for row in reversed(self.ledger.history(*self.key, origin=self.job.base_url)):
            if "sent_at" in row.details or row.outcome == "changed":
                return row
        return None

    def command(self, *extra: str) -> str:
        words_ = ["optout", "run", self.flow.platform, "--account", self.job.account.user, "--setting",
                  self.setting.id, *extra]
        if self.job.base_url:
            words_ += ["--base-url", f"{self.flow.platform}={self.job.base_url}"]
        return shlex.join(words_)

    def already(self, before: dict[str, Any]) -> Any:
        at, case = before.get("sent_at") or before.get("at") or "at an unknown time", before.get("case")
        where = ""
        if before.get("ledger_lost"):
            where = f" (known from {sent.path(*self.marker)}: the ledger has no row of it)"
        if before.get("unreadable"):
            where = f" ({before['unreadable']}: taken as sent)"
        again = f"`{self.command('--resend')}` sends it again"
        details = {"sent_at": before.get("sent_at"), "case": case, "rechecked": False,
                   "confirmed": before.get("state") == sent.SENT}
        if before.get("state") == sent.SENT:
            outcome = "ok" if self.job.mode == "verify" else "already"
            message = (f"sent {at}" + (f", reference {case}" if case else "") + f"{where}; a sent form is not "
                       f"re-checked ({self.flow.title} does not show sent requests); {again}")
            return self.record(self.job, self.setting, outcome, None, message=message, details=details)
        if before.get("code_pending"):
            message = (f"submitted {at}{where}; {self.flow.title} asked for the code it emailed, which nobody typed: "
                       f"not sent again. `{self.command('--resend', '--headed')}` sends it again in a window where "
                       "you type the new code")
            return self.record(self.job, self.setting, "needs_human", None, message=message,
                               details={**details, "code_pending": True})
        message = (f"submitted {at}{where}, but no confirmation was recognised; not sent again: look for "
                   f"{self.flow.title}'s confirmation email, or {again}")
        return self.record(self.job, self.setting, "error", None, message=message, details=details)

    # -- the run ---------------------------------------------------------------------------------
    def run(self) -> Any:
        before = self.previous()
        if before is not None and not self.job.resend:
            return self.already(before)
        if self.job.mode == "verify" and not self.job.fix:
            return self.record(self.job, self.setting, "drifted", None,
                               message=f"not sent yet: `{self.command()}` sends it")
        session = self.session
        session.open_signed_in(self.setting.deep_link or "/")
        self.the_form_is_there()
        try:
            plan = self.plan()
        except NeedsChoice as choice:
            listed = " | ".join(f"«{o}»" for o in choice.options) or "none"
            message = (f"nothing sent: the form's '{choice.field.key}' list does not single out the right "
                       f"option ({listed}); send it yourself at {session.url(self.setting.deep_link or '/')}")
            return self.record(self.job, self.setting, "needs_human", session, message=message,
                               details={"options": choice.options})
        if plan.missing:
            return self.record(self.job, self.setting, "error", session, message=self.missing_message(plan.missing),
                               exit_code=ExitCode.USAGE, details={"missing": plan.missing})
        self.fill(plan)
        return self.submit(plan, before)

    def the_form_is_there(self) -> None:
        """The form's submit button shows; else Unavailable on a positive sign (`unavailable_if`
        shows, or none of `unavailable_if_none`: the platform's own live page without any form),
        else Broken (NotFound)."""
        session, browser, setting = self.session, self.session.browser, self.setting
        try:
            locate.find(browser, setting.submit, NORMAL, "the form's submit button")
            if session.signed_out():  # a sign-in drawn late: the form is sent as the member, or not at all
                session.open_signed_in(setting.deep_link or "/")
                locate.find(browser, setting.submit, NORMAL, "the form's submit button")
            return
        except locate.NotFound:
            status = browser.http_status()
            live = (status is None or status < 400) and not browser.network_error() and not session.signed_out()
            if not live or locate.present(browser, setting.moved_if):
                raise
            withheld = locate.present(browser, setting.unavailable_if) or (
                bool(setting.unavailable_if_none) and not locate.present(browser, setting.unavailable_if_none))
            if not withheld:
                raise
        raise Unavailable(f"{self.flow.title} does not offer the {setting.title} to this account: its page "
                          f"({browser.path()}) has no form")

    def values(self) -> dict[str, str]:
        """Template values: the flow's defaults and the account's own fields; of what the account
        implies, only the email it signs in with, never a name."""
        user = self.job.account.user
        implied = {"user": user, **({"email": user} if "@" in user else {})}
        own = {k: v for k, v in self.job.account.fields.items() if str(v).strip()}
        return {**implied, **self.flow.defaults, **own}

    def plan(self) -> _Plan:
        plan, values, browser = _Plan(), self.values(), self.session.browser
        for form_field in self.setting.fields:
            element = self._element(form_field)
            if element is None:
                continue
            if form_field.pick is not None:
                options = browser.options(element)
                chosen = decide(options, form_field.pick)
                if chosen is None:
                    raise NeedsChoice(form_field, options)
                plan.picks.append((form_field, element, [chosen], True))
                plan.chosen[form_field.key] = chosen
            elif form_field.choose:
                plan.picks.append((form_field, element, form_field.choose, False))
            elif form_field.keep_prefilled and browser.value(element).strip():
                logger.info("{}: the form's '{}' is prefilled: kept", self.flow.platform, form_field.key)
            else:
                lacking = [k for k in form_field.template_keys() if k not in values]
                if lacking:
                    if form_field.required:
                        plan.missing += [k for k in lacking if k not in plan.missing]
                    continue
                plan.fills.append((form_field, element, (form_field.value or "").format_map(values)))
        return plan

    def _element(self, form_field: FormField) -> Any:
        browser = self.session.browser
        if form_field.optional:
            found, _ = locate.probe(browser, form_field.locate)
            if found is None:
                logger.info("{}: the form has no '{}' field here", self.flow.platform, form_field.key)
            return found.element if found else None
        return locate.find(browser, form_field.locate, NORMAL, f"the form's '{form_field.key}' field").element

    def missing_message(self, missing: list[str]) -> str:
        # `--set KEY` without a value asks for it: the command works as printed and sends no placeholder
        sets = " ".join(f"--set {k}" for k in missing)
        command = f"optout account {shlex.quote(self.flow.platform)} {shlex.quote(self.job.account.user)} {sets}"
        return (f"nothing sent: the {self.setting.title} needs your {', '.join(missing)}, which the page did not "
                f"fill in and the account does not give: run `{command}` and type it, then run again")

    def fill(self, plan: _Plan) -> None:
        browser = self.session.browser
        for form_field, element, texts, exact in plan.picks:
            if browser.choose(element, texts, exact) is None:
                raise OptoutError(f"the form's '{form_field.key}' list has none of: {', '.join(texts)}")
        for _, element, text in plan.fills:
            browser.fill(element, text)

    # -- submitting ------------------------------------------------------------------------------
    def submit(self, plan: _Plan, before: dict[str, Any] | None) -> Any:
        session, browser, setting = self.session, self.session.browser, self.setting
        at = now_utc()
        filled = proof.save_proof(browser.screenshot_png(), platform=self.flow.platform,
                                  account=self.job.account.user, setting=setting.id, title=setting.title,
                                  outcome="filled", state=None, url=browser.url(), at=at)
        facts: dict[str, Any] = {"state": sent.SUBMITTING, "sent_at": iso_utc(at), "filled_proof": str(filled.path),
                                 "filled_sha256": filled.sha256, "chosen": plan.chosen}
        if before is not None:
            facts["previous"] = {k: v for k, v in before.items() if k != "previous"}
        sent.write(*self.marker, facts)  # before the click: from here on it may have gone out
        # Only a confirmation that was not on the page before the click counts ("case number" may
        # well stand in the form's help text).
        fresh = [c for c in setting.confirmation if not locate.present(browser, [c])] or setting.confirmation
        new_errors = [e for e in setting.form_errors if not locate.present(browser, [e])]
        browser.click(locate.find(browser, setting.submit, NORMAL, "the form's submit button").element)
        state = browser.wait_until(lambda: self._answer(fresh, new_errors), LONG, "the form's answer") or "unconfirmed"
        details = {k: facts[k] for k in ("sent_at", "filled_proof", "filled_sha256", "chosen")}
        if state == "code":
            if not self.job.headed:
                return self.code_pending(facts, details)
            state = self.wait_for_code(fresh, new_errors)
        shown = " ".join(browser.page_text().split())[:200]
        if state == "rejected":
            if before is not None:  # what was known before this attempt stands
                sent.write(*self.marker, {k: v for k, v in before.items() if k != "ledger_lost"})
            else:
                sent.clear(*self.marker)
            raise OptoutError(f"the {setting.title} was not accepted: {shown or 'the form came back'}")
        if state == "unconfirmed":
            sent.write(*self.marker, {**facts, "state": sent.UNCONFIRMED, "confirmed": False})
            message = (f"submitted, but no confirmation was recognised ({shown or 'nothing shown'}); not sent "
                       f"again: look for {self.flow.title}'s confirmation email, or "
                       f"`{self.command('--resend')}` sends it again")
            return self.record(self.job, setting, "error", session, message=message,
                               details={**details, "confirmed": False})
        case = self._reference(browser.page_text())
        done_facts = {**facts, "state": sent.SENT, "confirmed": True, "case": case}
        sent.write(*self.marker, done_facts)  # first: the ledger may be busy, or lost later
        message = "sent" + (f", reference {case}" if case else "") + "; confirmation shown"
        done = self.record(self.job, setting, "changed", session, message=message,
                           details={**details, "confirmed": True, **({"case": case} if case else {})})
        if done.result.proof:  # the confirmation's screenshot, beside the fact
            try:
                sent.write(*self.marker, {**done_facts, "proof": done.result.proof, "sha256": done.result.sha256})
            except OptoutError as exc:
                logger.warning("{}: {}", self.flow.platform, exc)
        return done

    def code_pending(self, facts: dict[str, Any], details: dict[str, Any]) -> Any:
        """The platform asks for a code it emailed to the member: sent, but not confirmed until a
        person types it. Recorded so (never sent again on its own), for a person."""
        step = self.setting.code_step
        assert step is not None
        sent.write(*self.marker, {**facts, "state": sent.UNCONFIRMED, "confirmed": False, "code_pending": True})
        message = (f"submitted; {step.say} Nobody can type it in an unattended run, so the request is not "
                   f"confirmed and is not sent again on its own: `{self.command('--resend', '--headed')}` sends it "
                   "again in a window where you type the new code")
        return self.record(self.job, self.setting, "needs_human", self.session, message=message,
                           details={**details, "confirmed": False, "code_pending": True})

    def wait_for_code(self, fresh: list[Locator], new_errors: list[Locator]) -> str:
        """A headed run: the person types the emailed code; then the form's answer as usual."""
        step, browser, wait = self.setting.code_step, self.session.browser, self.job.wait
        assert step is not None
        self.session.say(f"{self.flow.title} ({self.job.account.user}): {step.say} Type it in the browser "
                         f"window. Waiting up to {wait:g} s…")
        browser.wait_until(lambda: not locate.present(browser, step.detect), wait, "a person to type the code")
        return browser.wait_until(lambda: self._answer(fresh, new_errors, code_done=True), LONG,
                                  "the form's answer") or "unconfirmed"

    def _reference(self, text: str) -> str | None:
        if not self.setting.reference_pattern:
            return None
        match = re.search(self.setting.reference_pattern, text)
        return match.group(1) if match else None

    def _answer(self, fresh: list[Locator], new_errors: list[Locator], code_done: bool = False) -> str | None:
        """confirmed / rejected / unconfirmed once the page after the click says so; None meanwhile.

        Confirmed: a confirmation's words, or the form gave way to a page without an error (the
        structure of a confirmation in any language). Rejected: the form is back with an error (it
        was not taken). Unconfirmed: an error page (HTTP 4xx/5xx, a `transient` page, a page with a
        `form_errors` marker where the form was), or the sign-in form.
        """
        browser = self.session.browser
        form = [*self.setting.submit, *(loc for f in self.setting.fields for loc in f.locate)]
        code = self.setting.code_step.detect if self.setting.code_step and not code_done else []
        seen = locate.look(browser, {"confirmed": fresh, "error": new_errors, "form": form, "code": code,
                                     "transient": self.flow.transient, "signed_out": self.flow.signin.signed_out})
        if not seen.ready:
            return None
        if "code" in seen.present:
            return "code"  # a step asking for an emailed code (schema 3): sent, not yet confirmed
        status = browser.http_status()
        if (status is not None and status >= 400) or "transient" in seen.present:
            return "unconfirmed"
        if "confirmed" in seen.present:
            return "confirmed"
        if "form" in seen.present:
            return "rejected" if "error" in seen.present else None
        if "error" in seen.present or "signed_out" in seen.present:
            return "unconfirmed"  # the form is gone, but not for a confirmation
        return "confirmed"


def send(session: Any, setting: Setting, record: Record, ledger: Any) -> Any:
    """The runner's entry point for a setting of kind `form`."""
    return FormRun(session, setting, record, ledger).run()

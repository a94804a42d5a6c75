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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from loguru import logger

from optout import config, locate, proof, sent
from optout.browser import LONG, NORMAL
from optout.choices import decide
from optout.clock import iso_utc, now_utc
from optout.errors import Broken, ExitCode, OptoutError, Unavailable
from optout.flow import FormField, Locator, Setting, path_of
from optout.ledger import Result

Record = Callable[..., Any]  # Runner._record

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
        self.fresh_code: list[Locator] = []  # the code step's markers not on the form before Send
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
        self.reach_form()
        try:
            plan = self.plan()
        except NeedsChoice as choice:
            listed = " | ".join(f"«{o}»" for o in choice.options) or "none"
            message = (f"nothing sent: the form's '{choice.field.key}' list does not single out the right "
                       f"option ({listed}); send it yourself at {session.browser.url()}")
            return self.record(self.job, self.setting, "needs_human", session, message=message,
                               details={"options": choice.options})
        if plan.missing:
            return self.record(self.job, self.setting, "error", session, message=self.missing_message(plan.missing),
                               exit_code=ExitCode.USAGE, details={"missing": plan.missing})
        self.fill(plan)
        return self.submit(plan, before)

    def reach_form(self) -> None:
        """The form, by the deep link, then each click path. Unavailable on a positive sign from a
        route (`unavailable_if` shows, or none of `unavailable_if_none`: the platform's own live page
        without any form) when no route shows a `moved_if` marker; else Broken."""
        session, setting = self.session, self.setting
        routes: list[tuple[str, Any]] = []
        if setting.deep_link:
            routes.append(("deep link", lambda: session.open_signed_in(setting.deep_link or "/")))
        for number, steps in enumerate(setting.click_paths, 1):
            routes.append((f"click path {number}", lambda steps=steps: session.follow(steps, setting)))
        reasons, verdicts = [], set()
        for name, go in routes:
            try:
                go()
                self._submit_shown()
                return
            except locate.NotFound as exc:
                reasons.append(f"{name}: {exc}")
                verdicts.add(self._why_no_form())
                logger.warning("{}: {}: {} did not reach the form", self.flow.platform, setting.id, name)
        if "withheld" in verdicts and "moved" not in verdicts:
            raise Unavailable(f"{self.flow.title} does not offer the {setting.title} to this account: its page "
                              f"({session.browser.path()}) has no form")
        raise Broken(f"the {setting.title} was not found: " + " | ".join(reasons))

    def _submit_shown(self) -> None:
        session, browser, setting = self.session, self.session.browser, self.setting
        locate.find(browser, setting.submit, NORMAL, "the form's submit button")
        if session.signed_out():  # a sign-in drawn late: the form is sent as the member, or not at all
            session.sign_in()
            session.open_signed_in(setting.deep_link or browser.path())
            locate.find(browser, setting.submit, NORMAL, "the form's submit button")

    def _why_no_form(self) -> str:
        """withheld / moved / missing: what the page a route ended on says of the form it lacks."""
        session, browser, setting = self.session, self.session.browser, self.setting
        status = browser.http_status()
        if (status is not None and status >= 400) or browser.network_error() or session.signed_out():
            return "missing"
        if locate.present(browser, setting.moved_if):
            return "moved"
        if locate.present(browser, setting.unavailable_if):
            return "withheld"
        # a page without any form says "not offered" only at the form's own address: a route that
        # ended elsewhere (a sign-in that lost its way) says nothing of the form
        at_form = setting.deep_link is not None and \
            browser.path().rstrip("/") == urlsplit(path_of(setting.deep_link)).path.rstrip("/")
        if setting.unavailable_if_none and at_form and not locate.present(browser, setting.unavailable_if_none):
            return "withheld"
        return "missing"

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
        for form_field, element, text in plan.fills:
            if browser.tag(element) == "select":  # a list takes the value as the option's text
                if browser.choose(element, [text], True) is None:
                    raise OptoutError(f"the form's '{form_field.key}' list has no option «{text}»: set the "
                                      f"account's {', '.join(form_field.template_keys()) or 'value'} as the "
                                      "form writes it")
                continue
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
        # a code step's words may stand in the form's own help text: only what appears after the click
        # (if all of them stood there already, all count: never a code step taken for a confirmation)
        self.fresh_code = ([c for c in setting.code_step.detect if not locate.present(browser, [c])]
                           or setting.code_step.detect) if setting.code_step else []
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
        code = self.fresh_code if not code_done else []
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

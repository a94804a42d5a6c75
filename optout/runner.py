"""One flow for one account: sign in -> open -> read -> change -> reload and verify -> proof.

The runner never names a platform: everything it knows of one comes from the flow file. A
Session (optout/session.py) reaches each setting's control; the setting's kind names the code that acts on it in
the registry of optout/kinds.py (a toggle, optout/toggle.py: read before touching, act only when
the state differs, success only after a reload shows the wanted state; a form, optout/forms.py:
sent once). Transient faults (5xx, timeouts, nodes replaced under us) are retried (optout/retry.py),
bounded and logged; nothing else is retried. An error whose class `stops_account` ends the
account's remaining settings too. Each setting ends as one Result with a screenshot, its SHA-256
and a ledger row.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from loguru import logger

from optout import bundle, each, kinds, logs, outcomes, proof
from optout.clock import iso_utc, now_utc
from optout.errors import ExitCode, OptoutError
from optout.flow import Setting
from optout.ledger import Ledger, Result
from optout.session import Job, Mode, Session

__all__ = ["Done", "Job", "Mode", "Runner", "Session", "command_for", "overall_exit"]


@dataclass(frozen=True)
class Done:
    result: Result
    exit_code: ExitCode


class Runner:
    """Runs jobs: one Session per job, one Result per setting, every Result in the ledger."""

    def __init__(self, ledger: Ledger, say: Callable[[str], None] = lambda text: None,
                 run_id: int | None = None) -> None:
        self.ledger = ledger
        self.say = say
        self.run_id = run_id

    def run(self, job: Job) -> list[Done]:
        settings = [s for s in job.flow.settings if not job.settings or s.id in job.settings]
        session = Session(job, self.say)
        done: list[Done] = []
        # An error that stops the account (`stops_account`: a failed sign-in, a configuration error
        # such as keyring, password, account fields) stands for every setting after it: they are not
        # tried, and the reason is said once (by the caller, or in the log for a sign-in), each
        # setting's row carrying it for `status`.
        blocker: OptoutError | None = None
        try:
            for number, setting in enumerate(settings, 1):
                session.last_use = (number == len(settings) and setting.each is None
                                    and setting.kind in kinds.RECORD_IS_LAST)
                if setting.status == "broken":
                    logger.warning("{}: {} is marked broken in its flow: skipped", job.flow.platform, setting.id)
                    done.append(self._record(job, setting, "broken", message="marked broken in the flow file"))
                    continue
                if blocker is not None:
                    done.append(self._failure(job, setting, blocker, None, repeated=True))
                    continue
                try:
                    done.extend(self._one(session, setting))
                except each.Stopped as stopped:  # some objects were done before an error stopped the account
                    done.extend(stopped.done)
                    blocker = stopped.error
                    done.append(self._failure(job, setting, stopped.error, session))
                except OptoutError as exc:
                    if exc.stops_account:
                        blocker = exc
                    done.append(self._failure(job, setting, exc, session))
                except Exception as exc:  # noqa: BLE001 - one setting's surprise must not lose the rest
                    logger.opt(exception=exc).debug("{}: {}: unexpected failure", job.flow.platform, setting.id)
                    done.append(self._failure(job, setting, OptoutError(f"{type(exc).__name__}: {exc}"), session))
        finally:
            session.close()
        return done

    def login(self, job: Job) -> str:
        """Sign in with a person at hand, so the kept profile serves the headless runs after it.

        Nothing is checked or changed, so nothing goes to the ledger; errors are raised.
        """
        session = Session(job, self.say)
        try:
            session.open_signed_in(job.flow.home)
            return (f"{job.flow.title}: signed in as {job.account.user}; the session is kept in "
                    f"{session.profile}")
        finally:
            session.close()

    # -- one setting ------------------------------------------------------------------------------
    def _one(self, session: Session, setting: Setting) -> list[Done]:
        """The setting's kind names its handler in the registry (optout/kinds.py): a toggle is
        ensured (optout/toggle.py), a form sent once (optout/forms.py); a setting of every object
        of a list (`each`) once per object (optout/each.py)."""
        handler = kinds.handler(setting.kind)
        if setting.each is not None:
            return each.ensure_all(session, setting, handler, self._record, self._failure, self.ledger)
        return [handler(session, setting, self._record, self.ledger)]

    # -- results ----------------------------------------------------------------------------------
    def _failure(self, job: Job, setting: Setting, exc: OptoutError, session: Session | None,
                 repeated: bool = False) -> Done:
        message = logs.redact(str(exc))
        # Said once: a configuration error is the command's last word (cli), a blocker's repeat is not logged.
        said_elsewhere = repeated or exc.exit_code == ExitCode.USAGE
        (logger.debug if said_elsewhere else logger.warning)(
            "{}: {} ({}): {}", job.flow.platform, setting.id, exc.outcome, message)
        if exc.outcome == "broken" and session is not None and session.started:
            message = f"{message} — {self._bundle(job, setting, session, message)}"
        return self._record(job, setting, exc.outcome, session, message=message, exit_code=exc.exit_code,
                            said=said_elsewhere)

    def _bundle(self, job: Job, setting: Setting, session: Session, reason: str) -> str:
        try:
            saved = bundle.save_bundle(
                platform=job.flow.platform, account=job.account.user, setting=setting.id,
                url=session.browser.url(), reason=reason, dom=session.browser.dom_without_values(),
                screenshot=session.browser.screenshot_png(), at=now_utc())
        except OptoutError as exc:
            return f"no breakage bundle ({exc})"
        self.say(f"optout: {job.flow.platform} {setting.id}: {saved.how_to_report()}")
        return f"bundle: {saved.folder}"

    def _record(self, job: Job, setting: Setting, outcome: str, session: Session | None = None, *,
                before: str | None = None, after: str | None = None, message: str = "",
                details: dict | None = None, proof_of: Result | None = None,
                exit_code: ExitCode | None = None, command: str | None = None, said: bool = False) -> Done:
        at = now_utc()
        path = sha = None
        if setting.object_name is not None:  # one object of a list (each): its name goes with the result
            details = {**(details or {}), "object": setting.object_name}
        if proof_of is not None:
            path, sha = proof_of.proof, proof_of.sha256  # the proof of the earlier submission stands
        elif session is not None and session.started:
            try:
                png = session.browser.screenshot_png()
                url = session.browser.url()
                if session.last_use:
                    session.quit_soon()  # nothing more to see: the browser ends while the proof is drawn
                named = setting.id if setting.object_name is None else f"{setting.id} {setting.object_name}"
                title = setting.title if setting.object_name is None else f"{setting.title} — {setting.object_name}"
                saved = proof.save_proof(png, platform=job.flow.platform, account=job.account.user,
                                         setting=named, title=title, outcome=outcome, state=after,
                                         url=url, at=at)
                path, sha = str(saved.path), saved.sha256
            except OptoutError as exc:
                logger.warning("{}: no screenshot for {}: {}", job.flow.platform, setting.id, exc)
        result = Result(platform=job.flow.platform, account=job.account.user, setting=setting.id,
                        outcome=outcome, before=before, after=after, proof=path, sha256=sha, at=iso_utc(at),
                        message=message, details=details or {}, command=command or job.mode, origin=job.base_url)
        try:
            self.ledger.record(result, self.run_id)  # a busy ledger journals it: never lost, never raised
        except OptoutError as exc:  # not even the journal could be written: the output still has it
            logger.error("{}: {}: {}", job.flow.platform, setting.id, exc)
        # `said`: the reason is the command's last word, or was logged for an earlier setting
        logger.info("{}: {}{}: {} ({})", job.flow.platform, setting.id,
                    f" [{setting.object_name}]" if setting.object_name else "", outcome,
                    "reason given once" if said else message or "-")
        code = exit_code if exit_code is not None else _exit_for(outcome)
        return Done(result, code)


def _exit_for(outcome: str) -> ExitCode:
    known = outcomes.parse(outcome)
    return known.exit_code if known else ExitCode.FAILED


def command_for(job: Job, verb: str, setting: str | None = None, *flags: str) -> str:
    """The exact command that repeats `verb` for this job's platform and account, to print."""
    words = ["optout", verb, job.flow.platform, "--account", job.account.user]
    if setting:
        words += ["--setting", setting]
    words += flags
    if job.base_url:
        words += ["--base-url", f"{job.flow.platform}={job.base_url}"]
    return " ".join(shlex.quote(w) for w in words)


def overall_exit(done: list[Done]) -> ExitCode:
    """2 for a configuration error, else 1 for any failure, else 3 if a person is needed, else 0."""
    codes = {d.exit_code for d in done}
    for code in (ExitCode.USAGE, ExitCode.FAILED, ExitCode.NEEDS_HUMAN):
        if code in codes:
            return code
    return ExitCode.OK

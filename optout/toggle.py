"""A setting of kind `switch` or `checkbox`: ensure a toggle shows the wanted state.

Read the control before touching it (Consent-O-Matic's matcher) and act only when its state
differs from the wanted one; after a click, let the save finish, reload, and read the control
again: success is claimed only when the reloaded page shows the wanted state. A change that does
not hold is tried again, CHANGE_ATTEMPTS times in all, then ends as ChangeDidNotHold ("failed").
`verify` only reads ("ok" or "drifted"), `verify --fix` changes like `run`. Nothing here names a
platform: the control and where its state is read come from the flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loguru import logger

from optout import locate
from optout.browser import NORMAL, SHORT
from optout.errors import Broken, ChangeDidNotHold
from optout.flow import Setting
from optout.retry import retrying

if TYPE_CHECKING:
    from optout.runner import Done, Session

Record = Any  # Runner._record, as optout/kinds.py passes it

CHANGE_ATTEMPTS = 3  # a save that fails once is retried; one that never holds ends as "failed"


def ensure(session: Session, setting: Setting, record: Record, ledger: Any = None) -> Done:
    """The registry's handler (optout/kinds.py) for a toggle; `ledger` is unused here."""
    # the runner calls its handlers only once it is loaded: this import is no cycle, and keeps
    # this module's imports pointing away from the runner when it is loaded first
    from optout.runner import command_for

    job, browser = session.job, session.browser
    found = session.reach_control(setting)
    before = _read(session, setting, found)
    if before == setting.want:
        outcome = "ok" if job.mode == "verify" else "already"
        return record(job, setting, outcome, session, before=before, after=before)
    if job.mode == "verify" and not job.fix:
        return record(job, setting, "drifted", session, before=before, after=before,
                      message=f"found {before} again: `{command_for(job, 'verify', setting.id, '--fix')}` "
                              "switches it back off")
    after = before
    for attempt in range(1, CHANGE_ATTEMPTS + 1):
        _click_control(session, setting)
        # The page shows the new state at once; its save goes out in the background: let it.
        browser.wait_until(lambda: _read_now(session, setting) == setting.want, SHORT, "the control to move")
        browser.wait_until(browser.network_idle, NORMAL, "the save to finish")
        session.reload()
        found = _after_reload(session, setting)
        after = _read(session, setting, found)
        if after == setting.want:
            message = "switched off and verified after a reload" if attempt == 1 else \
                f"switched off and verified after a reload (attempt {attempt})"
            return record(job, setting, "changed", session, before=before, after=after, message=message)
        logger.warning("{}: {}: still {} after a reload (attempt {}/{})", job.flow.platform, setting.id,
                       after, attempt, CHANGE_ATTEMPTS)
    raise ChangeDidNotHold(f"'{setting.title}' was {after} again after each reload "
                           f"({CHANGE_ATTEMPTS} attempts): the platform did not keep the change")


def _after_reload(session: Session, setting: Setting) -> locate.Found:
    """The control again after a reload: waited for where it was (it may render late), or
    reached anew when the reload ended the session."""
    if session.signed_out():
        session.sign_in()
        return session.reach_control(setting)
    try:
        return locate.find(session.browser, setting.control, NORMAL, f"the {setting.title} control")
    except locate.NotFound:
        return session.reach_control(setting)


def _click_control(session: Session, setting: Setting) -> None:
    for attempt in retrying("clicking the control"):
        with attempt:  # a re-rendered node is found again and clicked again
            found = locate.find(session.browser, setting.control, NORMAL, f"the {setting.title} control")
            session.browser.click(found.element)


def _read_now(session: Session, setting: Setting) -> str | None:
    found, _ = locate.probe(session.browser, setting.control)
    return session.browser.read_state(found.element, setting.state_from) if found else None


def _read(session: Session, setting: Setting, found: locate.Found) -> str:
    for attempt in retrying("reading the control"):
        with attempt:
            if attempt.retry_state.attempt_number > 1:  # the node was replaced under us: find it anew
                found = locate.find(session.browser, setting.control, NORMAL, f"the {setting.title} control")
            state = session.browser.read_state(found.element, setting.state_from)
            if state is None:
                found = locate.find(session.browser, setting.control, NORMAL, f"the {setting.title} control")
                state = session.browser.read_state(found.element, setting.state_from)
    if state is None:
        raise Broken(f"the {setting.title} control shows no state ({', '.join(setting.state_from)})")
    return state

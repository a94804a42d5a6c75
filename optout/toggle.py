"""A setting of kind `switch`, `checkbox` or `menu`: ensure a toggle shows the wanted state.

Read the control before touching it (Consent-O-Matic's matcher) and act only when its state
differs from the wanted one; after a click, let the save finish, reload, and read the control
again: success is claimed only when the reloaded page shows the wanted state. A change that does
not hold is tried again, CHANGE_ATTEMPTS times in all, then ends as ChangeDidNotHold ("failed").
`verify` only reads ("ok" or "drifted"), `verify --fix` changes like `run`. A `menu` setting
(schema 3) acts through the menu its control opens: the flow's `menu_item`, never the item that
also deletes history (`menu_item_delete`) unless the user asked for it (--delete-activity); a
`confirm` ("Got it") that follows is pressed. Nothing here names a platform: the control, its menu
and where its state is read come from the flow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from loguru import logger

from optout import locate, state
from optout.browser import NORMAL, SHORT
from optout.errors import Broken, ChangeDidNotHold
from optout.flow import Setting
from optout.retry import retrying

if TYPE_CHECKING:
    from optout.runner import Done
    from optout.session import Session

Record = Any  # Runner._record, as optout/kinds.py passes it

CHANGE_ATTEMPTS = 3  # a save that fails once is retried; one that never holds ends as "failed"


def ensure(session: Session, setting: Setting, record: Record, ledger: Any = None) -> Done:
    """The registry's handler (optout/kinds.py) for a toggle; `ledger` is unused here."""
    # the runner calls its handlers only once it is loaded: this import is no cycle, and keeps
    # this module's imports pointing away from the runner when it is loaded first
    from optout.runner import command_for

    job, browser = session.job, session.browser
    found = session.reach_control(setting)
    if session.signed_out():
        # markers drawn by script after the load: a visitor's own copy of the control (kept per
        # browser) is never read or changed for the account's
        session.sign_in()
        found = session.reach_control(setting)
    before, found = _read(session, setting, found)
    answered = session.take_modal_notes()  # a dialog over the page carried the same choice
    if before == setting.want and answered:
        # the dialog's answer changed it: claimed only once a reload shows it (modals: optout/modals.py)
        session.reload()
        after, found = _read(session, setting, _after_reload(session, setting))
        if after == setting.want:
            return record(job, setting, "changed", session, before="on" if setting.want == "off" else "off",
                          after=after, message="; ".join(answered) + "; verified after a reload",
                          details={"dialogs": answered})
        before = after
    if before == setting.want:
        outcome = "ok" if job.mode == "verify" else "already"
        return record(job, setting, outcome, session, before=before, after=before)
    if job.mode == "verify" and not job.fix:
        return record(job, setting, "drifted", session, before=before, after=before,
                      message=f"found {before} again: `{command_for(job, 'verify', setting.id, '--fix')}` "
                              f"switches it back {setting.want}")
    after = before
    for attempt in range(1, CHANGE_ATTEMPTS + 1):
        _click_control(session, setting, found)
        if setting.kind == "menu":
            _choose_from_menu(session, setting)
        # The page shows the new state at once; its save goes out in the background: let it.
        browser.wait_until(lambda: _read_now(session, setting) == setting.want, SHORT, "the control to move")
        _confirm_if_asked(session, setting)
        browser.wait_for_save(NORMAL, "the save to finish")
        session.reload()
        after, found = _read(session, setting, _after_reload(session, setting))
        if after == setting.want:
            message = f"switched {setting.want} and verified after a reload" + (
                f" (attempt {attempt})" if attempt > 1 else "")
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
        return session.find_control(setting)
    except locate.NotFound:
        return session.reach_control(setting)


def _click_control(session: Session, setting: Setting, found: locate.Found | None = None) -> None:
    """Click the control (or choose its state from its list). `found`: the control as just read,
    clicked as it is on the first try when no dialog of the flow can come over it; a try again
    (a re-rendered node) finds it anew, after answering any dialog."""
    for attempt in retrying("clicking the control"):
        with attempt:  # a re-rendered node is found again and clicked again, a dialog answered first
            if found is None or session.flow.modals or attempt.retry_state.attempt_number > 1:
                found = session.find_control(setting)
            # the save this click (or choice) sends is waited for, not a guessed pause
            if (found.tag or session.browser.tag(found.element)) == "select":
                session.browser.mark_network()
                _choose_state(session, setting, found.element)
            else:
                session.browser.click(found.element, mark_network=True)


def _choose_state(session: Session, setting: Setting, element: object) -> None:
    """A control that is a list (schema 4): the one option whose words say the wanted state."""
    browser = session.browser
    words = setting.state_text
    options = browser.options(element)
    fitting = [o for o in options if words is not None and state.from_text(o, words) == setting.want]
    if len(fitting) != 1:
        listed = " | ".join(f"«{o}»" for o in options) or "none"
        raise Broken(f"the {setting.title} list has {'no' if not fitting else 'more than one'} option that "
                     f"says {setting.want} ({listed})")
    browser.choose(element, fitting, True)


def _choose_from_menu(session: Session, setting: Setting) -> None:
    """The menu (or dialog) the control opened: its item for the wanted state. The item that also
    deletes history only when asked: deleting was not what opting out means."""
    browser = session.browser
    items = setting.menu_item_delete if session.job.delete_activity and setting.menu_item_delete \
        else setting.menu_item
    for attempt in retrying("choosing from the menu"):
        with attempt:  # a menu re-rendered as it opens is looked for again
            found = locate.find(browser, items, NORMAL, f"the menu item of {setting.title}")
            browser.click(found.element)
    logger.info("{}: {}: chose «{}» from its menu", session.flow.platform, setting.id,
                found.locator.describe())


def _confirm_if_asked(session: Session, setting: Setting) -> None:
    """A confirmation ("Got it") some releases show after the change: pressed when it shows."""
    if not setting.confirm:
        return
    browser = session.browser
    shown = browser.wait_until(lambda: locate.present(browser, setting.confirm) or browser.network_settled(),
                               SHORT, "a confirmation")
    found, _ = locate.probe(browser, setting.confirm) if shown else (None, "")
    if found is not None:
        browser.mark_network()
        browser.click(found.element)
        # a dialog closes; a page's Save button may stay: its request ending is enough (the reload judges)
        browser.wait_until(lambda: not locate.present(browser, setting.confirm) or browser.network_settled(),
                           NORMAL, "the confirmation to be taken")


def _read_now(session: Session, setting: Setting) -> str | None:
    found, _ = locate.probe(session.browser, setting.control)
    return _state(session, setting, found.element) if found else None


def _state(session: Session, setting: Setting, element: object) -> str | None:
    return state.read(session.browser, element, setting.state_from, setting.state_text)


def _read(session: Session, setting: Setting, found: locate.Found) -> tuple[str, locate.Found]:
    """The control's state, and the control it was read from (found anew when `found` was replaced)."""
    for attempt in retrying("reading the control"):
        with attempt:
            if attempt.retry_state.attempt_number > 1:  # the node was replaced under us: find it anew
                found = locate.find(session.browser, setting.control, NORMAL, f"the {setting.title} control")
            now = _state(session, setting, found.element)
            if now is None:
                found = locate.find(session.browser, setting.control, NORMAL, f"the {setting.title} control")
                now = _state(session, setting, found.element)
    if now is None:
        raise Broken(f"the {setting.title} control shows no state ({', '.join(setting.state_from)})")
    return now, found

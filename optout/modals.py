"""Dialogs a platform puts over any page that carry the same choice as a setting (schema 3).

A terms update may ask again whether to allow training, with the choice pre-set on. Such a dialog
is answered only with its choice set to what the flow wants, read back before the dialog is closed;
a dialog whose choice cannot be found or will not move is never accepted: a person answers it
(needs_human). A read-only `verify` answers nothing: a dialog asking again is a drift. Nothing here
names a platform: the dialog, its choice and its button come from the flow's `modals`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loguru import logger

from optout import locate, state
from optout.browser import NORMAL, SHORT
from optout.errors import Drifted, NeedsHuman
from optout.flow import Modal

if TYPE_CHECKING:
    from optout.session import Session


def answer(session: Session) -> list[str]:
    """Answer every modal of the flow that shows now; returns what was done, for the result."""
    done: list[str] = []
    for modal in session.flow.modals:
        found, _ = locate.probe(session.browser, modal.detect)
        if found is not None:
            done.append(_answer_one(session, modal, found.element))
    return done


def _answer_one(session: Session, modal: Modal, dialog: object) -> str:
    browser, job, title = session.browser, session.job, session.flow.title
    later = f"run `{session.login_command()}` and answer it there"
    if job.mode == "verify" and not job.fix:
        raise Drifted(f"{title} asks again in a dialog ({modal.say.rstrip('.')}); "
                      f"`optout verify {session.flow.platform} --fix` answers it {modal.want}")
    try:
        choice = locate.find(browser, modal.control, NORMAL, "the dialog's choice", root=dialog)
    except locate.NotFound as exc:
        raise NeedsHuman(f"{modal.say} Its choice could not be found, so it was not accepted ({exc}); "
                         f"{later}.") from None
    before = state.read(browser, choice.element, modal.state_from, modal.state_text)
    if before is None:  # clicking a choice of unknown state could just as well turn it on
        raise NeedsHuman(f"{modal.say} Its choice shows no state, so it was not touched; {later}.")
    if before != modal.want:
        browser.click(choice.element)
        moved = browser.wait_until(
            lambda: _read(session, modal, dialog) == modal.want, SHORT, "the dialog's choice to move")
        if not moved:
            raise NeedsHuman(f"{modal.say} Its choice did not turn {modal.want}, so it was not accepted; {later}.")
    button = locate.find(browser, modal.submit, NORMAL, "the dialog's button", root=dialog)
    browser.mark_network()
    browser.click(button.element)
    browser.wait_until(lambda: not locate.present(browser, modal.detect), NORMAL, "the dialog to close")
    browser.wait_for_save(NORMAL, "the dialog's answer to be saved")
    what = f"answered a dialog with its choice {modal.want} (it was {before})"
    logger.info("{}: {}", session.flow.platform, what)
    return what


def _read(session: Session, modal: Modal, dialog: object) -> str | None:
    found, _ = locate.probe(session.browser, modal.control, root=dialog)
    return state.read(session.browser, found.element, modal.state_from, modal.state_text) if found else None

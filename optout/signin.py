"""Signing in: the form, then whatever the platform shows after the password, bounded.

A sign-in is one form, or screens: after the username's "Next", the password or a check shows
(an identity check asking for the username again is answered; a code sent by email is for a
person, after which a passwordless platform is signed in). Every secret (username, password, a
code from the stored TOTP secret, and any other code a flow may one day type) goes through
`type_secret`, the one place that types one. It checks the origin
of the page and of the field itself immediately before typing, and once more after: on any origin
other than the session's allowed ones (the flow's `origins`, or the single `--base-url` origin) it
raises ForeignOrigin, whose message names the origin and never the secret. A page that starts to
leave when its field is focused (a hijacked script sending the visitor to a look-alike) gets
nothing: the page it goes to is judged instead. Nor is a person asked to pass a check shown on
another origin. Nothing here names a platform.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from loguru import logger

from optout import locate, logs
from optout.browser import LONG, NORMAL
from optout.errors import Broken, ForeignOrigin, NeedsHuman, OptoutError, SignInRejected, Transient
from optout.flow import Challenge, Locator, SignIn

if TYPE_CHECKING:
    from optout.session import Session

MAX_SIGN_INS = 2  # per command and account: a platform that keeps signing us out is an error
# A mark on the page the password is sent from: a new document has none.
_MARK_PAGE = "window.__optoutPasswordSent = true;"
_PAGE_MARKED = "return window.__optoutPasswordSent === true;"
# Before a field gets the focus, the page is watched for leaving: a navigation a script starts
# on that focus (or on the blur of the field before) is seen even before the new page commits.
_WATCH_AND_FOCUS = (
    "window.__optoutLeaving = false;"  # anew for each field: a cancelled navigation does not linger
    "if (!window.__optoutWatching) { window.__optoutWatching = true;"
    " addEventListener('beforeunload', () => { window.__optoutLeaving = true; }, true); }"
    "arguments[0].focus();")
# The field's frame and the page it is on (null when a frame of another origin hides the top: then
# WebDriver is asked), and whether the field holds text (only then is it cleared: one request less).
_WHERE = ("const el = arguments[0]; let top = null;"
          "try { top = window.top.location.origin; } catch (e) { top = null; }"
          "return {origin: el.ownerDocument.location.origin, top: top, connected: el.isConnected,"
          " leaving: window.__optoutLeaving === true, empty: el.value === ''};")
_CONNECTED = "return arguments[0].isConnected;"


# -- the one way a secret is typed ----------------------------------------------------------------
def type_secret(session: Session, element: Any, secret: str, what: str) -> None:
    """Type `secret` into `element`, only while the page and the field are on an allowed origin.

    `what` names the secret for messages ("credentials", "verification code"), never its value.
    """
    browser = session.browser
    doing = f"type {session.flow.title} {what}"
    try:
        browser.run_js(_WATCH_AND_FOCUS, element)
    except OptoutError:
        _went_away(session, element, doing)
        raise
    where = _ensure_here(session, element, doing, what)  # immediately before the first key
    try:
        browser.fill(element, secret, clear=not (where or {}).get("empty"))
    except OptoutError:
        check_origin(session, doing)  # the page left while typing: judged where it went
        raise
    # Once more: a page that left as it was typed in (a script, or a form that sends itself when
    # the code is complete) may go on only to an allowed origin.
    _ensure_here(session, element, doing, what, typed=True)


def check_origin(session: Session, doing: str) -> None:
    """Raise ForeignOrigin unless the current page is on an allowed origin; `doing` is what is refused."""
    origin = session.browser.origin()
    if origin not in session.allowed_origins:
        raise _foreign(session, origin, doing)


def _ensure_here(session: Session, element: Any, doing: str, what: str,
                 typed: bool = False) -> dict[str, Any] | None:
    """Refuse unless the field and its page are on an allowed origin and the page stays there;
    what the page said of the field (None when it had gone on to another allowed page)."""
    try:
        where = session.browser.run_js(_WHERE, element)
    except OptoutError:  # the field's document is gone: the page moved on
        where = None
    if not where or where.get("leaving") or not where.get("connected"):
        _went_away(session, element, doing)
        if typed:
            return None  # typed on an allowed page, which went on to an allowed one
        raise Transient(f"the page changed before the {what} could be typed: nothing was typed")
    for origin in (where["origin"], where.get("top") or session.browser.origin()):  # the field's frame, the page
        if origin not in session.allowed_origins:
            raise _foreign(session, origin, doing)
    return where  # type: ignore[no-any-return]


def _went_away(session: Session, element: Any, doing: str) -> None:
    """The field's page is leaving or has left: wait for the next page, and refuse it if foreign."""
    browser = session.browser
    browser.wait_until(lambda: _gone(session, element) and browser.ready(), NORMAL, "the next page")
    check_origin(session, doing)


def _gone(session: Session, element: Any) -> bool:
    try:
        return not session.browser.run_js(_CONNECTED, element)
    except OptoutError:
        return True  # stale: its document was replaced


def _foreign(session: Session, origin: str, doing: str) -> ForeignOrigin:
    flow = session.flow
    allowed = ", ".join(sorted(session.allowed_origins))
    return ForeignOrigin(
        f"refusing to {doing} on {origin}: not the platform's origin ({allowed}); if this origin is "
        f"really yours, pass --base-url {flow.platform}={origin}")


# -- the sign-in --------------------------------------------------------------------------------------
def sign_in(session: Session) -> None:
    flow, browser = session.flow, session.browser
    signin = flow.signin
    if session.sign_ins >= MAX_SIGN_INS:
        raise OptoutError(
            f"{flow.title} keeps signing us out right after signing in ({session.sign_ins} sign-ins "
            f"in this command): try again later, or sign in by hand with `{session.login_command()}`")
    session.sign_ins += 1
    user = session.job.account.user
    logger.info("{}: signing in as {}", flow.platform, user)
    if not locate.present(browser, signin.username):
        session.goto(signin.url)
        if not session.signed_out() and locate.present(browser, signin.signed_in):
            return  # the kept profile was signed in after all
    if signin.start:  # a landing page whose "Log in" leads to the form (schema 3)
        shown = browser.wait_until(lambda: _first_shown(session, {"form": signin.username, "start": signin.start}),
                                   NORMAL, "the sign-in form")
        if shown == "start":
            check_origin(session, f"sign in to {flow.title}")
            browser.click(locate.find(browser, signin.start, NORMAL, "the button that opens the sign-in").element)
    check_origin(session, f"type {flow.title} credentials")  # before the password leaves the keyring
    username = locate.find(browser, signin.username, NORMAL, "the username field").element
    type_secret(session, username, user, "credentials")
    # "Next" only where the password is not on the same screen: one flow serves both (an unsure fact)
    if signin.next and not locate.present(browser, signin.password):
        browser.click(locate.find(browser, signin.next, NORMAL, "the Next button").element)
        if _after_username(session) == "signed_in":
            logger.info("{}: signed in", flow.platform)  # a code step a person passed: no password
            return
    field = locate.find(browser, signin.password, NORMAL, "the password field").element
    from optout import credentials  # the keyring, loaded only by commands that sign in (warmup.py)

    password = credentials.get_password(flow.platform, user)
    logs.register_secret(password)
    type_secret(session, field, password, "credentials")
    del password
    submit = locate.find(browser, signin.submit, NORMAL, "the sign-in button").element
    browser.run_js(_MARK_PAGE)  # gone once a new page loads: how "it moved on" is told
    browser.click(submit)
    if _after_password(session) == "signed_out":
        logger.warning("{}: signed out again right after signing in: signing in once more", flow.platform)
        sign_in(session)


def _after_username(session: Session) -> str:
    """The screens after the username's "Next": "password" once the password field shows, or
    "signed_in" when a step a person passed (a code sent by email) signed in without one. Checks
    in between are passed as after the password: an identity check is answered, a code typed from
    the stored TOTP secret, anything else is for a person."""
    flow, browser = session.flow, session.browser
    signin = flow.signin
    tries: dict[str, int] = {}
    while True:
        # a password field that shows wins over a challenge's words beside it ("a code was also sent")
        groups = {"rejected": signin.rejected, "password": signin.password, **_challenges(signin),
                  "signed_in": [loc for loc in signin.signed_in if loc.url is None]}  # its markers only
        state = browser.wait_until(lambda g=groups: _first_shown(session, g), LONG, "the next sign-in step")
        if state is None:
            raise Broken(f"after the username, {flow.title} showed neither a password field nor a known "
                         f"step (at {_path_only(browser.url())})")
        if state in ("password", "signed_in"):
            return state
        if state == "rejected":
            raise SignInRejected(
                f"{flow.title} did not accept the username {session.job.account.user}: check it with "
                f"`optout creds set {flow.platform} {session.job.account.user}`")
        _pass_challenge(session, signin.challenges[int(state.split(":")[1])], tries)


def _challenges(signin: SignIn) -> dict[str, list[Locator]]:
    """Each challenge's markers, named `challenge:INDEX`, in the flow's order (the first shown wins)."""
    return {f"challenge:{index}": challenge.detect for index, challenge in enumerate(signin.challenges)}


def _first_shown(session: Session, groups: dict[str, list[Locator]]) -> str | None:
    seen = locate.look(session.browser, groups)
    return seen.present[0] if seen.present else None


def _after_password(session: Session) -> str:
    """Wait for the sign-in to end: "signed_in", or "signed_out" when the platform showed its
    sign-in form again without an error (the session ended at once). Raises for the rest."""
    flow, browser = session.flow, session.browser
    signin = flow.signin
    tries: dict[str, int] = {}
    while True:
        groups = {"rejected": signin.rejected, **_challenges(signin), "signed_in": signin.signed_in}
        state = browser.wait_until(lambda g=groups: _signin_state(session, g), LONG, "the sign-in to end")
        if state is None:
            raise Broken(f"after the password, {flow.title} showed neither its signed-in page "
                         f"nor a known challenge (at {_path_only(browser.url())})")
        if state in ("signed_in", "signed_out"):
            if state == "signed_in":
                logger.info("{}: signed in", flow.platform)
            return state
        if state == "rejected":
            raise SignInRejected(
                f"{flow.title} rejected the password for {session.job.account.user}: store the right "
                f"one with `optout creds set {flow.platform} {session.job.account.user}`")
        _pass_challenge(session, signin.challenges[int(state.split(":")[1])], tries)


def _pass_challenge(session: Session, challenge: Challenge, tries: dict[str, int]) -> None:
    """Pass one check the platform shows during the sign-in, or raise for a person. `tries`
    counts the automatic answers per kind: a check that keeps coming back goes to a person."""
    flow, browser = session.flow, session.browser
    tried = tries.get(challenge.kind, 0)
    if challenge.kind == "totp" and tried < 2:
        from optout import credentials

        secret = credentials.get_totp_secret(flow.platform, session.job.account.user)
        if secret:
            tries["totp"] = tried + 1
            _enter_totp(session, challenge, secret)  # types through type_secret
            return
    if challenge.kind == "identity" and tried < 2:
        tries["identity"] = tried + 1
        _confirm_identity(session, challenge)  # types through type_secret
        return
    # Nothing clicked for, nor a person asked to pass, a check on another origin.
    check_origin(session, f"pass {flow.title}'s check ({challenge.kind})")
    if challenge.kind == "interstitial":
        browser.click(locate.find(browser, challenge.submit, NORMAL, challenge.kind).element)
        browser.wait_until(lambda c=challenge: not locate.present(browser, c.detect),
                           NORMAL, "the interstitial to go")
        return
    if challenge.kind == "app_approval" or session.job.headed:
        _wait_for_person(session, challenge)
        return
    raise NeedsHuman(f"{challenge.say} This needs a person: run `{session.login_command()}`, "
                     "then run this command again.")


def _confirm_identity(session: Session, challenge: Challenge) -> None:
    """An unusual-activity check asking for the username again: the account's, typed like any
    secret, then the step's button; the check must give way to another page."""
    browser = session.browser
    field = locate.find(browser, challenge.input, NORMAL, "the identity check's field").element
    type_secret(session, field, session.job.account.user, "username")
    browser.click(locate.find(browser, challenge.submit, NORMAL, "the identity check's button").element)
    logger.info("{}: answered an identity check with the account's username", session.flow.platform)
    browser.wait_until(lambda: _gone(session, field), NORMAL, "the identity check to go")


def _signin_state(session: Session, groups: dict[str, list[Locator]]) -> str | None:
    """Which known page the sign-in is on; 'signed_in' also when it simply went on elsewhere.

    Platforms send a member back to the page that asked for the sign-in (session_redirect),
    which need not carry the signed-in markers: a settled page that is neither the login
    form nor a challenge counts as signed in.
    """
    browser = session.browser
    watched = {**groups, "signed_out": session.flow.signin.signed_out}
    seen = locate.look(browser, watched)
    known = [name for name in seen.present if name != "signed_out"]
    if known:
        return known[0]
    if seen.ready and "signed_out" not in seen.present:
        return "signed_in"
    # The sign-in form again, no error: signed out at once, but only on a new, settled page
    # (right after the click the old form is still there, and an error may render late). The
    # page may change between two looks: the form is looked for again on the unmarked page.
    if seen.ready and not browser.run_js(_PAGE_MARKED):
        again = locate.look(browser, watched)
        if again.ready and again.present == ["signed_out"] and browser.network_idle():
            return "signed_out"
    return None


def _enter_totp(session: Session, challenge: Challenge, secret: str) -> None:
    import pyotp

    browser = session.browser
    logs.register_secret(secret)
    code = pyotp.TOTP(secret).now()
    logs.register_secret(code)
    # The code first: the first thing done on the page is the origin check of type_secret.
    field = locate.find(browser, challenge.input, NORMAL, "the code field").element
    type_secret(session, field, code, "verification code")
    remember = locate.probe(browser, challenge.remember)[0] if challenge.remember else None
    if remember is not None and browser.read_state(remember.element, ["checked"]) != "on":
        browser.click(remember.element)
    browser.click(locate.find(browser, challenge.submit, NORMAL, "the code's submit").element)
    logger.info("{}: verification code entered from the stored TOTP secret", session.flow.platform)
    browser.wait_until(lambda: not locate.present(browser, challenge.detect)
                       or locate.present(browser, session.flow.signin.signed_in), NORMAL,
                       "the code to be accepted")


def _wait_for_person(session: Session, challenge: Challenge) -> None:
    browser, wait = session.browser, session.job.wait
    if challenge.input:  # put the cursor where the person types the code
        found, _ = locate.probe(browser, challenge.input)
        if found is not None:
            browser.focus(found.element)
    session.say(f"{session.flow.title} ({session.job.account.user}): {challenge.say} "
                f"Waiting up to {wait:g} s…")
    gone = browser.wait_until(lambda: not locate.present(browser, challenge.detect), wait,
                              "a person to pass the check")
    if not gone:
        raise NeedsHuman(f"{challenge.say} Nobody did within {wait:g} s: run "
                         f"`{session.login_command()}` and try again.")


def _path_only(url: str) -> str:
    return urlsplit(url).path

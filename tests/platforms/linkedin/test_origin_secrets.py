"""Every secret is typed only on the platform's origin (issue 9, item 2).

The look-alike (tests/platforms/linkedin/foreign.py) records every request it gets and carries a keylogger
that POSTs whatever is typed into its fields at once, so "nothing was typed there" is judged on
its server: no POST at all, and neither the username, the password nor a TOTP code in any request.
The LinkedIn replica's state says that nothing reached it either. The first tests drive the real
CLI; the last ones drive `signin.type_secret` directly in real Chromium, with a positive control
showing that the keylogger does record what a careless bot types.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest

from tests.platforms.linkedin.foreign import ForeignLoginSite
from tests.platforms.linkedin.helpers import PASSWORD, USER, account_state, only, run, setup_account
from tests.replicas.server import ReplicaServer

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def lookalike() -> Iterator[ForeignLoginSite]:
    """The look-alike on `localhost` (another origin, and another cookie host, than the replica)."""
    site = ForeignLoginSite()
    with ReplicaServer(site.app) as server:
        site.url = server.url.replace("127.0.0.1", "localhost")
        yield site


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def posts(site: ForeignLoginSite) -> list[dict]:
    return [r for r in site.requests if r["method"] != "GET" or r["form"] or r["json"]]


def pages_seen(site: ForeignLoginSite) -> list[str]:
    return [r["path"] for r in site.requests if r["path"] != "/favicon.ico"]


def codes_around_now() -> set[str]:
    totp = pyotp.TOTP(SECRET)
    now = time.time()
    return {totp.at(now + step * 30) for step in range(-20, 3)}  # the run's whole span, and more


def assert_refused(result: Any, site: ForeignLoginSite, *secrets: str) -> dict:
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "error", row
    assert "refusing" in row["message"] and origin(site.url) in row["message"], row["message"]
    assert not posts(site), posts(site)
    seen = repr(site.requests)
    assert USER not in seen  # the account's name is no secret to optout's own output, but it is to them
    for secret in secrets:
        assert secret not in seen
        assert secret not in result.stdout + result.stderr
    return row


# -- the replica's variants themselves, over HTTP ------------------------------------------------------
def test_variants_are_off_by_default_and_take_only_http_urls(linkedin, lookalike):
    import requests

    for name in ("next_foreign", "challenge_foreign"):
        assert linkedin.state()["variants"][name] == ""
        bad = requests.post(f"{linkedin.url}/__replica__/config", json={name: "javascript:alert(1)"}, timeout=5)
        assert bad.status_code == 400, bad.text
    assert "location.assign" not in requests.get(f"{linkedin.url}/login", timeout=5).text
    linkedin.configure(next_foreign=f"{lookalike.url}/login")
    assert f"{lookalike.url}/login" in requests.get(f"{linkedin.url}/login", timeout=5).text


def test_challenge_foreign_sends_the_code_page_elsewhere(linkedin, lookalike):
    import requests

    linkedin.add_account(USER, PASSWORD, challenge="pin", totp_secret=SECRET)
    linkedin.configure(challenge_foreign=lookalike.url)
    s = requests.Session()
    s.get(f"{linkedin.url}/login", timeout=5)
    login_csrf = s.cookies["bcookie"].strip('"').partition("&")[2]
    answer = s.post(f"{linkedin.url}/checkpoint/lg/login-submit", allow_redirects=False, timeout=5,
                    data={"session_key": USER, "session_password": PASSWORD, "loginCsrfParam": login_csrf})
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"].startswith(f"{lookalike.url}/checkpoint/challenge/AQ")
    page = s.get(answer.headers["Location"], timeout=5).text
    assert 'id="input__phone_verification_pin"' in page and "/li/track" in page
    assert linkedin.state()["pending_challenges"] == [{"email": USER, "kind": "pin", "approved": False}]


# -- the CLI against the replica's variants ----------------------------------------------------------
def test_next_step_on_another_origin_gets_nothing(cli, linkedin, lookalike):
    setup_account(cli, linkedin)
    linkedin.configure(next_foreign=f"{lookalike.url}/login")
    result = run(cli, linkedin)
    assert_refused(result, lookalike, PASSWORD)
    # the hijack did fire: the browser went to the look-alike's sign-in page, and typed nothing there
    assert pages_seen(lookalike) == ["/login"], lookalike.requests
    state = account_state(linkedin)
    assert (state["sign_ins"], state["failed_logins"], state["genai"]) == (0, 0, True)
    assert linkedin.state()["unknown_logins"] == 0


def test_code_page_on_another_origin_gets_no_code(cli, linkedin, lookalike):
    setup_account(cli, linkedin, challenge="pin", totp_secret=SECRET)
    assert cli("creds", "totp", "linkedin", USER, "--secret-stdin", input=SECRET + "\n").code == 0
    linkedin.configure(challenge_foreign=lookalike.url)
    result = run(cli, linkedin)
    row = assert_refused(result, lookalike, PASSWORD, *codes_around_now())
    assert "verification code" in row["message"]
    assert [p.rsplit("/", 1)[0] for p in pages_seen(lookalike)] == ["/checkpoint/challenge"], lookalike.requests
    # the replica took the password and still waits for its code: none came, none went wrong
    state = account_state(linkedin)
    assert (state["sign_ins"], state["failed_challenges"], state["sessions"], state["genai"]) == (1, 0, 0, True)
    assert linkedin.state()["pending_challenges"] == [{"email": USER, "kind": "pin", "approved": False}]


def test_totp_sign_in_on_the_platform_still_works(cli, linkedin, lookalike):
    setup_account(cli, linkedin, challenge="pin", totp_secret=SECRET)
    assert cli("creds", "totp", "linkedin", USER, "--secret-stdin", input=SECRET + "\n").code == 0
    result = run(cli, linkedin)
    assert result.code == 0, result.stderr
    state = account_state(linkedin)
    assert (state["genai"], state["sign_ins"], state["failed_challenges"]) == (False, 1, 0)
    assert linkedin.state()["pending_challenges"] == []
    assert not lookalike.requests


# -- the helper itself, in real Chromium ---------------------------------------------------------------
@pytest.fixture
def browser() -> Iterator[Any]:
    from optout.browser import Browser, BrowserOptions

    b = Browser(BrowserOptions())
    try:
        yield b
    finally:
        b.quit()


def session_on(browser: Any, allowed: str) -> Any:
    """What signin.type_secret needs of a Session: the browser, the flow's names, the origins."""
    flow = SimpleNamespace(title="LinkedIn", platform="linkedin")
    return SimpleNamespace(browser=browser, flow=flow, allowed_origins={allowed})


def field(browser: Any, css: str) -> Any:
    from selenium.webdriver.common.by import By

    return browser.driver.find_element(By.CSS_SELECTOR, css)


def keylogged(site: ForeignLoginSite, timeout: float = 5) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if logged := [r for r in site.requests if r["path"] == "/li/track"]:
            return logged
        time.sleep(0.05)
    return []


def test_positive_control_the_lookalike_records_what_plain_typing_gives_it(browser, lookalike):
    browser.open(f"{lookalike.url}/login")
    browser.fill(field(browser, "#username"), "careless@example.com")  # no origin check at all
    logged = keylogged(lookalike)
    assert logged and logged[-1]["json"]["value"].startswith("careless"), lookalike.requests


def test_helper_types_on_the_allowed_origin(browser, linkedin):
    from optout import signin

    browser.open(f"{linkedin.url}/login")
    session = session_on(browser, origin(linkedin.url))
    signin.type_secret(session, field(browser, "#username"), USER, "credentials")
    signin.type_secret(session, field(browser, "#password"), PASSWORD, "credentials")
    assert browser.value(field(browser, "#username")) == USER
    assert browser.value(field(browser, "#password")) == PASSWORD


@pytest.mark.parametrize("what", ["credentials", "verification code"])
def test_helper_refuses_a_foreign_page(browser, linkedin, lookalike, what):
    from optout import signin
    from optout.errors import ForeignOrigin

    path, css = ("/login", "#password") if what == "credentials" else ("/checkpoint/challenge/x", "input[name=pin]")
    browser.open(lookalike.url + path)
    with pytest.raises(ForeignOrigin) as refused:
        signin.type_secret(session_on(browser, origin(linkedin.url)), field(browser, css), "123456", what)
    assert origin(lookalike.url) in str(refused.value) and what in str(refused.value)
    assert "123456" not in str(refused.value)
    assert browser.value(field(browser, css)) == ""
    assert not keylogged(lookalike, timeout=0.5) and not posts(lookalike)


def test_helper_refuses_when_the_page_leaves_as_the_field_is_focused(browser, linkedin, lookalike):
    from optout import signin
    from optout.errors import ForeignOrigin

    linkedin.configure(next_foreign=f"{lookalike.url}/login")
    browser.open(f"{linkedin.url}/login")
    session = session_on(browser, origin(linkedin.url))
    signin.type_secret(session, field(browser, "#username"), USER, "credentials")  # still on the platform
    password = field(browser, "#password")  # found on the platform's page, which then leaves
    with pytest.raises(ForeignOrigin) as refused:
        signin.type_secret(session, password, PASSWORD, "credentials")
    assert origin(lookalike.url) in str(refused.value)
    assert browser.origin() == origin(lookalike.url)
    assert browser.value(field(browser, "#password")) == "" and browser.value(field(browser, "#username")) == ""
    assert not keylogged(lookalike, timeout=0.5) and not posts(lookalike)

"""Tests of the Adobe replica alone, through Flask's test client (no browser, no port): the interface,
the sign-in steps, the click path account home → "Account and security" → "Privacy and personal
data" → "Content analysis", the switch's markup, the background save and each variant."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from flask.testing import FlaskClient

from tests.platforms.adobe.replica import (
    CONTENT_ANALYSIS_PATH,
    PRIVACY_PATH,
    SESSION_COOKIE,
    AdobeReplica,
    Replica,
)
from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

ALICE, BOB = "alice@example.com", "bob@example.com"
PW = "alice-Pw-1"
SIGNIN = "/signin"
SAVE = "/api/privacy/preferences"
CA = "Content analysis"
SENTENCE = "Allow my content to be analyzed by Adobe for product improvement and development purposes"
NEIGHBOURS = {"desktopAppUsage": "Desktop app usage", "personalizedOffers": "Personalized offers"}
IDS = {"content-analysis"}
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEH"


# ---------------------------------------------------------------- helpers

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.text: dict[int, str] = {}
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in ("input", "meta", "br", "img", "path"):
            self._open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for i in self._open:
            self.text[i] = self.text.get(i, "") + data


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    """Start tags on the page (not in scripts or pictures) with these attributes, and their text."""
    html = re.sub(r"<(script|svg)\b.*?</\1>", "", html, flags=re.S)
    parsed = _Elements()
    parsed.feed(html)
    out = []
    for i, (name, have) in enumerate(parsed.found):
        if tag and name != tag:
            continue
        if all(have.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
            out.append({**have, "_tag": name, "_text": " ".join(parsed.text.get(i, "").split())})
    return out


def switch_for(html: str, label: str) -> dict[str, str] | None:
    """The switch named by an element with this text, as a flow finds it (role, aria-checked, label)."""
    named = [e for e in elements(html) if e["_text"] == label and e.get("id")]
    if not named:
        return None
    assert len(named) == 1
    found = elements(html, "button", role="switch", aria_labelledby=named[0]["id"])
    assert len(found) == 1
    return found[0]


def config(html: str) -> dict[str, Any]:
    """The switch script's JSON config (what the page's script works from)."""
    found = re.findall(r"const cfg = (\{.*?\});\n", html, flags=re.S)
    assert len(found) == 1
    return json.loads(found[0])


def page(client: FlaskClient, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code, resp.headers.get("Location"))
    return resp.get_data(as_text=True)


def link(html: str, text: str) -> str:
    found = [a for a in elements(html, "a") if a["_text"] == text or a["_text"].startswith(text)]
    assert len(found) == 1, (text, found)
    return found[0]["href"]


def form(html: str) -> tuple[str, str]:
    """The step's form: where it posts and its one visible input's name."""
    forms = [f for f in elements(html, "form") if f.get("method") == "post"]
    inputs = [i for i in elements(html, "input") if i.get("type") != "hidden"]
    assert len(inputs) == 1, inputs
    assert elements(html, "label", for_=inputs[0]["id"])  # an ordinary labelled input
    return forms[0]["action"], inputs[0]["name"]


def post_step(client: FlaskClient, value: str) -> Any:
    """Fill the current sign-in step's input and submit it."""
    action, name = form(page(client, SIGNIN))
    return client.post(action, data={name: value})


def sign_in(client: FlaskClient, email: str = ALICE, password: str = PW, target: str = "/") -> str:
    """Email, Continue, password, Continue: where the browser is sent."""
    start = client.get(f"{SIGNIN}?callback={target}")
    assert start.status_code == 200
    assert post_step(client, email).headers["Location"] == SIGNIN
    done = post_step(client, password)
    assert done.status_code == 303, done.get_data(as_text=True)
    return done.headers["Location"]


def click_path(client: FlaskClient) -> str:
    """Home → "Account and security" → "Privacy and personal data": the path of the privacy page."""
    security = link(page(client, "/"), "Account and security")
    return link(page(client, security), "Privacy and personal data")


def save(client: FlaskClient, token: str, value: bool, setting: str = "contentAnalysis") -> Any:
    return client.post(SAVE, json={"setting": setting, "value": value}, headers={"x-csrf-token": token})


def acct(replica: AdobeReplica, email: str = ALICE) -> dict[str, Any]:
    return replica.state()["accounts"][email]


def other_code(code: str) -> str:
    return "000000" if code != "000000" else "111111"


@pytest.fixture
def replica() -> AdobeReplica:
    r = AdobeReplica()
    r.add_account(ALICE, PW, name="Alice Example")
    return r


@pytest.fixture
def client(replica: AdobeReplica) -> FlaskClient:
    return replica.app.test_client()


@pytest.fixture
def signed(client: FlaskClient) -> FlaskClient:
    sign_in(client)
    return client


# ---------------------------------------------------------------- interface and accounts

def test_satisfies_the_interface() -> None:
    assert problems(Replica, IDS) == []


def test_default_account_state(replica: AdobeReplica) -> None:
    a = acct(replica)
    assert (a["name"], a["signin"], a["available"], a["totp"]) == ("Alice Example", "password", True, False)
    assert a["content_analysis"] is True and a["content_analysis_available"] is True  # On by default
    assert a["settings"] == dict.fromkeys(NEIGHBOURS, True)
    assert (a["saves"], a["sign_ins"], a["failed_logins"], a["sessions"]) == (0, 0, 0, 0)
    assert replica.opted_out(ALICE) == {"content-analysis": False}
    assert set(replica.state()["variants"]) == {
        "delay_ms", "late_render_ms", "replace_node", "save_fails_once", "save_never_persists", "first_load_503",
        "session_expired_once", "privacy_label", "content_analysis_page", "sentence"}


def test_account_options() -> None:
    r = AdobeReplica()
    assert r.add_account(BOB, "pw")["name"] == "Bob"  # from the email
    made = r.add_account("c@example.com", "pw", content_analysis="false")
    assert made["content_analysis"] is False and r.opted_out("c@example.com") == {"content-analysis": True}
    with pytest.raises(TypeError):
        r.add_account("d@example.com", "pw", region="FR")
    for bad in ({"signin": "magic_link"}, {"available": "maybe"}, {"content_analysis": "x"},
                {"totp_secret": "not base32!"}):
        with pytest.raises(ValueError):
            r.add_account("e@example.com", "pw", **bad)
    with pytest.raises(ValueError):
        r.add_account("e@example.com", "", signin="password")
    with pytest.raises(ValueError):
        r.add_account("not-an-email", "pw")
    spec = parse_account("f@example.com:pw-F-1:Fay Fox:signin=email_code,available=false")
    made = r.add_account(**spec)
    assert (made["name"], made["signin"], made["available"]) == ("Fay Fox", "email_code", False)
    assert r.opted_out("f@example.com") == {"content-analysis": False}  # not offered: never opted out


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_goes_to_sign_in_and_comes_back(replica: AdobeReplica, client: FlaskClient) -> None:
    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == f"{SIGNIN}?callback=%2F"
    resp = client.get(PRIVACY_PATH)
    there = urlsplit(resp.headers["Location"])
    assert resp.status_code == 302 and there.path == SIGNIN and parse_qs(there.query)["callback"] == [PRIVACY_PATH]
    html = page(client, resp.headers["Location"])
    assert [h["_text"] for h in elements(html, "h1")] == ["Sign in"]
    email = elements(html, "input", type="email", autocomplete="username")
    assert len(email) == 1 and elements(html, "label", for_=email[0]["id"])[0]["_text"] == "Email address"
    assert [a["_text"] for a in elements(html, "a") if "social" in a["href"]] == [
        "Continue with Google", "Continue with Facebook", "Continue with Apple"]
    assert post_step(client, ALICE).status_code == 303
    html = page(client, SIGNIN)
    assert elements(html, "input", type="password", autocomplete="current-password")
    assert ALICE in html and [h["_text"] for h in elements(html, "h1")] == ["Enter your password"]
    done = post_step(client, PW)
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY_PATH
    cookies = done.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session and "Max-Age=2592000" in session
    assert client.get(PRIVACY_PATH).status_code == 200
    assert (acct(replica)["sign_ins"], acct(replica)["sessions"]) == (1, 1)
    assert client.get(f"{SIGNIN}?callback=/plans").headers["Location"] == "/plans"  # signed in: go on
    out = client.get("/signout")
    assert out.status_code == 303 and client.get("/").status_code == 302


def test_inputs_have_no_stable_names_or_ids(client: FlaskClient) -> None:
    first = elements(page(client, SIGNIN), "input")[0]
    second = elements(page(client, SIGNIN), "input")[0]
    assert first["name"] != second["name"] and first["id"] != second["id"]
    # the name of an earlier rendering is no longer read
    stale = client.post("/signin/email", data={first["name"]: ALICE}).get_data(as_text=True)
    assert [a["_text"] for a in elements(stale, role="alert")] == ["Enter a valid email address."]


def test_wrong_password_unknown_and_malformed_email(replica: AdobeReplica, client: FlaskClient) -> None:
    client.get(SIGNIN)
    for value, error in (("nope", "Enter a valid email address."),
                         ("nobody@example.com", "We couldn't find an Adobe account with that email address.")):
        resp = post_step(client, value)
        assert resp.status_code == 200
        assert [a["_text"] for a in elements(resp.get_data(as_text=True), role="alert")] == [error]
    assert replica.state()["unknown_logins"] == 1
    post_step(client, ALICE)
    wrong = post_step(client, "wrong-pw")
    assert wrong.status_code == 200
    html = wrong.get_data(as_text=True)
    assert [a["_text"] for a in elements(html, role="alert")] == ["Incorrect password. Try again."]
    assert elements(html, "input", type="password")  # the sign-in page again
    assert (acct(replica)["failed_logins"], acct(replica)["sign_ins"]) == (1, 0)
    assert post_step(client, PW).status_code == 303


def test_change_email_and_expired_step(client: FlaskClient) -> None:
    client.get(f"{SIGNIN}?callback={PRIVACY_PATH}")
    post_step(client, ALICE)
    change = link(page(client, SIGNIN), "Change")
    assert elements(page(client, change), "input", type="email")
    # a step posted out of turn (or without a sign-in in progress) starts again, saying so
    fresh = client.application.test_client()
    resp = fresh.post("/signin/password", data={"x": PW})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and elements(html, "input", type="email")
    assert [a["_text"] for a in elements(html, role="alert")] == ["Your sign-in session expired. Start again."]


def test_social_buttons_lead_nowhere(client: FlaskClient) -> None:
    html = page(client, "/signin/social/google")
    assert [a["_text"] for a in elements(html, role="alert")][0].startswith("We couldn't connect to Google")
    assert client.get("/signin/social/myspace").status_code == 404


def test_email_code_sign_in(replica: AdobeReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", signin="email_code")
    assert replica.email_code(BOB) is None
    assert client.post("/__replica__/email_code", json={"email": BOB}).status_code == 404
    client.get(f"{SIGNIN}?callback={PRIVACY_PATH}")
    post_step(client, BOB)
    html = page(client, SIGNIN)
    assert [h["_text"] for h in elements(html, "h1")] == ["Enter your code"]
    assert "We sent a code to b***@example.com" in html
    assert elements(html, "input", autocomplete="one-time-code", inputmode="numeric")
    code = client.post("/__replica__/email_code", json={"email": BOB}).get_json()["code"]
    assert re.fullmatch(r"\d{6}", code) and code == replica.email_code(BOB)
    wrong = post_step(client, other_code(code))
    assert [a["_text"] for a in elements(wrong.get_data(as_text=True), role="alert")] == [
        "That code is incorrect. Try again."]
    assert acct(replica, BOB)["failed_logins"] == 1
    done = post_step(client, code)
    assert done.headers["Location"] == PRIVACY_PATH and acct(replica, BOB)["codes_sent"] == 1


def test_code_tries_and_resend(replica: AdobeReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", signin="email_code")
    client.get(SIGNIN)
    post_step(client, BOB)
    first = replica.email_code(BOB) or ""
    for _ in range(5):
        post_step(client, other_code(first))
    spent = post_step(client, first)
    assert "can no longer be used" in spent.get_data(as_text=True) and spent.status_code == 200
    resent = client.post("/signin/code/resend")
    assert [s["_text"] for s in elements(resent.get_data(as_text=True), role="status")] == ["We sent a new code."]
    assert acct(replica, BOB)["codes_sent"] == 2
    assert post_step(client, replica.email_code(BOB) or "").status_code == 303


def test_totp_step(replica: AdobeReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", totp_secret=SECRET)
    client.get(SIGNIN)
    post_step(client, BOB)
    assert post_step(client, "bob-Pw-1").headers["Location"] == SIGNIN
    html = page(client, SIGNIN)
    assert [h["_text"] for h in elements(html, "h1")] == ["Verify your identity"]
    now = pyotp.TOTP(SECRET).now()
    wrong = post_step(client, other_code(now))
    assert wrong.status_code == 200 and acct(replica, BOB)["failed_challenges"] == 1
    assert elements(wrong.get_data(as_text=True), role="alert")
    assert post_step(client, now).status_code == 303 and acct(replica, BOB)["sign_ins"] == 1


# ---------------------------------------------------------------- the click path and the switch

def test_click_path_and_switch_markup(signed: FlaskClient) -> None:
    home = page(signed, "/")
    assert "Welcome back, Alice" in home and PRIVACY_PATH not in home  # the home names only the first step
    security = link(home, "Account and security")
    html = page(signed, security)
    assert [h["_text"] for h in elements(html, "h1")] == ["Account and security"]
    privacy = link(html, "Privacy and personal data")
    html = page(signed, privacy)
    sw = switch_for(html, CA)
    assert sw is not None and sw["aria-checked"] == "true" and sw["type"] == "button"
    assert "id" not in sw and "name" not in sw
    assert [d["_text"] for d in elements(html, id=sw["aria-describedby"])] == [SENTENCE]
    for label in NEIGHBOURS.values():
        assert switch_for(html, label) is not None
    assert not elements(html, "button", type="submit")  # no Save button
    assert [a["_text"] for a in elements(html, "a", aria_current="page")] == [
        "Account and security", "Privacy and personal data"]
    # the ids are new on every load
    assert switch_for(page(signed, privacy), CA)["aria-labelledby"] != sw["aria-labelledby"]  # type: ignore[index]


def test_guessed_paths_are_not_found(signed: FlaskClient) -> None:
    for path in ("/privacy", "/settings", "/security", "/privacy/content-analysis", CONTENT_ANALYSIS_PATH):
        assert signed.get(path).status_code == 404, path


def test_save_changes_only_the_server_value(replica: AdobeReplica, signed: FlaskClient) -> None:
    html = page(signed, click_path(signed))
    cfg = config(html)
    assert cfg["saveUrl"] == SAVE and cfg["lateMs"] == 0 and cfg["replaceNode"] is False
    assert save(signed, "wrong", False).status_code == 403
    assert replica.app.test_client().post(SAVE, json={"setting": "contentAnalysis", "value": False}).status_code == 401
    assert save(signed, cfg["csrf"], "off").status_code == 400  # type: ignore[arg-type]
    resp = save(signed, cfg["csrf"], False)
    assert resp.status_code == 200 and resp.get_json() == {"setting": "contentAnalysis", "value": False}
    a = acct(replica)
    assert a["content_analysis"] is False and a["saves"] == 1
    assert a["settings"] == dict.fromkeys(NEIGHBOURS, True)  # the neighbours never move
    assert replica.opted_out(ALICE) == {"content-analysis": True}
    assert switch_for(page(signed, PRIVACY_PATH), CA)["aria-checked"] == "false"  # type: ignore[index]
    # a neighbour saves on its own key and leaves Content analysis alone
    assert save(signed, cfg["csrf"], False, "desktopAppUsage").status_code == 200
    assert acct(replica)["settings"]["desktopAppUsage"] is False and acct(replica)["content_analysis"] is False
    assert replica.switch_back_on(ALICE) == [ALICE]
    assert acct(replica)["content_analysis"] is True and acct(replica)["settings"]["desktopAppUsage"] is False
    assert signed.post("/__replica__/switch_back_on", json={"email": "x@example.com"}).status_code == 404


def test_not_offered_shows_the_page_without_the_switch(replica: AdobeReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", available=False)
    sign_in(client, BOB, "bob-Pw-1")
    html = page(client, click_path(client))
    assert switch_for(html, CA) is None and CA not in html
    assert [h["_text"] for h in elements(html, "h2")] == ["Privacy and personal data"]
    assert switch_for(html, "Desktop app usage") is not None
    assert save(client, config(html)["csrf"], False).status_code == 404
    assert replica.opted_out(BOB) == {"content-analysis": False}


def test_reset_and_configure(replica: AdobeReplica, signed: FlaskClient) -> None:
    save(signed, config(page(signed, PRIVACY_PATH))["csrf"], False)
    replica.configure(sentence="other", content_analysis_page="true")
    with pytest.raises(ValueError):
        replica.configure(privacy_label="Privacy")
    with pytest.raises(ValueError):
        replica.configure(older_release=True)
    replica.reset()
    state = replica.state()
    assert state["variants"]["sentence"] == "md" and state["variants"]["content_analysis_page"] is False
    assert acct(replica)["content_analysis"] is True and acct(replica)["sessions"] == 0
    assert signed.get("/").status_code == 302


def test_revoke_sessions(replica: AdobeReplica, signed: FlaskClient) -> None:
    assert signed.post("/__replica__/revoke_sessions", json={"email": ALICE}).get_json() == {"revoked": 1}
    assert signed.get(PRIVACY_PATH).status_code == 302
    assert signed.post("/__replica__/revoke_sessions", json={"email": "x@example.com"}).status_code == 404


# ---------------------------------------------------------------- variants

def test_privacy_label_variant(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(privacy_label="data_and_privacy")
    html = page(signed, link(page(signed, "/"), "Account and security"))
    assert "Privacy and personal data" not in html
    html = page(signed, link(html, "Data and privacy"))
    assert [h["_text"] for h in elements(html, "h2")] == ["Data and privacy"]
    assert switch_for(html, CA) is not None


def test_content_analysis_page_variant(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(content_analysis_page=True, first_load_503=True)
    html = page(signed, click_path(signed))  # no 503 here: this page no longer holds the switch
    assert switch_for(html, CA) is None
    there = link(html, CA)
    assert signed.get(there).status_code == 503  # the page that holds it, once
    html = page(signed, there)
    heading = elements(html, "h2")
    assert [h["_text"] for h in heading] == [CA]
    sw = elements(html, "button", role="switch", aria_labelledby=heading[0]["id"])
    assert len(sw) == 1 and sw[0]["aria-checked"] == "true"
    assert config(html)["keep"] == [heading[0]["id"]]  # a re-render keeps the name
    assert link(html, "\u2039 Privacy and personal data") == PRIVACY_PATH
    save(signed, config(html)["csrf"], False)
    assert acct(replica)["content_analysis"] is False


def test_sentence_variant(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(sentence="other")
    html = page(signed, PRIVACY_PATH)
    sw = switch_for(html, CA)
    assert sw is not None and SENTENCE not in html
    assert elements(html, id=sw["aria-describedby"])[0]["_text"].startswith("Adobe may analyze your content")


def test_late_render_and_replace_node(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(late_render_ms=800, replace_node=True)
    html = page(signed, PRIVACY_PATH)
    assert not elements(html, "button", role="switch") and len(elements(html, aria_busy="true")) == 3
    cfg = config(html)
    assert cfg["lateMs"] == 800 and cfg["replaceNode"] is True
    rows = {r["key"]: r for r in cfg["rows"]}
    assert set(rows) == {"contentAnalysis", *NEIGHBOURS} and CA in str(rows["contentAnalysis"]["html"])
    assert rows["contentAnalysis"]["value"] is True


def test_save_fails_once(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    html = page(signed, PRIVACY_PATH)
    token = config(html)["csrf"]
    assert config(html)["text"]["error"]  # the toast the page shows (role=alert)
    assert save(signed, token, False).status_code == 500 and acct(replica)["content_analysis"] is True
    assert save(signed, token, False).status_code == 200 and acct(replica)["content_analysis"] is False
    assert acct(replica)["saves"] == 2
    replica.configure(save_fails_once=True)  # re-armed
    assert save(signed, token, True).status_code == 500


def test_save_never_persists(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    resp = save(signed, config(page(signed, PRIVACY_PATH))["csrf"], False)
    assert resp.status_code == 200 and resp.get_json()["value"] is False
    assert acct(replica)["content_analysis"] is True and replica.opted_out(ALICE) == {"content-analysis": False}


def test_first_load_503(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    assert signed.get("/").status_code == 200
    assert signed.get(link(page(signed, "/"), "Account and security")).status_code == 200
    resp = signed.get(PRIVACY_PATH)
    assert resp.status_code == 503 and "Service unavailable" in resp.get_data(as_text=True)
    assert signed.get(PRIVACY_PATH).status_code == 200


def test_session_expired_once(replica: AdobeReplica, signed: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    assert signed.get("/").status_code == 200  # the home is no settings page
    resp = signed.get(PRIVACY_PATH)
    assert resp.status_code == 302 and parse_qs(urlsplit(resp.headers["Location"]).query)["callback"] == [PRIVACY_PATH]
    assert acct(replica)["sessions"] == 0
    assert sign_in(signed, target=PRIVACY_PATH) == PRIVACY_PATH
    assert signed.get(PRIVACY_PATH).status_code == 200 and acct(replica)["sign_ins"] == 2


def test_delay_ms_spares_the_control_endpoints(replica: AdobeReplica, client: FlaskClient) -> None:
    replica.configure(delay_ms=120)
    began = time.monotonic()
    client.get(SIGNIN)
    assert time.monotonic() - began >= 0.12
    began = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - began < 0.1

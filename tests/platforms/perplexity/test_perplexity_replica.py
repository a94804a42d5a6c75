"""Tests of the Perplexity replica alone, through Flask's test client (no browser, no port): the
interface, the sign-in steps, the click path to Preferences, the switch's markup, the background save
and each variant. The scripts themselves were checked once by hand in Chromium (see README.md)."""

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

from tests.platforms.perplexity.replica import PREFERENCES_PATH, SESSION_COOKIE, PerplexityReplica, Replica
from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

ALICE, BOB = "alice@example.com", "bob@example.com"
SIGNIN = "/auth/signin"
SAVE = "/rest/user/settings"
LABEL, LABEL_OLDER = "AI data retention", "AI Data Usage"
HELP = ("AI Data Retention allows Perplexity to use your searches to improve AI models. Turn this setting off if "
        "you wish to exclude your data from this process.")
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
    """Start tags on the page (not in scripts or templates) with these attributes, and their text."""
    html = re.sub(r"<(script|template|svg)\b.*?</\1>", "", html, flags=re.S)
    parsed = _Elements()
    parsed.feed(html)
    out = []
    for i, (name, have) in enumerate(parsed.found):
        if tag and name != tag:
            continue
        if all(have.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
            out.append({**have, "_text": " ".join(parsed.text.get(i, "").split())})
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


def config(html: str, key: str) -> dict[str, Any]:
    """The JSON config of the page script that has `key` (what the page's scripts work from)."""
    for raw in re.findall(r"const cfg = (\{.*?\});\n", html, flags=re.S):
        cfg = json.loads(raw)
        if key in cfg:
            return cfg
    raise AssertionError(f"no script config with {key!r}")


def page(client: FlaskClient, path: str) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code, resp.headers.get("Location"))
    return resp.get_data(as_text=True)


def start(client: FlaskClient, email: str, target: str = "") -> dict[str, Any]:
    resp = client.post("/api/auth/signin/email", json={"email": email, "redirect": target})
    assert resp.status_code == 200
    return resp.get_json()


def sign_in(replica: PerplexityReplica, client: FlaskClient, email: str = ALICE, target: str = "") -> str:
    """Email, then the emailed code: where the page is sent."""
    login = start(client, email, target)["login"]
    resp = client.post("/api/auth/signin/otp", json={"login": login, "code": replica.email_code(email)})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["redirect"]


def click_path(client: FlaskClient) -> str:
    """Home → the profile-name button's menu → "All settings" → the "Preferences" tab: its path."""
    home = page(client, "/")
    menu = config(home, "items")
    trigger = elements(home, "button", id=menu["trigger"])[0]
    assert trigger["aria-haspopup"] == "menu"
    settings = next(i["href"] for i in menu["items"] if i["label"] == "All settings")
    tabs = [a for a in elements(page(client, settings), "a") if a["_text"] == "Preferences"]
    assert len(tabs) == 1
    return tabs[0]["href"]


def save(client: FlaskClient, token: str, value: bool, setting: str = "ai_data_retention") -> Any:
    return client.post(SAVE, json={"setting": setting, "value": value}, headers={"x-csrf-token": token})


def csrf(html: str) -> str:
    return config(html, "csrf")["csrf"]


def acct(replica: PerplexityReplica, email: str = ALICE) -> dict[str, Any]:
    return replica.state()["accounts"][email]


@pytest.fixture
def replica() -> PerplexityReplica:
    r = PerplexityReplica()
    r.add_account(ALICE, "")
    return r


@pytest.fixture
def client(replica: PerplexityReplica) -> FlaskClient:
    return replica.app.test_client()


@pytest.fixture
def signed(replica: PerplexityReplica, client: FlaskClient) -> FlaskClient:
    sign_in(replica, client)
    return client


# ---------------------------------------------------------------- interface and accounts

def test_satisfies_the_interface() -> None:
    assert problems(Replica, {"ai-data-retention"}) == []


def test_default_account_state(replica: PerplexityReplica) -> None:
    a = acct(replica)
    assert (a["name"], a["plan"], a["signin"]) == ("alice", "free", "email_code")
    assert a["ai_data_retention"] is True and a["ai_data_retention_available"] is True
    assert a["settings"] == {"autosuggest": True, "homepage_widgets": True}
    assert (a["saves"], a["sign_ins"], a["failed_logins"], a["sessions"]) == (0, 0, 0, 0)
    assert replica.opted_out(ALICE) == {"ai-data-retention": False}
    assert replica.state()["variants"]["older_release"] is False


def test_account_options() -> None:
    r = PerplexityReplica()
    assert r.add_account(BOB, "", name="Bob B")["name"] == "Bob B"
    assert r.add_account("c@example.com", "", ai_data_retention="false")["ai_data_retention"] is False
    assert r.opted_out("c@example.com") == {"ai-data-retention": True}
    with pytest.raises(TypeError):
        r.add_account("d@example.com", "", region="FR")
    for bad in ({"plan": "team"}, {"signin": "sms"}, {"signin": "password"}, {"available": "maybe"},
                {"totp_secret": "not base32!"}):
        with pytest.raises(ValueError):
            r.add_account("e@example.com", "", **bad)
    with pytest.raises(ValueError):
        r.add_account("not-an-email", "")
    spec = parse_account("f@example.com:pw-F-1:Fay:plan=pro,signin=password,available=false")
    made = r.add_account(**spec)
    assert (made["name"], made["plan"], made["signin"], made["available"]) == ("Fay", "pro", "password", False)
    assert made["ai_data_retention_available"] is False
    assert r.add_account("g@example.com", "", plan="enterprise")["ai_data_retention_available"] is False


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_goes_to_sign_in_and_comes_back(replica: PerplexityReplica, client: FlaskClient) -> None:
    resp = client.get(PREFERENCES_PATH)
    assert resp.status_code == 302
    there = urlsplit(resp.headers["Location"])
    assert there.path == SIGNIN and parse_qs(there.query)["redirect"] == [PREFERENCES_PATH]
    html = page(client, resp.headers["Location"])
    email = elements(html, "input", type="email")
    assert len(email) == 1 and "name" not in email[0] and elements(html, "label", for_=email[0]["id"])
    buttons = [b["_text"] for b in elements(html, "button")]
    assert buttons == ["Continue with Google", "Continue with Apple", "Continue with email"]
    assert config(html, "redirect")["redirect"] == PREFERENCES_PATH
    assert sign_in(replica, client, target=PREFERENCES_PATH) == PREFERENCES_PATH
    assert client.get(PREFERENCES_PATH).status_code == 200
    # the settings root and the other guarded pages too
    for path in ("/account", "/library"):
        assert replica.app.test_client().get(path).headers["Location"].startswith(f"{SIGNIN}?redirect=")


def test_email_code_sign_in(replica: PerplexityReplica, client: FlaskClient) -> None:
    assert replica.email_code(ALICE) is None
    assert client.post("/__replica__/email_code", json={"email": ALICE}).status_code == 404
    step = start(client, ALICE)
    assert step["next"] == "code"
    code = client.post("/__replica__/email_code", json={"email": ALICE}).get_json()["code"]
    assert re.fullmatch(r"\d{6}", code) and code == replica.email_code(ALICE)
    other = "000000" if code != "000000" else "111111"
    wrong = client.post("/api/auth/signin/otp", json={"login": step["login"], "code": other})
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "Invalid code. Please try again."
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    ok = client.post("/api/auth/signin/otp", json={"login": step["login"], "code": code})
    assert ok.status_code == 200 and ok.get_json() == {"redirect": "/"}
    cookie = ok.headers["Set-Cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
    a = acct(replica)
    assert (a["sign_ins"], a["sessions"], a["codes_sent"]) == (1, 1, 1)
    # the pending sign-in is spent
    again = client.post("/api/auth/signin/otp", json={"login": step["login"], "code": code})
    assert again.status_code == 400 and again.get_json()["restart"] is True


def test_code_tries_and_resend(replica: PerplexityReplica, client: FlaskClient) -> None:
    step = start(client, ALICE)
    first = replica.email_code(ALICE)
    bad = "000000" if first != "000000" else "111111"
    for _ in range(5):
        client.post("/api/auth/signin/otp", json={"login": step["login"], "code": bad})
    spent = client.post("/api/auth/signin/otp", json={"login": step["login"], "code": first})
    assert spent.status_code == 400 and "Request a new code" in spent.get_json()["error"]
    assert client.post("/api/auth/signin/resend", json={"login": step["login"]}).get_json() == {"sent": True}
    assert acct(replica)["codes_sent"] == 2
    ok = client.post("/api/auth/signin/otp", json={"login": step["login"], "code": replica.email_code(ALICE)})
    assert ok.status_code == 200


def test_unknown_email_gets_the_code_step_but_no_code(replica: PerplexityReplica, client: FlaskClient) -> None:
    step = start(client, "nobody@example.com")
    assert step["next"] == "code"
    assert replica.state()["unknown_logins"] == 1 and replica.email_code("nobody@example.com") is None
    assert client.post("/api/auth/signin/otp", json={"login": step["login"], "code": "123456"}).status_code == 400
    assert client.post("/api/auth/signin/email", json={"email": "nope"}).status_code == 400


def test_password_variant(replica: PerplexityReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "pw-Bob-1", signin="password")
    step = start(client, BOB, PREFERENCES_PATH)
    assert step["next"] == "password" and replica.email_code(BOB) is None
    wrong = client.post("/api/auth/signin/password", json={"login": step["login"], "password": "nope"})
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "Incorrect email or password."
    assert acct(replica, BOB)["failed_logins"] == 1
    ok = client.post("/api/auth/signin/password", json={"login": step["login"], "password": "pw-Bob-1"})
    assert ok.get_json() == {"redirect": PREFERENCES_PATH}
    # the page's step for it: a password input with a label, no name
    html = page(replica.app.test_client(), SIGNIN)
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert Replica.UNATTENDED == {"signin": "password"}


def test_totp_step(replica: PerplexityReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "", totp_secret=SECRET)
    step = start(client, BOB)
    nxt = client.post("/api/auth/signin/otp", json={"login": step["login"], "code": replica.email_code(BOB)})
    assert nxt.get_json()["next"] == "totp"
    now = pyotp.TOTP(SECRET).now()
    bad = "000000" if now != "000000" else "111111"
    assert client.post("/api/auth/signin/totp", json={"login": step["login"], "code": bad}).status_code == 400
    assert acct(replica, BOB)["failed_challenges"] == 1
    ok = client.post("/api/auth/signin/totp", json={"login": step["login"], "code": now})
    assert ok.status_code == 200 and acct(replica, BOB)["sign_ins"] == 1


def test_google_and_apple_come_back_with_an_alert(client: FlaskClient) -> None:
    for provider, shown in (("google", "Google"), ("apple", "Apple")):
        resp = client.get(f"/api/auth/signin/{provider}?redirect={PREFERENCES_PATH}")
        assert resp.status_code == 302
        html = page(client, resp.headers["Location"])
        alerts = elements(html, role="alert")
        assert len(alerts) == 1 and shown in alerts[0]["_text"]
        assert config(html, "redirect")["redirect"] == PREFERENCES_PATH


def test_foreign_redirect_is_refused(replica: PerplexityReplica, client: FlaskClient) -> None:
    assert sign_in(replica, client, target="https://evil.example/x") == "/"
    assert sign_in(replica, replica.app.test_client(), target="https://www.perplexity.ai/library") == "/library"


def test_kept_session_and_revoked_session(replica: PerplexityReplica, signed: FlaskClient) -> None:
    assert signed.get(PREFERENCES_PATH).status_code == 200
    assert signed.get(SIGNIN).headers["Location"] == "/"  # signed in: the sign-in page goes on
    resp = signed.post("/__replica__/revoke_sessions", json={"email": ALICE})
    assert resp.get_json() == {"revoked": 1}
    gone = signed.get(PREFERENCES_PATH)
    assert gone.status_code == 302 and urlsplit(gone.headers["Location"]).path == SIGNIN
    assert signed.post("/__replica__/revoke_sessions", json={"email": "x@example.com"}).status_code == 404


def test_sign_out(signed: FlaskClient) -> None:
    assert signed.get("/api/auth/signout").status_code == 303
    assert signed.get(PREFERENCES_PATH).status_code == 302


# ---------------------------------------------------------------- the click path and the page

def test_guest_home_has_log_in_and_no_profile(client: FlaskClient) -> None:
    html = page(client, "/")
    links = {a["_text"]: a["href"] for a in elements(html, "a")}
    assert links["Log in"] == SIGNIN and links["Sign Up"] == SIGNIN
    assert not elements(html, "button", aria_haspopup="menu")
    assert "All settings" not in html


def test_click_path_reaches_the_switch(signed: FlaskClient) -> None:
    home = page(signed, "/")
    profile = elements(home, "button", aria_haspopup="menu")
    assert len(profile) == 1 and "alice" in profile[0]["_text"] and profile[0]["aria-expanded"] == "false"
    assert not elements(home, role="menu")  # the menu is drawn by script only while open
    path = click_path(signed)
    assert path == PREFERENCES_PATH
    html = page(signed, path)
    assert [h["_text"] for h in elements(html, "h3")] == ["General", "Artificial Intelligence"]
    sw = switch_for(html, LABEL)
    assert sw is not None and sw["aria-checked"] == "true" and sw["type"] == "button"
    assert "id" not in sw and "name" not in sw and "data-testid" not in sw
    desc = elements(html, id=sw["aria-describedby"])
    assert desc[0]["_text"] == HELP
    # the switch sits in the Artificial Intelligence section, after the General one's switches
    assert html.index("Artificial Intelligence") < html.index(f">{LABEL}<")
    assert switch_for(html, "Autosuggest") is not None and switch_for(html, "Homepage widgets") is not None
    assert len(elements(html, "button", role="switch")) == 3


def test_preferences_path_is_only_on_the_click_path(replica: PerplexityReplica, signed: FlaskClient) -> None:
    """No page before "All settings" names the Preferences path; guessed settings URLs are 404."""
    for path in ("/", "/discover", "/library", "/spaces"):
        assert PREFERENCES_PATH not in page(signed, path)
    assert PREFERENCES_PATH not in page(replica.app.test_client(), SIGNIN)
    for guess in ("/settings", "/settings/preferences", "/settings/account", "/preferences"):
        assert signed.get(guess).status_code == 404


def test_settings_tabs(signed: FlaskClient) -> None:
    root = page(signed, "/account")
    tabs = [a["_text"] for a in elements(root, "a") if a.get("href", "").startswith("/account")]
    assert tabs == ["Account", "Preferences", "Personalization", "Notifications", "Connectors"]
    current = elements(root, "a", aria_current="page")
    assert [a["_text"] for a in current] == ["Account"]


def test_ids_are_new_on_every_load(signed: FlaskClient) -> None:
    one, two = (switch_for(page(signed, PREFERENCES_PATH), LABEL) for _ in range(2))
    assert one and two and one["aria-labelledby"] != two["aria-labelledby"]


# ---------------------------------------------------------------- saving

def test_save_changes_server_state_and_nothing_else(replica: PerplexityReplica, signed: FlaskClient) -> None:
    html = page(signed, PREFERENCES_PATH)
    cfg = config(html, "saveUrl")
    assert cfg["saveUrl"] == SAVE and [r["key"] for r in cfg["rows"]] == ["autosuggest", "homepage_widgets",
                                                                         "ai_data_retention"]
    resp = save(signed, csrf(html), False)
    assert resp.status_code == 200
    a = acct(replica)
    assert a["ai_data_retention"] is False and a["saves"] == 1
    assert a["settings"] == {"autosuggest": True, "homepage_widgets": True}
    assert replica.opted_out(ALICE) == {"ai-data-retention": True}
    assert switch_for(page(signed, PREFERENCES_PATH), LABEL)["aria-checked"] == "false"  # a reload shows it


def test_neighbour_save_leaves_the_ai_switch(replica: PerplexityReplica, signed: FlaskClient) -> None:
    token = csrf(page(signed, PREFERENCES_PATH))
    assert save(signed, token, False, "autosuggest").status_code == 200
    a = acct(replica)
    assert a["settings"]["autosuggest"] is False and a["ai_data_retention"] is True and a["saves"] == 0


def test_save_needs_session_and_csrf(replica: PerplexityReplica, signed: FlaskClient) -> None:
    assert save(signed, "wrong", False).status_code == 403
    assert save(replica.app.test_client(), "x", False).status_code == 401
    token = csrf(page(signed, PREFERENCES_PATH))
    assert signed.post(SAVE, json={"setting": "ai_data_retention", "value": "off"},
                       headers={"x-csrf-token": token}).status_code == 400
    assert signed.post(SAVE, json={"setting": "other", "value": False}, headers={"x-csrf-token": token}).status_code \
        == 400
    assert acct(replica)["ai_data_retention"] is True and acct(replica)["saves"] == 0


def test_not_offered(replica: PerplexityReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "", available=False)
    sign_in(replica, client, BOB)
    html = page(client, PREFERENCES_PATH)
    assert "Artificial Intelligence" in [h["_text"] for h in elements(html, "h3")]
    assert switch_for(html, LABEL) is None and LABEL not in html
    assert switch_for(html, "Autosuggest") is not None
    assert save(client, csrf(html), False).status_code == 404
    assert acct(replica, BOB)["ai_data_retention"] is True
    assert replica.opted_out(BOB) == {"ai-data-retention": False}


def test_switch_back_on_and_reset(replica: PerplexityReplica, signed: FlaskClient) -> None:
    replica.add_account(BOB, "", ai_data_retention=False)
    save(signed, csrf(page(signed, PREFERENCES_PATH)), False)
    assert signed.post("/__replica__/switch_back_on", json={"email": ALICE}).get_json() == {"switched_on": [ALICE]}
    assert acct(replica)["ai_data_retention"] is True and acct(replica, BOB)["ai_data_retention"] is False
    assert sorted(replica.switch_back_on()) == [ALICE, BOB]
    assert acct(replica, BOB)["ai_data_retention"] is True
    replica.configure(older_release=True)
    replica.reset()
    assert acct(replica, BOB)["ai_data_retention"] is False  # as added
    assert acct(replica)["sessions"] == 0 and acct(replica)["sign_ins"] == 0
    assert replica.state()["variants"]["older_release"] is False


# ---------------------------------------------------------------- variants

def test_configure_rejects_unknown_and_bad(replica: PerplexityReplica, client: FlaskClient) -> None:
    with pytest.raises(ValueError):
        replica.configure(nope=1)
    with pytest.raises(ValueError):
        replica.configure(delay_ms="soon")
    assert client.post("/__replica__/config", json={"late_render_ms": "300", "replace_node": "true"}).status_code \
        == 200
    assert replica.variants.late_render_ms == 300 and replica.variants.replace_node is True


def test_older_release(replica: PerplexityReplica, signed: FlaskClient) -> None:
    before = page(signed, PREFERENCES_PATH)
    cls = elements(before, "button", role="switch")[0]["class"]
    replica.configure(older_release=True)
    html = page(signed, PREFERENCES_PATH)
    assert switch_for(html, LABEL) is None and switch_for(html, LABEL_OLDER) is not None
    assert elements(html, "button", role="switch")[0]["class"] != cls
    assert save(signed, csrf(html), False).status_code == 200 and replica.opted_out(ALICE)[
        "ai-data-retention"] is True


def test_late_render(replica: PerplexityReplica, signed: FlaskClient) -> None:
    replica.configure(late_render_ms=400)
    html = page(signed, PREFERENCES_PATH)
    assert not elements(html, "button", role="switch")
    assert len(elements(html, aria_busy="true")) == 3
    cfg = config(html, "lateMs")
    assert cfg["lateMs"] == 400 and any(LABEL in r["html"] for r in cfg["rows"])


def test_replace_node(replica: PerplexityReplica, signed: FlaskClient) -> None:
    assert config(page(signed, PREFERENCES_PATH), "replaceNode")["replaceNode"] is False
    replica.configure(replace_node=True)
    cfg = config(page(signed, PREFERENCES_PATH), "replaceNode")
    assert cfg["replaceNode"] is True and cfg["replaceAfterMs"] == 500


def test_save_fails_once(replica: PerplexityReplica, signed: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    html = page(signed, PREFERENCES_PATH)
    assert config(html, "text")["text"]["error"] == "Something went wrong. Please try again."
    token = csrf(html)
    assert save(signed, token, False).status_code == 500
    assert acct(replica)["ai_data_retention"] is True and acct(replica)["saves"] == 1
    assert save(signed, token, False).status_code == 200
    assert acct(replica)["ai_data_retention"] is False and acct(replica)["saves"] == 2
    replica.configure(save_fails_once=True)  # armed again
    assert save(signed, token, True).status_code == 500


def test_save_never_persists(replica: PerplexityReplica, signed: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    resp = save(signed, csrf(page(signed, PREFERENCES_PATH)), False)
    assert resp.status_code == 200 and resp.get_json() == {"setting": "ai_data_retention", "value": False}
    assert acct(replica)["ai_data_retention"] is True and replica.opted_out(ALICE)["ai-data-retention"] is False
    assert switch_for(page(signed, PREFERENCES_PATH), LABEL)["aria-checked"] == "true"


def test_first_load_503(replica: PerplexityReplica, signed: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    assert signed.get("/account").status_code == 200  # only the setting's page
    assert signed.get(PREFERENCES_PATH).status_code == 503
    assert signed.get(PREFERENCES_PATH).status_code == 200


def test_session_expired_once(replica: PerplexityReplica, signed: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    assert signed.get("/").status_code == 200  # not a settings page
    resp = signed.get(PREFERENCES_PATH)
    assert resp.status_code == 302 and parse_qs(urlsplit(resp.headers["Location"]).query)["redirect"] == [
        PREFERENCES_PATH]
    assert acct(replica)["sessions"] == 0
    assert sign_in(replica, signed, target=PREFERENCES_PATH) == PREFERENCES_PATH
    assert signed.get(PREFERENCES_PATH).status_code == 200


def test_delay_ms(replica: PerplexityReplica, client: FlaskClient) -> None:
    replica.configure(delay_ms=60)
    began = time.monotonic()
    client.get("/")
    assert time.monotonic() - began >= 0.06
    began = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - began < 0.05

"""Tests of the Claude replica alone, through Flask's test client (no browser, no port): the
interface, the sign-in steps, the privacy page's markup, the background save, the terms modal and
each variant. The scripts themselves were checked once by hand in Chromium (see README.md)."""

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

from tests.platforms.claude.replica import ClaudeReplica, Replica
from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

ALICE, BOB = "alice@example.com", "bob@example.com"
PRIVACY = "/settings/data-privacy-controls"
SAVE = "/api/account/settings"
LABEL, LABEL_NEWER = "Help improve Claude", "Help improve our AI models"
DESC = "Allow the use of your chats and coding sessions to train and improve Anthropic AI models."
MODAL_TITLE = "Updates to Consumer Terms and Policies"
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
        if tag not in ("input", "meta", "br", "img"):
            self._open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for i in self._open:
            self.text[i] = self.text.get(i, "") + data


def parse(html: str) -> _Elements:
    html = re.sub(r"<(script|template)\b.*?</\1>", "", html, flags=re.S)  # only what is on the page
    parser = _Elements()
    parser.feed(html)
    return parser


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    out = []
    parsed = parse(html)
    for i, (name, have) in enumerate(parsed.found):
        if tag and name != tag:
            continue
        if all(have.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
            out.append({**have, "_text": " ".join(parsed.text.get(i, "").split())})
    return out


def switch_for(html: str, label: str) -> dict[str, str] | None:
    """The switch a <label> with this text points at, as a flow would find it."""
    labels = [e for e in elements(html, "label") if e["_text"] == label]
    if not labels:
        return None
    assert len(labels) == 1
    found = elements(html, "button", id=labels[0]["for"])
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


def start(client: FlaskClient, email: str, return_to: str = "") -> dict[str, Any]:
    resp = client.post("/api/auth/start", json={"email": email, "returnTo": return_to})
    assert resp.status_code == 200
    return resp.get_json()


def sign_in(replica: ClaudeReplica, client: FlaskClient, email: str = ALICE, return_to: str = "") -> str:
    """Email, then the emailed code: where the page is sent."""
    login = start(client, email, return_to)["login"]
    resp = client.post("/api/auth/verify", json={"login": login, "code": replica.email_code(email)})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["redirect"]


def csrf(html: str) -> str:
    return config(html, "csrf")["csrf"]


def save(client: FlaskClient, token: str, value: bool, setting: str = "help_improve") -> Any:
    return client.post(SAVE, json={"setting": setting, "value": value}, headers={"x-csrf-token": token})


def acct(replica: ClaudeReplica, email: str = ALICE) -> dict[str, Any]:
    return replica.state()["accounts"][email]


@pytest.fixture
def replica() -> ClaudeReplica:
    r = ClaudeReplica()
    r.add_account(ALICE, "", name="Alice Example")
    return r


@pytest.fixture
def client(replica: ClaudeReplica) -> FlaskClient:
    return replica.app.test_client()


@pytest.fixture
def signed(replica: ClaudeReplica, client: FlaskClient) -> FlaskClient:
    sign_in(replica, client)
    return client


# ---------------------------------------------------------------- interface and accounts

def test_satisfies_the_interface() -> None:
    assert problems(Replica, {"help-improve"}) == []


def test_default_account_state(replica: ClaudeReplica) -> None:
    a = acct(replica)
    assert a["help_improve"] is True and a["help_improve_available"] is True
    assert a["terms_pending"] is False and a["terms_answer"] is None and a["terms_answered_at"] is None
    assert (a["saves"], a["sign_ins"], a["failed_logins"], a["sessions"]) == (0, 0, 0, 0)
    assert a["settings"] == {"location_metadata": True}
    assert replica.opted_out(ALICE) == {"help-improve": False}


def test_account_options() -> None:
    r = ClaudeReplica()
    assert r.add_account("carol.jones@example.com", "")["name"] == "Carol Jones"
    assert r.add_account(BOB, "", terms_answered="false")["terms_pending"] is True
    with pytest.raises(TypeError):
        r.add_account("d@example.com", "", region="FR")
    for bad in ({"plan": "business"}, {"signin": "sms"}, {"signin": "password"}, {"terms_answered": "maybe"}):
        with pytest.raises(ValueError):
            r.add_account("e@example.com", "", **bad)
    # the command line's account spec (tests/replicas/__main__.py) gives strings
    spec = parse_account("f@example.com:pw-F-1:Fay:terms_answered=false,plan=pro,signin=password")
    made = r.add_account(**spec)
    assert (made["name"], made["plan"], made["signin"], made["terms_pending"]) == ("Fay", "pro", "password", True)


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_goes_to_login_and_comes_back(replica: ClaudeReplica, client: FlaskClient) -> None:
    resp = client.get(PRIVACY)
    assert resp.status_code == 302
    login_url = urlsplit(resp.headers["Location"])
    assert login_url.path == "/login" and parse_qs(login_url.query)["returnTo"] == [PRIVACY]
    html = page(client, resp.headers["Location"])
    email = elements(html, "input", type="email")
    assert len(email) == 1 and "name" not in email[0] and elements(html, "label", for_=email[0]["id"])
    buttons = [b["_text"] for b in elements(html, "button")]
    assert "Continue with email" in buttons and "Continue with Google" in buttons
    assert config(html, "returnTo")["returnTo"] == PRIVACY
    assert sign_in(replica, client, return_to=PRIVACY) == PRIVACY
    assert client.get(PRIVACY).status_code == 200


def test_email_code_sign_in(replica: ClaudeReplica, client: FlaskClient) -> None:
    assert replica.email_code(ALICE) is None
    assert client.post("/__replica__/email_code", json={"email": ALICE}).status_code == 404
    step = start(client, ALICE)
    assert step["next"] == "code"
    code = client.post("/__replica__/email_code", json={"email": ALICE}).get_json()["code"]
    assert re.fullmatch(r"\d{6}", code) and code == replica.email_code(ALICE)
    other = "000000" if code != "000000" else "111111"
    wrong = client.post("/api/auth/verify", json={"login": step["login"], "code": other})
    assert wrong.status_code == 400 and wrong.get_json()["error"]
    assert acct(replica)["failed_logins"] == 1
    ok = client.post("/api/auth/verify", json={"login": step["login"], "code": code})
    assert ok.get_json() == {"redirect": "/new"}
    cookie = ok.headers["Set-Cookie"]
    assert cookie.startswith("sessionKey=") and "HttpOnly" in cookie and "Max-Age=" in cookie
    a = acct(replica)
    assert (a["sign_ins"], a["sessions"], a["codes_sent"]) == (1, 1, 1)
    # the code is single-use: the login attempt is gone
    again = client.post("/api/auth/verify", json={"login": step["login"], "code": code})
    assert again.status_code == 400 and again.get_json()["restart"] is True
    assert client.get("/").headers["Location"].endswith("/new")
    assert client.get("/login").headers["Location"].endswith("/new")


def test_code_void_after_five_wrong_tries_and_resend(replica: ClaudeReplica, client: FlaskClient) -> None:
    step = start(client, ALICE)
    code = replica.email_code(ALICE)
    for _ in range(5):
        client.post("/api/auth/verify", json={"login": step["login"], "code": "x"})
    spent = client.post("/api/auth/verify", json={"login": step["login"], "code": code})
    assert spent.status_code == 400 and "new code" in spent.get_json()["error"]
    assert client.post("/api/auth/resend", json={"login": step["login"]}).status_code == 200
    fresh = replica.email_code(ALICE)
    assert acct(replica)["codes_sent"] == 2
    assert client.post("/api/auth/verify", json={"login": step["login"], "code": fresh}).status_code == 200


def test_unknown_email_gets_a_code_page_but_no_code(replica: ClaudeReplica, client: FlaskClient) -> None:
    step = start(client, "nobody@example.com")
    assert step["next"] == "code"
    assert replica.email_code("nobody@example.com") is None
    assert client.post("/api/auth/verify", json={"login": step["login"], "code": "123456"}).status_code == 400
    assert replica.state()["unknown_logins"] == 1
    assert client.post("/api/auth/start", json={"email": "not-an-email"}).status_code == 400


def test_password_and_totp_sign_in(replica: ClaudeReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "pw-Bob-1", signin="password", totp_secret=SECRET)
    step = start(client, BOB, PRIVACY)
    assert step["next"] == "password" and replica.email_code(BOB) is None
    wrong = client.post("/api/auth/password", json={"login": step["login"], "password": "nope"})
    assert wrong.status_code == 400 and wrong.get_json()["error"] == "Incorrect email or password."
    assert acct(replica, BOB)["failed_logins"] == 1
    right = client.post("/api/auth/password", json={"login": step["login"], "password": "pw-Bob-1"})
    assert right.get_json()["next"] == "totp" and "Set-Cookie" not in right.headers
    bad = client.post("/api/auth/totp", json={"login": step["login"], "code": "000000"})
    assert bad.status_code == 400 and acct(replica, BOB)["failed_challenges"] == 1
    done = client.post("/api/auth/totp", json={"login": step["login"], "code": pyotp.TOTP(SECRET).now()})
    assert done.get_json() == {"redirect": PRIVACY} and acct(replica, BOB)["sign_ins"] == 1


def test_return_to_is_kept_on_this_site(replica: ClaudeReplica, client: FlaskClient) -> None:
    assert sign_in(replica, client, return_to=f"https://claude.ai{PRIVACY}") == PRIVACY
    assert sign_in(replica, client.application.test_client(), return_to="https://evil.example/x") == "/new"
    assert sign_in(replica, replica.app.test_client(), return_to="//evil.example/x") == "/new"


def test_google_button_comes_back_with_an_error(client: FlaskClient) -> None:
    resp = client.get(f"/login/google?returnTo={PRIVACY}")
    html = page(client, resp.headers["Location"])
    assert [e["_text"] for e in elements(html, role="alert")] == [
        "We couldn’t sign you in with Google. Please try again or continue with email."]


def test_logout_and_revoked_session(replica: ClaudeReplica, signed: FlaskClient) -> None:
    assert signed.get("/new").status_code == 200
    assert replica.revoke_sessions(ALICE) == 1
    resp = signed.get(PRIVACY)
    assert resp.status_code == 302 and resp.headers["Location"].startswith("/login?returnTo=")
    sign_in(replica, signed)
    assert signed.post("/__replica__/revoke_sessions", json={"email": ALICE}).get_json() == {"revoked": 1}
    sign_in(replica, signed)
    assert signed.get("/logout").status_code == 303 and signed.get("/new").status_code == 302


# ---------------------------------------------------------------- the settings page and the save

def test_privacy_page_markup(replica: ClaudeReplica, signed: FlaskClient) -> None:
    html = page(signed, PRIVACY)
    sw = switch_for(html, LABEL)
    assert sw is not None
    assert (sw["role"], sw["aria-checked"], sw["data-state"], sw["type"]) == ("switch", "true", "checked", "button")
    assert "name" not in sw and re.fullmatch(r":r\d+:", sw["id"])
    assert [e["_text"] for e in elements(html, "p", id=sw["aria-describedby"])] == [DESC]
    location = switch_for(html, "Location metadata")
    assert location is not None and html.index(location["id"]) < html.index(sw["id"])  # a neighbour comes first
    assert len(elements(html, role="switch")) == 2 and not elements(html, role="dialog")
    again = switch_for(page(signed, PRIVACY), LABEL)
    assert again is not None and again["id"] != sw["id"]  # generated ids: new on each load


def test_click_path_settings_then_privacy(signed: FlaskClient) -> None:
    html = page(signed, "/new")
    trigger = elements(html, "button", aria_haspopup="menu")
    assert len(trigger) == 1 and trigger[0]["aria-expanded"] == "false" and "Alice Example" in trigger[0]["_text"]
    assert not elements(html, role="menu") and not [a for a in elements(html, "a") if a["_text"] == "Settings"]
    menu = config(html, "items")
    settings = [i for i in menu["items"] if i["label"] == "Settings"]
    assert settings == [{"label": "Settings", "href": "/settings/general"}]
    assert signed.get("/settings").headers["Location"].endswith("/settings/general")
    general = page(signed, "/settings/general")
    privacy = [a for a in elements(general, "a") if a["_text"] == "Privacy"]
    assert [a["href"] for a in privacy] == [PRIVACY]
    assert switch_for(general, LABEL) is None


def test_save_changes_only_the_ai_setting(replica: ClaudeReplica, signed: FlaskClient) -> None:
    html = page(signed, PRIVACY)
    token = csrf(html)
    assert config(html, "saveUrl")["saveUrl"] == SAVE
    assert save(signed, token, False).get_json() == {"setting": "help_improve", "value": False}
    a = acct(replica)
    assert a["help_improve"] is False and a["saves"] == 1 and a["settings"] == {"location_metadata": True}
    assert a["exports"] == 0 and a["terms_answer"] is None
    assert replica.opted_out(ALICE) == {"help-improve": True}
    reloaded = switch_for(page(signed, PRIVACY), LABEL)
    assert reloaded is not None and (reloaded["aria-checked"], reloaded["data-state"]) == ("false", "unchecked")
    # the neighbour saves on its own, never touching the AI setting
    assert save(signed, token, False, "location_metadata").status_code == 200
    assert acct(replica)["help_improve"] is False and acct(replica)["saves"] == 1


def test_save_needs_session_and_csrf(replica: ClaudeReplica, client: FlaskClient) -> None:
    assert save(client, "x", False).status_code == 401
    sign_in(replica, client)
    assert save(client, "wrong", False).status_code == 403
    assert client.post(SAVE, json={"setting": "help_improve", "value": "off"},
                       headers={"x-csrf-token": csrf(page(client, PRIVACY))}).status_code == 400
    assert acct(replica)["help_improve"] is True and acct(replica)["saves"] == 0


def test_switch_back_on_and_reset(replica: ClaudeReplica, signed: FlaskClient) -> None:
    save(signed, csrf(page(signed, PRIVACY)), False)
    assert replica.switch_back_on(ALICE) == [ALICE] and acct(replica)["help_improve"] is True
    with pytest.raises(KeyError):
        replica.switch_back_on("nobody@example.com")
    replica.configure(newer_release=True)
    replica.reset()
    a = acct(replica)
    assert (a["sign_ins"], a["sessions"], a["saves"]) == (0, 0, 0)
    assert replica.state()["variants"]["newer_release"] is False
    assert signed.get(PRIVACY).status_code == 302


def test_team_plan_has_no_ai_switch_and_no_modal(replica: ClaudeReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "", plan="team", terms_answered=False)
    sign_in(replica, client, BOB)
    html = page(client, PRIVACY)
    assert switch_for(html, LABEL) is None and switch_for(html, "Location metadata") is not None
    assert "Privacy settings" in html and not elements(html, role="dialog")
    assert save(client, csrf(html), False).status_code == 404
    a = acct(replica, BOB)
    assert a["help_improve_available"] is False and a["terms_pending"] is False
    assert replica.opted_out(BOB) == {"help-improve": False}


# ---------------------------------------------------------------- the terms modal

@pytest.fixture
def pending(replica: ClaudeReplica, client: FlaskClient) -> FlaskClient:
    replica.add_account(BOB, "", name="Bob Brown", terms_answered=False)
    sign_in(replica, client, BOB)
    return client


def modal(html: str) -> dict[str, str]:
    dialogs = elements(html, role="dialog")
    assert len(dialogs) == 1
    return dialogs[0]


def accept(client: FlaskClient, html: str, value: bool) -> Any:
    cfg = config(html, "acceptUrl")
    return client.post(cfg["acceptUrl"], json={"help_improve": value}, headers={"x-csrf-token": cfg["csrf"]})


def test_modal_on_every_app_page_blocking_it(pending: FlaskClient) -> None:
    for path in ("/new", "/settings/general", PRIVACY):
        html = page(pending, path)
        d = modal(html)
        assert d["aria-modal"] == "true"
        assert [e["_text"] for e in elements(html, id=d["aria-labelledby"])] == [MODAL_TITLE]
        app = elements(html, id=config(html, "acceptUrl")["app"])
        assert len(app) == 1 and "inert" in app[0] and app[0]["aria-hidden"] == "true"
        buttons = [b["_text"] for b in elements(html, "button") if b["_text"] in ("Accept", "Not now")]
        assert sorted(buttons) == ["Accept", "Not now"]
    # on the settings page the label is there twice: in the modal (pre-set On) and on the page behind
    labels = [e for e in elements(html, "label") if e["_text"] == LABEL]
    assert len(labels) == 2
    for label in labels:
        sw = elements(html, "button", id=label["for"])[0]
        assert (sw["role"], sw["aria-checked"], sw["data-state"]) == ("switch", "true", "checked")


def test_modal_accept_off_records_the_answer(replica: ClaudeReplica, pending: FlaskClient) -> None:
    assert acct(replica, BOB)["terms_pending"] is True
    html = page(pending, PRIVACY)
    resp = accept(pending, html, False)
    assert resp.status_code == 200 and resp.get_json()["help_improve"] is False
    a = acct(replica, BOB)
    assert (a["terms_pending"], a["terms_answer"], a["help_improve"]) == (False, "off", False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", a["terms_answered_at"])
    assert a["saves"] == 0 and a["settings"] == {"location_metadata": True}
    assert replica.opted_out(BOB) == {"help-improve": True}
    after = page(pending, PRIVACY)
    assert not elements(after, role="dialog") and "inert" not in after
    sw = switch_for(after, LABEL)
    assert sw is not None and sw["aria-checked"] == "false"
    assert accept(pending, html, True).status_code == 409  # answered once
    assert acct(replica, BOB)["terms_answer"] == "off"


def test_modal_accepted_on_is_never_opted_out(replica: ClaudeReplica, pending: FlaskClient) -> None:
    html = page(pending, "/new")
    assert accept(pending, html, True).status_code == 200
    assert acct(replica, BOB)["terms_answer"] == "on" and acct(replica, BOB)["help_improve"] is True
    save(pending, csrf(page(pending, PRIVACY)), False)
    assert acct(replica, BOB)["help_improve"] is False
    assert replica.opted_out(BOB) == {"help-improve": False}  # the modal's On answer still stands


def test_modal_not_now_keeps_it_pending(replica: ClaudeReplica, pending: FlaskClient) -> None:
    html = page(pending, "/new")
    cfg = config(html, "deferUrl")
    assert pending.post(cfg["deferUrl"], json={}, headers={"x-csrf-token": cfg["csrf"]}).status_code == 204
    a = acct(replica, BOB)
    assert (a["terms_deferred"], a["terms_pending"], a["terms_answer"]) == (1, True, None)
    modal(page(pending, "/new"))
    # without answering, an Off saved on the page counts
    save(pending, csrf(page(pending, PRIVACY)), False)
    assert replica.opted_out(BOB) == {"help-improve": True}


def test_modal_accept_needs_session_and_csrf(replica: ClaudeReplica, pending: FlaskClient) -> None:
    url = "/api/account/consumer_terms"
    assert pending.post(url, json={"help_improve": False}, headers={"x-csrf-token": "x"}).status_code == 403
    assert replica.app.test_client().post(url, json={"help_improve": False}).status_code == 401
    assert acct(replica, BOB)["terms_pending"] is True


# ---------------------------------------------------------------- variants

def test_configure_rejects_unknown_and_bad_values(replica: ClaudeReplica, client: FlaskClient) -> None:
    with pytest.raises(ValueError):
        replica.configure(no_such=True)
    with pytest.raises(ValueError):
        replica.configure(settings_entry="footer")
    assert client.post("/__replica__/config", json={"late_render_ms": "-5"}).status_code == 400
    assert client.post("/__replica__/config", json={"late_render_ms": "300"}).get_json()["late_render_ms"] == 300


def test_newer_release_label(replica: ClaudeReplica, signed: FlaskClient) -> None:
    before = page(signed, PRIVACY)
    replica.configure(newer_release=True)
    html = page(signed, PRIVACY)
    assert switch_for(html, LABEL) is None and switch_for(html, LABEL_NEWER) is not None
    old_classes = set(re.findall(r'class="([A-Za-z]{32})', before))
    assert old_classes and not old_classes & set(re.findall(r'class="([A-Za-z]{32})', html))
    replica.add_account(BOB, "", terms_answered=False)
    sign_in(replica, signed, BOB)
    assert [e["_text"] for e in elements(page(signed, "/new"), "label")] == [LABEL_NEWER]


def test_late_render(replica: ClaudeReplica, signed: FlaskClient) -> None:
    replica.configure(late_render_ms=800)
    html = page(signed, PRIVACY)
    assert not elements(html, role="switch") and len(elements(html, aria_busy="true")) == 2
    cfg = config(html, "lateMs")
    assert cfg["lateMs"] == 800
    row = next(r for r in cfg["rows"] if r["key"] == "help_improve")
    assert switch_for(row["html"], LABEL) is not None


def test_replace_node_flag(replica: ClaudeReplica, signed: FlaskClient) -> None:
    assert config(page(signed, PRIVACY), "replaceNode")["replaceNode"] is False
    replica.configure(replace_node=True)
    assert config(page(signed, PRIVACY), "replaceNode")["replaceNode"] is True


def test_save_fails_once(replica: ClaudeReplica, signed: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    token = csrf(page(signed, PRIVACY))
    assert save(signed, token, False).status_code == 500 and acct(replica)["help_improve"] is True
    assert save(signed, token, False).status_code == 200 and acct(replica)["help_improve"] is False
    assert acct(replica)["saves"] == 2


def test_save_never_persists(replica: ClaudeReplica, signed: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    assert save(signed, csrf(page(signed, PRIVACY)), False).get_json() == {"setting": "help_improve", "value": False}
    assert acct(replica)["help_improve"] is True and replica.opted_out(ALICE) == {"help-improve": False}


def test_first_load_503(replica: ClaudeReplica, signed: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    assert signed.get("/settings/general").status_code == 200  # only the privacy page
    assert signed.get(PRIVACY).status_code == 503
    assert signed.get(PRIVACY).status_code == 200


def test_session_expired_once(replica: ClaudeReplica, signed: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    assert signed.get("/new").status_code == 200  # not a settings page
    resp = signed.get(PRIVACY)
    assert resp.status_code == 302 and parse_qs(urlsplit(resp.headers["Location"]).query)["returnTo"] == [PRIVACY]
    assert "sessionKey=;" in resp.headers["Set-Cookie"] and acct(replica)["sessions"] == 0
    assert sign_in(replica, signed, return_to=PRIVACY) == PRIVACY
    assert signed.get(PRIVACY).status_code == 200


def test_settings_entry_sidebar(replica: ClaudeReplica, signed: FlaskClient) -> None:
    replica.configure(settings_entry="sidebar")
    links = [a for a in elements(page(signed, "/new"), "a") if a["_text"] == "Settings"]
    assert [a["href"] for a in links] == ["/settings/general"]


def test_delay_ms_spares_control_endpoints(replica: ClaudeReplica, client: FlaskClient) -> None:
    replica.configure(delay_ms=120)
    began = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - began < 0.1
    began = time.monotonic()
    client.get("/login")
    assert time.monotonic() - began >= 0.12

"""Tests of the Microsoft Copilot replica alone, through Flask's test client (no browser, no port): the
interface, the Microsoft account sign-in steps, the click path profile picture → Settings → Privacy,
the switches' markup, the background save and each variant."""

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

from tests.platforms.copilot.replica import (
    MOBILE_PRIVACY_PATH,
    MODEL_TRAINING_PATH,
    PRIVACY_PATH,
    SESSION_COOKIE,
    CopilotReplica,
    Replica,
)
from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

ALICE, BOB = "alice@example.com", "bob@example.com"
PW = "alice-Pw-1"
SIGNIN = "/login.srf"
SAVE = "/c/api/user/settings"
TEXT, VOICE = "Model training on text", "Model training on voice"
NEIGHBOURS = ("Personalization and memory", "Ad personalization")
IDS = {"text-training", "voice-training"}
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
        if tag not in ("input", "meta", "br", "img", "path", "rect", "circle"):
            self._open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for i in self._open:
            self.text[i] = self.text.get(i, "") + data


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    """Start tags on the page (not in scripts, templates or pictures) with these attributes, and their text."""
    html = re.sub(r"<(script|template|svg)\b.*?</\1>", "", html, flags=re.S)
    parsed = _Elements()
    parsed.feed(html)
    out = []
    for i, (name, have) in enumerate(parsed.found):
        if tag and name != tag:
            continue
        if all(have.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
            out.append({**have, "_tag": name, "_text": " ".join(parsed.text.get(i, "").split())})
    return out


def templates(html: str) -> str:
    return "".join(re.findall(r"<template\b[^>]*>(.*?)</template>", html, flags=re.S))


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


def start(client: FlaskClient, email: str, target: str = "") -> Any:
    return client.post("/GetCredentialType.srf", json={"username": email, "wreply": target})


def sign_in(client: FlaskClient, email: str = ALICE, password: str = PW, target: str = "") -> str:
    """Email, Next, password: where the page is sent."""
    step = start(client, email, target).get_json()
    assert step["next"] == "password", step
    resp = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": password})
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["redirect"]


def menu_items(html: str) -> list[dict[str, Any]]:
    """The profile picture's menu items (the menu is drawn by script from this config)."""
    return config(html, "items")["items"]


def click_path(client: FlaskClient) -> str:
    """Home → profile picture → "Settings" → "Privacy": the path of the page with the switches."""
    home = page(client, "/")
    trigger = elements(home, "button", aria_haspopup="menu")
    assert len(trigger) == 1
    settings = next(i for i in menu_items(home) if i["label"] == "Settings")
    if "children" in settings:  # the submenu variant
        return next(c["href"] for c in settings["children"] if c["label"] == "Privacy")
    links = [a for a in elements(page(client, settings["href"]), "a") if a["_text"] == "Privacy"]
    assert len(links) == 1
    return links[0]["href"]


def save(client: FlaskClient, token: str, value: bool, setting: str = "trainingOnText") -> Any:
    return client.post(SAVE, json={"setting": setting, "value": value}, headers={"x-csrf-token": token})


def csrf(html: str) -> str:
    return config(html, "csrf")["csrf"]


def acct(replica: CopilotReplica, email: str = ALICE) -> dict[str, Any]:
    return replica.state()["accounts"][email]


@pytest.fixture
def replica() -> CopilotReplica:
    r = CopilotReplica()
    r.add_account(ALICE, PW, name="Alice Example")
    return r


@pytest.fixture
def client(replica: CopilotReplica) -> FlaskClient:
    return replica.app.test_client()


@pytest.fixture
def signed(client: FlaskClient) -> FlaskClient:
    sign_in(client)
    return client


# ---------------------------------------------------------------- interface and accounts

def test_satisfies_the_interface() -> None:
    assert problems(Replica, IDS) == []


def test_default_account_state(replica: CopilotReplica) -> None:
    a = acct(replica)
    assert (a["name"], a["signin"], a["available"], a["photo"], a["totp"]) == ("Alice Example", "password", True,
                                                                              True, False)
    assert a["text_training"] is True and a["voice_training"] is True
    assert a["text_training_available"] is True and a["voice_training_available"] is True
    assert a["settings"] == {"personalization": True, "adPersonalization": True}
    assert (a["saves"], a["sign_ins"], a["failed_logins"], a["sessions"]) == (0, 0, 0, 0)
    assert replica.opted_out(ALICE) == {"text-training": False, "voice-training": False}
    assert set(replica.state()["variants"]) == {
        "delay_ms", "late_render_ms", "replace_node", "save_fails_once", "save_never_persists", "first_load_503",
        "session_expired_once", "settings_menu", "mobile_path", "stay_signed_in"}


def test_account_options() -> None:
    r = CopilotReplica()
    assert r.add_account(BOB, "pw")["name"] == "Bob"  # from the email
    made = r.add_account("c@example.com", "pw", text_training="false", voice_training=False)
    assert (made["text_training"], made["voice_training"]) == (False, False)
    assert r.opted_out("c@example.com") == {"text-training": True, "voice-training": True}
    with pytest.raises(TypeError):
        r.add_account("d@example.com", "pw", region="FR")
    for bad in ({"signin": "magic_link"}, {"available": "maybe"}, {"photo": "x"}, {"totp_secret": "not base32!"}):
        with pytest.raises(ValueError):
            r.add_account("e@example.com", "pw", **bad)
    with pytest.raises(ValueError):
        r.add_account("e@example.com", "", signin="password")
    with pytest.raises(ValueError):
        r.add_account("not-an-email", "pw")
    spec = parse_account("f@example.com:pw-F-1:Fay Fox:signin=sms_code,available=false,photo=false")
    made = r.add_account(**spec)
    assert (made["name"], made["signin"], made["available"], made["photo"]) == ("Fay Fox", "sms_code", False, False)
    assert made["text_training_available"] is False
    assert r.opted_out("f@example.com") == {"text-training": False, "voice-training": False}


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_goes_to_sign_in_and_comes_back(client: FlaskClient) -> None:
    resp = client.get(PRIVACY_PATH)
    assert resp.status_code == 302
    there = urlsplit(resp.headers["Location"])
    assert there.path == SIGNIN and parse_qs(there.query)["wreply"] == [PRIVACY_PATH]
    html = page(client, resp.headers["Location"])
    email = elements(html, "input", type="email")
    assert len(email) == 1 and "name" not in email[0] and elements(html, "label", for_=email[0]["id"])
    assert [b["_text"] for b in elements(html, "button")] == ["Next"]
    assert [h["_text"] for h in elements(html, "h1")] == ["Sign in"]
    assert config(html, "wreply")["wreply"] == PRIVACY_PATH
    # the other steps: ordinary labelled inputs without names, in templates the script swaps in
    steps = templates(html)
    for kind, autocomplete in (("password", "current-password"), ("text", "one-time-code")):
        fields = elements(steps, "input", type=kind, autocomplete=autocomplete)
        assert fields and all("name" not in f and elements(steps, "label", for_=f["id"]) for f in fields)
    for text in ("Enter password", "Enter code", "Approve sign in request", "Sign in", "Verify"):
        assert text in steps
    assert sign_in(client, target=PRIVACY_PATH) == PRIVACY_PATH
    assert client.get(PRIVACY_PATH).status_code == 200
    for path in ("/options", "/options/voice"):  # every settings page
        assert replica_client_redirect(client, path)


def replica_client_redirect(client: FlaskClient, path: str) -> bool:
    fresh = client.application.test_client()
    return fresh.get(path).headers["Location"].startswith(f"{SIGNIN}?wreply=")


def test_password_sign_in(replica: CopilotReplica, client: FlaskClient) -> None:
    step = start(client, ALICE).get_json()
    assert step["next"] == "password" and step["hasPassword"] is True
    wrong = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": "nope"})
    assert wrong.status_code == 400 and wrong.get_json()["error"].startswith("Your account or password is incorrect")
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    ok = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": PW})
    assert ok.status_code == 200 and ok.get_json() == {"redirect": "/"}
    cookie = ok.headers["Set-Cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "Max-Age=7776000" in cookie
    assert (acct(replica)["sign_ins"], acct(replica)["sessions"]) == (1, 1)
    again = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": PW})
    assert again.status_code == 400 and again.get_json()["restart"] is True  # the pending sign-in is spent
    assert client.get(SIGNIN).headers["Location"] == "/"  # signed in: the sign-in page goes on


def test_unknown_and_malformed_email(replica: CopilotReplica, client: FlaskClient) -> None:
    unknown = start(client, "nobody@example.com")
    assert unknown.status_code == 400 and "doesn't exist" in unknown.get_json()["error"]
    assert replica.state()["unknown_logins"] == 1
    assert start(client, "nope").status_code == 400


@pytest.mark.parametrize("signin,channel", [("email_code", "email"), ("sms_code", "sms")])
def test_code_sign_in(replica: CopilotReplica, client: FlaskClient, signin: str, channel: str) -> None:
    replica.add_account(BOB, "bob-Pw-1", signin=signin)
    assert replica.email_code(BOB) is None
    assert client.post("/__replica__/email_code", json={"email": BOB}).status_code == 404
    step = start(client, BOB, PRIVACY_PATH).get_json()
    assert (step["next"], step["channel"]) == ("code", channel)
    assert ("bo***@example.com" if channel == "email" else "*******") in step["hint"]
    code = client.post("/__replica__/email_code", json={"email": BOB}).get_json()["code"]
    assert re.fullmatch(r"\d{6}", code) and code == replica.email_code(BOB)
    other = "000000" if code != "000000" else "111111"
    wrong = client.post("/ppsecure/otc.srf", json={"login": step["login"], "code": other})
    assert wrong.status_code == 400 and wrong.get_json()["error"].startswith("That code didn't work")
    assert acct(replica, BOB)["failed_logins"] == 1
    ok = client.post("/ppsecure/otc.srf", json={"login": step["login"], "code": code})
    assert ok.get_json() == {"redirect": PRIVACY_PATH} and acct(replica, BOB)["codes_sent"] == 1


def test_code_tries_resend_and_use_password(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", signin="email_code")
    step = start(client, BOB).get_json()
    first = replica.email_code(BOB)
    bad = "000000" if first != "000000" else "111111"
    for _ in range(5):
        client.post("/ppsecure/otc.srf", json={"login": step["login"], "code": bad})
    spent = client.post("/ppsecure/otc.srf", json={"login": step["login"], "code": first})
    assert spent.status_code == 400 and "Request a new code" in spent.get_json()["error"]
    assert client.post("/ppsecure/otc/resend.srf", json={"login": step["login"]}).get_json() == {"sent": True}
    assert acct(replica, BOB)["codes_sent"] == 2
    # "Use your password instead"
    moved = client.post("/ppsecure/usepassword.srf", json={"login": step["login"]}).get_json()
    assert moved["next"] == "password"
    ok = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": "bob-Pw-1"})
    assert ok.status_code == 200
    # an account without a password has no such way
    replica.add_account("c@example.com", "", signin="email_code")
    step = start(client, "c@example.com").get_json()
    assert step["hasPassword"] is False
    assert client.post("/ppsecure/usepassword.srf", json={"login": step["login"]}).status_code == 404


def test_app_approval(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", signin="app", totp_secret=SECRET)
    step = start(client, BOB, PRIVACY_PATH).get_json()
    assert step["next"] == "app" and re.fullmatch(r"\d{2}", step["number"])
    assert replica.state()["pending_approvals"] == [BOB]
    poll = client.post("/ppsecure/approval.srf", json={"login": step["login"]})
    assert poll.get_json() == {"pending": True}
    assert client.post("/__replica__/approve", json={"email": BOB}).get_json() == {"approved": True}
    assert client.post("/__replica__/approve", json={"email": "x@example.com"}).status_code == 404
    done = client.post("/ppsecure/approval.srf", json={"login": step["login"]})
    assert done.get_json() == {"redirect": PRIVACY_PATH}  # the approval stands for the second factor
    assert acct(replica, BOB)["sign_ins"] == 1 and client.get(PRIVACY_PATH).status_code == 200


def test_totp_step(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", totp_secret=SECRET)
    step = start(client, BOB).get_json()
    nxt = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": "bob-Pw-1"}).get_json()
    assert nxt["next"] == "totp"
    now = pyotp.TOTP(SECRET).now()
    bad = "000000" if now != "000000" else "111111"
    wrong = client.post("/ppsecure/totp.srf", json={"login": step["login"], "code": bad})
    assert wrong.status_code == 400 and acct(replica, BOB)["failed_challenges"] == 1
    ok = client.post("/ppsecure/totp.srf", json={"login": step["login"], "code": now})
    assert ok.status_code == 200 and acct(replica, BOB)["sign_ins"] == 1


def test_stay_signed_in_prompt(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.configure(stay_signed_in=True)
    step = start(client, ALICE).get_json()
    nxt = client.post("/ppsecure/post.srf", json={"login": step["login"], "password": PW}).get_json()
    assert nxt["next"] == "kmsi" and acct(replica)["sign_ins"] == 0
    no = client.post("/ppsecure/kmsi.srf", json={"login": step["login"], "stay": False})
    assert no.get_json() == {"redirect": "/"} and "Max-Age" not in no.headers["Set-Cookie"]
    c2 = replica.app.test_client()
    step = start(c2, ALICE).get_json()
    c2.post("/ppsecure/post.srf", json={"login": step["login"], "password": PW})
    yes = c2.post("/ppsecure/kmsi.srf", json={"login": step["login"], "stay": True})
    assert "Max-Age=7776000" in yes.headers["Set-Cookie"] and acct(replica)["sign_ins"] == 2
    assert "Stay signed in?" in templates(page(replica.app.test_client(), SIGNIN))


def test_foreign_wreply_is_refused(client: FlaskClient, replica: CopilotReplica) -> None:
    assert sign_in(client, target="https://evil.example/x") == "/"
    assert sign_in(replica.app.test_client(), target="https://copilot.microsoft.com/options") == "/options"
    assert sign_in(replica.app.test_client(), target="/ppsecure/post.srf") == "/"


def test_revoke_sessions_and_sign_out(replica: CopilotReplica, signed: FlaskClient) -> None:
    assert signed.get(PRIVACY_PATH).status_code == 200
    assert signed.post("/__replica__/revoke_sessions", json={"email": ALICE}).get_json() == {"revoked": 1}
    assert signed.get(PRIVACY_PATH).status_code == 302
    sign_in(signed)
    assert signed.get("/logout.srf").status_code == 303
    assert signed.get(PRIVACY_PATH).status_code == 302
    assert signed.post("/__replica__/revoke_sessions", json={"email": "x@example.com"}).status_code == 404


# ---------------------------------------------------------------- the click path and the page

def test_guest_home_has_sign_in_and_no_profile(client: FlaskClient) -> None:
    html = page(client, "/")
    links = {a["_text"]: a["href"] for a in elements(html, "a")}
    assert links["Sign in"] == SIGNIN
    assert not elements(html, "button", aria_haspopup="menu") and "Settings" not in html


def test_click_path_reaches_the_switches(signed: FlaskClient) -> None:
    home = page(signed, "/")
    profile = elements(home, "button", aria_haspopup="menu")
    assert len(profile) == 1 and profile[0]["aria-expanded"] == "false"
    assert elements(home, "img", alt="Profile picture")
    assert not elements(home, role="menu")  # the menu is drawn by script only while open
    assert [i["label"] for i in menu_items(home)] == ["Settings", "Give feedback", "Sign out"]
    path = click_path(signed)
    assert path == PRIVACY_PATH
    html = page(signed, path)
    assert [a["_text"] for a in elements(html, "a", aria_current="page")] == ["Privacy"]
    for label in (TEXT, VOICE, *NEIGHBOURS):
        sw = switch_for(html, label)
        assert sw is not None and sw["aria-checked"] == "true" and sw["type"] == "button"
        assert "id" not in sw and "name" not in sw and "data-testid" not in sw
        assert elements(html, id=sw["aria-describedby"])
    assert len(elements(html, "button", role="switch")) == 4
    assert html.index(TEXT) < html.index(VOICE) < html.index(NEIGHBOURS[0])


def test_member_without_a_photo(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", name="Bob Brown", photo=False)
    sign_in(client, BOB, "bob-Pw-1")
    home = page(client, "/")
    button = elements(home, "button", aria_haspopup="menu")[0]
    assert button["aria-label"] == "Bob Brown" and button["_text"] == "BB"
    assert not elements(home, "img")


def test_settings_paths_are_only_on_the_click_path(replica: CopilotReplica, signed: FlaskClient) -> None:
    """No page before "Settings" names the Privacy path; guessed settings URLs are 404."""
    assert PRIVACY_PATH not in page(signed, "/")
    assert PRIVACY_PATH not in page(replica.app.test_client(), SIGNIN)
    assert PRIVACY_PATH not in page(replica.app.test_client(), "/")
    for guess in ("/settings", "/settings/privacy", "/privacy", "/account/privacy", MOBILE_PRIVACY_PATH,
                  MODEL_TRAINING_PATH):
        assert signed.get(guess).status_code == 404, guess


def test_settings_sections(signed: FlaskClient) -> None:
    root = page(signed, "/options")
    nav = elements(root, "nav", aria_label="Settings")
    assert nav and [a["_text"] for a in elements(root, "a") if a.get("href", "").startswith("/options")] == [
        "Account", "Appearance", "Voice", "Privacy"]
    assert [a["_text"] for a in elements(root, "a", aria_current="page")] == ["Account"]


def test_ids_are_new_on_every_load(signed: FlaskClient) -> None:
    one, two = (switch_for(page(signed, PRIVACY_PATH), TEXT) for _ in range(2))
    assert one and two and one["aria-labelledby"] != two["aria-labelledby"]


# ---------------------------------------------------------------- saving

def test_save_changes_server_state_and_nothing_else(replica: CopilotReplica, signed: FlaskClient) -> None:
    html = page(signed, PRIVACY_PATH)
    cfg = config(html, "saveUrl")
    assert cfg["saveUrl"] == SAVE
    assert [r["key"] for r in cfg["rows"]] == ["trainingOnText", "trainingOnVoice", "personalization",
                                               "adPersonalization"]
    token = csrf(html)
    assert save(signed, token, False).status_code == 200
    a = acct(replica)
    assert (a["text_training"], a["voice_training"], a["saves"]) == (False, True, 1)
    assert replica.opted_out(ALICE) == {"text-training": True, "voice-training": False}
    assert save(signed, token, False, "trainingOnVoice").status_code == 200
    a = acct(replica)
    assert (a["text_training"], a["voice_training"], a["saves"]) == (False, False, 2)
    assert a["settings"] == {"personalization": True, "adPersonalization": True}
    assert replica.opted_out(ALICE) == {"text-training": True, "voice-training": True}
    reloaded = page(signed, PRIVACY_PATH)  # a reload shows the server state
    assert switch_for(reloaded, TEXT)["aria-checked"] == "false"
    assert switch_for(reloaded, VOICE)["aria-checked"] == "false"
    assert switch_for(reloaded, NEIGHBOURS[0])["aria-checked"] == "true"


def test_neighbour_save_leaves_the_training_switches(replica: CopilotReplica, signed: FlaskClient) -> None:
    token = csrf(page(signed, PRIVACY_PATH))
    assert save(signed, token, False, "adPersonalization").status_code == 200
    a = acct(replica)
    assert a["settings"]["adPersonalization"] is False and a["text_training"] is True and a["saves"] == 0


def test_save_needs_session_and_csrf(replica: CopilotReplica, signed: FlaskClient) -> None:
    assert save(signed, "wrong", False).status_code == 403
    assert save(replica.app.test_client(), "x", False).status_code == 401
    token = csrf(page(signed, PRIVACY_PATH))
    assert signed.post(SAVE, json={"setting": "trainingOnText", "value": "off"},
                       headers={"x-csrf-token": token}).status_code == 400
    assert save(signed, token, False, "other").status_code == 400
    assert acct(replica)["text_training"] is True and acct(replica)["saves"] == 0


def test_not_offered(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.add_account(BOB, "bob-Pw-1", available=False)
    sign_in(client, BOB, "bob-Pw-1")
    html = page(client, PRIVACY_PATH)
    assert "Privacy" in [h["_text"] for h in elements(html, "h2")]
    assert TEXT not in html and VOICE not in html
    assert all(switch_for(html, label) for label in NEIGHBOURS)
    assert save(client, csrf(html), False).status_code == 404
    assert acct(replica, BOB)["text_training"] is True
    assert replica.opted_out(BOB) == {"text-training": False, "voice-training": False}


def test_switch_back_on_and_reset(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.add_account(BOB, "pw", voice_training=False)
    token = csrf(page(signed, PRIVACY_PATH))
    save(signed, token, False)
    save(signed, token, False, "trainingOnVoice")
    save(signed, token, False, "personalization")
    assert signed.post("/__replica__/switch_back_on", json={"email": ALICE}).get_json() == {"switched_on": [ALICE]}
    a = acct(replica)
    assert (a["text_training"], a["voice_training"]) == (True, True)
    assert a["settings"]["personalization"] is False  # only the training switches come back on
    assert acct(replica, BOB)["voice_training"] is False
    assert sorted(replica.switch_back_on()) == [ALICE, BOB]
    assert acct(replica, BOB)["voice_training"] is True
    replica.configure(mobile_path=True)
    replica.reset()
    assert acct(replica, BOB)["voice_training"] is False  # as added
    assert acct(replica)["settings"]["personalization"] is True
    assert acct(replica)["sessions"] == 0 and acct(replica)["sign_ins"] == 0
    assert replica.state()["variants"]["mobile_path"] is False


# ---------------------------------------------------------------- variants

def test_configure_rejects_unknown_and_bad(replica: CopilotReplica, client: FlaskClient) -> None:
    with pytest.raises(ValueError):
        replica.configure(nope=1)
    with pytest.raises(ValueError):
        replica.configure(settings_menu="dialog")
    with pytest.raises(ValueError):
        replica.configure(older_release=True)  # copilot.md gives no older wording
    assert client.post("/__replica__/config", json={"late_render_ms": "300", "mobile_path": "true"}).status_code \
        == 200
    assert replica.variants.late_render_ms == 300 and replica.variants.mobile_path is True


def test_settings_submenu(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(settings_menu="submenu")
    settings = next(i for i in menu_items(page(signed, "/")) if i["label"] == "Settings")
    assert "href" not in settings
    assert [c["label"] for c in settings["children"]] == ["Account", "Appearance", "Voice", "Privacy"]
    path = click_path(signed)
    assert path == PRIVACY_PATH and switch_for(page(signed, path), TEXT) is not None


def test_mobile_path(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(mobile_path=True)
    assert signed.get(PRIVACY_PATH).status_code == 404
    root = page(signed, "/options")
    assert elements(root, "nav", aria_label="Settings")[0]["_text"] == "AccountAppearanceVoice"
    rows = [a["href"] for a in elements(root, "a") if a["_text"].startswith("Privacy")]
    assert rows == [MOBILE_PRIVACY_PATH]  # Settings → Account → Privacy
    privacy = page(signed, MOBILE_PRIVACY_PATH)
    assert switch_for(privacy, TEXT) is None and all(switch_for(privacy, n) for n in NEIGHBOURS)
    onward = [a for a in elements(privacy, "a") if a["_text"].startswith("Model training")]
    assert len(onward) == 1 and onward[0]["href"] == MODEL_TRAINING_PATH
    html = page(signed, MODEL_TRAINING_PATH)
    assert switch_for(html, TEXT) and switch_for(html, VOICE) and len(elements(html, "button", role="switch")) == 2
    assert save(signed, csrf(html), False, "trainingOnVoice").status_code == 200
    assert replica.opted_out(ALICE) == {"text-training": False, "voice-training": True}
    # with the submenu too: Settings → Account → Privacy → Model training
    replica.configure(settings_menu="submenu")
    settings = next(i for i in menu_items(page(signed, "/")) if i["label"] == "Settings")
    assert [c["label"] for c in settings["children"]] == ["Account", "Appearance", "Voice"]


def test_late_render(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(late_render_ms=400)
    html = page(signed, PRIVACY_PATH)
    assert not elements(html, "button", role="switch") and TEXT not in re.sub(r"<script\b.*?</script>", "", html,
                                                                              flags=re.S)
    assert len(elements(html, aria_busy="true")) == 4
    cfg = config(html, "lateMs")
    assert cfg["lateMs"] == 400 and any(TEXT in r["html"] for r in cfg["rows"])


def test_replace_node(replica: CopilotReplica, signed: FlaskClient) -> None:
    assert config(page(signed, PRIVACY_PATH), "replaceNode")["replaceNode"] is False
    replica.configure(replace_node=True)
    cfg = config(page(signed, PRIVACY_PATH), "replaceNode")
    assert cfg["replaceNode"] is True and cfg["replaceAfterMs"] == 500


def test_save_fails_once(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    html = page(signed, PRIVACY_PATH)
    assert config(html, "text")["text"]["error"] == "Something went wrong. Please try again."
    token = csrf(html)
    assert save(signed, token, False).status_code == 500
    assert acct(replica)["text_training"] is True and acct(replica)["saves"] == 1
    assert save(signed, token, False).status_code == 200
    assert acct(replica)["text_training"] is False and acct(replica)["saves"] == 2
    replica.configure(save_fails_once=True)  # armed again
    assert save(signed, token, True).status_code == 500


def test_save_never_persists(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    resp = save(signed, csrf(page(signed, PRIVACY_PATH)), False)
    assert resp.status_code == 200 and resp.get_json() == {"setting": "trainingOnText", "value": False}
    assert acct(replica)["text_training"] is True and replica.opted_out(ALICE)["text-training"] is False
    assert switch_for(page(signed, PRIVACY_PATH), TEXT)["aria-checked"] == "true"


def test_first_load_503(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    assert signed.get("/options").status_code == 200  # only the page with the switches
    assert signed.get(PRIVACY_PATH).status_code == 503
    assert signed.get(PRIVACY_PATH).status_code == 200
    replica.configure(first_load_503=True, mobile_path=True)
    assert signed.get(MOBILE_PRIVACY_PATH).status_code == 200
    assert signed.get(MODEL_TRAINING_PATH).status_code == 503


def test_session_expired_once(replica: CopilotReplica, signed: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    assert signed.get("/").status_code == 200  # not a settings page
    resp = signed.get(PRIVACY_PATH)
    assert resp.status_code == 302 and parse_qs(urlsplit(resp.headers["Location"]).query)["wreply"] == [PRIVACY_PATH]
    assert acct(replica)["sessions"] == 0
    assert sign_in(signed, target=PRIVACY_PATH) == PRIVACY_PATH
    assert signed.get(PRIVACY_PATH).status_code == 200


def test_delay_ms(replica: CopilotReplica, client: FlaskClient) -> None:
    replica.configure(delay_ms=60)
    began = time.monotonic()
    client.get("/")
    assert time.monotonic() - began >= 0.06
    began = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - began < 0.05

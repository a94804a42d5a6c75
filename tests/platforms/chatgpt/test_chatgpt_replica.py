"""Tests of the ChatGPT replica alone (Flask's test client, no browser): the interface, sign-in steps,
the settings routes and the switch's markup, the background save judged by server-side state, the
signed-out browser's own value, and each variant."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from typing import Any

import pyotp
import pytest
from flask.testing import FlaskClient
from markupsafe import escape

from tests.platforms.chatgpt.replica import DEVICE_COOKIE, SESSION_COOKIE, ChatGPTReplica
from tests.platforms.chatgpt.texts import IMPROVE_DESCRIPTION, IMPROVE_LABEL, IMPROVE_LABEL_OLDER, WORKSPACE_NOTE
from tests.replicas.interface import problems

ALICE, PW = "alice@example.com", "pw-Alice-1"
SAVE = "/backend-api/settings/account_user_setting"
ANON_SAVE = "/backend-anon/settings/account_user_setting"


# ---------------------------------------------------------------- helpers

class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str]] = []  # (tag, id) of elements with an id whose text is collected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        have = {k: v or "" for k, v in attrs}
        self.found.append((tag, have))
        if "id" in have:
            self._open.append((tag, have["id"]))
            self.text_by_id.setdefault(have["id"], "")

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i]
                break

    def handle_data(self, data: str) -> None:
        for _tag, eid in self._open:
            self.text_by_id[eid] += data


def parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def elements(html: str, tag: str | None = None, **attrs: str) -> list[dict[str, str]]:
    out = []
    for name, have in parse(html).found:
        if (tag is None or name == tag) and all(have.get(k.replace("_", "-")) == v for k, v in attrs.items()):
            out.append(have)
    return out


def config(html: str) -> dict[str, Any]:
    """The page script's configuration (what the server handed the app)."""
    found = re.search(r"const cfg = (\{.*?\});\n", html)
    assert found, "no page script configuration"
    return json.loads(found.group(1))


def template(html: str, tid: str) -> str:
    found = re.search(rf'<template id="{re.escape(tid)}">(.*?)</template>', html, flags=re.S)
    assert found, f"no template {tid}"
    return found.group(1)


def data_controls(html: str) -> str:
    return template(html, config(html)["panels"]["data-controls"]["template"])


def switches(panel: str) -> list[tuple[str, dict[str, str]]]:
    """(label text, attributes) of each switch in a panel, the label found through aria-labelledby."""
    parsed = parse(panel)
    return [(parsed.text_by_id[a["aria-labelledby"]], a) for tag, a in parsed.found
            if tag == "button" and a.get("role") == "switch"]


def sign_in(client: FlaskClient, email: str = ALICE, password: str = PW, target: str = "/") -> str:
    """The whole sign-in by its JSON steps, as the auth pages' script does; returns where it lands."""
    assert client.get(f"/auth/login?next={target}").headers["Location"] == "/log-in"
    step = client.post("/api/accounts/authorize/continue", json={"email": email}).get_json()["continue_url"]
    assert step == "/log-in/password"
    done = client.post("/api/accounts/password/verify", json={"password": password}).get_json()["continue_url"]
    return client.get(done).headers["Location"]


def token(client: FlaskClient) -> str:
    return client.get("/api/auth/session").get_json()["accessToken"]


def save(client: FlaskClient, value: bool, feature: str = "training_allowed", bearer: str | None = None) -> Any:
    headers = {"Authorization": f"Bearer {bearer if bearer is not None else token(client)}"}
    return client.patch(f"{SAVE}?feature={feature}&value={str(value).lower()}", headers=headers)


@pytest.fixture
def replica() -> ChatGPTReplica:
    r = ChatGPTReplica()
    r.add_account(ALICE, PW, name="Alice Example")
    return r


@pytest.fixture
def alice(replica: ChatGPTReplica) -> FlaskClient:
    client = replica.app.test_client()
    sign_in(client)
    return client


# ---------------------------------------------------------------- interface and state

def test_satisfies_the_interface() -> None:
    assert problems(ChatGPTReplica, {"improve-model"}) == []


def test_default_state_and_account_options(replica: ChatGPTReplica) -> None:
    st = replica.state()
    assert set(st) >= {"variants", "accounts", "visitors"} and st["visitors"] == {}
    a = st["accounts"][ALICE]
    assert a["improve_model"] is True and a["improve_model_offered"] and a["plan"] == "free"
    assert a["settings"] == {"remote_browser_data": False, "memory": True}
    assert (a["saves"], a["sign_ins"], a["failed_logins"], a["failed_codes"]) == (0, 0, 0, 0)
    assert "password" not in a and replica.opted_out(ALICE) == {"improve-model": False}
    assert replica.add_account("bob.smith@example.com", "pw")["name"] == "Bob Smith"
    # Option values as the command line gives them (strings) are accepted.
    assert replica.add_account("c@example.com", "pw", available="false")["available"] is False
    with pytest.raises(TypeError):
        replica.add_account("d@example.com", "pw", colour="blue")  # type: ignore[call-arg]
    for bad in ({"plan": "gold"}, {"signin": "sms"}, {"available": "maybe"}):
        with pytest.raises(ValueError):
            replica.add_account("e@example.com", "pw", **bad)


# ---------------------------------------------------------------- sign-in

def test_signed_out_settings_route_goes_to_sign_in_and_comes_back(replica: ChatGPTReplica) -> None:
    client = replica.app.test_client()
    r = client.get("/settings/data-controls")
    assert r.status_code == 302 and r.headers["Location"] == "/auth/login?next=/settings/data-controls"
    r = client.get(r.headers["Location"])
    assert r.headers["Location"] == "/log-in"
    page = client.get("/log-in").text
    email_input = elements(page, "input", type="email")[0]
    assert "name" not in email_input and re.fullmatch(r":r\d+:", email_input["id"])  # generated id only
    assert elements(page, "label", **{"for": email_input["id"]})
    assert all(re.fullmatch(r":r\d+:", i) for i in parse(page).text_by_id)  # every id is a generated one
    text = re.sub(r"<[^>]+>", " ", page)
    for button in ("Continue", "Continue with Google", "Continue with Microsoft Account", "Continue with Apple"):
        assert button in text
    step = client.post("/api/accounts/authorize/continue", json={"email": ALICE}).get_json()["continue_url"]
    page = client.get(step).text
    assert elements(page, "input", type="password") and ALICE in page
    done = client.post("/api/accounts/password/verify", json={"password": PW}).get_json()["continue_url"]
    assert done.startswith("/api/auth/callback/openai?code=")
    r = client.get(done)
    assert r.headers["Location"] == "/settings/data-controls"
    cookie = next(c for c in r.headers.getlist("Set-Cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie
    page = client.get("/settings/data-controls")
    assert page.status_code == 200 and config(page.text)["openTab"] == "data-controls"
    assert replica.state()["accounts"][ALICE]["sign_ins"] == 1
    assert client.get(done).headers["Location"] == "/auth/login"  # a callback code works once


def test_wrong_password_and_unknown_email_answer_an_error(replica: ChatGPTReplica) -> None:
    client = replica.app.test_client()
    client.get("/auth/login")
    r = client.post("/api/accounts/authorize/continue", json={"email": "nobody@example.com"})
    assert r.status_code == 400 and "couldn't find" in r.get_json()["error"]["message"]
    client.post("/api/accounts/authorize/continue", json={"email": ALICE})
    r = client.post("/api/accounts/password/verify", json={"password": "nope"})
    assert r.status_code == 401 and r.get_json()["error"]["message"] == "Incorrect email address or password"
    assert SESSION_COOKIE not in (r.headers.get("Set-Cookie") or "")
    # The page's error box is a role=alert, hidden while empty; the script fills it.
    alert = elements(client.get("/log-in/password").text, role="alert")[0]
    assert "hidden" in alert
    st = replica.state()
    assert st["accounts"][ALICE]["failed_logins"] == 1 and st["unknown_logins"] == 1
    assert client.get("/mfa-challenge").headers["Location"] == "/log-in"  # steps cannot be skipped


def test_emailed_code_sign_in(replica: ChatGPTReplica) -> None:
    replica.add_account("bob@example.com", "pw-Bob-1", signin="email_code")
    client = replica.app.test_client()
    assert client.post("/__replica__/email_code", json={"email": "bob@example.com"}).status_code == 404
    client.get("/auth/login?next=/settings/data-controls")
    step = client.post("/api/accounts/authorize/continue", json={"email": "bob@example.com"}).get_json()
    assert step["continue_url"] == "/email-verification"
    page = client.get("/email-verification").text
    assert elements(page, "input", autocomplete="one-time-code") and "Check your inbox" in page
    first = replica.email_code("bob@example.com")
    assert first and re.fullmatch(r"\d{6}", first)
    assert client.post("/api/accounts/email-otp/validate", json={"code": "000000" if first != "000000" else "1"}
                       ).status_code == 401
    client.post("/api/accounts/email-otp/resend", json={})
    code = client.post("/__replica__/email_code", json={"email": "bob@example.com"}).get_json()["code"]
    assert code == replica.email_code("bob@example.com")
    done = client.post("/api/accounts/email-otp/validate", json={"code": code}).get_json()["continue_url"]
    assert client.get(done).headers["Location"] == "/settings/data-controls"
    bob = replica.state()["accounts"]["bob@example.com"]
    assert bob["failed_codes"] == 1 and bob["sign_ins"] == 1


def test_authenticator_code_after_the_password(replica: ChatGPTReplica) -> None:
    secret = pyotp.random_base32()
    replica.add_account("carol@example.com", "pw-Carol-1", totp_secret=secret)
    client = replica.app.test_client()
    client.get("/auth/login")
    client.post("/api/accounts/authorize/continue", json={"email": "carol@example.com"})
    step = client.post("/api/accounts/password/verify", json={"password": "pw-Carol-1"}).get_json()
    assert step["continue_url"] == "/mfa-challenge"
    assert "authenticator" in client.get("/mfa-challenge").text
    assert client.post("/api/accounts/mfa/verify", json={"code": "12345"}).status_code == 401
    done = client.post("/api/accounts/mfa/verify", json={"code": pyotp.TOTP(secret).now()}).get_json()
    assert client.get(done["continue_url"]).headers["Location"] == "/"
    carol = replica.state()["accounts"]["carol@example.com"]
    assert carol["failed_codes"] == 1 and carol["sign_ins"] == 1 and carol["sessions"] == 1


def test_signed_in_app_logout(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    assert alice.get("/auth/login?next=/settings/general").headers["Location"] == "/settings/general"
    alice.get("/auth/logout")
    assert replica.state()["accounts"][ALICE]["sessions"] == 0
    assert alice.get("/api/auth/session").get_json() == {}
    assert alice.get("/settings/data-controls").status_code == 302


# ---------------------------------------------------------------- settings and the switch

def test_the_switch_markup_and_its_label(alice: FlaskClient) -> None:
    page = alice.get("/settings/data-controls").text
    found = switches(data_controls(page))
    assert [label for label, _ in found] == [IMPROVE_LABEL, "Remote browser data"]
    label, sw = found[0]
    assert sw["aria-checked"] == "true" and sw["data-state"] == "checked" and sw["type"] == "button"
    assert "id" not in sw and "name" not in sw
    assert IMPROVE_DESCRIPTION in data_controls(page)
    assert not re.search(r"data-testid|data-test", page)


def test_click_path_and_hash_route_are_served_by_the_app(alice: FlaskClient) -> None:
    page = alice.get("/").text
    cfg = config(page)
    assert all(re.fullmatch(r"(radix-)?:r\d+:(-trigger-[a-z-]+)?", i) for i in parse(page).text_by_id)
    assert cfg["openTab"] is None and cfg["pathRoute"] is True  # `/` opens settings only from the hash
    assert ["data-controls", "DataControls", "Data controls"] in cfg["tabs"]
    assert "#settings" in page  # the script reads location.hash
    button = elements(page, "button", aria_haspopup="menu")[0]
    assert button["aria-expanded"] == "false" and button["id"] == cfg["menuButton"]
    menu = template(page, cfg["menu"])
    assert elements(menu, role="menu") and "data-radix-menu-content" in menu
    assert "Settings" in [t for t in re.findall(r'role="menuitem"[^>]*>([^<]+)<', menu)]
    dialog = template(page, cfg["dialog"])
    assert elements(dialog, role="dialog") and ">Data controls</button>" in dialog
    assert switches(data_controls(page))[0][1]["aria-checked"] == "true"
    assert alice.get("/settings/nope").status_code == 404


def test_save_changes_server_state_only_for_that_switch(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    assert alice.patch(f"{SAVE}?feature=training_allowed&value=false").status_code == 401  # no bearer
    before = replica.state()["accounts"][ALICE]["settings"]
    r = save(alice, False)
    assert r.status_code == 200 and replica.opted_out(ALICE) == {"improve-model": True}
    acct = replica.state()["accounts"][ALICE]
    assert acct["settings"] == before and acct["saves"] == 1 and acct["actions"] == dict.fromkeys(acct["actions"], 0)
    assert switches(data_controls(alice.get("/settings/data-controls").text))[0][1]["aria-checked"] == "false"
    assert save(alice, True, feature="remote_browser_data").status_code == 200
    assert replica.opted_out(ALICE) == {"improve-model": True}  # a neighbour's save leaves it alone
    assert save(alice, True, bearer="forged").status_code == 401


def test_dangerous_actions_are_counted(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    r = alice.post("/backend-api/data-controls/delete_all", headers={"Authorization": f"Bearer {token(alice)}"})
    assert r.status_code == 200 and replica.state()["accounts"][ALICE]["actions"]["delete_all"] == 1
    assert alice.post("/backend-api/data-controls/delete_all").status_code == 401


def test_signed_out_browser_keeps_its_own_value(replica: ChatGPTReplica) -> None:
    client = replica.app.test_client()
    page = client.get("/")
    did = client.get_cookie(DEVICE_COOKIE).value
    assert replica.state()["visitors"][did] == {"improve_model": True, "saves": 0}
    cfg = config(page.text)
    assert cfg["member"] is False and [t[0] for t in cfg["tabs"]] == ["general", "data-controls"]
    assert [label for label, _ in switches(data_controls(page.text))] == [IMPROVE_LABEL]
    assert "Log in" in page.text and "aria-haspopup=\"menu\"" not in page.text
    assert client.patch(f"{ANON_SAVE}?feature=training_allowed&value=false").status_code == 403
    r = client.patch(f"{ANON_SAVE}?feature=training_allowed&value=false", headers={"oai-device-id": did})
    assert r.status_code == 200
    st = replica.state()
    assert st["visitors"][did]["improve_model"] is False and st["accounts"][ALICE]["improve_model"] is True
    assert switches(data_controls(client.get("/").text))[0][1]["aria-checked"] == "false"
    other = replica.app.test_client()
    assert switches(data_controls(other.get("/").text))[0][1]["aria-checked"] == "true"  # another browser
    sign_in(client)  # the account's page shows the account's value, not the browser's
    assert switches(data_controls(client.get("/").text))[0][1]["aria-checked"] == "true"


@pytest.mark.parametrize("plan", ["business", "enterprise", "edu"])
def test_workspace_plans_are_off_without_a_switch(replica: ChatGPTReplica, plan: str) -> None:
    replica.add_account("w@example.com", "pw-W-1", plan=plan)
    client = replica.app.test_client()
    sign_in(client, "w@example.com", "pw-W-1")
    assert replica.opted_out("w@example.com") == {"improve-model": True}
    panel = data_controls(client.get("/settings/data-controls").text)
    assert [label for label, _ in switches(panel)] == ["Remote browser data"] and str(escape(WORKSPACE_NOTE)) in panel
    assert save(client, True).status_code == 403
    assert replica.switch_back_on("w@example.com") == ["w@example.com"]
    assert replica.opted_out("w@example.com") == {"improve-model": True}  # their default is Off


def test_member_not_offered_the_setting(replica: ChatGPTReplica) -> None:
    replica.add_account("n@example.com", "pw-N-1", plan="plus", available=False)
    client = replica.app.test_client()
    sign_in(client, "n@example.com", "pw-N-1")
    panel = data_controls(client.get("/settings/data-controls").text)
    assert [label for label, _ in switches(panel)] == ["Remote browser data"]
    assert str(escape(WORKSPACE_NOTE)) not in panel
    assert save(client, False).status_code == 404 and replica.opted_out("n@example.com") == {"improve-model": False}


def test_switch_back_on_and_reset(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    save(alice, False)
    visitor = replica.app.test_client()
    visitor.get("/")
    did = visitor.get_cookie(DEVICE_COOKIE).value
    visitor.patch(f"{ANON_SAVE}?feature=training_allowed&value=false", headers={"oai-device-id": did})
    assert replica.switch_back_on() == [ALICE]
    assert replica.opted_out(ALICE) == {"improve-model": False} and replica.state()["visitors"][did]["improve_model"]
    with pytest.raises(KeyError):
        replica.switch_back_on("nobody@example.com")
    save(alice, False)
    replica.reset()
    st = replica.state()
    assert st["accounts"][ALICE]["improve_model"] is True and st["accounts"][ALICE]["sessions"] == 0
    assert st["visitors"] == {} and st["accounts"][ALICE]["saves"] == 0


# ---------------------------------------------------------------- variants

def test_older_release_wording(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(older_release=True)
    page = alice.get("/settings/data-controls").text
    assert switches(data_controls(page))[0][0] == IMPROVE_LABEL_OLDER and IMPROVE_LABEL not in page


def test_no_path_route_leaves_only_the_hash_route(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(no_path_route=True)
    assert alice.get("/settings/data-controls").status_code == 404
    assert config(alice.get("/").text)["pathRoute"] is False


def test_late_render_and_replace_node_reach_the_script(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(late_render_ms="1200", replace_node="true")
    cfg = config(alice.get("/settings/data-controls").text)
    assert cfg["lateMs"] == 1200 and cfg["replaceNode"] is True
    with pytest.raises(ValueError):
        replica.configure(late_render_ms=-1)
    with pytest.raises(ValueError):
        replica.configure(nonsense=True)


def test_save_fails_once_then_works(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(save_fails_once=True)
    assert save(alice, False).status_code == 500 and replica.opted_out(ALICE) == {"improve-model": False}
    assert save(alice, False).status_code == 200 and replica.opted_out(ALICE) == {"improve-model": True}
    assert replica.state()["accounts"][ALICE]["saves"] == 2


def test_save_never_persists(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(save_never_persists=True)
    assert save(alice, False).status_code == 200 and replica.opted_out(ALICE) == {"improve-model": False}


def test_first_load_503_once(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(first_load_503=True)
    assert alice.get("/settings/data-controls").status_code == 503
    assert alice.get("/settings/data-controls").status_code == 200


def test_session_expired_once(alice: FlaskClient, replica: ChatGPTReplica) -> None:
    replica.configure(session_expired_once=True)
    r = alice.get("/settings/data-controls")
    assert r.status_code == 302 and r.headers["Location"].startswith("/auth/login?next=/settings/data-controls")
    assert replica.state()["accounts"][ALICE]["sessions"] == 0
    assert sign_in(alice, target="/settings/data-controls") == "/settings/data-controls"
    assert alice.get("/settings/data-controls").status_code == 200


def test_delay_ms_slows_pages_not_control_endpoints(replica: ChatGPTReplica) -> None:
    client = replica.app.test_client()
    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.1
    start = time.monotonic()
    client.get("/log-in")
    assert time.monotonic() - start >= 0.12

"""Tests of the X replica itself (Flask test client, no browser): the interface, the multi-step
login and its challenges, the Grok settings page and its background save, every variant."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from flask.testing import FlaskClient

from tests.platforms.x import texts as T
from tests.platforms.x.replica import FIELDS, GROK_API, SETTING_ID, TASK_API, XReplica
from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

ALICE, PW = "alice@example.com", "secret-Pw-1"
GROK = "/settings/grok_settings"
PRIVACY = "/settings/privacy_and_safety"
DELETE_API = "/i/api/1.1/grok/conversations/delete.json"


# ---------------------------------------------------------------- helpers

@pytest.fixture
def replica() -> XReplica:
    r = XReplica()
    r.add_account(ALICE, PW, name="Alice Example")
    return r


@pytest.fixture
def client(replica: XReplica) -> FlaskClient:
    return replica.app.test_client()


def task(client: FlaskClient, **body: Any) -> tuple[int, dict[str, Any]]:
    r = client.post(TASK_API, json=body)
    return r.status_code, r.get_json()


def start(client: FlaskClient, redirect: str | None = None) -> dict[str, Any]:
    status, data = task(client, flow_name="login", redirect_after_login=redirect)
    assert status == 200 and data["subtask"] == "LoginEnterUserIdentifierSSO"
    return data


def answer(client: FlaskClient, data: dict[str, Any], text: str) -> dict[str, Any]:
    status, out = task(client, flow_token=data["flow_token"], subtask_id=data["subtask"], text=text)
    assert status == 200, out
    return out


def sign_in(client: FlaskClient, ident: str = ALICE, password: str = PW, redirect: str | None = None,
            alt: str | None = None, code: str | None = None) -> dict[str, Any]:
    data = answer(client, start(client, redirect), ident)
    if alt is not None:
        assert data["subtask"] == "LoginEnterAlternateIdentifierSubtask"
        data = answer(client, data, alt)
    assert data["subtask"] == "LoginEnterPassword", data
    data = answer(client, data, password)
    if code is not None:
        assert data["subtask"] == "LoginTwoFactorAuthChallenge"
        data = answer(client, data, code)
    assert data.get("redirect"), data
    return data


def ct0(client: FlaskClient) -> str:
    cookie = client.get_cookie("ct0")
    assert cookie is not None
    return cookie.value


def save(client: FlaskClient, csrf: str | None = None, **fields: bool) -> Any:
    form = {FIELDS[k]: "true" if v else "false" for k, v in fields.items()}
    return client.post(GROK_API, data=form, headers={"x-csrf-token": ct0(client) if csrf is None else csrf})


def acct(replica: XReplica, email: str = ALICE) -> dict[str, Any]:
    return replica.state()["accounts"][email]


def config(html: str) -> dict[str, Any]:
    """The page script's config object (the JSON after `const cfg = `) of the last script."""
    at = html.rindex("const cfg = ") + len("const cfg = ")
    return json.JSONDecoder().raw_decode(html, at)[0]


def untouched(state: dict[str, Any]) -> bool:
    return (state["grok_personalization"] and state["grok_memory"] and state["history_deletions"] == 0
            and state["other_writes"] == [])


# ---------------------------------------------------------------- interface and state

def test_satisfies_the_interface():
    assert problems(XReplica, {SETTING_ID}) == []


def test_default_state(replica: XReplica):
    a = acct(replica)
    assert a["grok_training"] is True and untouched(a)
    assert a["username"] == "alice" and a["available"] is True and a["totp"] is False
    assert (a["saves"], a["sign_ins"], a["failed_logins"]) == (0, 0, 0)
    assert replica.opted_out(ALICE) == {SETTING_ID: False}


def test_account_options_are_checked_and_accept_strings(replica: XReplica):
    with pytest.raises(TypeError):
        replica.add_account("b@example.com", "pw", nonsense=1)  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        replica.add_account("c@example.com", "pw", available="maybe")
    with pytest.raises(ValueError):
        replica.add_account("d@example.com", "pw", totp_secret="not base32 !")
    # What `python -m tests.replicas x --account …` passes: strings.
    fields = parse_account("bob@example.com:pw-B:Bob:unusual_activity=true,phone=+1 555 0100,available=false")
    state = replica.add_account(**fields)
    assert state["unusual_activity"] is True and state["available"] is False and state["phone"] == "+1 555 0100"


def test_configure_rejects_unknown_and_bad_values(replica: XReplica):
    with pytest.raises(ValueError):
        replica.configure(no_such=True)
    with pytest.raises(ValueError):
        replica.configure(save_mode="later")
    replica.configure(late_render_ms="300", replace_node="true")
    assert replica.state()["variants"]["late_render_ms"] == 300


# ---------------------------------------------------------------- sign-in

def test_signed_out_deep_link_goes_to_login_and_comes_back(replica: XReplica, client: FlaskClient):
    r = client.get(GROK)
    assert r.status_code == 302
    parts = urlsplit(r.headers["Location"])
    assert parts.path == "/i/flow/login"
    assert parse_qs(parts.query)["redirect_after_login"] == [GROK]
    page = client.get(r.headers["Location"])
    assert page.status_code == 200 and config(page.text)["redirect"] == GROK
    done = sign_in(client, redirect=GROK)
    assert done["redirect"] == GROK
    auth = client.get_cookie("auth_token")
    assert auth is not None and auth.http_only and not client.get_cookie("ct0").http_only  # type: ignore[union-attr]
    assert client.get(GROK).status_code == 200
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1


def test_login_page_names_the_documented_test_ids(client: FlaskClient):
    html = client.get("/i/flow/login").text
    for needle in ('autocomplete: \'username\'', "name: 'text'", "LoginForm_Next_Button", "name: 'password'",
                   "LoginForm_Login_Button", "ocfEnterTextTextInput", "ocfEnterTextNextButton", "/i/flow/two-factor"):
        assert needle in html
    assert config(html)["resume"] is False
    assert config(client.get("/i/flow/two-factor").text)["resume"] is True
    assert client.get("/login").headers["Location"].endswith("/i/flow/login")


def test_default_steps_land_on_home_and_tokens_are_single_use(replica: XReplica, client: FlaskClient):
    first = start(client)
    data = answer(client, first, "alice")  # the username works as well as the email
    assert data["subtask"] == "LoginEnterPassword" and data["identifier"] == "alice"
    status, _ = task(client, flow_token=first["flow_token"], subtask_id=first["subtask"], text="alice")
    assert status == 400  # a spent token
    status, _ = task(client, flow_token=data["flow_token"], subtask_id="LoginTwoFactorAuthChallenge", text="1")
    assert status == 400  # a step out of order
    again = sign_in(client)
    assert again["redirect"] == "/home"
    home = client.get("/home")
    assert home.status_code == 200 and 'data-testid="SideNav_AccountSwitcher_Button"' in home.text
    assert client.get("/i/flow/login").headers["Location"].endswith("/home")  # signed in already


def test_wrong_password_and_unknown_user(replica: XReplica, client: FlaskClient):
    data = answer(client, start(client), "nobody@example.com")
    assert data["subtask"] == "LoginEnterUserIdentifierSSO" and data["error"] == T.LOGIN["err_unknown"]
    assert replica.state()["unknown_logins"] == 1
    data = answer(client, answer(client, start(client), ALICE), "wrong")
    assert data["subtask"] == "LoginEnterPassword" and data["error"] == "Wrong password!"
    assert acct(replica)["failed_logins"] == 1 and client.get_cookie("auth_token") is None
    assert "role: 'alert'" in client.get("/i/flow/login").text  # errors show as role=alert toasts
    assert answer(client, data, PW)["redirect"] == "/home"  # the same step, tried again


@pytest.mark.parametrize("reply", ["alice", "@Alice", ALICE, "+1 (555) 010-0999"])
def test_unusual_activity_step(replica: XReplica, reply: str):
    replica.add_account(ALICE, PW, unusual_activity=True, phone="+15550100999")
    client = replica.app.test_client()
    data = answer(client, start(client), ALICE)
    assert data["subtask"] == "LoginEnterAlternateIdentifierSubtask"
    wrong = answer(client, data, "someone_else")
    assert wrong["subtask"] == data["subtask"] and wrong["error"] == T.LOGIN["err_alt"]
    assert acct(replica)["failed_challenges"] == 1
    assert answer(client, wrong, reply)["subtask"] == "LoginEnterPassword"


def test_two_factor_code_within_one_step(replica: XReplica):
    secret = pyotp.random_base32()
    replica.add_account(ALICE, PW, totp_secret=secret, phone="+44 7700 900123")
    client = replica.app.test_client()
    data = answer(client, answer(client, start(client), "+447700900123"), PW)  # the phone number works too
    assert data["subtask"] == "LoginTwoFactorAuthChallenge" and client.get_cookie("auth_token") is None
    wrong = answer(client, data, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    assert wrong["error"] and acct(replica)["failed_challenges"] == 1
    status, resumed = task(client, flow_token=wrong["flow_token"])  # a reload of /i/flow/two-factor
    assert status == 200 and resumed["subtask"] == "LoginTwoFactorAuthChallenge"
    earlier = pyotp.TOTP(secret).at(time.time() - 30)
    assert answer(client, resumed, earlier)["redirect"] == "/home"


def test_account_check_needs_a_person(replica: XReplica):
    replica.add_account(ALICE, PW, account_check=True)
    client = replica.app.test_client()
    assert sign_in(client, redirect=GROK)["redirect"] == "/account/access"
    assert client.get("/home").headers["Location"].endswith("/account/access")
    assert client.get(GROK).headers["Location"].endswith("/account/access")
    assert client.get(GROK_API, headers={"x-csrf-token": ct0(client)}).status_code == 403
    intro = client.get("/account/access")
    assert T.ACCESS["title"] in intro.text and replica.account_check_answer(ALICE) is None
    assert client.post("/__replica__/account_check", json={"email": ALICE}).status_code == 405
    assert client.get(f"/__replica__/account_check?email={ALICE}").status_code == 404
    assert client.post("/account/access", data={"step": "start"}).status_code == 303
    puzzle = client.get("/account/access")
    src = re.search(r'<img alt="" src="([^"]+)"', puzzle.text).group(1)  # type: ignore[union-attr]
    assert client.get(src.replace("&amp;", "&")).mimetype == "image/png"
    first = client.get(f"/__replica__/account_check?email={ALICE}").get_json()["answer"]
    wrong = client.post("/account/access", data={"step": "answer", "answer": "nope"})
    assert 'role="alert"' in wrong.text and replica.account_check_answer(ALICE) != first  # a new picture
    done = client.post("/account/access", data={"step": "answer", "answer": replica.account_check_answer(ALICE)})
    assert T.ACCESS["done"] in done.text
    assert client.get("/home").status_code == 200
    a = acct(replica)
    assert a["account_checks_passed"] == 1 and a["failed_challenges"] == 1 and not a["account_check_pending"]


def test_logout_asks_first(client: FlaskClient, replica: XReplica):
    sign_in(client)
    assert client.get("/logout").status_code == 200 and acct(replica)["sessions"] == 1
    client.post("/logout")
    assert acct(replica)["sessions"] == 0 and client.get("/home").status_code == 302


# ---------------------------------------------------------------- pages

def test_privacy_page_section_in_order(client: FlaskClient):
    sign_in(client)
    html = client.get(PRIVACY).text
    assert 'data-testid="privacyAndSafetyScreen"' in html
    data = html[html.index(T.DATA_SECTION):]
    hrefs = re.findall(r'href="(/settings/[a-z_]+)"', data)
    assert hrefs[:5] == ["/settings/ads_preferences", "/settings/off_twitter_activity",
                         "/settings/data_sharing_with_business_partners", "/settings/location_information", GROK]
    assert T.GROK_ROW.replace("&", "&amp;") in data and T.TRAINING_LABEL in data
    for slug in ("ads_preferences", "off_twitter_activity", "location_information"):
        assert client.get(f"/settings/{slug}").status_code == 200
    assert client.get("/settings").headers["Location"].endswith("/settings/account")
    assert client.get("/settings/nothing_here").status_code == 404


def test_home_more_menu_leads_to_settings(client: FlaskClient):
    assert client.get("/home").status_code == 302
    sign_in(client)
    html = client.get("/home").text
    assert '"Settings and privacy", "/settings"' in html and f">{T.MORE}<" in html


def test_grok_page_draws_plain_checkboxes_by_script(client: FlaskClient):
    sign_in(client)
    html = client.get(GROK).text
    assert "<input" not in html and "data-testid" not in html.split("<script>")[0].split("SideNav")[1]
    cfg = config(html)
    assert cfg["text"]["labels"] == {"training": T.TRAINING_LABEL, "personalization": T.PERSONALIZE_LABEL,
                                     "memory": T.MEMORY_LABEL}
    assert cfg["text"]["help"]["training"] == T.TRAINING_HELP and cfg["text"]["dataSharing"] == "Data Sharing"
    assert cfg["saveMode"] == "instant" and cfg["lateMs"] == 0 and cfg["replaceNode"] is False
    assert "el('input', {type: 'checkbox'" in html and "el('label'" in html
    assert client.get(GROK_API, headers={"x-csrf-token": ct0(client)}).get_json() == dict.fromkeys(FIELDS.values(),
                                                                                                    True)


def test_older_release_wording(replica: XReplica, client: FlaskClient):
    sign_in(client)
    classes_before = re.findall(r'class="([^"]+)"', client.get(PRIVACY).text)[:5]
    replica.configure(older_release=True)
    html = client.get(PRIVACY).text
    assert ">Grok</span>" in html and T.GROK_ROW.replace("&", "&amp;") not in html and T.TRAINING_LABEL_2024 in html
    assert re.findall(r'class="([^"]+)"', html)[:5] != classes_before
    cfg = config(client.get(GROK).text)
    assert cfg["text"]["labels"]["training"] == T.TRAINING_LABEL_2024
    assert cfg["text"]["help"]["training"].startswith("To continuously improve your experience")


def test_unavailable_member_has_no_grok_row(replica: XReplica):
    replica.add_account(ALICE, PW, available=False)
    client = replica.app.test_client()
    sign_in(client)
    html = client.get(PRIVACY).text
    assert T.DATA_SECTION in html and "Ads preferences" in html and "Location information" in html
    assert GROK not in html and "Grok &amp;" not in html
    assert client.get(GROK).headers["Location"].endswith(PRIVACY)
    assert save(client, training=False).status_code == 404
    assert replica.opted_out(ALICE) == {SETTING_ID: False}


# ---------------------------------------------------------------- saving

def test_save_changes_only_the_training_setting(replica: XReplica, client: FlaskClient):
    sign_in(client)
    r = save(client, training=False)
    assert r.status_code == 200 and r.get_json()[FIELDS["training"]] is False
    assert replica.opted_out(ALICE) == {SETTING_ID: True}
    a = acct(replica)
    assert a["saves"] == 1 and untouched(a)
    assert client.get(GROK_API, headers={"x-csrf-token": ct0(client)}).get_json()[FIELDS["training"]] is False


def test_save_needs_session_and_csrf(replica: XReplica, client: FlaskClient):
    assert client.post(GROK_API, data={FIELDS["training"]: "false"}).status_code == 401
    sign_in(client)
    assert save(client, csrf="", training=False).status_code == 403
    assert save(client, csrf="0" * 160, training=False).status_code == 403
    assert client.post(GROK_API, data={"allow_everything": "false"}, headers={"x-csrf-token": ct0(client)}
                       ).status_code == 400
    assert client.post(GROK_API, data={FIELDS["training"]: "off"}, headers={"x-csrf-token": ct0(client)}
                       ).status_code == 400
    assert replica.opted_out(ALICE) == {SETTING_ID: False} and acct(replica)["saves"] == 0


def test_other_controls_are_recorded(replica: XReplica, client: FlaskClient):
    sign_in(client)
    assert save(client, memory=False).status_code == 200
    assert client.post(DELETE_API, headers={"x-csrf-token": ct0(client)}).status_code == 200
    a = acct(replica)
    assert a["grok_memory"] is False and a["other_writes"] == [{"setting": "memory", "value": False}]
    assert a["history_deletions"] == 1 and a["saves"] == 0 and a["grok_training"] is True


def test_switch_back_on_and_reset(replica: XReplica, client: FlaskClient):
    sign_in(client)
    save(client, training=False, personalization=False)
    assert replica.switch_back_on(ALICE) == [ALICE]
    a = acct(replica)
    assert a["grok_training"] is True and a["grok_personalization"] is False  # only training comes back
    with pytest.raises(KeyError):
        replica.switch_back_on("nobody@example.com")
    replica.configure(save_mode="button")
    replica.reset()
    a = acct(replica)
    assert a["grok_personalization"] is True and a["sign_ins"] == 0 and a["sessions"] == 0
    assert replica.state()["variants"]["save_mode"] == "instant"


# ---------------------------------------------------------------- variants

def test_save_fails_once(replica: XReplica, client: FlaskClient):
    replica.configure(save_fails_once=True)
    sign_in(client)
    assert save(client, training=False).status_code == 500
    assert replica.opted_out(ALICE) == {SETTING_ID: False}
    assert save(client, training=False).status_code == 200
    assert replica.opted_out(ALICE) == {SETTING_ID: True} and acct(replica)["saves"] == 2
    html = client.get(GROK).text
    assert "role: role || 'alert'" in html and "values[k] = server[k]" in html  # reverts and alerts


def test_save_never_persists(replica: XReplica, client: FlaskClient):
    replica.configure(save_never_persists=True)
    sign_in(client)
    r = save(client, training=False)
    assert r.status_code == 200 and r.get_json()[FIELDS["training"]] is False
    assert replica.opted_out(ALICE) == {SETTING_ID: False}


def test_first_load_503(replica: XReplica, client: FlaskClient):
    replica.configure(first_load_503=True)
    assert client.get(GROK).status_code == 302  # signed out: does not use it up
    sign_in(client)
    assert client.get(GROK).status_code == 503
    assert client.get(GROK).status_code == 200


def test_session_expired_once(replica: XReplica, client: FlaskClient):
    replica.configure(session_expired_once=True)
    sign_in(client)
    r = client.get(GROK)
    assert r.status_code == 302 and "redirect_after_login=%2Fsettings%2Fgrok_settings" in r.headers["Location"]
    assert client.get_cookie("auth_token") is None and acct(replica)["sessions"] == 0
    sign_in(client, redirect=GROK)
    assert client.get(GROK).status_code == 200


def test_something_went_wrong_once(replica: XReplica, client: FlaskClient):
    replica.configure(something_went_wrong_once=True)
    sign_in(client)
    html = client.get(GROK).text
    assert config(html)["text"]["oops"] == T.SOMETHING_WRONG and config(html)["text"]["retry"] == "Retry"
    headers = {"x-csrf-token": ct0(client)}
    assert client.get(GROK_API, headers=headers).status_code == 500
    assert client.get(GROK_API, headers=headers).status_code == 200


def test_page_variants_reach_the_script(replica: XReplica, client: FlaskClient):
    replica.configure(late_render_ms=800, replace_node=True, save_mode="button")
    sign_in(client)
    cfg = config(client.get(GROK).text)
    assert (cfg["lateMs"], cfg["replaceNode"], cfg["saveMode"]) == (800, True, "button")


def test_delay_ms_spares_the_control_endpoints(replica: XReplica, client: FlaskClient):
    replica.configure(delay_ms=60)
    t0 = time.monotonic()
    client.get("/")
    assert time.monotonic() - t0 >= 0.06
    t0 = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - t0 < 0.05

"""Tests of the Google Gemini replica itself, through Flask's test client (no browser, no port): the
interface, the sign-in steps and challenges, the page's markup, the background saves judged by the
server-side state, and each variant the README lists."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from flask.testing import FlaskClient

from tests.platforms.gemini.replica import BATCH, GeminiReplica
from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

ALICE, PW = "alice@example.com", "secret-Pw-1"
PAGE = "/product/gemini"
SETTINGS = {"keep-activity", "audio-training"}
AUDIO_LABEL = "Improve Google services with your audio and Gemini Live videos &amp; screenshares"
XSSI = ")]}'"


# ---------------------------------------------------------------- helpers

@pytest.fixture
def replica() -> GeminiReplica:
    r = GeminiReplica()
    r.add_account(ALICE, PW, name="Alice Example")
    return r


@pytest.fixture
def client(replica: GeminiReplica) -> FlaskClient:
    return replica.app.test_client()


def answer(resp: Any) -> dict[str, Any]:
    """A sign-in step's XHR answer, without Google's `)]}'` prefix."""
    text = resp.get_data(as_text=True)
    assert text.startswith(XSSI), text[:40]
    return json.loads(text[len(XSSI):])


def start(client: FlaskClient, path: str = PAGE) -> str:
    """A signed-out visit, followed to the identifier page: the page's TL token."""
    resp = client.get(path)
    while resp.status_code in (301, 302, 303):
        resp = client.get(resp.location)
    assert urlsplit(resp.request.url).path == "/v3/signin/identifier"
    return re.search(r'"tl": "([^"]+)"', resp.get_data(as_text=True)).group(1)  # type: ignore[union-attr]


def lookup(client: FlaskClient, tl: str, email: str = ALICE, **extra: str) -> dict[str, Any]:
    return answer(client.post("/v3/signin/_/lookup", data={"TL": tl, "step": "identifier", "identifier": email,
                                                            **extra}))


def password(client: FlaskClient, tl: str, pw: str = PW) -> dict[str, Any]:
    return answer(client.post("/v3/signin/_/challenge", data={"TL": tl, "step": "pwd", "Passwd": pw}))


def sign_in(client: FlaskClient, email: str = ALICE, pw: str = PW) -> str:
    """The whole sign-in without a second step; returns where the browser is sent."""
    tl = start(client)
    assert "next" in lookup(client, tl, email)
    done = password(client, tl, pw)
    assert "next" in done, done
    return done["next"]


def page(client: FlaskClient) -> str:
    resp = client.get(PAGE)
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def page_cfg(html: str) -> dict[str, Any]:
    """The configuration the page's script reads (the `at` token, the rpc ids)."""
    found = re.search(r"const cfg = (\{.*?\});\n  const T = ", html, flags=re.S)
    assert found, "no page script"
    return json.loads(found.group(1))


def rpc(client: FlaskClient, html: str, name: str, args: list[Any], at: str | None = None) -> Any:
    """One background save, as the page's script sends it."""
    cfg = page_cfg(html)
    rpcid = cfg["rpc"][name]
    freq = json.dumps([[[rpcid, json.dumps(args), None, "generic"]]])
    return client.post(f"{BATCH}?rpcids={rpcid}&source-path=%2Fproduct%2Fgemini&hl=en&_reqid=1&rt=c",
                       data={"f.req": freq, "at": cfg["at"] if at is None else at},
                       headers={"x-same-domain": "1"})


def acct(replica: GeminiReplica, email: str = ALICE) -> dict[str, Any]:
    return replica.state()["accounts"][email]


def chip(html: str) -> str:
    found = re.search(r'<button[^>]*aria-haspopup="menu"[^>]*aria-label="Turn[^"]*"[^>]*>.*?</button>'
                      r'|<button[^>]*aria-label="Turn[^"]*"[^>]*aria-haspopup="menu"[^>]*>.*?</button>', html, re.S)
    assert found, "no chip"
    return found.group(0)


def markup(html: str) -> str:
    """The page without its scripts."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.S)


def jsnames(html: str) -> list[str]:
    return re.findall(r'jsname="([^"]+)"', html)


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment)).strip()


# ---------------------------------------------------------------- the interface and defaults

def test_interface() -> None:
    assert problems(GeminiReplica, SETTINGS) == []


def test_default_state(replica: GeminiReplica) -> None:
    a = acct(replica)
    assert a["keep_activity"] is True and a["audio_training"] is False
    assert a["activity_items"] == 12 and a["auto_delete_months"] == 18 and a["on_since"] == "2024-02-08"
    assert replica.opted_out(ALICE) == {"keep-activity": False, "audio-training": True}
    assert {a[k] for k in ("saves", "sign_ins", "failed_logins", "failed_challenges", "refused")} == {0}
    assert "password" not in a and a["name"] == "Alice Example"


def test_account_options(replica: GeminiReplica) -> None:
    with pytest.raises(TypeError):
        replica.add_account("x@example.com", "pw", no_such_option=True)
    with pytest.raises(ValueError):
        replica.add_account("x@example.com", "pw", phone_approval="maybe")
    # As `python -m tests.replicas gemini --account ...` passes them: strings.
    fields = parse_account("bob.smith@example.com:pw::phone_approval=true,workspace_locked=false,activity_items=3,"
                           "keep_activity=false")
    bob = replica.add_account(**fields)
    assert bob["phone_approval"] is True and bob["workspace_locked"] is False and bob["activity_items"] == 3
    assert bob["name"] == "Bob Smith" and replica.opted_out("bob.smith@example.com")["keep-activity"] is True


def test_configure_rejects_unknown_and_bad_values(replica: GeminiReplica, client: FlaskClient) -> None:
    with pytest.raises(ValueError):
        replica.configure(no_such_variant=True)
    with pytest.raises(ValueError):
        replica.configure(older_confirm="stop")
    assert client.post("/__replica__/config", json={"late_render_ms": "soon"}).status_code == 400
    assert client.post("/__replica__/config", json={"confirm_dialog": "true"}).get_json()["confirm_dialog"] is True


# ---------------------------------------------------------------- sign-in

def test_signed_out_visit_goes_to_sign_in_and_comes_back(replica: GeminiReplica, client: FlaskClient) -> None:
    first = client.get(PAGE)
    assert first.status_code == 302 and urlsplit(first.location).path == "/ServiceLogin"
    assert parse_qs(urlsplit(first.location).query)["continue"] == [f"http://localhost{PAGE}"]
    second = client.get(first.location)
    assert urlsplit(second.location).path == "/v3/signin/identifier"
    assert parse_qs(urlsplit(second.location).query)["continue"] == [f"http://localhost{PAGE}"]
    assert sign_in(client) == PAGE
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1
    assert "Keep activity" in page(client)
    # A google.com continue URL (as captured on the real site) maps to its path.
    other = replica.app.test_client()
    tl = start(other, "/v3/signin/identifier?continue=https%3A%2F%2Fmyactivity.google.com%2Fproduct%2Fgemini")
    lookup(other, tl)
    assert password(other, tl)["next"] == PAGE


def test_sign_in_pages_markup(client: FlaskClient) -> None:
    html = client.get(client.get(client.get(PAGE).location).location).get_data(as_text=True)
    assert 'id="identifierId"' in html and 'id="identifierNext"' in html
    field = re.search(r"<input[^>]*id=\"identifierId\"[^>]*>", html).group(0)  # type: ignore[union-attr]
    assert not re.search(r"\sname=", field)  # gemini.md names no name for the email field
    tl = re.search(r'"tl": "([^"]+)"', html).group(1)  # type: ignore[union-attr]
    nxt = lookup(client, tl)["next"]
    assert urlsplit(nxt).path == "/v3/signin/challenge/pwd"
    pwd = client.get(nxt).get_data(as_text=True)
    assert 'name="Passwd"' in pwd and 'type="password"' in pwd and 'id="passwordNext"' in pwd


def test_unknown_email_and_wrong_password(replica: GeminiReplica, client: FlaskClient) -> None:
    tl = start(client)
    assert lookup(client, tl, "nobody@example.com")["error"] == "Couldn’t find your Google Account"
    assert replica.state()["unknown_logins"] == 1
    lookup(client, tl)
    wrong = password(client, tl, "nope")
    assert "Wrong password" in wrong["error"] and "next" not in wrong
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sessions"] == 0
    assert client.get(PAGE).status_code == 302
    # The page shows the answer's error in its role=alert box; the next try works.
    assert 'role="alert"' in client.get(f"/v3/signin/challenge/pwd?TL={tl}").get_data(as_text=True)
    assert password(client, tl)["next"] == PAGE


def test_totp(replica: GeminiReplica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("t@example.com", PW, totp_secret=secret)
    tl = start(client)
    lookup(client, tl, "t@example.com")
    step = password(client, tl)["next"]
    assert urlsplit(step).path == "/v3/signin/challenge/totp"
    html = client.get(step).get_data(as_text=True)
    assert 'name="totpPin"' in html and 'id="totpPin"' in html
    wrong_code = next(c for c in ("000000", "111111") if not pyotp.TOTP(secret).verify(c, valid_window=1))
    bad = answer(client.post("/v3/signin/_/challenge", data={"TL": tl, "step": "totp", "totpPin": wrong_code}))
    assert bad["error"] == "Wrong code. Try again." and acct(replica, "t@example.com")["failed_challenges"] == 1
    good = answer(client.post("/v3/signin/_/challenge", data={"TL": tl, "step": "totp",
                                                              "totpPin": pyotp.TOTP(secret).now()}))
    assert good["next"] == PAGE and client.get(PAGE).status_code == 200


def test_phone_approval(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.add_account("p@example.com", PW, phone_approval=True)
    tl = start(client)
    lookup(client, tl, "p@example.com")
    step = password(client, tl)["next"]
    assert urlsplit(step).path == "/v3/signin/challenge/dp"
    assert re.search(r">Check your phone<", client.get(step).get_data(as_text=True))
    poll = answer(client.post("/v3/signin/_/dp/poll", data={"TL": tl}))
    assert poll == {"status": "PENDING"} and client.get(PAGE).status_code == 302
    assert client.post("/__replica__/approve", json={"email": ALICE}).status_code == 404  # nothing waiting
    assert client.post("/__replica__/approve", json={"email": "p@example.com"}).get_json() == {"approved": True}
    assert answer(client.post("/v3/signin/_/dp/poll", data={"TL": tl}))["next"] == PAGE
    assert client.get(PAGE).status_code == 200 and acct(replica, "p@example.com")["sign_ins"] == 1


def test_browser_not_secure(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(browser_not_secure=True)
    tl = start(client)
    nxt = lookup(client, tl)["next"]
    assert urlsplit(nxt).path == "/v3/signin/rejected"
    html = client.get(nxt).get_data(as_text=True)
    assert "This browser or app may not be secure" in html and 'name="Passwd"' not in html
    # No password step behind the refusal: the step's answer sends the browser back to the start.
    assert urlsplit(password(client, tl)["next"]).path == "/v3/signin/identifier"
    assert acct(replica)["refused"] == 1 and acct(replica)["sessions"] == 0


def test_captcha(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(captcha=True)
    html = client.get(f"/v3/signin/identifier?continue={PAGE}").get_data(as_text=True)
    tl = re.search(r'"tl": "([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert 'aria-label="Type the text you hear or see"' in html
    img = client.get(f"/v3/signin/_/captcha?TL={tl}")
    assert img.mimetype == "image/png" and img.data.startswith(b"\x89PNG")
    wrong = lookup(client, tl, ca="nope!!")
    assert wrong.get("captcha") is True and "next" not in wrong
    text = client.get("/__replica__/captcha").get_json()["text"]  # the person reading the new picture
    assert len(text) == 6
    assert lookup(client, tl, ca=text)["next"].startswith("/v3/signin/challenge/pwd")


def test_logout(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    out = client.get("/Logout")
    assert urlsplit(out.location).path == "/v3/signin/identifier"
    assert client.get(PAGE).status_code == 302 and acct(replica)["sessions"] == 0


# ---------------------------------------------------------------- the page

def test_page_markup(client: FlaskClient) -> None:
    sign_in(client)
    html = page(client)
    assert "<title>Gemini Apps Activity</title>" in html and ">Keep activity<" in html
    c = chip(html)
    assert 'aria-label="Turn off your Keep Activity setting"' in c and 'aria-haspopup="menu"' in c
    assert text_of(c) == "✓ On ▾"
    assert "On since Feb 8, 2024" in html and "Choose an auto-delete option" in html
    box = re.search(r'<div role="checkbox"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'aria-checked="false"' in box
    label_id = re.search(r'aria-labelledby="([^"]+)"', box).group(1)  # type: ignore[union-attr]
    assert f'id="{label_id}" ' in html and AUDIO_LABEL in html
    assert 'role="switch"' not in markup(html) and 'role="menu"' not in markup(html)  # built when opened
    # The script's menu items, for the On and the Off state.
    t = page_cfg(html)["text"]
    assert (t["turnOff"], t["turnOffDelete"], t["turnOn"]) == ("Turn off", "Turn off and delete activity", "Turn on")
    assert "role: 'menu'" in html and "role: 'menuitem'" in html
    assert html.count("Delete activity item") == 12


def test_generated_attributes_change_between_loads(client: FlaskClient) -> None:
    sign_in(client)
    first, second = page(client), page(client)
    assert jsnames(first) and not set(jsnames(first)) & set(jsnames(second))
    for known in ("V67aGc", "LBaJxb"):  # the older scripts' values never appear
        assert known not in first
    classes = re.search(r'<button type="button" class="([^"]+)"[^>]*aria-haspopup="menu"', first)
    assert classes and re.fullmatch(r"[A-Za-z]{32}( [A-Za-z]{32})*", classes.group(1))


def test_turn_off_saves_at_once_and_leaves_the_rest(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    html = page(client)
    resp = rpc(client, html, "keep", [False, False])
    assert resp.status_code == 200 and resp.get_data(as_text=True).startswith(XSSI)
    a = acct(replica)
    assert replica.opted_out(ALICE) == {"keep-activity": True, "audio-training": True}
    assert a["saves"] == 1 and a["keep_activity_saves"] == 1 and a["audio_saves"] == 0
    assert a["auto_delete_months"] == 18 and a["auto_delete_saves"] == 0
    assert a["activity_items"] == 12 and a["deletions"] == 0 and a["audio_training"] is False
    # A reload shows the server's state: a plain "Off" and the other label.
    after = page(client)
    off = chip(after)
    assert 'aria-label="Turn on your Keep Activity setting"' in off and text_of(off) == "Off"
    assert re.search(r'<div class="[^"]+" hidden>On since', after)


def test_turn_off_and_delete_deletes_activity(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    assert rpc(client, page(client), "keep", [False, True]).status_code == 200
    a = acct(replica)
    assert a["keep_activity"] is False and a["activity_items"] == 0 and a["activity_deleted"] == 12
    assert "No activity." in page(client)


def test_turn_on_again(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.add_account("o@example.com", PW, keep_activity=False)
    sign_in(client, "o@example.com")
    html = page(client)
    assert "Turn on your Keep Activity setting" in chip(html)
    assert rpc(client, html, "keep", [True, False]).status_code == 200
    a = acct(replica, "o@example.com")
    assert a["keep_activity"] is True and a["on_since"] == datetime.now(UTC).date().isoformat()


def test_audio_checkbox_and_auto_delete(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    html = page(client)
    assert rpc(client, html, "audio", [True]).status_code == 200
    assert acct(replica)["audio_training"] is True and 'aria-checked="true"' in page(client)
    assert rpc(client, html, "audio", [False]).status_code == 200
    assert replica.opted_out(ALICE)["audio-training"] is True and acct(replica)["keep_activity"] is True
    assert rpc(client, html, "autoDelete", [3]).status_code == 200
    a = acct(replica)
    assert a["auto_delete_months"] == 3 and a["auto_delete_saves"] == 1 and a["audio_saves"] == 2
    assert rpc(client, html, "autoDelete", [7]).status_code == 400


def test_delete_activity(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    html = page(client)
    assert rpc(client, html, "remove", ["day"]).status_code == 200
    left = acct(replica)["activity_items"]
    assert 0 < left < 12 and acct(replica)["keep_activity"] is True
    one = re.search(r'aria-label="Delete activity item"[^>]*value="([^"]+)"', page(client)).group(1)  # type: ignore[union-attr]
    rpc(client, html, "remove", ["item", one])
    assert acct(replica)["activity_items"] == left - 1


def test_save_needs_session_and_token(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    html = page(client)
    assert rpc(client, html, "keep", [False, False], at="AJvLN6forged:1").status_code == 400
    anon = replica.app.test_client()
    assert rpc(anon, html, "keep", [False, False]).status_code == 401
    assert rpc(client, html, "keep", ["no", False]).status_code == 400
    assert acct(replica)["keep_activity"] is True and acct(replica)["saves"] == 0


def test_switch_back_on(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    html = page(client)
    rpc(client, html, "keep", [False, False])
    assert replica.opted_out(ALICE) == {"keep-activity": True, "audio-training": True}
    assert client.post("/__replica__/switch_back_on", json={"email": ALICE}).get_json() == {"switched_on": [ALICE]}
    assert replica.opted_out(ALICE) == {"keep-activity": False, "audio-training": False}
    assert acct(replica)["on_since"] == datetime.now(UTC).date().isoformat()
    assert 'aria-checked="true"' in page(client)
    assert client.post("/__replica__/switch_back_on", json={"email": "x@example.com"}).status_code == 404


def test_workspace_locked(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.add_account("w@corp.example", PW, workspace_locked=True)
    sign_in(client, "w@corp.example")
    html = page(client)
    assert "Keep activity" in html and "unavailable" in html and "administrator" in html
    assert 'aria-label="Turn off your Keep Activity setting"' not in html and 'role="checkbox"' not in markup(html)
    assert rpc(client, html, "keep", [False, False]).status_code == 403
    assert acct(replica, "w@corp.example")["keep_activity"] is True


def test_reset(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(older_release=True, save_fails_once=True)
    sign_in(client)
    rpc(client, page(client), "keep", [False, True])
    replica.reset()
    a = acct(replica)
    assert a["keep_activity"] is True and a["activity_items"] == 12 and a["sign_ins"] == 0 and a["sessions"] == 0
    assert replica.state()["variants"]["older_release"] is False
    replica.reset(drop_accounts=True)
    assert replica.state()["accounts"] == {}


# ---------------------------------------------------------------- variants

def test_confirm_dialog(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    assert page_cfg(page(client))["confirmDialog"] is False
    replica.configure(confirm_dialog=True)
    cfg = page_cfg(page(client))
    assert cfg["confirmDialog"] is True and cfg["text"]["gotIt"] == "Got it"


def test_older_release(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    replica.configure(older_release=True, older_confirm="pause")
    html = page(client)
    sw = re.search(r'<button type="button" role="switch"[^>]*>', html).group(0)  # type: ignore[union-attr]
    assert 'aria-checked="true"' in sw and 'aria-haspopup="menu"' not in sw
    assert "Turn off your Keep Activity setting" not in html.split("<script")[0]
    cfg = page_cfg(html)
    assert cfg["older"] is True and cfg["text"]["olderConfirm"] == "Pause" and cfg["text"]["gotIt"] == "Got it"
    assert 'role="checkbox"' in html and "Choose an auto-delete option" in html
    assert rpc(client, html, "keep", [False, False]).status_code == 200
    assert 'role="switch" aria-checked="false"' in page(client)


def test_save_fails_once(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    sign_in(client)
    html = page(client)
    assert rpc(client, html, "keep", [False, False]).status_code == 500
    assert acct(replica)["keep_activity"] is True
    assert rpc(client, html, "keep", [False, False]).status_code == 200
    assert acct(replica)["keep_activity"] is False and acct(replica)["saves"] == 2
    assert page_cfg(html)["text"]["error"] == "Something went wrong. Try again." and "role: 'alert'" in html


def test_save_never_persists(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    sign_in(client)
    html = page(client)
    assert rpc(client, html, "keep", [False, False]).status_code == 200
    assert rpc(client, html, "audio", [True]).status_code == 200
    assert replica.opted_out(ALICE) == {"keep-activity": False, "audio-training": True}
    assert "Turn off your Keep Activity setting" in chip(page(client))


def test_first_load_503(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    assert client.get(PAGE).status_code == 302  # signed out: not counted
    sign_in(client)
    first = client.get(PAGE)
    assert first.status_code == 503 and "That’s an error." in first.get_data(as_text=True)
    assert client.get(PAGE).status_code == 200


def test_session_expired_once(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    sign_in(client)
    gone = client.get(PAGE)
    assert gone.status_code == 302 and urlsplit(gone.location).path == "/ServiceLogin"
    assert acct(replica)["sessions"] == 0
    assert sign_in(client) == PAGE and client.get(PAGE).status_code == 200


def test_late_render_and_replace_node(replica: GeminiReplica, client: FlaskClient) -> None:
    sign_in(client)
    assert "<template>" not in markup(page(client))
    replica.configure(late_render_ms=900, replace_node=True)
    html = page(client)
    held = re.search(r'aria-busy="true"><template>(.*?)</template>', html, re.S)
    assert held and "Turn off your Keep Activity setting" in held.group(1)
    cfg = page_cfg(html)
    assert cfg["lateMs"] == 900 and cfg["replaceNode"] is True


def test_delay_ms(replica: GeminiReplica, client: FlaskClient) -> None:
    replica.configure(delay_ms=60)
    began = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - began < 0.05
    began = time.monotonic()
    client.get(PAGE)
    assert time.monotonic() - began >= 0.06


def test_not_found(client: FlaskClient) -> None:
    resp = client.get("/product/nope")
    assert resp.status_code == 404 and "That’s an error." in resp.get_data(as_text=True)

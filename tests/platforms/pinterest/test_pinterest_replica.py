"""Pinterest's replica alone (no browser, no optout): Flask's test client against its pages, judged by
its server-side state. The page script was checked once in Chromium by hand; here the server's half."""

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

from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

from .replica import GENAI, PRIVACY, PRIVACY_MOVED, SAVE_KEY, SAVE_URL, Replica

SETTING = "canvas-training"
LABEL = "Use your data to train Pinterest Canvas"
DESCRIPTION = "When you save or upload content to Pinterest, we may use it to improve the accuracy, safety and"
EMAIL, PASSWORD = "alice@example.com", "Correct-horse-1"


class Doc(HTMLParser):
    """What a person (or a flow) sees of a page: forms with labelled fields, buttons, links, switches,
    alerts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.texts: dict[str, str] = {}  # element id -> its text
        self.switches: list[dict[str, str]] = []
        self.buttons: list[tuple[str, dict[str, str]]] = []  # (text, attributes)
        self.links: dict[str, str] = {}  # link text -> href
        self.alerts: list[str] = []
        self.headings: list[str] = []
        self.ids: list[str] = []
        self._open: list[tuple[str, dict[str, str]]] = []
        self._in_template = 0
        self.templated_switches = 0
        self.feed(html)
        self.html = html

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "template":
            self._in_template += 1
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "inputs": []})
        if tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a)
        if tag == "button" and a.get("role") == "switch":
            if self._in_template:
                self.templated_switches += 1
            else:
                self.switches.append(a)
        if tag not in ("input", "meta", "br"):
            self._open.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self._in_template -= 1
        while self._open:
            t, _ = self._open.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        for t, a in self._open:
            if "id" in a:
                self.texts[a["id"]] = self.texts.get(a["id"], "") + data
            if t == "label" and "for" in a:
                self.labels[a["for"]] = self.labels.get(a["for"], "") + data
            if a.get("role") == "alert" and text:
                self.alerts.append(text)
        if self._open and text:
            tag, a = self._open[-1]
            if tag == "button":
                self.buttons.append((text, a))
            elif tag == "a":
                self.links[text] = a.get("href", "")
            elif tag == "h1":
                self.headings.append(text)

    def button(self, text: str) -> dict[str, str]:
        return next(a for t, a in self.buttons if t == text)

    def form_with(self, label: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The form holding a field labelled `label`, and its fields by label (hidden ones by name)."""
        for form in self.forms:
            fields = {self.labels.get(i.get("id", ""), i["name"]) if i.get("type") != "hidden" else i["name"]:
                      i["name"] for i in form["inputs"]}
            if label in fields:
                return form, fields
        raise AssertionError(f"no form with a field labelled {label!r}")

    def switch_label(self, sw: dict[str, str]) -> str:
        return self.texts.get(sw["aria-labelledby"], "").strip()


def doc(resp: Any) -> Doc:
    return Doc(resp.get_data(as_text=True))


def submit(client: FlaskClient, page: Doc, values: dict[str, str]) -> Any:
    """Fill the form holding the first field named in `values` (by label), as a person would."""
    form, fields = page.form_with(next(iter(values)))
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data.update({fields[label]: value for label, value in values.items()})
    return client.post(form["action"], data=data)


def sign_in(client: FlaskClient, path: str = PRIVACY, email: str = EMAIL, password: str = PASSWORD) -> Any:
    """From a settings page, signed out: to the log-in page, fill it, and back (one-page log-in)."""
    first = client.get(path)
    assert first.status_code == 302
    page = doc(client.get(first.headers["Location"]))
    return submit(client, page, {"Email": email, "Password": password})


def csrf(client: FlaskClient) -> str:
    cookie = client.get_cookie("csrftoken")
    assert cookie is not None
    return cookie.value


def save(client: FlaskClient, value: Any, token: str | None = None, options: dict[str, Any] | None = None) -> Any:
    """The background save the page's script sends (a form whose `data` is JSON, a CSRF header)."""
    data = json.dumps({"options": {SAVE_KEY: value} if options is None else options, "context": {}})
    headers = {"x-csrftoken": csrf(client) if token is None else token, "x-requested-with": "XMLHttpRequest"}
    return client.post(SAVE_URL, data={"source_url": GENAI, "data": data}, headers=headers)


def switch_cfg(html: str) -> dict[str, Any]:
    found = re.search(r"const cfg = (\{.*?\});\n", html)
    assert found
    return json.loads(found.group(1))


@pytest.fixture
def replica() -> Replica:
    r = Replica()
    r.add_account(EMAIL, PASSWORD, name="Alice Example")
    return r


@pytest.fixture
def client(replica: Replica) -> FlaskClient:
    return replica.app.test_client()


def acct(replica: Replica, email: str = EMAIL) -> dict[str, Any]:
    return replica.state()["accounts"][email]


# ---------------------------------------------------------------- interface and accounts

def test_replica_satisfies_the_interface() -> None:
    assert problems(Replica, {SETTING}) == []


def test_default_state(replica: Replica) -> None:
    a = acct(replica)
    assert a["canvas_training"] is True and a["available"] is True and a["totp"] is False
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert "password" not in a and a["saves"] == a["bad_saves"] == a["sign_ins"] == a["failed_logins"] == 0
    v = replica.state()["variants"]
    assert v["autosave"] is False and v["newer_release"] is False and v["deep_link"] == "works"


def test_account_options_are_checked(replica: Replica) -> None:
    with pytest.raises(TypeError):
        replica.add_account("b@example.com", "pw", region="FR")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", available="maybe")
    with pytest.raises(ValueError):
        replica.add_account("not-an-email", "pw")
    # as `python -m tests.replicas pinterest --account ...` passes them: strings
    got = replica.add_account(**parse_account("Bob.Stone@Example.com:pw-B-1::available=false,canvas_training=off"))
    assert got["email"] == "bob.stone@example.com" and got["name"] == "Bob Stone"
    assert got["available"] is False and got["canvas_training"] is False
    assert replica.opted_out("bob.stone@example.com") == {SETTING: True}


def test_configure_rejects_unknown_and_bad_values(replica: Replica) -> None:
    for bad in ({"no_such": 1}, {"delay_ms": "soon"}, {"deep_link": "elsewhere"}, {"older_release": True},
                {"autosave": "maybe"}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    client = replica.app.test_client()
    assert client.post("/__replica__/config", json={"autosave": "yes", "deep_link": "redirect"}).status_code == 200
    assert replica.state()["variants"]["autosave"] is True and replica.state()["variants"]["deep_link"] == "redirect"


# ---------------------------------------------------------------- log-in

def test_signed_out_visitor_logs_in_and_comes_back(replica: Replica, client: FlaskClient) -> None:
    first = client.get(PRIVACY)
    assert first.status_code == 302
    loc = urlsplit(first.headers["Location"])
    assert loc.path == "/login/" and parse_qs(loc.query)["next"] == [PRIVACY]
    page = doc(client.get(first.headers["Location"]))
    form, fields = page.form_with("Email")
    assert {"Email", "Password"} <= set(fields) and form["action"] == "/login/"
    assert {"Log in", "Continue with Facebook", "Continue with Google"} <= {t for t, _ in page.buttons}
    # ids are generated: a second load of the same page has none of the first one's field ids
    again = doc(client.get(first.headers["Location"]))
    field_ids = [i.get("id") for i in form["inputs"] if i.get("id")]
    assert field_ids and not set(field_ids) & set(again.ids)
    done = submit(client, page, {"Email": EMAIL, "Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY
    session = client.get_cookie("_pinterest_sess")
    assert session is not None and session.http_only
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1
    assert client.get("/login/?next=/settings/").headers["Location"] == "/settings/"  # signed in: straight on


def test_wrong_password_and_unknown_email(replica: Replica, client: FlaskClient) -> None:
    resp = sign_in(client, password="wrong")
    assert resp.status_code == 200
    page = doc(resp)
    assert page.alerts == ["The password you entered is incorrect."]
    assert client.get_cookie("_pinterest_sess") is None
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    assert EMAIL in page.html and "Password" in page.form_with("Email")[1]  # the page again, the email kept
    assert doc(submit(client, page, {"Email": "nobody@example.com", "Password": "x"})).alerts == [
        "The email you entered does not belong to any account."]
    assert replica.state()["unknown_logins"] == 1
    fresh = replica.app.test_client()  # a post without the csrf cookie the page set
    page = doc(fresh.get("/login/"))
    fresh.delete_cookie("csrftoken")
    assert doc(submit(fresh, page, {"Email": EMAIL, "Password": PASSWORD})).alerts
    assert acct(replica)["sign_ins"] == 0


def test_two_step_signin(replica: Replica, client: FlaskClient) -> None:
    replica.configure(two_step_signin=True)
    page = doc(client.get(client.get(PRIVACY).headers["Location"]))
    assert "Password" not in page.form_with("Email")[1] and "Continue" in {t for t, _ in page.buttons}
    step2 = doc(submit(client, page, {"Email": EMAIL}))
    assert "Password" in step2.form_with("Password")[1]
    wrong = doc(submit(client, step2, {"Password": "nope"}))
    assert wrong.alerts == ["The password you entered is incorrect."] and acct(replica)["failed_logins"] == 1
    done = submit(client, wrong, {"Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY


def test_totp_code_step(replica: Replica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("t@example.com", "pw-T-1", totp_secret=secret)
    code_page = doc(sign_in(client, email="t@example.com", password="pw-T-1"))
    assert client.get_cookie("_pinterest_sess") is None
    bad = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    wrong = doc(submit(client, code_page, {"Verification code": bad}))
    assert wrong.alerts and acct(replica, "t@example.com")["failed_challenges"] == 1
    done = submit(client, wrong, {"Verification code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY
    assert client.get_cookie("_pinterest_sess") is not None


def test_federated_buttons_lead_nowhere_usable(client: FlaskClient) -> None:
    resp = client.get("/login/federated/google/?next=/settings/privacy")
    assert resp.status_code == 502 and doc(resp).alerts
    assert client.get("/login/federated/myspace/").status_code == 404


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://www.pinterest.com/settings/privacy", "/settings/privacy"),
    ("https://evil.example/settings/privacy", "/"),
    ("//evil.example/x", "/"),
    ("/settings/", "/settings/"),
])
def test_after_login_target_stays_on_site(client: FlaskClient, raw: str, expected: str) -> None:
    page = doc(client.get("/login/", query_string={"next": raw}))
    assert submit(client, page, {"Email": EMAIL, "Password": PASSWORD}).headers["Location"] == expected


def test_logout_ends_the_session(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    assert "Log out" in doc(client.get("/")).links
    client.get("/logout/")
    assert acct(replica)["sessions"] == 0 and client.get(PRIVACY).status_code == 302


# ---------------------------------------------------------------- pages and the switch

def test_click_path_settings_privacy_genai(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    home = doc(client.get("/"))
    assert home.links["Settings"] == "/settings/"
    root = client.get("/settings/")
    assert root.status_code == 302
    profile = doc(client.get(root.headers["Location"]))
    assert profile.headings == ["Edit profile"] and profile.switches == []
    assert profile.links["Privacy and data"] == PRIVACY
    privacy = doc(client.get(PRIVACY))
    assert privacy.headings == ["Privacy and data"] and privacy.switches == [] and LABEL not in privacy.html
    assert privacy.links["Manage GenAI settings"] == GENAI
    genai = doc(client.get(GENAI))
    assert genai.headings == ["Manage GenAI settings"] and DESCRIPTION in genai.html
    assert [genai.switch_label(s) for s in genai.switches] == [LABEL]
    sw = genai.switches[0]
    assert sw["aria-checked"] == "true" and "id" not in sw and "name" not in sw
    assert genai.links["Privacy and data"] == PRIVACY


def test_default_needs_save_button(replica: Replica, client: FlaskClient) -> None:
    """Default: the switch flips on the page only; "Save" (disabled until a change) sends it."""
    sign_in(client)
    html = client.get(GENAI).get_data(as_text=True)
    page = Doc(html)
    assert "disabled" in page.button("Save") and "disabled" in page.button("Reset")
    assert switch_cfg(html)["autosave"] is False
    assert replica.opted_out(EMAIL) == {SETTING: False}  # loading and clicking alone save nothing
    before = acct(replica)
    resp = save(client, False)  # what pressing "Save" sends
    assert resp.status_code == 200 and resp.get_json()["resource_response"]["data"] == {SAVE_KEY: False}
    assert replica.opted_out(EMAIL) == {SETTING: True}
    after = acct(replica)
    # nothing else about the account changed (no other setting is modelled on these pages)
    assert {k for k in after if after[k] != before[k]} == {"canvas_training", "saves"}
    assert doc(client.get(GENAI)).switches[0]["aria-checked"] == "false"  # a reload: the server's value


def test_autosave_has_no_save_button(replica: Replica, client: FlaskClient) -> None:
    replica.configure(autosave=True)
    sign_in(client)
    html = client.get(GENAI).get_data(as_text=True)
    page = Doc(html)
    assert len(page.switches) == 1 and "Save" not in {t for t, _ in page.buttons}
    assert switch_cfg(html)["autosave"] is True


def test_newer_release_puts_the_switch_on_privacy(replica: Replica, client: FlaskClient) -> None:
    replica.configure(newer_release=True)
    sign_in(client)
    page = doc(client.get(PRIVACY))
    assert page.headings == ["Privacy and data"] and [page.switch_label(s) for s in page.switches] == [LABEL]
    assert "Manage GenAI settings" not in page.links and DESCRIPTION in page.html and "Save" in page.html
    assert client.get(GENAI).headers["Location"] == PRIVACY
    assert save(client, False).status_code == 200 and replica.opted_out(EMAIL) == {SETTING: True}
    assert doc(client.get(PRIVACY)).switches[0]["aria-checked"] == "false"


@pytest.mark.parametrize("mode", ["redirect", "not_found"])
def test_deep_link_elsewhere(replica: Replica, client: FlaskClient, mode: str) -> None:
    replica.configure(deep_link=mode)
    sign_in(client)  # signed out: log in first, then the deep link's fate
    resp = client.get(PRIVACY)
    if mode == "redirect":
        assert resp.status_code == 302 and resp.headers["Location"] == "/settings/profile"
        landed = doc(client.get("/settings/profile"))
    else:
        assert resp.status_code == 404
        landed = doc(resp)
        assert landed.links["Settings"] == "/settings/"
        landed = doc(client.get(client.get("/settings/").headers["Location"]))
    assert landed.links["Privacy and data"] == PRIVACY_MOVED
    privacy = doc(client.get(PRIVACY_MOVED))
    assert privacy.headings == ["Privacy and data"] and privacy.links["Manage GenAI settings"] == GENAI
    genai = doc(client.get(GENAI))
    assert len(genai.switches) == 1 and genai.links["Privacy and data"] == PRIVACY_MOVED


def test_moved_path_is_absent_when_the_deep_link_works(client: FlaskClient) -> None:
    sign_in(client)
    assert client.get(PRIVACY_MOVED).status_code == 404


def test_save_needs_session_csrf_and_a_clean_body(replica: Replica, client: FlaskClient) -> None:
    client.get("/login/")
    assert save(client, False).status_code == 401
    sign_in(client)
    assert save(client, False, token="forged").status_code == 403
    assert save(client, "false").status_code == 400
    # a body naming any other setting is refused whole: nothing but the Canvas switch is saved here
    assert save(client, False, options={SAVE_KEY: False, "personalize_ads": False}).status_code == 400
    assert save(client, None, options={"personalize_ads": False}).status_code == 400
    headers = {"x-csrftoken": csrf(client)}
    assert client.post(SAVE_URL, data={"data": "{not json"}, headers=headers).status_code == 400
    a = acct(replica)
    assert a["canvas_training"] is True and a["saves"] == 0 and a["bad_saves"] == 4


def test_member_not_offered_the_setting(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("teen@example.com", "pw-N-1", available=False)
    sign_in(client, path=GENAI, email="teen@example.com", password="pw-N-1")
    page = doc(client.get(GENAI))
    assert page.headings == ["Manage GenAI settings"] and "available" in page.html
    assert page.switches == [] and page.templated_switches == 0 and LABEL not in page.html
    assert doc(client.get(PRIVACY)).links["Manage GenAI settings"] == GENAI
    replica.configure(newer_release=True)
    privacy = doc(client.get(PRIVACY))
    assert privacy.headings == ["Privacy and data"] and privacy.switches == [] and LABEL not in privacy.html
    assert save(client, False).status_code == 404
    assert replica.opted_out("teen@example.com") == {SETTING: False}


def test_other_settings_pages_are_plain(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    profile = doc(client.get("/settings/profile"))
    for text, href in profile.links.items():
        if href.startswith("/settings/"):
            page = doc(client.get(href, follow_redirects=True))
            assert page.headings and (page.switches == [] or text == "Privacy and data")
    assert acct(replica)["canvas_training"] is True and acct(replica)["saves"] == 0


# ---------------------------------------------------------------- faults

def test_save_fails_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    sign_in(client)
    assert save(client, False).status_code == 500
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert save(client, False).status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True} and acct(replica)["saves"] == 2


def test_save_never_persists(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    sign_in(client)
    assert save(client, False).status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert doc(client.get(GENAI)).switches[0]["aria-checked"] == "true"


@pytest.mark.parametrize("first", [PRIVACY, GENAI])
def test_first_load_503_once(replica: Replica, client: FlaskClient, first: str) -> None:
    replica.configure(first_load_503=True)
    sign_in(client, path=first)
    assert client.get(first).status_code == 503
    assert client.get(PRIVACY).status_code == 200 and client.get(GENAI).status_code == 200


def test_session_expired_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    sign_in(client, path=GENAI)
    resp = client.get(GENAI)
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/login/"
    assert client.get_cookie("_pinterest_sess") is None and acct(replica)["sessions"] == 0
    page = doc(client.get(resp.headers["Location"]))
    assert submit(client, page, {"Email": EMAIL, "Password": PASSWORD}).headers["Location"] == GENAI
    assert client.get(GENAI).status_code == 200


def test_late_render_and_replace_node(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    replica.configure(late_render_ms=800, replace_node=True)
    html = client.get(GENAI).get_data(as_text=True)
    page = Doc(html)
    assert page.switches == [] and page.templated_switches == 1  # drawn by script after 800 ms
    cfg = switch_cfg(html)
    assert cfg["lateMs"] == 800 and cfg["replaceNode"] is True
    replica.configure(late_render_ms=0, replace_node=False)
    html = client.get(GENAI).get_data(as_text=True)
    assert len(Doc(html).switches) == 1 and switch_cfg(html)["replaceNode"] is False


def test_delay_ms_spares_control_endpoints(replica: Replica, client: FlaskClient) -> None:
    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/login/")
    assert time.monotonic() - start >= 0.12
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.1


# ---------------------------------------------------------------- control

def test_switch_back_on_reset_and_revoke(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    save(client, False)
    answer = client.post("/__replica__/switch_back_on", json={"email": EMAIL})
    assert answer.get_json() == {"switched_on": [EMAIL]} and replica.opted_out(EMAIL) == {SETTING: False}
    assert client.post("/__replica__/switch_back_on", json={"email": "x@example.com"}).status_code == 404
    assert client.post("/__replica__/revoke_sessions", json={"email": EMAIL}).get_json() == {"revoked": 1}
    assert client.get(GENAI).status_code == 302
    replica.add_account("off@example.com", "pw-O-1", canvas_training=False)
    replica.configure(newer_release=True, autosave=True)
    replica.reset()
    state = replica.state()
    assert state["variants"]["newer_release"] is False and state["variants"]["autosave"] is False
    assert state["accounts"]["off@example.com"]["canvas_training"] is False  # as it was added
    assert state["accounts"][EMAIL]["sign_ins"] == 0 and state["accounts"][EMAIL]["saves"] == 0
    assert replica.switch_back_on() == [EMAIL, "off@example.com"]
    assert replica.opted_out("off@example.com") == {SETTING: False}

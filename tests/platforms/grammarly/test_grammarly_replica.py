"""Grammarly's replica alone (no browser, no optout): Flask's test client against its pages, judged by
its server-side state. The page scripts were checked once in Chromium by hand; here the server's half."""

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

from tests.replicas.interface import problems

from .replica import SAVE_DATA_SETTINGS, SAVE_KEY, SAVE_PRIVACY, Replica

SETTING = "product-improvement"
LABEL = "Product Improvement and Training"
EMAIL, PASSWORD = "alice@example.com", "Correct-horse-1"


class Doc(HTMLParser):
    """What a person (or a flow) sees of a page: forms with labelled fields, buttons, switches, alerts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.texts: dict[str, str] = {}  # element id -> its text
        self.switches: list[dict[str, str]] = []
        self.buttons: list[str] = []
        self.alerts: list[str] = []
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
        for t, a in self._open:
            if "id" in a:
                self.texts[a["id"]] = self.texts.get(a["id"], "") + data
            if t == "label" and "for" in a:
                self.labels[a["for"]] = self.labels.get(a["for"], "") + data
            if a.get("role") == "alert" and data.strip():
                self.alerts.append(data.strip())
        if self._open and self._open[-1][0] == "button" and data.strip():
            self.buttons.append(data.strip())

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


def sign_in(client: FlaskClient, path: str = "/security/privacy", email: str = EMAIL,
            password: str = PASSWORD) -> Any:
    """From a settings page, signed out: to the sign-in page, fill it, and back (one-page sign-in)."""
    first = client.get(path)
    assert first.status_code == 302
    page = doc(client.get(first.headers["Location"]))
    return submit(client, page, {"Email": email, "Password": password})


def csrf(client: FlaskClient) -> str:
    cookie = client.get_cookie("csrf-token")
    assert cookie is not None
    return cookie.value


def save(client: FlaskClient, value: Any, url: str = SAVE_PRIVACY, token: str | None = None) -> Any:
    headers = {"x-csrf-token": csrf(client) if token is None else token}
    return client.post(url, json={SAVE_KEY: value}, headers=headers)


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
    assert a["product_improvement"] is True and a["plan"] == "free" and a["available"] is True
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert "password" not in a and a["saves"] == a["sign_ins"] == a["failed_logins"] == 0


def test_account_options_are_checked(replica: Replica) -> None:
    with pytest.raises(TypeError):
        replica.add_account("b@example.com", "pw", region="FR")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", plan="business")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", available="maybe")
    # python -m tests.replicas passes option values as strings
    got = replica.add_account("Bob.Stone@Example.com", "pw", plan="pro", available="false", product_improvement="off")
    assert got["email"] == "bob.stone@example.com" and got["name"] == "Bob Stone"
    assert got["available"] is False and got["product_improvement"] is False
    assert replica.opted_out("bob.stone@example.com") == {SETTING: True}


def test_configure_rejects_unknown_and_bad_values(replica: Replica) -> None:
    for bad in ({"no_such": 1}, {"delay_ms": "soon"}, {"pro_label": " "}, {"older_release": True}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    assert replica.app.test_client().post("/__replica__/config", json={"two_step_signin": "yes"}).status_code == 200
    assert replica.state()["variants"]["two_step_signin"] is True


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_signs_in_and_comes_back(replica: Replica, client: FlaskClient) -> None:
    first = client.get("/security/privacy")
    assert first.status_code == 302
    loc = urlsplit(first.headers["Location"])
    assert loc.path == "/signin" and parse_qs(loc.query)["redirect_uri"][0].endswith("/security/privacy")
    page = doc(client.get(first.headers["Location"]))
    form, fields = page.form_with("Email")
    assert {"Email", "Password"} <= set(fields) and form["action"] == "/signin"
    assert {"Continue with Google", "Continue with Apple", "Continue with Facebook", "Sign in"} <= set(page.buttons)
    # ids are generated: a second load of the same page has none of the first one's field ids
    again = doc(client.get(first.headers["Location"]))
    field_ids = [i.get("id") for i in form["inputs"] if i.get("id")]
    assert field_ids and not set(field_ids) & set(again.ids)
    done = submit(client, page, {"Email": EMAIL, "Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/security/privacy"
    session = client.get_cookie("grauth")
    assert session is not None and session.http_only
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1


def test_wrong_password_shows_an_error(replica: Replica, client: FlaskClient) -> None:
    resp = sign_in(client, password="wrong")
    assert resp.status_code == 200
    page = doc(resp)
    assert page.alerts == ["Invalid email or password."]
    assert client.get_cookie("grauth") is None
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    assert "Email" in page.form_with("Email")[1]  # the sign-in page again, the email kept
    assert EMAIL in page.html


def test_unknown_email_and_missing_csrf(replica: Replica, client: FlaskClient) -> None:
    assert doc(sign_in(client, email="nobody@example.com")).alerts == ["Invalid email or password."]
    assert replica.state()["unknown_logins"] == 1
    fresh = replica.app.test_client()  # a post without the csrf cookie the page set
    page = doc(fresh.get("/signin"))
    fresh.delete_cookie("csrf-token")
    assert doc(submit(fresh, page, {"Email": EMAIL, "Password": PASSWORD})).alerts
    assert acct(replica)["sign_ins"] == 0


def test_two_step_signin(replica: Replica, client: FlaskClient) -> None:
    replica.configure(two_step_signin=True)
    page = doc(client.get(client.get("/security/privacy").headers["Location"]))
    fields = page.form_with("Email")[1]
    assert "Password" not in fields and "Continue" in page.buttons
    step2 = doc(submit(client, page, {"Email": EMAIL}))
    assert "Password" in step2.form_with("Password")[1] and "Sign in" in step2.buttons
    wrong = doc(submit(client, step2, {"Password": "nope"}))
    assert wrong.alerts == ["Incorrect password. Try again."] and acct(replica)["failed_logins"] == 1
    done = submit(client, wrong, {"Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/security/privacy"
    other = replica.app.test_client()  # signed out
    unknown = doc(submit(other, doc(other.get("/signin")), {"Email": "nobody@example.com"}))
    assert unknown.alerts and "Password" not in unknown.form_with("Email")[1]


def test_totp_code_step(replica: Replica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("t@example.com", "pw-T-1", totp_secret=secret)
    code_page = doc(sign_in(client, email="t@example.com", password="pw-T-1"))
    assert client.get_cookie("grauth") is None
    wrong = doc(submit(client, code_page, {"Verification code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                           else "111111"}))
    assert wrong.alerts and acct(replica, "t@example.com")["failed_challenges"] == 1
    done = submit(client, wrong, {"Verification code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and done.headers["Location"] == "/security/privacy"
    assert client.get_cookie("grauth") is not None


def test_federated_buttons_lead_nowhere_usable(client: FlaskClient) -> None:
    resp = client.get("/signin/federated/google?redirect_uri=/security/privacy")
    assert resp.status_code == 502 and doc(resp).alerts
    assert client.get("/signin/federated/myspace").status_code == 404


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://account.grammarly.com/security/privacy", "/security/privacy"),
    ("https://evil.example/security/privacy", "/"),
    ("//evil.example/x", "/"),
    ("/admin/data_settings", "/admin/data_settings"),
])
def test_after_signin_target_stays_on_site(client: FlaskClient, raw: str, expected: str) -> None:
    page = doc(client.get("/signin", query_string={"redirect_uri": raw}))
    assert submit(client, page, {"Email": EMAIL, "Password": PASSWORD}).headers["Location"] == expected


# ---------------------------------------------------------------- the switch and its save

def test_privacy_page_switch_and_save(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    page = doc(client.get("/security/privacy"))
    assert len(page.switches) == 1
    sw = page.switches[0]
    assert sw["aria-checked"] == "true" and page.switch_label(sw) == LABEL and "id" not in sw
    before = acct(replica)
    resp = save(client, False)
    assert resp.status_code == 200 and resp.get_json() == {SAVE_KEY: False}
    assert replica.opted_out(EMAIL) == {SETTING: True}
    after = acct(replica)
    assert after["saves"] == 1
    # nothing else about the account changed
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {"product_improvement", "saves"}
    assert doc(client.get("/security/privacy")).switches[0]["aria-checked"] == "false"  # a reload: server state


def test_save_needs_session_csrf_and_a_clean_body(replica: Replica, client: FlaskClient) -> None:
    client.get("/signin")
    assert save(client, False).status_code == 401
    sign_in(client)
    assert save(client, False, token="forged").status_code == 403
    header = {"x-csrf-token": csrf(client)}
    assert client.post(SAVE_PRIVACY, json={SAVE_KEY: "false"}, headers=header).status_code == 400
    assert client.post(SAVE_PRIVACY, json={SAVE_KEY: False, "marketing": True}, headers=header).status_code == 400
    assert acct(replica)["product_improvement"] is True and acct(replica)["saves"] == 0


def test_pro_member_pages(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("pro@example.com", "pw-P-1", plan="pro")
    done = sign_in(client, "/admin/data_settings", "pro@example.com", "pw-P-1")
    assert done.headers["Location"] == "/admin/data_settings"
    page = doc(client.get("/admin/data_settings"))
    assert [page.switch_label(s) for s in page.switches] == [LABEL]
    privacy = doc(client.get("/security/privacy"))
    assert privacy.switches == [] and 'href="/admin/data_settings"' in privacy.html
    assert save(client, False, SAVE_PRIVACY).status_code == 403
    assert save(client, False, SAVE_DATA_SETTINGS).status_code == 200
    assert replica.opted_out("pro@example.com") == {SETTING: True}
    replica.configure(pro_privacy_redirect=True, pro_label="Product improvement")
    assert client.get("/security/privacy").headers["Location"] == "/admin/data_settings"
    relabelled = doc(client.get("/admin/data_settings"))
    assert [relabelled.switch_label(s) for s in relabelled.switches] == ["Product improvement"]


def test_individual_member_at_admin_page(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    resp = client.get("/admin/data_settings")
    assert resp.status_code == 302 and resp.headers["Location"] == "/"
    assert save(client, False, SAVE_DATA_SETTINGS).status_code == 403
    assert "Alice Example" in client.get("/").get_data(as_text=True)


def test_member_not_offered_the_setting(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("n@example.com", "pw-N-1", available=False)
    sign_in(client, email="n@example.com", password="pw-N-1")
    resp = client.get("/security/privacy")
    page = doc(resp)
    assert resp.status_code == 200 and "<h1>Privacy</h1>" in page.html
    assert page.switches == [] and page.templated_switches == 0 and LABEL not in page.html
    assert save(client, False).status_code == 404
    assert replica.opted_out("n@example.com") == {SETTING: False}


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
    assert save(client, False).get_json() == {SAVE_KEY: False}
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert doc(client.get("/security/privacy")).switches[0]["aria-checked"] == "true"


def test_first_load_503_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    sign_in(client)
    assert client.get("/security/privacy").status_code == 503
    assert client.get("/security/privacy").status_code == 200


def test_session_expired_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    sign_in(client)
    resp = client.get("/security/privacy")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/signin"
    assert client.get_cookie("grauth") is None and acct(replica)["sessions"] == 0
    page = doc(client.get(resp.headers["Location"]))
    assert submit(client, page, {"Email": EMAIL, "Password": PASSWORD}).headers["Location"] == "/security/privacy"
    assert client.get("/security/privacy").status_code == 200


def _switch_cfg(html: str) -> dict[str, Any]:
    found = re.search(r"const cfg = (\{.*?\});\n", html)
    assert found
    return json.loads(found.group(1))


def test_late_render_and_replace_node(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    replica.configure(late_render_ms=800, replace_node=True)
    html = client.get("/security/privacy").get_data(as_text=True)
    page = Doc(html)
    assert page.switches == [] and page.templated_switches == 1  # drawn by script after 800 ms
    cfg = _switch_cfg(html)
    assert cfg["lateMs"] == 800 and cfg["replaceNode"] is True
    replica.configure(late_render_ms=0, replace_node=False)
    html = client.get("/security/privacy").get_data(as_text=True)
    assert len(Doc(html).switches) == 1 and _switch_cfg(html)["replaceNode"] is False


def test_delay_ms_spares_control_endpoints(replica: Replica, client: FlaskClient) -> None:
    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/signin")
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
    assert client.get("/security/privacy").status_code == 302
    replica.add_account("off@example.com", "pw-O-1", product_improvement=False)
    replica.switch_back_on()
    replica.configure(two_step_signin=True)
    replica.reset()
    state = replica.state()
    assert state["variants"]["two_step_signin"] is False
    assert state["accounts"]["off@example.com"]["product_improvement"] is False  # as it was added
    assert state["accounts"][EMAIL]["sign_ins"] == 0 and state["accounts"][EMAIL]["saves"] == 0

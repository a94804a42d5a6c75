"""Quora's replica alone (no browser, no optout): Flask's test client against its pages, judged by its
server-side state. The page scripts' behaviour in a browser is the flow tests' business; here the server's half
and the configuration the scripts are given."""

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

from .pages import LLM, LLM_LABEL, NEIGHBOURS, ROWS
from .replica import MOVED_PRIVACY, PRIVACY, SAVE_URL, Replica

SETTING = "llm-training"
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
        self.links: dict[str, str] = {}  # link text -> href
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
        if tag not in ("input", "meta", "br", "img", "hr"):
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
        if self._open and self._open[-1][0] == "a" and data.strip():
            self.links[data.strip()] = self._open[-1][1].get("href", "")

    def form_with(self, label: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The form holding a field labelled `label`, and its fields by label (hidden ones by name)."""
        for form in self.forms:
            fields = {self.labels.get(i.get("id", ""), i["name"]) if i.get("type") != "hidden" else i["name"]:
                      i["name"] for i in form["inputs"]}
            if label in fields:
                return form, fields
        raise AssertionError(f"no form with a field labelled {label!r}")

    def switch_label(self, sw: dict[str, str]) -> str:
        return self.texts.get(sw.get("aria-labelledby", ""), "").strip()


def doc(resp: Any) -> Doc:
    return Doc(resp.get_data(as_text=True))


def submit(client: FlaskClient, page: Doc, values: dict[str, str]) -> Any:
    """Fill the form holding the first field named in `values` (by label), as a person would."""
    form, fields = page.form_with(next(iter(values)))
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data.update({fields[label]: value for label, value in values.items()})
    return client.post(form["action"], data=data)


def sign_in(client: FlaskClient, path: str = PRIVACY, email: str = EMAIL, password: str = PASSWORD) -> Any:
    """From a settings page, signed out: to the sign-in page, fill it, and back (one-page sign-in)."""
    first = client.get(path)
    assert first.status_code == 302
    page = doc(client.get(first.headers["Location"]))
    return submit(client, page, {"Email": email, "Password": password})


def switch_cfg(html: str) -> dict[str, Any]:
    """The switches' script configuration (what the page's script is given)."""
    for found in re.findall(r"const cfg = (\{.*?\});\n", html):
        cfg = json.loads(found)
        if "formkey" in cfg:
            return cfg
    raise AssertionError("no switch script on the page")


def save(client: FlaskClient, value: Any, key: str = LLM.key, formkey: str | None = None) -> Any:
    if formkey is None:
        formkey = switch_cfg(client.get(PRIVACY).get_data(as_text=True))["formkey"]
    return client.post(SAVE_URL, json={"setting": key, "value": value}, headers={"quora-formkey": formkey})


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
    assert a["llm_training"] is True and a["available"] is True and a["challenge"] is None and a["totp"] is False
    assert a["settings"] == {r.slug: r.default for r in NEIGHBOURS}
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert "password" not in a and a["saves"] == a["sign_ins"] == a["failed_logins"] == a["other_saves"] == 0


def test_account_options_are_checked(replica: Replica) -> None:
    with pytest.raises(TypeError):
        replica.add_account("b@example.com", "pw", region="FR")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", challenge="sms")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", available="maybe")
    # python -m tests.replicas passes option values as strings
    fields = parse_account("Bob.Stone@Example.com:pw:Bob Stone:llm_training=off,available=true,challenge=email_code")
    got = replica.add_account(**fields)
    assert got["email"] == "bob.stone@example.com" and got["name"] == "Bob Stone"
    assert got["llm_training"] is False and got["challenge"] == "email_code"
    assert replica.opted_out("bob.stone@example.com") == {SETTING: True}
    assert replica.add_account("carol.ann@example.com", "pw")["name"] == "Carol Ann"


def test_configure_rejects_unknown_and_bad_values(replica: Replica) -> None:
    for bad in ({"no_such": 1}, {"delay_ms": "soon"}, {"deep_link": "moved"}, {"signin_page": "modal"},
                {"older_release": True}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    assert replica.app.test_client().post("/__replica__/config", json={"captcha": "yes"}).status_code == 200
    assert replica.state()["variants"]["captcha"] is True


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_signs_in_and_comes_back(replica: Replica, client: FlaskClient) -> None:
    first = client.get(PRIVACY)
    assert first.status_code == 302
    loc = urlsplit(first.headers["Location"])
    assert loc.path == "/login" and parse_qs(loc.query)["next"][0].endswith(PRIVACY)
    page = doc(client.get(first.headers["Location"]))
    form, fields = page.form_with("Email")
    assert {"Email", "Password"} <= set(fields) and form["action"] == "/login"
    assert {"Continue with Google", "Continue with Facebook", "Login"} <= set(page.buttons)
    again = doc(client.get(first.headers["Location"]))  # generated ids: none survives a reload
    field_ids = [i.get("id") for i in form["inputs"] if i.get("id")]
    assert field_ids and not set(field_ids) & set(again.ids)
    done = submit(client, page, {"Email": EMAIL, "Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY
    session = client.get_cookie("m-b")
    assert session is not None and session.http_only
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1
    assert client.get("/login?next=/settings").headers["Location"] == "/settings"  # signed in: straight on


def test_landing_variant(replica: Replica, client: FlaskClient) -> None:
    replica.configure(signin_page="landing")
    first = client.get(PRIVACY)
    loc = urlsplit(first.headers["Location"])
    assert loc.path == "/" and parse_qs(loc.query)["next"][0].endswith(PRIVACY)
    page = doc(client.get(first.headers["Location"]))
    assert "Login" in page.buttons and "Sign up with email" in page.links
    done = submit(client, page, {"Email": EMAIL, "Password": PASSWORD})
    assert done.headers["Location"] == PRIVACY
    home = doc(client.get("/"))
    assert home.links["Settings"] == "/settings" and 'alt="Alice Example"' in home.html
    assert 'aria-haspopup="menu"' in home.html and re.search(r'role="menu"[^>]*hidden', home.html)


def test_wrong_password_and_unknown_email(replica: Replica, client: FlaskClient) -> None:
    page = doc(sign_in(client, password="wrong"))
    assert page.alerts == ["Incorrect password. Reset password or try again."]
    assert client.get_cookie("m-b") is None and EMAIL in page.html
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    assert doc(sign_in(client, email="nobody@example.com")).alerts[0].startswith("No account found")
    assert replica.state()["unknown_logins"] == 1
    fresh = replica.app.test_client()  # a post without the csrf cookie the page set
    form_page = doc(fresh.get("/login"))
    fresh.delete_cookie("m-csrf")
    assert doc(submit(fresh, form_page, {"Email": EMAIL, "Password": PASSWORD})).alerts
    assert acct(replica)["sign_ins"] == 0


def test_two_step_signin(replica: Replica, client: FlaskClient) -> None:
    replica.configure(two_step_signin=True)
    page = doc(client.get(client.get(PRIVACY).headers["Location"]))
    assert "Password" not in page.form_with("Email")[1] and "Next" in page.buttons
    step2 = doc(submit(client, page, {"Email": EMAIL}))
    assert "Login" in step2.buttons
    wrong = doc(submit(client, step2, {"Password": "nope"}))
    assert wrong.alerts and acct(replica)["failed_logins"] == 1
    done = submit(client, wrong, {"Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY


def test_email_code_challenge(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("e@example.com", "pw-E-1", challenge="email_code")
    control = replica.app.test_client()
    assert control.post("/__replica__/email_code", json={"email": "e@example.com"}).status_code == 404
    page = doc(sign_in(client, email="e@example.com", password="pw-E-1"))
    assert "e•••@example.com" in page.html and client.get_cookie("m-b") is None
    first = control.post("/__replica__/email_code", json={"email": "e@example.com"}).get_json()["code"]
    assert re.fullmatch(r"\d{6}", first) and replica.email_code("e@example.com") == first
    wrong = doc(submit(client, page, {"Code": "x" + first[1:]}))
    assert wrong.alerts and acct(replica, "e@example.com")["failed_challenges"] == 1
    resent = doc(client.post("/login/resend", data={i["name"]: i["value"] for i in wrong.forms[-1]["inputs"]}))
    assert acct(replica, "e@example.com")["codes_sent"] == 2
    done = submit(client, resent, {"Code": replica.email_code("e@example.com") or ""})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY and client.get_cookie("m-b")


def test_totp_code_step(replica: Replica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("t@example.com", "pw-T-1", totp_secret=secret)
    page = doc(sign_in(client, email="t@example.com", password="pw-T-1"))
    now = pyotp.TOTP(secret).now()
    wrong = doc(submit(client, page, {"Authentication code": "000000" if now != "000000" else "111111"}))
    assert wrong.alerts and acct(replica, "t@example.com")["failed_challenges"] == 1
    done = submit(client, wrong, {"Authentication code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and client.get_cookie("m-b") is not None


def test_captcha_variant(replica: Replica, client: FlaskClient) -> None:
    replica.configure(captcha=True)
    page = doc(sign_in(client))
    src = re.search(r'<img src="(/login/captcha\?[^"]+)"', page.html)
    assert src and "Characters" in page.form_with("Characters")[1]
    image = client.get(src.group(1).replace("&amp;", "&"))
    assert image.status_code == 200 and image.mimetype == "image/png"
    text = replica.captcha_text(EMAIL)
    assert text and text not in page.html
    wrong = doc(submit(client, page, {"Characters": "ZZZZZ" if text != "ZZZZZ" else "YYYYY"}))
    assert wrong.alerts and acct(replica)["failed_challenges"] == 1  # and a new picture
    answer = replica.app.test_client().get("/__replica__/captcha", query_string={"email": EMAIL}).get_json()["text"]
    done = submit(client, wrong, {"Characters": answer.lower()})
    assert done.status_code == 303 and done.headers["Location"] == PRIVACY


def test_federated_buttons_lead_nowhere_usable(client: FlaskClient) -> None:
    resp = client.get("/login/federated/google?next=/settings/privacy")
    assert resp.status_code == 502 and doc(resp).alerts
    assert client.get("/login/federated/myspace").status_code == 404


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://www.quora.com/settings/privacy", PRIVACY),
    ("https://evil.example/settings/privacy", "/"),
    ("//evil.example/x", "/"),
    ("/settings", "/settings"),
])
def test_after_signin_target_stays_on_site(client: FlaskClient, raw: str, expected: str) -> None:
    page = doc(client.get("/login", query_string={"next": raw}))
    assert submit(client, page, {"Email": EMAIL, "Password": PASSWORD}).headers["Location"] == expected


# ---------------------------------------------------------------- the switch and its save

def test_privacy_page_switch_and_save(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    page = doc(client.get(PRIVACY))
    assert [page.switch_label(s) for s in page.switches] == [r.label for r in ROWS]
    sw = next(s for s in page.switches if page.switch_label(s) == LLM_LABEL)
    assert sw["aria-checked"] == "true" and "id" not in sw and "name" not in sw
    assert page.links["Privacy"] == PRIVACY and page.links["Account"] == "/settings"
    before = acct(replica)
    resp = save(client, False)
    assert resp.status_code == 200 and resp.get_json() == {"setting": LLM.key, "value": False}
    assert replica.opted_out(EMAIL) == {SETTING: True}
    after = acct(replica)
    assert {k for k in after if after[k] != before[k]} == {"llm_training", "saves"}  # neighbours untouched
    reloaded = doc(client.get(PRIVACY))  # a reload shows the server's state
    assert next(s for s in reloaded.switches if reloaded.switch_label(s) == LLM_LABEL)["aria-checked"] == "false"


def test_neighbour_save_leaves_the_ai_switch(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    assert save(client, False, key="allowContentTranslation").status_code == 200
    a = acct(replica)
    assert a["settings"]["translation"] is False and a["other_saves"] == 1
    assert a["llm_training"] is True and a["saves"] == 0


def test_save_needs_session_formkey_and_a_clean_body(replica: Replica, client: FlaskClient) -> None:
    assert save(client, False, formkey="x").status_code == 401
    sign_in(client)
    assert save(client, False, formkey="forged").status_code == 403
    key = switch_cfg(client.get(PRIVACY).get_data(as_text=True))["formkey"]
    header = {"quora-formkey": key}
    for body in ({"setting": LLM.key, "value": "false"}, {"setting": "allowEverything", "value": False},
                 {"setting": LLM.key, "value": False, "extra": 1}):
        assert client.post(SAVE_URL, json=body, headers=header).status_code == 400
    assert acct(replica)["llm_training"] is True and acct(replica)["saves"] == 0


def test_member_not_offered_the_setting(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("n@example.com", "pw-N-1", available=False)
    sign_in(client, email="n@example.com", password="pw-N-1")
    resp = client.get(PRIVACY)
    page = doc(resp)
    assert resp.status_code == 200 and "<h1>Privacy</h1>" in page.html and "Content" in page.html
    assert len(page.switches) == len(NEIGHBOURS) and LLM_LABEL not in page.html
    assert save(client, False).status_code == 404
    assert replica.opted_out("n@example.com") == {SETTING: False}


def test_switch_unnamed_variant(replica: Replica, client: FlaskClient) -> None:
    replica.configure(switch_unnamed=True)
    sign_in(client)
    page = doc(client.get(PRIVACY))
    assert len(page.switches) == len(ROWS) and all("aria-labelledby" not in s for s in page.switches)
    assert LLM_LABEL in page.html and switch_cfg(page.html)["named"] is False


# ---------------------------------------------------------------- the deep link (unsure)

def test_deep_link_works_by_default(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    assert client.get(MOVED_PRIVACY).status_code == 404


def test_deep_link_redirects_to_settings(replica: Replica, client: FlaskClient) -> None:
    replica.configure(deep_link="settings")
    done = sign_in(client)
    assert done.headers["Location"] == PRIVACY
    resp = client.get(PRIVACY)
    assert resp.status_code == 302 and resp.headers["Location"] == "/settings"
    account = doc(client.get("/settings"))
    assert account.switches == [] and LLM_LABEL not in account.html
    assert account.links["Privacy"] == MOVED_PRIVACY  # the click path: Settings → Privacy
    moved = doc(client.get(MOVED_PRIVACY))
    assert LLM_LABEL in [moved.switch_label(s) for s in moved.switches]


def test_deep_link_gone(replica: Replica, client: FlaskClient) -> None:
    replica.configure(deep_link="404")
    first = client.get(PRIVACY)
    assert first.status_code == 302  # signed out: to sign in first
    sign_in(client)
    gone = client.get(PRIVACY)
    page = doc(gone)
    assert gone.status_code == 404 and "Page Not Found" in page.html and page.switches == []
    assert page.links["Settings"] == "/settings"  # in the profile menu of the header
    assert doc(client.get("/settings")).links["Privacy"] == MOVED_PRIVACY
    assert save(client, False, formkey=switch_cfg(client.get(MOVED_PRIVACY).get_data(as_text=True))["formkey"]) \
        .status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True}


# ---------------------------------------------------------------- faults

def test_save_fails_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    sign_in(client)
    assert save(client, False).status_code == 500
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert save(client, False).status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True} and acct(replica)["saves"] == 2
    assert "Something went wrong" in switch_cfg(client.get(PRIVACY).get_data(as_text=True))["text"]["error"]


def test_save_never_persists(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    sign_in(client)
    assert save(client, False).get_json() == {"setting": LLM.key, "value": False}
    assert replica.opted_out(EMAIL) == {SETTING: False}
    page = doc(client.get(PRIVACY))
    assert next(s for s in page.switches if page.switch_label(s) == LLM_LABEL)["aria-checked"] == "true"


def test_first_load_503_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    sign_in(client)
    assert client.get("/settings").status_code == 200  # only the page holding the switch
    assert client.get(PRIVACY).status_code == 503
    assert client.get(PRIVACY).status_code == 200


def test_session_expired_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    sign_in(client)
    resp = client.get(PRIVACY)
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/login"
    assert client.get_cookie("m-b") is None and acct(replica)["sessions"] == 0
    page = doc(client.get(resp.headers["Location"]))
    assert submit(client, page, {"Email": EMAIL, "Password": PASSWORD}).headers["Location"] == PRIVACY
    assert client.get(PRIVACY).status_code == 200


def test_late_render_and_replace_node(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    replica.configure(late_render_ms=800, replace_node=True)
    html = client.get(PRIVACY).get_data(as_text=True)
    page = Doc(html)
    assert page.switches == [] and page.templated_switches == len(ROWS)  # drawn by script after 800 ms
    cfg = switch_cfg(html)
    assert cfg["lateMs"] == 800 and cfg["replaceNode"] is True
    assert [r["label"] for r in cfg["rows"]] == [r.label for r in ROWS]
    replica.configure(late_render_ms=0, replace_node=False)
    html = client.get(PRIVACY).get_data(as_text=True)
    assert len(Doc(html).switches) == len(ROWS) and switch_cfg(html)["replaceNode"] is False


def test_delay_ms_spares_control_endpoints(replica: Replica, client: FlaskClient) -> None:
    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/login")
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
    assert client.post("/__replica__/email_code", json={"email": "x@example.com"}).status_code == 404
    assert client.post("/__replica__/revoke_sessions", json={"email": EMAIL}).get_json() == {"revoked": 1}
    assert client.get(PRIVACY).status_code == 302
    replica.add_account("off@example.com", "pw-O-1", llm_training=False)
    replica.configure(deep_link="404")
    replica.reset()
    state = replica.state()
    assert state["variants"]["deep_link"] == "works"
    assert state["accounts"]["off@example.com"]["llm_training"] is False  # as it was added
    assert state["accounts"][EMAIL]["sign_ins"] == 0 and state["accounts"][EMAIL]["saves"] == 0
    assert replica.switch_back_on() == [EMAIL, "off@example.com"]
    assert replica.opted_out("off@example.com") == {SETTING: False}

"""GitHub Copilot's replica alone (no browser, no optout): Flask's test client against its pages, judged
by its server-side state. The page script was checked once in Chromium by hand; here the server's half."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from flask.testing import FlaskClient

from tests.replicas.interface import problems

from .replica import COPILOT, FEATURES, SAVE_URL, Replica

SETTING = "model-training"
LABEL = "Allow GitHub to use my data for AI model training"
OLDER_LABEL = "Allow GitHub to use my code snippets from the code editor for product improvements"
PUBLIC_CODE = "Suggestions matching public code (duplication detection filter)"
EMAIL, PASSWORD = "alice.smith@example.com", "Correct-horse-1"


class Doc(HTMLParser):
    """What a person (or a flow) sees of a page: labelled fields, selects, switches, buttons, alerts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.texts: dict[str, str] = {}  # element id -> its text
        self.selects: list[dict[str, Any]] = []  # {attrs, options: [(value, text, selected)]}
        self.switches: list[dict[str, str]] = []
        self.buttons: list[str] = []
        self.alerts: list[str] = []
        self.ids: list[str] = []
        self.headings: list[str] = []
        self.links: dict[str, str] = {}  # text -> href
        self.in_template = 0
        self.templated = 0  # controls held in a <template> (drawn later by script)
        self._open: list[tuple[str, dict[str, str]]] = []
        self.html = html
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "template":
            self.in_template += 1
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "inputs": []})
        if tag in ("input", "select") and self.forms:
            self.forms[-1]["inputs"].append(a)
        if tag == "input" and a.get("type") == "submit":
            self.buttons.append(a.get("value", ""))
        if tag in ("select", "button") and self.in_template and (tag == "select" or a.get("role") == "switch"):
            self.templated += 1
        elif tag == "select":
            self.selects.append({"attrs": a, "options": []})
        elif tag == "button" and a.get("role") == "switch":
            self.switches.append(a)
        if tag == "option" and self.selects and not self.in_template:
            self.selects[-1]["options"].append([a.get("value", ""), "", "selected" in a])
        if tag not in ("input", "meta", "br"):
            self._open.append((tag, a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "template":
            self.in_template -= 1
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
        if not self._open or not data.strip():
            return
        tag, a = self._open[-1]
        if tag == "button":
            self.buttons.append(data.strip())
        if tag in ("h1", "h2"):
            self.headings.append(data.strip())
        if tag == "a":
            self.links[data.strip()] = a.get("href", "")
        if tag == "option" and self.selects and not self.in_template:
            self.selects[-1]["options"][-1][1] += data.strip()

    def form_with(self, label: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The form holding a field labelled `label`, and its fields by label (hidden ones by name)."""
        for form in self.forms:
            fields = {self.labels.get(i.get("id", ""), i.get("name", "")) if i.get("type") != "hidden"
                      else i["name"]: i.get("name", "") for i in form["inputs"]}
            if label in fields:
                return form, fields
        raise AssertionError(f"no form with a field labelled {label!r}")

    def select(self, label: str) -> dict[str, Any]:
        found = [s for s in self.selects if self.labels.get(s["attrs"].get("id", "")) == label]
        assert len(found) == 1, f"{len(found)} selects labelled {label!r}"
        return found[0]

    def chosen(self, label: str) -> str:
        return next(text for _, text, selected in self.select(label)["options"] if selected)

    def switch(self, label: str) -> dict[str, str]:
        found = [s for s in self.switches if self.texts.get(s.get("aria-labelledby", ""), "").strip() == label]
        assert len(found) == 1, f"{len(found)} switches labelled {label!r}"
        return found[0]


def doc(resp: Any) -> Doc:
    return Doc(resp.get_data(as_text=True))


def submit(client: FlaskClient, page: Doc, values: dict[str, str]) -> Any:
    """Fill the form holding the first field named in `values` (by label), as a person would."""
    form, fields = page.form_with(next(iter(values)))
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data.update({fields[label]: value for label, value in values.items()})
    return client.post(form["action"], data=data)


def sign_in(client: FlaskClient, path: str = COPILOT, login: str = EMAIL, password: str = PASSWORD) -> Any:
    """From a settings page, signed out: to the sign-in page, fill it in, and on."""
    first = client.get(path)
    assert first.status_code == 302
    page = doc(client.get(first.headers["Location"]))
    return submit(client, page, {"Username or email address": login, "Password": password})


def signed_in(client: FlaskClient, path: str = COPILOT) -> Doc:
    done = sign_in(client, path)
    assert done.status_code == 302 and done.headers["Location"] == path
    resp = client.get(path)
    assert resp.status_code == 200
    return doc(resp)


def csrf(page: Doc) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.html)
    assert found
    return found.group(1)


def save_json(client: FlaskClient, page: Doc, values: dict[str, str], token: str | None = None) -> Any:
    """What the page script sends: {field name: "enabled"|"disabled"} for the labels given."""
    names = {}
    for label in values:
        if page.selects:
            names[label] = page.select(label)["attrs"]["name"]
        else:
            names[label] = page.switch(label)["name"]
    body = {names[label]: value for label, value in values.items()}
    return client.post(SAVE_URL, json=body, headers={"x-csrf-token": csrf(page) if token is None else token})


def save_all(client: FlaskClient, page: Doc, training: str) -> Any:
    """The Save button in select mode: every select's shown value, the training one changed."""
    body = {}
    for s in page.selects:
        label = page.labels[s["attrs"]["id"]]
        shown = next(v for v, _, selected in s["options"] if selected)
        body[s["attrs"]["name"]] = training if label in (LABEL, OLDER_LABEL) else shown
    return client.post(SAVE_URL, json=body, headers={"x-csrf-token": csrf(page)})


@pytest.fixture
def replica() -> Replica:
    r = Replica()
    r.add_account(EMAIL, PASSWORD)
    return r


@pytest.fixture
def client(replica: Replica) -> FlaskClient:
    return replica.app.test_client()


def acct(replica: Replica, email: str = EMAIL) -> dict[str, Any]:
    return replica.state()["accounts"][email]


NEIGHBOURS_AT_START = {"github_com": True, "web_search": True, "public_code": False}


# ---------------------------------------------------------------- interface and accounts

def test_replica_satisfies_the_interface() -> None:
    assert problems(Replica, {SETTING}) == []


def test_default_state(replica: Replica) -> None:
    a = acct(replica)
    assert a["model_training"] is True and a["model_training_offered"] is True and a["plan"] == "free"
    assert a["username"] == "alice-smith" and a["name"] == "Alice Smith"
    assert a["settings"] == NEIGHBOURS_AT_START and set(a["settings_changes"].values()) == {0}
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert "password" not in a and a["saves"] == a["sign_ins"] == a["failed_logins"] == 0
    assert replica.state()["variants"]["control"] == "select"


def test_account_options_are_checked(replica: Replica) -> None:
    with pytest.raises(TypeError):
        replica.add_account("b@example.com", "pw", region="FR")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", plan="team")
    with pytest.raises(ValueError):
        replica.add_account("b@example.com", "pw", device_verification="maybe")
    with pytest.raises(ValueError):
        replica.add_account("other@example.com", "pw", username="alice-smith")
    # python -m tests.replicas passes option values as strings; people who opted out earlier stay out
    got = replica.add_account("Bob@Example.com", "pw", username="bobby", model_training="false",
                              device_verification="true")
    assert got["email"] == "bob@example.com" and got["username"] == "bobby" and got["device_verification"]
    assert replica.opted_out("bob@example.com") == {SETTING: True}
    biz = replica.add_account("carol@example.com", "pw", plan="business")
    assert biz["model_training_offered"] is False and replica.opted_out("carol@example.com") == {SETTING: True}


def test_configure_rejects_unknown_and_bad_values(replica: Replica) -> None:
    for bad in ({"no_such": 1}, {"control": "checkbox"}, {"delay_ms": "soon"}, {"option_labels": "on"}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    client = replica.app.test_client()
    assert client.post("/__replica__/config", json={"control": "switch", "older_release": "yes"}).status_code == 200
    assert replica.state()["variants"]["control"] == "switch" and replica.state()["variants"]["older_release"]


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_signs_in_and_comes_back(replica: Replica, client: FlaskClient) -> None:
    first = client.get(COPILOT)
    assert first.status_code == 302
    loc = urlsplit(first.headers["Location"])
    assert loc.path == "/login" and parse_qs(loc.query)["return_to"][0].endswith(COPILOT)
    page = doc(client.get(first.headers["Location"]))
    form, fields = page.form_with("Username or email address")
    assert "Password" in fields and form["action"] == "/session"
    assert {"Sign in", "Sign in with a passkey"} <= set(page.buttons) and "Sign in to GitHub" in page.headings
    assert "login" not in fields.values() and "password" not in fields.values()  # hashed field names
    again = doc(client.get(first.headers["Location"]))  # ids are generated per load
    field_ids = [i["id"] for i in form["inputs"] if i.get("id")]
    assert field_ids and not set(field_ids) & set(again.ids)
    done = submit(client, page, {"Username or email address": EMAIL, "Password": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == COPILOT
    session = client.get_cookie("user_session")
    assert session is not None and session.http_only
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1
    # the username works too, and a signed-in visitor at /login goes straight on
    other = replica.app.test_client()
    assert sign_in(other, login="Alice-Smith").headers["Location"] == COPILOT
    assert client.get("/login?return_to=https%3A%2F%2Fgithub.com%2Fsettings%2Fcopilot").headers["Location"] == COPILOT


@pytest.mark.parametrize("raw, expected", [("https://github.com/settings/copilot?x=1", "/settings/copilot?x=1"),
                                           ("https://evil.example/x", "/"), ("//evil.example", "/"), ("", "/")])
def test_return_to_stays_on_site(client: FlaskClient, raw: str, expected: str) -> None:
    page = doc(client.get("/login", query_string={"return_to": raw}))
    assert submit(client, page, {"Username or email address": EMAIL, "Password": PASSWORD}).headers["Location"] \
        == expected


def test_wrong_password_and_unknown_user(replica: Replica, client: FlaskClient) -> None:
    resp = sign_in(client, password="wrong")
    page = doc(resp)
    assert resp.status_code == 200 and page.alerts == ["Incorrect username or password."]
    assert acct(replica)["failed_logins"] == 1 and client.get_cookie("user_session") is None
    page = doc(sign_in(client, login="nobody@example.com"))
    assert page.alerts == ["Incorrect username or password."] and replica.state()["unknown_logins"] == 1


def test_form_token_is_checked(replica: Replica, client: FlaskClient) -> None:
    page = doc(client.get("/login"))
    form, fields = page.form_with("Password")
    data = {fields["Username or email address"]: EMAIL, fields["Password"]: PASSWORD}
    resp = client.post("/session", data=data)  # no authenticity token
    assert doc(resp).alerts and acct(replica)["sign_ins"] == 0


def test_totp_step(replica: Replica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("tess@example.com", "pw-Tess-1", totp_secret=secret, device_verification=True)
    done = sign_in(client, login="tess@example.com", password="pw-Tess-1")
    assert done.headers["Location"] == "/sessions/two-factor/app"
    page = doc(client.get("/sessions/two-factor/app"))
    assert "Two-factor authentication" in page.headings and "Verify" in page.buttons
    wrong = doc(submit(client, page, {"Authentication code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                      else "111111"}))
    assert wrong.alerts == ["Two-factor authentication failed."]
    assert acct(replica, "tess@example.com")["failed_challenges"] == 1
    ok = submit(client, wrong, {"Authentication code": pyotp.TOTP(secret).now()})
    assert ok.status_code == 302 and ok.headers["Location"] == COPILOT
    # 2FA accounts skip device verification, as on GitHub
    assert acct(replica, "tess@example.com")["codes_sent"] == 0 and client.get(COPILOT).status_code == 200


def test_device_verification_by_emailed_code(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("dev@example.com", "pw-Dev-1", device_verification=True)
    assert replica.email_code("dev@example.com") is None
    assert client.post("/__replica__/email_code", json={"email": "dev@example.com"}).status_code == 404
    done = sign_in(client, login="dev@example.com", password="pw-Dev-1")
    assert done.headers["Location"] == "/sessions/verified-device"
    page = doc(client.get("/sessions/verified-device"))
    assert "Device verification" in page.headings and "d***@example.com" in page.html
    code = client.post("/__replica__/email_code", json={"email": "dev@example.com"}).get_json()["code"]
    assert re.fullmatch(r"\d{6}", code) and code == replica.email_code("dev@example.com")
    wrong = doc(submit(client, page, {"Device Verification Code": "12345" + str((int(code[-1]) + 1) % 10)}))
    assert wrong.alerts == ["Incorrect verification code provided."]
    resent = doc(client.post("/sessions/verified-device/resend", data={
        i["name"]: i["value"] for i in wrong.forms[-1]["inputs"] if i.get("type") == "hidden"}))
    new_code = replica.email_code("dev@example.com")
    assert acct(replica, "dev@example.com")["codes_sent"] == 2 and new_code
    assert submit(client, resent, {"Device Verification Code": new_code}).headers["Location"] == COPILOT
    assert acct(replica, "dev@example.com")["verified_devices"] == 1
    # the same browser is remembered: the next sign-in asks no code; a new browser is asked again
    client.post("/logout", data={})
    assert sign_in(client, login="dev@example.com", password="pw-Dev-1").headers["Location"] == COPILOT
    fresh = replica.app.test_client()
    assert sign_in(fresh, login="dev@example.com", password="pw-Dev-1").headers["Location"] \
        == "/sessions/verified-device"


def test_second_steps_need_a_pending_sign_in(client: FlaskClient) -> None:
    assert client.get("/sessions/two-factor/app").headers["Location"] == "/login"
    assert client.get("/sessions/verified-device").headers["Location"] == "/login"


def test_click_path_from_the_avatar_menu(client: FlaskClient) -> None:
    sign_in(client, path="/settings")
    home = doc(client.get("/"))
    assert home.links["Settings"] == "/settings/profile"
    profile = doc(client.get("/settings/profile"))
    assert profile.links["Copilot"] == COPILOT and "Public profile" in profile.headings
    assert client.get("/settings/emails").status_code == 200


def test_logout(replica: Replica, client: FlaskClient) -> None:
    sign_in(client)
    assert client.get("/logout").status_code == 200
    assert client.post("/logout").status_code == 302
    assert acct(replica)["sessions"] == 0 and client.get(COPILOT).status_code == 302


# ---------------------------------------------------------------- the setting: select (default)

def test_features_part_with_the_select(replica: Replica, client: FlaskClient) -> None:
    page = signed_in(client)
    assert {"Copilot", "Copilot Chat", "Privacy"} <= set(page.headings) and page.links["Features"] == COPILOT
    s = page.select(LABEL)
    assert [text for _, text, _ in s["options"]] == ["Enabled", "Disabled"] and page.chosen(LABEL) == "Enabled"
    assert page.chosen(PUBLIC_CODE) == "Blocked" and page.chosen("Copilot can search the web") == "Enabled"
    assert "Save" in page.buttons and not page.switches
    assert s["attrs"]["name"] not in ("model_training", "model-training")  # hashed
    assert s["attrs"]["aria-describedby"] in page.texts


def test_save_button_saves_and_neighbours_never_change(replica: Replica, client: FlaskClient) -> None:
    page = signed_in(client)
    resp = save_all(client, page, "disabled")
    assert resp.status_code == 200
    a = acct(replica)
    assert a["model_training"] is False and a["saves"] == 1 and replica.opted_out(EMAIL) == {SETTING: True}
    assert a["settings"] == NEIGHBOURS_AT_START and set(a["settings_changes"].values()) == {0}
    reloaded = doc(client.get(COPILOT))  # a reload shows the server's value
    assert reloaded.chosen(LABEL) == "Disabled" and reloaded.chosen(PUBLIC_CODE) == "Blocked"
    # the neighbours still work and are counted when a person changes them
    assert save_json(client, reloaded, {PUBLIC_CODE: "enabled"}).status_code == 200
    a = acct(replica)
    assert a["settings"]["public_code"] is True and a["settings_changes"]["public_code"] == 1
    assert a["model_training"] is False


def test_plain_form_post_without_script(replica: Replica, client: FlaskClient) -> None:
    page = signed_in(client)
    form, fields = page.form_with(LABEL)
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data[fields[LABEL]] = "disabled"
    resp = client.post(form["action"], data=data)
    assert resp.status_code == 303 and resp.headers["Location"] == COPILOT
    assert acct(replica)["model_training"] is False


def test_save_needs_session_csrf_and_a_clean_body(replica: Replica, client: FlaskClient) -> None:
    page = signed_in(client)
    name = page.select(LABEL)["attrs"]["name"]
    assert save_json(client, page, {LABEL: "disabled"}, token="forged").status_code == 403
    assert client.post(SAVE_URL, json={name: "off"}, headers={"x-csrf-token": csrf(page)}).status_code == 422
    assert client.post(SAVE_URL, json={"model_training": "disabled"},
                       headers={"x-csrf-token": csrf(page)}).status_code == 422
    assert acct(replica)["model_training"] is True and acct(replica)["saves"] == 0
    anon = replica.app.test_client()
    assert anon.post(SAVE_URL, json={name: "disabled"}, headers={"x-csrf-token": csrf(page)}).status_code == 401


def test_select_saves_on_change_without_a_save_button(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_button=False)
    page = signed_in(client)
    assert "Save" not in page.buttons and '"saveButton": false' in page.html
    assert save_json(client, page, {LABEL: "disabled"}).status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True}


def test_allowed_blocked_option_words(replica: Replica, client: FlaskClient) -> None:
    replica.configure(option_labels="allowed")
    page = signed_in(client)
    assert [text for _, text, _ in page.select(LABEL)["options"]] == ["Allowed", "Blocked"]
    assert [text for _, text, _ in page.select("Copilot in GitHub.com")["options"]] == ["Enabled", "Disabled"]


def test_older_release_label(replica: Replica, client: FlaskClient) -> None:
    page = signed_in(client)
    before = page.select(LABEL)["attrs"]["name"]
    replica.configure(older_release=True)
    page = doc(client.get(COPILOT))
    assert LABEL not in page.html and page.chosen(OLDER_LABEL) == "Enabled"
    assert page.select(OLDER_LABEL)["attrs"]["name"] != before  # another release: other hashed names
    assert save_all(client, page, "disabled").status_code == 200 and replica.opted_out(EMAIL) == {SETTING: True}


# ---------------------------------------------------------------- the setting: switch variant

def test_switch_variant_saves_at_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(control="switch")
    page = signed_in(client)
    sw = page.switch(LABEL)
    assert sw["aria-checked"] == "true" and not page.selects and "Save" not in page.buttons
    assert page.switch(PUBLIC_CODE)["aria-checked"] == "false"
    assert sw.get("aria-describedby") in page.texts and "id" not in sw
    assert save_json(client, page, {LABEL: "disabled"}).status_code == 200
    a = acct(replica)
    assert a["model_training"] is False and a["settings"] == NEIGHBOURS_AT_START
    assert doc(client.get(COPILOT)).switch(LABEL)["aria-checked"] == "false"


# ---------------------------------------------------------------- layouts and availability

def test_features_as_a_page_of_its_own(replica: Replica, client: FlaskClient) -> None:
    assert client.get(FEATURES).status_code == 302  # signed out: to sign in first
    sign_in(client)
    assert client.get(FEATURES).status_code == 404  # default: Features is a tab of /settings/copilot
    replica.configure(features_page=True)
    overview = doc(client.get(COPILOT))
    assert not overview.selects and LABEL not in overview.html and overview.links["Features"] == FEATURES
    page = doc(client.get(FEATURES))
    assert "Features" in page.headings and "Privacy" in page.headings and page.chosen(LABEL) == "Enabled"
    form, _ = page.form_with(LABEL)
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data[page.select(LABEL)["attrs"]["name"]] = "disabled"
    assert client.post(SAVE_URL, data=data).headers["Location"] == FEATURES
    assert replica.opted_out(EMAIL) == {SETTING: True}
    assert client.get("/settings/copilot/models").status_code == 200


@pytest.mark.parametrize("plan", ["business", "enterprise"])
def test_plan_without_the_setting(replica: Replica, client: FlaskClient, plan: str) -> None:
    replica.add_account("biz@example.com", "pw-Biz-1", plan=plan)
    sign_in(client, login="biz@example.com", password="pw-Biz-1")
    page = doc(client.get(COPILOT))
    assert "Privacy" in page.headings and "managed by your organization" in page.html
    assert LABEL not in page.html and OLDER_LABEL not in page.html and page.chosen(PUBLIC_CODE) == "Blocked"
    name = replica.h("setting:model_training")
    resp = client.post(SAVE_URL, json={name: "enabled"}, headers={"x-csrf-token": csrf(page)})
    assert resp.status_code == 403 and acct(replica, "biz@example.com")["model_training"] is False
    assert replica.switch_back_on("biz@example.com") == ["biz@example.com"]
    assert replica.opted_out("biz@example.com") == {SETTING: True}


# ---------------------------------------------------------------- faults

def test_save_fails_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    page = signed_in(client)
    assert save_all(client, page, "disabled").status_code == 500
    assert acct(replica)["model_training"] is True and acct(replica)["saves"] == 1
    assert save_all(client, page, "disabled").status_code == 200 and acct(replica)["model_training"] is False


def test_save_never_persists(replica: Replica, client: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    page = signed_in(client)
    assert save_all(client, page, "disabled").status_code == 200
    assert acct(replica)["model_training"] is True and doc(client.get(COPILOT)).chosen(LABEL) == "Enabled"


def test_first_load_503_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    sign_in(client)
    assert client.get(COPILOT).status_code == 503
    assert client.get(COPILOT).status_code == 200


def test_session_expired_once(replica: Replica, client: FlaskClient) -> None:
    sign_in(client, path="/settings")
    replica.configure(session_expired_once=True)
    resp = client.get(COPILOT)
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/login"
    assert acct(replica)["sessions"] == 0
    assert sign_in(client).headers["Location"] == COPILOT and client.get(COPILOT).status_code == 200


def test_late_render_and_replace_node(replica: Replica, client: FlaskClient) -> None:
    replica.configure(late_render_ms=800, replace_node=True)
    page = signed_in(client)
    assert not page.selects and page.templated == 4  # drawn by script 800 ms after load
    assert '"lateMs": 800' in page.html and '"replaceNode": true' in page.html


def test_delay_ms_spares_control_endpoints(replica: Replica, client: FlaskClient) -> None:
    import time

    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.1
    start = time.monotonic()
    client.get("/login")
    assert time.monotonic() - start >= 0.12


def test_switch_back_on_reset_and_revoke(replica: Replica, client: FlaskClient) -> None:
    page = signed_in(client)
    save_all(client, page, "disabled")
    assert client.post("/__replica__/switch_back_on", json={"email": EMAIL}).get_json() == {"switched_on": [EMAIL]}
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert client.post("/__replica__/switch_back_on", json={"email": "x@example.com"}).status_code == 404
    assert client.post("/__replica__/revoke_sessions", json={"email": EMAIL}).get_json() == {"revoked": 1}
    assert client.get(COPILOT).status_code == 302
    replica.configure(control="switch")
    replica.reset()
    a = acct(replica)
    assert replica.state()["variants"]["control"] == "select" and a["sign_ins"] == 0 and a["saves"] == 0
    replica.reset(drop_accounts=True)
    assert replica.state()["accounts"] == {}

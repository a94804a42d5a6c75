"""Substack's replica alone (no browser, no optout): Flask's test client against its pages, judged by
its server-side state. Opted out = the switch ON."""

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

from . import texts
from .replica import Replica

SETTING = "block-ai-training"
EMAIL, PASSWORD = "alice@example.com", "Correct-horse-1"
SETTINGS = "/pub/alice/publish/settings"
SAVE = "/pub/alice/api/v1/publication"


class Doc(HTMLParser):
    """What a person (or a flow) sees of a page: forms, links, buttons, switches with their labels."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.texts: dict[str, str] = {}  # element id -> its text
        self.switches: list[dict[str, str]] = []
        self.links: list[tuple[str, str]] = []  # (text, href)
        self.buttons: list[str] = []
        self.alerts: list[str] = []
        self.headings: list[str] = []
        self.templated_switches = 0
        self._open: list[tuple[str, dict[str, str]]] = []
        self._in_template = 0
        self.html = html
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._in_template += 1
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get"), "inputs": [],
                               "buttons": []})
        if tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a)
        if tag == "button" and a.get("role") == "switch":
            if self._in_template:
                self.templated_switches += 1
            else:
                self.switches.append(a)
        if tag == "a":
            self.links.append(("", a.get("href", "")))
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
            if t == "a" and text and self.links:
                self.links[-1] = (self.links[-1][0] + text, self.links[-1][1])
        if self._open and text:
            tag = self._open[-1][0]
            if tag == "button":
                self.buttons.append(text)
                if self.forms:
                    self.forms[-1]["buttons"].append(text)
            if tag in ("h1", "h2"):
                self.headings.append(text)

    def form_with(self, label: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The form holding a field labelled `label` (or a button so named), and its fields by label."""
        for form in self.forms:
            fields = {self.labels.get(i.get("id", ""), i["name"]) if i.get("type") != "hidden" else i["name"]:
                      i["name"] for i in form["inputs"]}
            if label in fields or label in form["buttons"]:
                return form, fields
        raise AssertionError(f"no form with {label!r}")

    def switch_label(self, sw: dict[str, str]) -> str:
        return self.texts.get(sw["aria-labelledby"], "").strip()

    def switch(self, label: str) -> dict[str, str]:
        found = [sw for sw in self.switches if self.switch_label(sw) == label]
        assert len(found) == 1, (label, [self.switch_label(s) for s in self.switches])
        return found[0]

    def link(self, text: str) -> str:
        return next(href for t, href in self.links if t == text)


def doc(resp: Any) -> Doc:
    return Doc(resp.get_data(as_text=True))


def submit(client: FlaskClient, page: Doc, values: dict[str, str], button: str | None = None) -> Any:
    """Fill the form holding the first label of `values` (or the form of `button`), as a person would."""
    form, fields = page.form_with(button or next(iter(values)))
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data.update({fields[label]: value for label, value in values.items()})
    return client.post(form["action"], data=data)


def sign_in(client: FlaskClient, path: str = SETTINGS, email: str = EMAIL, password: str = PASSWORD) -> Any:
    """From a page, signed out: to the sign-in page, the email, the password, and back."""
    first = client.get(path)
    assert first.status_code == 302, first.status_code
    step = submit(client, doc(client.get(first.headers["Location"])), {"Email": email}, "Continue")
    return submit(client, doc(step), {"Password": password})


def settings_cfg(page: Doc) -> dict[str, Any]:
    """The page script's configuration (what the browser's script reads: the CSRF token, the save URL)."""
    match = re.search(r"const cfg = (\{.*?\});\n", page.html)
    assert match, "no switch script"
    return json.loads(match.group(1))


def save(client: FlaskClient, value: Any, key: str = texts.AI_KEY, path: str = SETTINGS) -> Any:
    cfg = settings_cfg(doc(client.get(path)))
    return client.put(cfg["saveUrl"], json={key: value}, headers={"x-csrf-token": cfg["csrf"]})


@pytest.fixture
def replica() -> Replica:
    r = Replica()
    r.add_account(EMAIL, PASSWORD, name="Alice Example", objects=["alice", "tech-notes"])
    return r


@pytest.fixture
def client(replica: Replica) -> FlaskClient:
    return replica.app.test_client()


@pytest.fixture
def signed_in(client: FlaskClient) -> FlaskClient:
    assert sign_in(client).status_code == 303
    return client


def acct(replica: Replica, email: str = EMAIL) -> dict[str, Any]:
    return replica.state()["accounts"][email]


# ---------------------------------------------------------------- interface, accounts, objects

def test_replica_satisfies_the_interface() -> None:
    assert problems(Replica, {SETTING}) == []


def test_default_state(replica: Replica) -> None:
    a = acct(replica)
    assert a["objects"] == {"alice": False, "tech-notes": False}
    assert a["publications"]["tech-notes"]["title"] == "Tech Notes"
    assert a["publications"]["alice"]["settings"] == texts.NEIGHBOURS
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert "password" not in a and a["saves"] == a["sign_ins"] == a["failed_logins"] == 0
    # the default object is named from the email, and made unique
    assert replica.add_account("bob.stone@example.com", "pw")["objects"] == {"bobstone": False}
    assert replica.add_account("bob.stone@example.org", "pw")["objects"] == {"bobstone2": False}


def test_zero_one_and_many_objects(replica: Replica) -> None:
    replica.add_account("none@example.com", "pw", objects=[])
    assert replica.objects("none@example.com") == {} and replica.opted_out("none@example.com") == {SETTING: True}
    many = [f"pub{i}" for i in range(25)]
    replica.add_account("many@example.com", "pw", objects=many, opted_out_objects=many[:24])
    assert list(replica.objects("many@example.com")) == many
    assert replica.opted_out("many@example.com") == {SETTING: False}  # one of 25 is not opted out


def test_account_options_are_checked(replica: Replica) -> None:
    with pytest.raises(TypeError):
        replica.add_account("b@example.com", "pw", region="FR")
    for bad in ({"signin": "sms"}, {"objects": ["Bad Name"]}, {"objects": ["a", "a"]}, {"available": "maybe"},
                {"objects": ["alice"]}, {"objects": ["x"], "opted_out_objects": ["y"]}):
        with pytest.raises(ValueError):
            replica.add_account("b@example.com", "pw", **bad)


def test_command_line_account_options(replica: Replica) -> None:
    """python -m tests.replicas: list items separated by '|', `[]` the empty list, values as strings."""
    fields = parse_account("carol@example.com:pw:Carol:objects=one|two|three,signin=email_link,available=false")
    got = replica.add_account(**fields)
    assert list(got["objects"]) == ["one", "two", "three"] and got["signin"] == "email_link"
    assert got["available"] is False
    assert replica.add_account(**parse_account("dan@example.com:pw:Dan:objects=[]"))["objects"] == {}
    assert list(replica.add_account(**parse_account("fay@example.com:pw:Fay:objects=solo"))["objects"]) == ["solo"]
    assert replica.add_account("gus@example.com", "pw", objects="none")["objects"] == {}
    assert replica.add_account("eve@example.com", "pw", objects="a, b")["objects"] == {"a": False, "b": False}


def test_configure_rejects_unknown_and_bad_values(replica: Replica) -> None:
    for bad in ({"no_such": 1}, {"delay_ms": "soon"}, {"signin_mode": "sms"}, {"list_paging": "all"}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    client = replica.app.test_client()
    assert client.post("/__replica__/config", json={"older_release": "yes"}).status_code == 200
    assert replica.state()["variants"]["older_release"] is True


def test_add_object_switch_back_on_and_reset(replica: Replica, signed_in: FlaskClient) -> None:
    for path in (SETTINGS, "/pub/tech-notes/publish/settings"):
        assert save(signed_in, True, path=path).status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True}
    control = replica.app.test_client()
    added = control.post("/__replica__/add_object", json={"email": EMAIL, "name": "later"})
    assert added.status_code == 201 and added.get_json()["objects"]["later"] is False
    assert replica.opted_out(EMAIL) == {SETTING: False}  # a publication created later is not opted out
    assert control.post("/__replica__/add_object", json={"email": EMAIL, "name": "later"}).status_code == 400
    assert control.post("/__replica__/add_object", json={"email": "x@example.com", "name": "x"}).status_code == 404
    assert control.post("/__replica__/switch_back_on", json={}).get_json() == {"switched_on": [EMAIL]}
    assert replica.objects(EMAIL) == {"alice": False, "tech-notes": False, "later": False}
    replica.reset()
    assert acct(replica)["objects"] == {"alice": False, "tech-notes": False}  # as added
    assert acct(replica)["sign_ins"] == 0 and acct(replica)["sessions"] == 0


# ---------------------------------------------------------------- sign-in

def test_signed_out_visitor_signs_in_and_comes_back(replica: Replica, client: FlaskClient) -> None:
    first = client.get(SETTINGS)
    loc = urlsplit(first.headers["Location"])
    assert first.status_code == 302 and loc.path == "/sign-in"
    assert parse_qs(loc.query)["redirect"] == [SETTINGS] and parse_qs(loc.query)["for_pub"] == ["alice"]
    page = doc(client.get(first.headers["Location"]))
    assert page.headings == ["Sign in to Alice"] and "Password" not in page.labels.values()
    step = doc(submit(client, page, {"Email": EMAIL}, "Continue"))
    assert "Enter your password" in step.headings and "Email me a sign-in link instead" in step.buttons
    done = submit(client, step, {"Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == SETTINGS
    session = client.get_cookie("substack.sid")
    assert session is not None and session.http_only
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1
    assert client.get(SETTINGS).status_code == 200


def test_wrong_password_shows_an_error(replica: Replica, client: FlaskClient) -> None:
    page = doc(sign_in(client, password="wrong"))
    assert page.alerts == [texts.WRONG_PASSWORD] and "Password" in page.labels.values()
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sessions"] == 0


def test_sign_in_by_emailed_link(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("link@example.com", "unused", objects=["linky"], signin="email_link")
    control = replica.app.test_client()
    assert control.post("/__replica__/email_code", json={"email": "link@example.com"}).status_code == 404
    first = client.get("/pub/linky/publish/settings")
    page = doc(submit(client, doc(client.get(first.headers["Location"])), {"Email": "link@example.com"}, "Continue"))
    assert page.headings == ["Check your email"] and "Password" not in page.labels.values()
    link = control.post("/__replica__/email_code", json={"email": "link@example.com"}).get_json()["code"]
    assert link == replica.email_code("link@example.com") and link.startswith("/sign-in/link?token=")
    done = client.get(link)
    assert done.status_code == 303 and done.headers["Location"] == "/pub/linky/publish/settings"
    assert client.get(link).status_code == 410  # a link works once
    assert acct(replica, "link@example.com")["sign_ins"] == 1


def test_password_member_may_ask_for_a_link_and_resend(replica: Replica, client: FlaskClient) -> None:
    first = client.get(SETTINGS)
    step = doc(submit(client, doc(client.get(first.headers["Location"])), {"Email": EMAIL}, "Continue"))
    sent = doc(submit(client, step, {}, "Email me a sign-in link instead"))
    assert sent.headings == ["Check your email"]
    again = doc(submit(client, sent, {}, "Resend email"))
    assert again.headings == ["Check your email"] and acct(replica)["links_sent"] == 2
    assert client.get(replica.email_code(EMAIL) or "").headers["Location"] == SETTINGS


def test_unknown_email_reveals_nothing(replica: Replica, client: FlaskClient) -> None:
    page = doc(submit(client, doc(client.get("/sign-in")), {"Email": "who@example.com"}, "Continue"))
    assert page.headings == ["Check your email"]
    assert replica.state()["unknown_logins"] == 1 and replica.email_code("who@example.com") is None


def test_password_link_mode(replica: Replica, client: FlaskClient) -> None:
    """The other guess: "Continue" mails a link; "Sign in with password" is a page with both fields."""
    replica.configure(signin_mode="password_link")
    first = client.get(SETTINGS)
    page = doc(client.get(first.headers["Location"]))
    sent = doc(submit(client, page, {"Email": EMAIL}, "Continue"))
    assert sent.headings == ["Check your email"] and replica.email_code(EMAIL)
    both = doc(client.get(page.link("Sign in with password")))
    assert {"Email", "Password"} <= set(both.labels.values()) and both.link("Sign in with email link instead")
    done = submit(client, both, {"Email": EMAIL, "Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == SETTINGS


def test_two_factor_step(replica: Replica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("otp@example.com", "pw-Otp-1", objects=["otp"], totp_secret=secret)
    page = doc(sign_in(client, "/pub/otp/publish/settings", "otp@example.com", "pw-Otp-1"))
    assert page.headings == ["Two-factor authentication"]
    wrong = doc(submit(client, page, {"Authentication code": "000000"}))
    assert wrong.alerts == [texts.WRONG_CODE] and acct(replica, "otp@example.com")["failed_challenges"] == 1
    done = submit(client, wrong, {"Authentication code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and done.headers["Location"] == "/pub/otp/publish/settings"


def test_redirect_targets_stay_on_the_site(client: FlaskClient) -> None:
    for raw, want in (("https://alice.substack.com/publish/settings", SETTINGS), ("https://substack.com/home", "/home"),
                      ("https://evil.example/publish", "/home"), ("//evil.example/x", "/home")):
        page = doc(client.get("/sign-in", query_string={"redirect": raw}))
        form, _ = page.form_with("Email")
        assert [i["value"] for i in form["inputs"] if i.get("type") == "hidden"] == [want], raw


# ---------------------------------------------------------------- the list of publications

def test_dashboard_links_every_publication(signed_in: FlaskClient) -> None:
    home = doc(signed_in.get("/home"))
    page = doc(signed_in.get(home.link("Dashboard")))
    assert "Your publications" in page.headings and "alice.substack.com" in page.html
    settings = [href for text, href in page.links if text == "Settings" and href.startswith("/pub/")]
    assert settings == [SETTINGS, "/pub/tech-notes/publish/settings"]
    assert page.link("Tech Notes") == "/pub/tech-notes/publish/home"
    pub_home = doc(signed_in.get(page.link("Tech Notes")))
    assert pub_home.link("Settings") == "/pub/tech-notes/publish/settings"
    assert pub_home.link("All publications") == "/dashboard"
    # substack.com has no publication of its own: /publish/… there leads to the list
    assert signed_in.get("/publish/settings").headers["Location"] == "/dashboard"


def test_many_publications_come_in_batches_of_ten(replica: Replica, client: FlaskClient) -> None:
    many = [f"pub{i}" for i in range(25)]
    replica.add_account("many@example.com", "pw-Many-1", objects=many)
    sign_in(client, "/dashboard", "many@example.com", "pw-Many-1")
    page = doc(client.get("/dashboard"))
    assert [h for t, h in page.links if t == "Settings" and h.startswith("/pub/")] == \
        [f"/pub/pub{i}/publish/settings" for i in range(10)]
    assert "Show more" in page.buttons
    cfg = json.loads(re.search(r"const cfg = (\{.*?\});\n", page.html).group(1))  # type: ignore[union-attr]
    batch = client.get(cfg["api"], query_string={"offset": cfg["offset"]}).get_json()
    assert [p["settings_url"] for p in batch["publications"]] == \
        [f"/pub/pub{i}/publish/settings" for i in range(10, 20)]
    assert batch["more"] is True
    last = client.get(cfg["api"], query_string={"offset": 20}).get_json()
    assert len(last["publications"]) == 5 and last["more"] is False
    assert replica.app.test_client().get(cfg["api"]).status_code == 401


def test_page_links_variant(replica: Replica, client: FlaskClient) -> None:
    replica.configure(list_paging="pages")
    replica.add_account("many@example.com", "pw-Many-1", objects=[f"p{i}" for i in range(12)])
    sign_in(client, "/dashboard", "many@example.com", "pw-Many-1")
    first = doc(client.get("/dashboard"))
    assert "Show more" not in first.buttons
    second = doc(client.get(first.link("Next page")))
    assert [h for t, h in second.links if t == "Settings" and h.startswith("/pub/")] == \
        ["/pub/p10/publish/settings", "/pub/p11/publish/settings"]
    assert second.link("Previous page") == "/dashboard?page=1" and ("Next page", "") not in second.links


def test_member_without_publications(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("none@example.com", "pw-None-1", objects=[])
    sign_in(client, "/dashboard", "none@example.com", "pw-None-1")
    page = doc(client.get("/dashboard"))
    assert "You don't have a publication yet" in page.html and not any(h.startswith("/pub/") for _, h in page.links)


# ---------------------------------------------------------------- the setting

def test_settings_page_2026_release(signed_in: FlaskClient) -> None:
    page = doc(signed_in.get(SETTINGS))
    assert {"Settings", "Privacy"} <= set(page.headings)
    sw = page.switch(texts.LABEL_2026)
    assert sw["aria-checked"] == "false" and "id" not in sw and "name" not in sw
    assert page.texts[sw["aria-describedby"]].strip() == texts.HELP_2026
    assert texts.LABEL_OLDER not in page.html
    assert page.switch(texts.SEARCH.label)["aria-checked"] == "true"
    assert page.link("Privacy") == "#privacy"


def test_a_save_changes_only_that_publication_and_that_switch(replica: Replica, signed_in: FlaskClient) -> None:
    done = save(signed_in, True)
    assert done.status_code == 200 and done.get_json() == {texts.AI_KEY: True}
    a = acct(replica)
    assert a["objects"] == {"alice": True, "tech-notes": False}
    assert a["publications"]["alice"]["settings"] == texts.NEIGHBOURS and a["other_writes"] == 0
    assert a["saves"] == 1 and replica.opted_out(EMAIL) == {SETTING: False}
    assert doc(signed_in.get(SETTINGS)).switch(texts.LABEL_2026)["aria-checked"] == "true"  # a reload shows it
    assert save(signed_in, True, path="/pub/tech-notes/publish/settings").status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True}
    # a neighbour's save never touches the AI switch
    assert save(signed_in, False, key=texts.SEARCH.key).status_code == 200
    assert acct(replica)["publications"]["alice"]["block_ai_training"] is True
    assert acct(replica)["publications"]["alice"]["other_writes"] == [{"setting": texts.SEARCH.key, "value": False}]


def test_save_checks(replica: Replica, signed_in: FlaskClient) -> None:
    cfg = settings_cfg(doc(signed_in.get(SETTINGS)))
    good = {"x-csrf-token": cfg["csrf"]}
    assert signed_in.put(SAVE, json={texts.AI_KEY: True}, headers={"x-csrf-token": "nope"}).status_code == 403
    for body in ({texts.AI_KEY: "true"}, {texts.AI_KEY: True, texts.SEARCH.key: True}, {"other": True}, []):
        assert signed_in.put(SAVE, json=body, headers=good).status_code == 400
    assert replica.app.test_client().put(SAVE, json={texts.AI_KEY: True}).status_code == 401
    replica.add_account("other@example.com", "pw", objects=["other"])
    assert signed_in.put("/pub/other/api/v1/publication", json={texts.AI_KEY: True}, headers=good).status_code == 403
    assert replica.objects("other@example.com") == {"other": False} and acct(replica)["saves"] == 0


def test_other_publications_and_unknown_ones(replica: Replica, signed_in: FlaskClient) -> None:
    replica.add_account("other@example.com", "pw", objects=["other"])
    assert signed_in.get("/pub/other/publish/settings").headers["Location"] == "/pub/other/"
    assert "Subscribe" in doc(signed_in.get("/pub/other/")).buttons
    assert signed_in.get("/pub/nobody/publish/settings").status_code == 404


def test_older_release(replica: Replica, signed_in: FlaskClient) -> None:
    replica.configure(older_release=True)
    page = doc(signed_in.get(SETTINGS))
    assert "Publication details" in page.headings and "Privacy" not in page.headings
    sw = page.switch(texts.LABEL_OLDER)
    assert sw["aria-checked"] == "false" and "aria-describedby" not in sw and texts.LABEL_2026 not in page.html
    assert save(signed_in, True).status_code == 200 and replica.objects(EMAIL)["alice"] is True


def test_privacy_tab(replica: Replica, signed_in: FlaskClient) -> None:
    assert signed_in.get(SETTINGS + "/privacy").headers["Location"] == SETTINGS + "#privacy"
    replica.configure(privacy_tab=True)
    first = doc(signed_in.get(SETTINGS))
    assert not first.switches and "Basics" in first.headings
    page = doc(signed_in.get(first.link("Privacy")))
    assert page.switch(texts.LABEL_2026)["aria-checked"] == "false"
    assert signed_in.get(SETTINGS + "/nowhere").status_code == 404


def test_member_without_the_setting(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("na@example.com", "pw-Na-1", objects=["na"], available=False)
    sign_in(client, "/pub/na/publish/settings", "na@example.com", "pw-Na-1")
    page = doc(client.get("/pub/na/publish/settings"))
    assert "Privacy" in page.headings and texts.LABEL_2026 not in page.html and page.switch(texts.SEARCH.label)
    assert save(client, True, path="/pub/na/publish/settings").status_code == 404
    assert replica.opted_out("na@example.com") == {SETTING: False}


# ---------------------------------------------------------------- faults

def test_save_fails_once(replica: Replica, signed_in: FlaskClient) -> None:
    replica.configure(save_fails_once=True)
    assert save(signed_in, True).status_code == 500 and replica.objects(EMAIL)["alice"] is False
    assert texts.SAVE_ERROR in signed_in.get(SETTINGS).get_data(as_text=True)  # the page's toast text
    assert save(signed_in, True).status_code == 200 and replica.objects(EMAIL)["alice"] is True
    assert acct(replica)["saves"] == 2


def test_save_never_persists(replica: Replica, signed_in: FlaskClient) -> None:
    replica.configure(save_never_persists=True)
    assert save(signed_in, True).get_json() == {texts.AI_KEY: True}
    assert replica.objects(EMAIL)["alice"] is False
    assert doc(signed_in.get(SETTINGS)).switch(texts.LABEL_2026)["aria-checked"] == "false"


def test_first_load_503(replica: Replica, signed_in: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    failed = signed_in.get(SETTINGS)
    assert failed.status_code == 503 and doc(failed).link("Try again") == SETTINGS
    assert signed_in.get(SETTINGS).status_code == 200


def test_session_expired_once(replica: Replica, signed_in: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    gone = signed_in.get(SETTINGS)
    assert gone.status_code == 302 and urlsplit(gone.headers["Location"]).path == "/sign-in"
    assert acct(replica)["sessions"] == 0
    assert sign_in(signed_in).headers["Location"] == SETTINGS
    assert signed_in.get(SETTINGS).status_code == 200


def test_late_render_and_replace_node(replica: Replica, signed_in: FlaskClient) -> None:
    replica.configure(late_render_ms=800, replace_node=True)
    page = doc(signed_in.get(SETTINGS))
    assert not page.switches and page.templated_switches == 3
    cfg = settings_cfg(page)
    assert cfg["lateMs"] == 800 and cfg["replaceNode"] is True


def test_delay_ms_spares_the_control_endpoints(replica: Replica, client: FlaskClient) -> None:
    replica.configure(delay_ms=60)
    start = time.monotonic()
    client.get("/sign-in")
    assert time.monotonic() - start >= 0.06
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.05

"""WordPress.com's replica alone (no browser, no optout): Flask's test client against its pages, judged by
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

from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

from .replica import Replica

SETTING = "prevent-third-party-sharing"
LABEL, LABEL_OLDER = "Prevent third-party sharing", "Prevent third-party data sharing"
HELP = ("This option will prevent this site’s content from being shared with our licensed network of content "
        "and research partners, including those that train AI models.")
EMAIL, PASSWORD = "alice@example.com", "Correct-horse-1"
A, B = "alice.wordpress.com", "cats.wordpress.com"


class Doc(HTMLParser):
    """What a person (or a flow) sees of a page: labelled fields, buttons, switches, alerts, links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.texts: dict[str, str] = {}  # element id -> its text
        self.switches: list[dict[str, str]] = []
        self.templated_switches = 0
        self.buttons: list[tuple[str, bool]] = []  # (text, disabled)
        self.alerts: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.headings: list[str] = []
        self._open: list[tuple[str, dict[str, str]]] = []
        self._in_template = 0
        self.html = html
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "template":
            self._in_template += 1
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "inputs": []})
        if tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a)
        if tag == "button" and a.get("role") == "switch":
            if self._in_template:
                self.templated_switches += 1
            else:
                self.switches.append(a)
        if tag == "button" and a.get("role") != "switch":
            self.buttons.append(("", "disabled" in a))
        if tag == "a":
            self.links.append((a.get("href", ""), ""))
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
            if t == "a" and self.links:
                self.links[-1] = (self.links[-1][0], (self.links[-1][1] + " " + data).strip())
        if self._open and self._open[-1][0] == "button" and self._open[-1][1].get("role") != "switch":
            text, disabled = self.buttons[-1]
            self.buttons[-1] = ((text + data).strip(), disabled)
        if self._open and self._open[-1][0] in ("h1", "h2") and data.strip():
            self.headings.append(data.strip())

    def fields(self) -> dict[str, str]:
        """The visible fields of the page's first POST form, by label (hidden ones by name)."""
        form = next(f for f in self.forms if f["action"] in ("/log-in", "/log-in/authenticator"))
        return {self.labels.get(i.get("id", ""), i["name"]) if i.get("type") != "hidden" else i["name"]: i["name"]
                for i in form["inputs"]}

    def visible(self) -> list[str]:
        """The labels of the log-in form's visible fields."""
        return [label for label, name in self.fields().items() if label != name]

    def switch_label(self, sw: dict[str, str]) -> str:
        return self.texts.get(sw["aria-labelledby"], "").strip()


def doc(resp: Any) -> Doc:
    return Doc(resp.get_data(as_text=True))


def submit(client: FlaskClient, page: Doc, values: dict[str, str]) -> Any:
    """Fill the page's log-in form by label, as a person would, and send it."""
    form = next(f for f in page.forms if f["action"] in ("/log-in", "/log-in/authenticator"))
    fields = page.fields()
    data = {i["name"]: i.get("value", "") for i in form["inputs"]}
    data.update({fields[label]: value for label, value in values.items()})
    return client.post(form["action"], data=data)


def sign_in(client: FlaskClient, path: str = f"/settings/general/{A}", login: str = EMAIL,
            password: str = PASSWORD) -> Any:
    """Signed out, from `path`: to the log-in page, "Continue", the password, and back."""
    first = client.get(path)
    assert first.status_code == 302
    step = submit(client, doc(client.get(first.headers["Location"])), {"Email Address or Username": login})
    return submit(client, doc(step), {"Password": password})


def page_cfg(resp: Any) -> dict[str, Any]:
    """The General page script's configuration (what the page's own script knows)."""
    match = re.search(r"const cfg = (\{.*?\});\n", resp.get_data(as_text=True))
    assert match
    return json.loads(match.group(1))


def save(client: FlaskClient, site: str, changes: dict[str, Any], nonce: str | None = None) -> Any:
    """What the General page's script sends: the changed fields, with the page's nonce."""
    cfg = page_cfg(client.get(f"/settings/general/{site}"))
    return client.post(cfg["saveUrl"], json=changes, headers={"x-wp-nonce": cfg["nonce"] if nonce is None else nonce})


@pytest.fixture
def replica() -> Replica:
    r = Replica()
    r.add_account(EMAIL, PASSWORD, name="Alice Example", objects=[A, B])
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


def site(replica: Replica, address: str, email: str = EMAIL) -> dict[str, Any]:
    return acct(replica, email)["sites"][address]


# ---------------------------------------------------------------- interface and accounts

def test_satisfies_the_interface():
    assert problems(Replica, {SETTING}) == []


def test_default_account_has_one_site_named_from_the_email_and_sharing_allowed():
    r = Replica()
    state = r.add_account("Bob.Smith@Example.com", "pw-Bob-1")
    assert state["objects"] == {"bobsmith.wordpress.com": False}
    assert state["name"] == "Bob Smith" and state["username"] == "bobsmith"
    assert r.objects("bob.smith@example.com") == {"bobsmith.wordpress.com": False}
    assert r.opted_out("bob.smith@example.com") == {SETTING: False}


def test_opted_out_only_when_every_site_is_and_true_without_sites(replica: Replica):
    assert replica.opted_out(EMAIL) == {SETTING: False}
    replica.add_account("none@example.com", "pw-None-1", objects=[])
    assert replica.objects("none@example.com") == {}
    assert replica.opted_out("none@example.com") == {SETTING: True}
    replica.add_account("half@example.com", "pw-Half-1", objects=[A, B], prevented=[A])
    assert replica.objects("half@example.com") == {A: True, B: False}
    assert replica.opted_out("half@example.com") == {SETTING: False}
    replica.add_account("all@example.com", "pw-All-1", objects=f"{A};{B}", prevented=f"{A},{B}")
    assert replica.opted_out("all@example.com") == {SETTING: True}


def test_a_site_that_discourages_search_engines_starts_opted_out(replica: Replica):
    replica.add_account("d@example.com", "pw-D-1", objects=[A, B], discourage_search=[B])
    assert replica.objects("d@example.com") == {A: False, B: True}
    assert site(replica, B, "d@example.com")["discourage_search_engines"] is True


def test_account_options_are_checked(replica: Replica):
    with pytest.raises(TypeError):
        replica.add_account("x@example.com", "pw", no_such_option=1)  # type: ignore[call-arg]
    for bad in ({"objects": ["not an address"]}, {"objects": [A, A]}, {"objects": [A], "prevented": [B]},
                {"objects": [A], "discourage_search": B}, {"available": "maybe"}, {"username": "Not Valid"}):
        with pytest.raises(ValueError):
            replica.add_account("x@example.com", "pw-X-1", **bad)
    with pytest.raises(ValueError):
        replica.add_account("other@example.com", "pw-O-1", username="alice")  # taken by alice@example.com


def test_command_line_account_spec_gives_several_sites_or_none():
    r = Replica()
    r.add_account(**parse_account(f"bob@example.com:pw-B-1:Bob:objects={A};{B},available=false"))
    r.add_account(**parse_account("eve@example.com:pw-E-1:Eve:objects=none"))
    assert r.objects("bob@example.com") == {A: False, B: False}
    assert acct(r, "bob@example.com")["available"] is False
    assert r.objects("eve@example.com") == {}


def test_twenty_five_sites():
    r = Replica()
    names = [f"site{i}.wordpress.com" for i in range(25)]
    r.add_account(EMAIL, PASSWORD, objects=names)
    assert list(r.objects(EMAIL)) == names
    assert len({s["id"] for s in acct(r)["sites"].values()}) == 25


def test_add_object_endpoint_and_reset_drops_it(replica: Replica, client: FlaskClient):
    replica.add_account("p@example.com", "pw-P-1", objects=[A, B], prevented=[A, B])
    assert replica.opted_out("p@example.com") == {SETTING: True}
    answer = client.post("/__replica__/add_object", json={"email": "p@example.com", "name": "new.wordpress.com"})
    assert answer.status_code == 201
    assert answer.get_json()["objects"]["new.wordpress.com"] is False
    assert replica.opted_out("p@example.com") == {SETTING: False}
    assert client.post("/__replica__/add_object", json={"email": "p@example.com", "name": "quiet.wordpress.com",
                                                        "discourage_search": True}).status_code == 201
    assert replica.objects("p@example.com")["quiet.wordpress.com"] is True
    assert client.post("/__replica__/add_object", json={"email": "nobody@example.com", "name": A}).status_code == 404
    assert client.post("/__replica__/add_object", json={"email": "p@example.com", "name": A}).status_code == 400
    assert client.post("/__replica__/add_object", json={"email": "p@example.com", "name": ""}).status_code == 400
    assert client.post("/__replica__/objects", json={"email": "p@example.com"}).get_json() == \
        replica.objects("p@example.com")
    replica.reset()
    assert replica.objects("p@example.com") == {A: True, B: True}


def test_switch_back_on_puts_every_site_back_to_sharing(replica: Replica, client: FlaskClient):
    replica.add_account("p@example.com", "pw-P-1", objects=[A, B], prevented=[A, B])
    assert replica.switch_back_on("p@example.com") == ["p@example.com"]
    assert replica.objects("p@example.com") == {A: False, B: False}
    assert client.post("/__replica__/switch_back_on", json={"email": "nobody@example.com"}).status_code == 404
    assert sorted(client.post("/__replica__/switch_back_on", json={}).get_json()["switched_on"]) == \
        [EMAIL, "p@example.com"]


def test_configure_checks_names_and_values(replica: Replica, client: FlaskClient):
    for bad in ({"no_such": 1}, {"site_path": "slug"}, {"site_list": "scroll"}, {"sites_per_page": 0}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    assert client.post("/__replica__/config", json={"autosave": "true", "sites_per_page": "5"}).status_code == 200
    assert replica.state()["variants"]["autosave"] is True and replica.state()["variants"]["sites_per_page"] == 5


# ---------------------------------------------------------------- log in

def test_signed_out_visitor_is_sent_to_log_in_and_back(replica: Replica, client: FlaskClient):
    first = client.get(f"/settings/general/{A}")
    assert first.status_code == 302
    parts = urlsplit(first.headers["Location"])
    assert parts.path == "/log-in"
    assert urlsplit(parse_qs(parts.query)["redirect_to"][0]).path == f"/settings/general/{A}"
    page = doc(client.get(first.headers["Location"]))
    assert page.visible() == ["Email Address or Username"]
    assert ("Continue", False) in page.buttons
    step = doc(submit(client, page, {"Email Address or Username": EMAIL}))
    assert "Password" in step.fields() and ("Log In", False) in step.buttons
    done = submit(client, step, {"Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == f"/settings/general/{A}"
    cookie = done.headers["Set-Cookie"]
    assert "wordpress_logged_in=" in cookie and "HttpOnly" in cookie
    assert client.get(f"/settings/general/{A}").status_code == 200
    assert acct(replica)["sign_ins"] == 1


def test_every_signed_in_page_needs_a_session(client: FlaskClient):
    for path in ("/settings/general", f"/settings/general/{A}", "/sites", f"/home/{A}", "/me",
                 f"/settings/writing/{A}", f"/posts/{A}"):
        assert urlsplit(client.get(path).headers["Location"]).path == "/log-in", path
    assert client.get("/rest/v1.2/me/sites").status_code == 401


def test_log_in_by_username(replica: Replica, client: FlaskClient):
    assert sign_in(client, login="alice").status_code == 303
    assert acct(replica)["sign_ins"] == 1


def test_wrong_password_and_unknown_user_show_an_alert(replica: Replica, client: FlaskClient):
    wrong = doc(sign_in(client, password="nope"))
    assert wrong.alerts == ["Oops, that's not the right password. Please try again!"]
    assert "Password" in wrong.fields()
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    page = doc(client.get("/log-in"))
    unknown = doc(submit(client, page, {"Email Address or Username": "nobody@example.com"}))
    assert unknown.alerts and "does not exist" in unknown.alerts[0]
    assert unknown.visible() == ["Email Address or Username"]
    assert replica.state()["unknown_logins"] == 1


def test_one_page_signin_variant(replica: Replica, client: FlaskClient):
    replica.configure(one_page_signin=True)
    page = doc(client.get("/log-in"))
    assert page.visible() == ["Email Address or Username", "Password"]
    answer = submit(client, page, {"Email Address or Username": EMAIL, "Password": PASSWORD})
    assert answer.status_code == 303


def test_authenticator_code_step(replica: Replica, client: FlaskClient):
    secret = pyotp.random_base32()
    replica.add_account("t@example.com", "pw-T-1", objects=[B], totp_secret=secret)
    step = doc(sign_in(client, f"/settings/general/{B}", "t@example.com", "pw-T-1"))
    assert "Verification code" in step.fields()
    again = doc(submit(client, step, {"Verification code": "000000"}))
    assert again.alerts and acct(replica, "t@example.com")["failed_challenges"] == 1
    done = submit(client, again, {"Verification code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and done.headers["Location"] == f"/settings/general/{B}"


def test_redirect_target_stays_on_the_site(client: FlaskClient):
    page = doc(client.get("/log-in?redirect_to=https%3A%2F%2Fwordpress.com%2Fsettings%2Fgeneral%2Falice.wordpress.com"))
    step = doc(submit(client, page, {"Email Address or Username": EMAIL}))
    assert submit(client, step, {"Password": PASSWORD}).headers["Location"] == f"/settings/general/{A}"
    client.post("/log-out")
    page = doc(client.get("/log-in?redirect_to=https%3A%2F%2Fevil.example%2Fx"))
    step = doc(submit(client, page, {"Email Address or Username": EMAIL}))
    assert submit(client, step, {"Password": PASSWORD}).headers["Location"] == "/"


def test_social_buttons_lead_nowhere(client: FlaskClient):
    answer = client.get("/log-in/social/google")
    assert answer.status_code == 502 and doc(answer).alerts


# ---------------------------------------------------------------- the General page

def test_general_page_shows_privacy_switch_off_with_label_and_help(signed_in: FlaskClient):
    page = doc(signed_in.get(f"/settings/general/{A}"))
    assert "Privacy" in page.headings and "General Settings" in page.headings
    assert len(page.switches) == 1
    sw = page.switches[0]
    assert sw["aria-checked"] == "false" and "id" not in sw and "name" not in sw
    assert page.switch_label(sw) == LABEL
    assert page.texts[sw["aria-describedby"]].strip() == HELP
    assert [b for b in page.buttons if b[0] == "Save settings"] == [("Save settings", True)] * 2
    assert "Discourage search engines from indexing this site" in page.labels.values()


def test_older_release_uses_the_announcement_label(replica: Replica, signed_in: FlaskClient):
    replica.configure(older_release=True)
    page = doc(signed_in.get(f"/settings/general/{A}"))
    assert page.switch_label(page.switches[0]) == LABEL_OLDER
    assert LABEL not in page.html.replace(LABEL_OLDER, "")


def test_ids_and_classes_are_not_stable(replica: Replica, signed_in: FlaskClient):
    one, two = doc(signed_in.get(f"/settings/general/{A}")), doc(signed_in.get(f"/settings/general/{A}"))
    assert one.switches[0]["aria-labelledby"] != two.switches[0]["aria-labelledby"]
    assert Replica().h("switch") != replica.h("switch")


def test_unavailable_member_has_the_privacy_card_without_the_switch(replica: Replica, client: FlaskClient):
    replica.add_account("u@example.com", "pw-U-1", objects=[B], available=False)
    sign_in(client, f"/settings/general/{B}", "u@example.com", "pw-U-1")
    page = doc(client.get(f"/settings/general/{B}"))
    assert "Privacy" in page.headings and not page.switches and LABEL not in page.html
    assert save(client, B, {"wpcom_data_sharing_opt_out": True}).status_code == 400


def test_save_changes_only_that_site_and_a_reload_shows_it(replica: Replica, signed_in: FlaskClient):
    answer = save(signed_in, B, {"wpcom_data_sharing_opt_out": True})
    assert answer.status_code == 200
    assert replica.objects(EMAIL) == {A: False, B: True}
    assert replica.opted_out(EMAIL) == {SETTING: False}
    assert doc(signed_in.get(f"/settings/general/{B}")).switches[0]["aria-checked"] == "true"
    assert doc(signed_in.get(f"/settings/general/{A}")).switches[0]["aria-checked"] == "false"
    save(signed_in, A, {"wpcom_data_sharing_opt_out": True})
    assert replica.opted_out(EMAIL) == {SETTING: True}
    assert acct(replica)["saves"] == 2 and site(replica, A)["saves"] == 1


def test_saving_the_switch_never_changes_a_neighbour(replica: Replica, signed_in: FlaskClient):
    before = {k: v for k, v in site(replica, A).items() if k not in ("prevent_third_party_sharing", "saves")}
    save(signed_in, A, {"wpcom_data_sharing_opt_out": True})
    after = {k: v for k, v in site(replica, A).items() if k not in ("prevent_third_party_sharing", "saves")}
    assert after == before and after["neighbours_changed"] == []
    save(signed_in, A, {"discourage_search_engines": True, "wpcom_data_sharing_opt_out": True})
    assert site(replica, A)["neighbours_changed"] == ["discourage_search_engines"]


def test_save_is_refused_without_session_nonce_or_ownership(replica: Replica, client: FlaskClient):
    replica.add_account("o@example.com", "pw-O-1", objects=["other.wordpress.com"])
    other_id = site(replica, "other.wordpress.com", "o@example.com")["id"]
    own_id = site(replica, A)["id"]
    assert client.post(f"/rest/v1.4/sites/{own_id}/settings", json={"wpcom_data_sharing_opt_out": True}).status_code \
        == 401
    sign_in(client)
    assert save(client, A, {"wpcom_data_sharing_opt_out": True}, nonce="wrong").status_code == 403
    nonce = page_cfg(client.get(f"/settings/general/{A}"))["nonce"]
    assert client.post(f"/rest/v1.4/sites/{other_id}/settings", json={"wpcom_data_sharing_opt_out": True},
                       headers={"x-wp-nonce": nonce}).status_code == 404
    for body in ({}, {"wpcom_data_sharing_opt_out": "yes"}, {"blog_public": 0}, {"site_visibility": "hidden"}):
        assert save(client, A, body).status_code == 400
    assert replica.objects(EMAIL) == {A: False, B: False}
    assert replica.objects("o@example.com") == {"other.wordpress.com": False}
    assert site(replica, "other.wordpress.com", "o@example.com")["saves"] == 0


def test_another_members_site_is_not_found(replica: Replica, signed_in: FlaskClient):
    replica.add_account("o@example.com", "pw-O-1", objects=["other.wordpress.com"])
    answer = signed_in.get("/settings/general/other.wordpress.com")
    assert answer.status_code == 404 and not doc(answer).switches


def test_site_menu_leads_to_general(signed_in: FlaskClient):
    home = doc(signed_in.get(f"/home/{A}"))
    assert (f"/settings/general/{A}", "Settings") in home.links
    general = doc(signed_in.get(f"/settings/general/{A}"))
    assert (f"/settings/general/{A}", "General") in general.links
    assert signed_in.get(f"/settings/writing/{A}").status_code == 200


# ---------------------------------------------------------------- lists of sites

def test_general_without_site_goes_to_the_only_site(replica: Replica, client: FlaskClient):
    replica.add_account("one@example.com", "pw-1-one", objects=[B])
    sign_in(client, "/settings/general", "one@example.com", "pw-1-one")
    answer = client.get("/settings/general")
    assert answer.status_code == 302 and answer.headers["Location"] == f"/settings/general/{B}"


def test_general_without_site_and_no_sites(replica: Replica, client: FlaskClient):
    replica.add_account("none@example.com", "pw-0-none", objects=[])
    sign_in(client, "/settings/general", "none@example.com", "pw-0-none")
    page = doc(client.get("/settings/general"))
    assert "have any sites yet." in page.html and not page.switches
    assert client.get("/").headers["Location"] == "/sites"


def test_picker_shows_ten_then_load_more_fetches_the_rest(replica: Replica, client: FlaskClient):
    names = [f"site{i}.wordpress.com" for i in range(25)]
    replica.add_account("many@example.com", "pw-25-many", objects=names)
    sign_in(client, "/settings/general", "many@example.com", "pw-25-many")
    page = doc(client.get("/settings/general"))
    picked = [h for h, _ in page.links if h.startswith("/settings/general/")]
    assert picked == [f"/settings/general/{n}" for n in names[:10]]
    assert ("Load more", False) in page.buttons
    assert ("/settings/general/site3.wordpress.com", "Site3 site3.wordpress.com") in page.links
    got: list[str] = []
    offset = 10
    while offset < 25:
        data = client.get(f"/rest/v1.2/me/sites?offset={offset}&number=10").get_json()
        assert data["found"] == 25
        got += [s["slug"] for s in data["sites"]]
        offset += len(data["sites"])
    assert got == names[10:]
    sites_page = doc(client.get("/sites"))
    assert [h for h, _ in sites_page.links if h.startswith("/home/")] == [f"/home/{n}" for n in names[:10]]


def test_pages_variant_has_next_and_previous_links(replica: Replica, client: FlaskClient):
    names = [f"site{i}.wordpress.com" for i in range(25)]
    replica.add_account("many@example.com", "pw-25-many", objects=names)
    replica.configure(site_list="pages")
    sign_in(client, "/settings/general", "many@example.com", "pw-25-many")
    first = doc(client.get("/settings/general"))
    assert ("/settings/general?page=2", "Next") in first.links and not any(b[0] == "Load more" for b in first.buttons)
    last = doc(client.get("/settings/general?page=3"))
    assert [h for h, _ in last.links if h.startswith("/settings/general/")] == \
        [f"/settings/general/{n}" for n in names[20:]]
    assert ("/settings/general?page=2", "Previous") in last.links
    assert not any(t == "Next" for _, t in last.links)


def test_site_path_id_variant(replica: Replica, signed_in: FlaskClient):
    replica.configure(site_path="id")
    site_id = site(replica, A)["id"]
    assert signed_in.get(f"/settings/general/{A}").status_code == 404
    page = doc(signed_in.get(f"/settings/general/{site_id}"))
    assert page.switch_label(page.switches[0]) == LABEL
    picker = doc(signed_in.get("/settings/general"))
    assert (f"/settings/general/{site_id}", f"Alice {A}") in picker.links


# ---------------------------------------------------------------- faults

def test_first_load_503_once(replica: Replica, signed_in: FlaskClient):
    replica.configure(first_load_503=True)
    assert signed_in.get(f"/settings/general/{A}").status_code == 503
    assert signed_in.get(f"/settings/general/{A}").status_code == 200


def test_session_expired_once(replica: Replica, signed_in: FlaskClient):
    replica.configure(session_expired_once=True)
    answer = signed_in.get(f"/settings/general/{A}")
    assert answer.status_code == 302 and urlsplit(answer.headers["Location"]).path == "/log-in"
    assert acct(replica)["sessions"] == 0
    assert sign_in(signed_in).status_code == 303
    assert signed_in.get(f"/settings/general/{A}").status_code == 200


def test_save_fails_once(replica: Replica, signed_in: FlaskClient):
    replica.configure(save_fails_once=True)
    assert save(signed_in, A, {"wpcom_data_sharing_opt_out": True}).status_code == 500
    assert replica.objects(EMAIL)[A] is False
    assert save(signed_in, A, {"wpcom_data_sharing_opt_out": True}).status_code == 200
    assert replica.objects(EMAIL)[A] is True


def test_save_never_persists(replica: Replica, signed_in: FlaskClient):
    replica.configure(save_never_persists=True)
    assert save(signed_in, A, {"wpcom_data_sharing_opt_out": True}).status_code == 200
    assert replica.objects(EMAIL)[A] is False
    assert doc(signed_in.get(f"/settings/general/{A}")).switches[0]["aria-checked"] == "false"


def test_late_render_holds_the_privacy_card_in_a_template(replica: Replica, signed_in: FlaskClient):
    replica.configure(late_render_ms=800)
    answer = signed_in.get(f"/settings/general/{A}")
    page = doc(answer)
    assert not page.switches and page.templated_switches == 1
    assert page_cfg(answer)["lateMs"] == 800


def test_replace_node_and_autosave_reach_the_script(replica: Replica, signed_in: FlaskClient):
    replica.configure(replace_node=True, autosave=True)
    answer = signed_in.get(f"/settings/general/{A}")
    cfg = page_cfg(answer)
    assert cfg["replaceNode"] is True
    assert cfg["fields"]["wpcom_data_sharing_opt_out"]["instant"] is True
    assert cfg["fields"]["blogname"]["instant"] is False
    # autosave: the Privacy card has no Save button; the Site profile card keeps its own
    assert [b for b in doc(answer).buttons if b[0] == "Save settings"] == [("Save settings", True)]


def test_delay_ms_slows_pages_but_not_the_control_endpoints(replica: Replica, client: FlaskClient):
    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.1
    start = time.monotonic()
    client.get("/log-in")
    assert time.monotonic() - start >= 0.12


def test_reset_restores_accounts_and_ends_sessions(replica: Replica, signed_in: FlaskClient):
    replica.configure(autosave=True)
    save(signed_in, A, {"wpcom_data_sharing_opt_out": True, "blogname": "Renamed"})
    replica.reset()
    assert replica.state()["variants"]["autosave"] is False
    assert replica.objects(EMAIL) == {A: False, B: False}
    assert site(replica, A)["title"] == "Alice" and acct(replica)["saves"] == 0 and acct(replica)["sessions"] == 0
    assert signed_in.get(f"/settings/general/{A}").status_code == 302
    replica.reset(drop_accounts=True)
    assert replica.state()["accounts"] == {}

"""Tumblr's replica alone (no browser, no optout): Flask's test client against its pages, judged by its
server-side state. Opted out = the blog's "Prevent third-party sharing for <blog>" switch ON."""

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

from .pages import DEFAULTS
from .replica import Replica

SETTING = "prevent-third-party-sharing"
AI = "prevent_third_party_sharing"
EMAIL, PASSWORD = "alice@example.com", "Correct-horse-1"
BLOGS = ["alice", "alice-art"]


class Doc(HTMLParser):
    """What a person (or a flow) sees of a page: forms with labelled fields, buttons, switches, links,
    alerts, section headings."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.labels: dict[str, str] = {}  # for= id -> label text
        self.texts: dict[str, str] = {}  # element id -> its text
        self.switches: list[dict[str, str]] = []
        self.buttons: list[str] = []
        self.alerts: list[str] = []
        self.links: list[str] = []
        self.h2: list[str] = []
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
        if tag == "a" and "href" in a and not self._in_template:
            self.links.append(a["href"])
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
        if self._open and self._open[-1][0] == "h2" and data.strip() and not self._in_template:
            self.h2.append(data.strip())

    def form_with(self, label: str) -> tuple[dict[str, Any], dict[str, str]]:
        """The form holding a field labelled `label`, and its fields by label (hidden ones by name)."""
        for form in self.forms:
            fields = {self.labels.get(i.get("id", ""), i["name"]) if i.get("type") != "hidden" else i["name"]:
                      i["name"] for i in form["inputs"]}
            if label in fields:
                return form, fields
        raise AssertionError(f"no form with a field labelled {label!r}")

    def switch_labels(self) -> dict[str, str]:
        """label text -> aria-checked, for every drawn switch."""
        return {self.texts.get(s["aria-labelledby"], "").strip(): s["aria-checked"] for s in self.switches}


def doc(resp: Any) -> Doc:
    return Doc(resp.get_data(as_text=True))


def submit(client: FlaskClient, page: Doc, values: dict[str, str]) -> Any:
    """Fill the form holding the first field named in `values` (by label), as a person would."""
    form, fields = page.form_with(next(iter(values)))
    data = {i["name"]: i.get("value", "") for i in form["inputs"] if i.get("type") == "hidden"}
    data.update({fields[label]: value for label, value in values.items()})
    return client.post(form["action"], data=data)


def log_in(client: FlaskClient, path: str = "/settings/blog/alice", email: str = EMAIL,
           password: str = PASSWORD) -> Any:
    """From a page that needs a session, signed out: to the log-in page, email, "Next", password, back."""
    first = client.get(path)
    assert first.status_code == 302
    page = doc(client.get(first.headers["Location"]))
    step2 = doc(submit(client, page, {"Email": email}))
    return submit(client, step2, {"Password": password})


def page_cfg(html: str) -> dict[str, Any]:
    """The blog page's script config (its script is the page's last)."""
    found = list(re.finditer(r"const cfg = (\{.*?\});\n", html))
    assert found
    return json.loads(found[-1].group(1))


def save(client: FlaskClient, blog: str, key: str, value: Any, token: str | None = None) -> Any:
    if token is None:
        token = page_cfg(client.get(f"/settings/blog/{blog}").get_data(as_text=True))["csrf"]
    return client.post(f"/api/v2/blog/{blog}/settings", json={key: value}, headers={"x-csrf": token})


@pytest.fixture
def replica() -> Replica:
    r = Replica()
    r.add_account(EMAIL, PASSWORD, name="Alice Example", objects=BLOGS)
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
    assert list(a["blogs"]) == BLOGS and a["objects"] == {"alice": False, "alice-art": False}
    assert a["blogs"]["alice-art"] == {"title": "Alice Art", **DEFAULTS, "saves": 0}
    assert replica.opted_out(EMAIL) == {SETTING: False} and replica.objects(EMAIL) == a["objects"]
    assert "password" not in a and a["saves"] == a["sign_ins"] == a["failed_logins"] == 0
    solo = replica.add_account("Bob.Stone+x@Example.com", "pw")
    assert solo["name"] == "Bob Stone X" and list(solo["objects"]) == ["bob-stone-x"]


def test_objects_option(replica: Replica) -> None:
    none = replica.add_account("z@example.com", "pw", objects=[])
    assert none["objects"] == {} and replica.opted_out("z@example.com") == {SETTING: True}
    many = replica.add_account("m@example.com", "pw", objects=[f"blog-{i}" for i in range(25)])
    assert len(many["objects"]) == 25 and replica.opted_out("m@example.com") == {SETTING: False}
    # a string from the command line; discourage_searching turned the switch On too (tumblr.md)
    got = replica.add_account("s@example.com", "pw", objects="Art|notes,quiet; done", discourage_searching="quiet",
                              prevented="done")
    assert got["objects"] == {"art": False, "notes": False, "quiet": True, "done": True}
    assert got["blogs"]["quiet"]["discourage_searching"] is True
    assert got["blogs"]["done"]["discourage_searching"] is False
    replica.add_account("all@example.com", "pw", objects="a b", prevented=["a", "b"])
    assert replica.opted_out("all@example.com") == {SETTING: True}
    for bad in ({"objects": ["bad name!"]}, {"objects": ["a", "a"]}, {"objects": ["x" * 33]},
                {"objects": ["a"], "prevented": ["b"]}, {"available": "maybe"}, {"totp_secret": "not base32!"}):
        with pytest.raises(ValueError):
            replica.add_account("bad@example.com", "pw", **bad)
    with pytest.raises(TypeError):
        replica.add_account("bad@example.com", "pw", region="FR")


def test_command_line_account_spec() -> None:
    r = Replica()
    got = r.add_account(**parse_account("c@example.com:pw:Cy:objects=one|two|three,available=false"))
    assert list(got["objects"]) == ["one", "two", "three"] and got["available"] is False and got["name"] == "Cy"


def test_configure_rejects_unknown_and_bad_values(replica: Replica) -> None:
    for bad in ({"no_such": 1}, {"delay_ms": "soon"}, {"older_release": True}, {"login_one_page": "maybe"}):
        with pytest.raises(ValueError):
            replica.configure(**bad)
    assert replica.app.test_client().post("/__replica__/config", json={"login_one_page": "yes"}).status_code == 200
    assert replica.state()["variants"]["login_one_page"] is True


# ---------------------------------------------------------------- log in

def test_signed_out_visitor_logs_in_in_two_steps_and_comes_back(replica: Replica, client: FlaskClient) -> None:
    first = client.get("/settings/blog/alice-art")
    assert first.status_code == 302
    loc = urlsplit(first.headers["Location"])
    assert loc.path == "/login" and parse_qs(loc.query)["redirect_to"] == ["/settings/blog/alice-art"]
    page = doc(client.get(first.headers["Location"]))
    form, fields = page.form_with("Email")
    assert "Password" not in fields and form["action"] == "/login"
    assert {"Continue with Google", "Continue with Apple", "Next"} <= set(page.buttons)
    again = doc(client.get(first.headers["Location"]))  # ids are generated per load
    field_ids = [i.get("id") for i in form["inputs"] if i.get("id")]
    assert field_ids and not set(field_ids) & set(again.ids)
    assert all(i["name"] not in ("email", "password") for i in form["inputs"])  # names hashed
    step2 = doc(submit(client, page, {"Email": EMAIL}))
    assert "Log in" in step2.buttons and EMAIL in step2.html and client.get_cookie("sid") is None
    done = submit(client, step2, {"Password": PASSWORD})
    assert done.status_code == 303 and done.headers["Location"] == "/settings/blog/alice-art"
    session = client.get_cookie("sid")
    assert session is not None and session.http_only
    assert acct(replica)["sign_ins"] == 1 and acct(replica)["sessions"] == 1
    assert client.get("/login").headers["Location"] == "/dashboard"  # already signed in
    assert "Alice Example" in client.get("/dashboard").get_data(as_text=True)


def test_wrong_password_and_unknown_email(replica: Replica, client: FlaskClient) -> None:
    resp = log_in(client, password="wrong")
    page = doc(resp)
    assert resp.status_code == 200 and page.alerts == ["Your email or password were incorrect."]
    assert "Password" in page.form_with("Password")[1] and client.get_cookie("sid") is None
    assert acct(replica)["failed_logins"] == 1 and acct(replica)["sign_ins"] == 0
    assert submit(client, page, {"Password": PASSWORD}).status_code == 303  # the retry on that page works
    other = replica.app.test_client()
    unknown = doc(submit(other, doc(other.get("/login")), {"Email": "nobody@example.com"}))
    assert unknown.alerts == ["We couldn't find an account with that email."]
    assert "Password" not in unknown.form_with("Email")[1] and replica.state()["unknown_logins"] == 1


def test_form_key_must_match_its_cookie(replica: Replica) -> None:
    fresh = replica.app.test_client()
    page = doc(fresh.get("/login"))
    fresh.delete_cookie("logged_out_form_key")
    assert doc(submit(fresh, page, {"Email": EMAIL})).alerts == ["Something went wrong. Please try again."]


def test_one_page_login(replica: Replica, client: FlaskClient) -> None:
    replica.configure(login_one_page=True)
    page = doc(client.get(client.get("/settings/blog/alice").headers["Location"]))
    assert {"Email", "Password"} <= set(page.form_with("Email")[1]) and "Log in" in page.buttons
    wrong = doc(submit(client, page, {"Email": EMAIL, "Password": "nope"}))
    assert wrong.alerts == ["Your email or password were incorrect."] and acct(replica)["failed_logins"] == 1
    done = submit(client, wrong, {"Email": EMAIL, "Password": PASSWORD})
    assert done.headers["Location"] == "/settings/blog/alice"


def test_totp_code_step(replica: Replica, client: FlaskClient) -> None:
    secret = pyotp.random_base32()
    replica.add_account("t@example.com", "pw-T-1", totp_secret=secret)
    code_page = doc(log_in(client, "/settings/blog/t", "t@example.com", "pw-T-1"))
    assert client.get_cookie("sid") is None and "Verify" in code_page.buttons
    now = pyotp.TOTP(secret).now()
    wrong = doc(submit(client, code_page, {"Authentication code": "000000" if now != "000000" else "111111"}))
    assert wrong.alerts and acct(replica, "t@example.com")["failed_challenges"] == 1
    done = submit(client, wrong, {"Authentication code": pyotp.TOTP(secret).now()})
    assert done.status_code == 303 and done.headers["Location"] == "/settings/blog/t"


def test_social_buttons_lead_nowhere_usable(client: FlaskClient) -> None:
    resp = client.get("/login/google?redirect_to=/settings/blog/alice")
    assert resp.status_code == 502 and doc(resp).alerts
    assert client.get("/login/myspace").status_code == 404


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://www.tumblr.com/settings/blog/alice", "/settings/blog/alice"),
    ("https://evil.example/settings/blog/alice", "/dashboard"),
    ("//evil.example/x", "/dashboard"),
    ("", "/dashboard"),
])
def test_after_login_target_stays_on_site(client: FlaskClient, raw: str, expected: str) -> None:
    page = doc(client.get("/login", query_string={"redirect_to": raw}))
    step2 = doc(submit(client, page, {"Email": EMAIL}))
    assert submit(client, step2, {"Password": PASSWORD}).headers["Location"] == expected


# ---------------------------------------------------------------- the blog page, its switches and saves

def test_blog_page_and_save_one_blog(replica: Replica, client: FlaskClient) -> None:
    log_in(client)
    page = doc(client.get("/settings/blog/alice-art"))
    assert page.h2 == ["Ask", "Submissions", "Visibility", "Likes", "Following", "Blogs"]  # "Blogs": the menu
    labels = page.switch_labels()
    assert labels["Prevent third-party sharing for alice-art"] == "false"
    assert labels["Discourage searching of alice-art"] == "false" and len(labels) == 7
    assert all("id" not in s for s in page.switches)
    before = acct(replica)
    resp = save(client, "alice-art", AI, True)
    assert resp.status_code == 200 and resp.get_json() == {AI: True}
    after = acct(replica)
    assert after["objects"] == {"alice": False, "alice-art": True}
    assert replica.opted_out(EMAIL) == {SETTING: False}  # one blog of two
    assert after["blogs"]["alice"] == before["blogs"]["alice"]  # the other blog untouched
    assert {k: v for k, v in after["blogs"]["alice-art"].items() if k not in (AI, "saves")} == \
        {k: v for k, v in before["blogs"]["alice-art"].items() if k not in (AI, "saves")}
    reload = doc(client.get("/settings/blog/alice-art")).switch_labels()
    assert reload["Prevent third-party sharing for alice-art"] == "true"  # a reload shows the server's value
    assert save(client, "alice", AI, True).status_code == 200
    assert replica.opted_out(EMAIL) == {SETTING: True} and acct(replica)["saves"] == 2


def test_neighbour_switches_save_only_themselves(replica: Replica, client: FlaskClient) -> None:
    log_in(client)
    assert save(client, "alice", "discourage_searching", True).status_code == 200
    blog = acct(replica)["blogs"]["alice"]
    assert blog["discourage_searching"] is True and blog[AI] is False and blog["saves"] == 0


def test_save_needs_session_csrf_and_a_clean_body(replica: Replica, client: FlaskClient) -> None:
    assert save(client, "alice", AI, True, token="x").status_code == 401
    log_in(client)
    assert save(client, "alice", AI, True, token="forged").status_code == 403
    token = page_cfg(client.get("/settings/blog/alice").get_data(as_text=True))["csrf"]
    for body in ({AI: "true"}, {AI: True, "ask": False}, {"title": True}, []):
        assert client.post("/api/v2/blog/alice/settings", json=body, headers={"x-csrf": token}).status_code == 400
    assert save(client, "not-mine", AI, True, token=token).status_code == 404
    assert acct(replica)["objects"] == {"alice": False, "alice-art": False} and acct(replica)["saves"] == 0


def test_another_members_blog_is_a_404(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("bob@example.com", "pw-B-1", objects=["bobs-blog"])
    log_in(client)
    resp = client.get("/settings/blog/bobs-blog")
    assert resp.status_code == 404 and "There&#39;s nothing here." in resp.get_data(as_text=True)
    assert client.get("/settings/blog/ALICE").status_code == 200  # names are case-insensitive


def test_member_not_offered_the_switch(replica: Replica, client: FlaskClient) -> None:
    replica.add_account("n@example.com", "pw-N-1", objects=["quiet-one"], available=False)
    log_in(client, "/settings/blog/quiet-one", "n@example.com", "pw-N-1")
    page = doc(client.get("/settings/blog/quiet-one"))
    assert "Visibility" in page.h2 and "Discourage searching of quiet-one" in page.switch_labels()
    assert "third-party" not in page.html
    assert save(client, "quiet-one", AI, True).status_code == 404
    assert replica.opted_out("n@example.com") == {SETTING: False}


# ---------------------------------------------------------------- listing the blogs

def test_settings_menu_lists_blogs_in_batches(replica: Replica, client: FlaskClient) -> None:
    names = [f"blog-{i:02d}" for i in range(25)]
    replica.add_account("many@example.com", "pw-M-1", objects=names)
    log_in(client, "/settings", "many@example.com", "pw-M-1")
    assert client.get("/settings").headers["Location"] == "/settings/account"
    page = doc(client.get("/settings/account"))
    listed = [link.rsplit("/", 1)[1] for link in page.links if link.startswith("/settings/blog/")]
    assert listed == names[:10] and "Show more blogs" in page.buttons
    got, offset = [], 10
    while True:
        batch = client.get("/api/v2/user/settings/blogs", query_string={"offset": offset}).get_json()
        got += [b["settings_url"] for b in batch["blogs"]]
        offset += len(batch["blogs"])
        if not batch["has_more"]:
            break
    assert got == [f"/settings/blog/{n}" for n in names[10:]]
    blog_page = doc(client.get("/settings/blog/blog-17"))  # the menu is on every settings page
    assert "Show more blogs" in blog_page.buttons and "/settings/blog/blog-00" in blog_page.links
    assert replica.app.test_client().get("/api/v2/user/settings/blogs").status_code == 401


def test_few_or_no_blogs(replica: Replica, client: FlaskClient) -> None:
    log_in(client, "/settings/account")
    page = doc(client.get("/settings/account"))
    assert "Show more blogs" not in page.buttons and "/settings/blog/alice-art" in page.links
    replica.add_account("none@example.com", "pw-0-1", objects=[])
    other = replica.app.test_client()
    log_in(other, "/settings/account", "none@example.com", "pw-0-1")
    empty = doc(other.get("/settings/account"))
    assert not [x for x in empty.links if "/settings/blog/" in x] and "/new/blog" in empty.links


def test_deep_link_moved(replica: Replica, client: FlaskClient) -> None:
    replica.configure(deep_link_moved=True)
    assert client.get("/settings/blog/alice").status_code == 302  # signed out: log in first
    log_in(client)
    assert client.get("/settings/blog/alice").status_code == 404
    page = doc(client.get("/settings/account"))
    assert "/blog/alice-art/settings" in page.links and not [x for x in page.links if "/settings/blog/" in x]
    assert doc(client.get("/blog/alice-art/settings")).switch_labels()["Prevent third-party sharing for alice-art"]
    replica.configure(deep_link_moved=False)
    assert client.get("/blog/alice-art/settings").status_code == 404


# ---------------------------------------------------------------- faults

def test_save_fails_once(replica: Replica, client: FlaskClient) -> None:
    log_in(client)
    replica.configure(save_fails_once=True)
    assert save(client, "alice", AI, True).status_code == 500
    assert replica.objects(EMAIL)["alice"] is False
    assert save(client, "alice", AI, True).status_code == 200
    assert replica.objects(EMAIL)["alice"] is True and acct(replica)["blogs"]["alice"]["saves"] == 2


def test_save_never_persists(replica: Replica, client: FlaskClient) -> None:
    log_in(client)
    replica.configure(save_never_persists=True)
    assert save(client, "alice", AI, True).get_json() == {AI: True}
    assert replica.objects(EMAIL)["alice"] is False
    assert doc(client.get("/settings/blog/alice")).switch_labels()["Prevent third-party sharing for alice"] == "false"


def test_first_load_503_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(first_load_503=True)
    log_in(client)
    assert client.get("/settings/blog/alice").status_code == 503
    assert client.get("/settings/blog/alice").status_code == 200


def test_session_expired_once(replica: Replica, client: FlaskClient) -> None:
    replica.configure(session_expired_once=True)
    log_in(client)
    resp = client.get("/settings/blog/alice")
    assert resp.status_code == 302 and urlsplit(resp.headers["Location"]).path == "/login"
    assert client.get_cookie("sid") is None and acct(replica)["sessions"] == 0
    assert log_in(client).headers["Location"] == "/settings/blog/alice"
    assert client.get("/settings/blog/alice").status_code == 200


def test_late_render_and_replace_node(replica: Replica, client: FlaskClient) -> None:
    log_in(client)
    replica.configure(late_render_ms=800, replace_node=True)
    html = client.get("/settings/blog/alice").get_data(as_text=True)
    page = Doc(html)
    assert page.switches == [] and page.templated_switches == 7  # drawn by script after 800 ms
    cfg = page_cfg(html)
    assert cfg["lateMs"] == 800 and cfg["replaceNode"] is True and cfg["aiKey"] == AI
    assert [r["key"] for r in cfg["rows"]] == list(DEFAULTS)
    replica.configure(late_render_ms=0, replace_node=False)
    html = client.get("/settings/blog/alice").get_data(as_text=True)
    assert len(Doc(html).switches) == 7 and page_cfg(html)["replaceNode"] is False


def test_delay_ms_spares_control_endpoints(replica: Replica, client: FlaskClient) -> None:
    replica.configure(delay_ms=120)
    start = time.monotonic()
    client.get("/login")
    assert time.monotonic() - start >= 0.12
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.1


# ---------------------------------------------------------------- control

def test_add_object_switch_back_on_and_reset(replica: Replica, client: FlaskClient) -> None:
    answer = client.post("/__replica__/add_object", json={"email": EMAIL, "name": "Late-Blog"})
    assert answer.status_code == 201 and answer.get_json()["objects"]["late-blog"] is False
    assert client.post("/__replica__/add_object", json={"email": EMAIL, "name": "late-blog"}).status_code == 400
    assert client.post("/__replica__/add_object", json={"email": "x@example.com", "name": "b"}).status_code == 404
    assert client.get("/__replica__/objects", query_string={"email": EMAIL}).get_json() == \
        {"alice": False, "alice-art": False, "late-blog": False}
    log_in(client)
    for blog in ("alice", "alice-art", "late-blog"):
        assert save(client, blog, AI, True).status_code == 200
    save(client, "alice", "discourage_searching", True)
    assert replica.opted_out(EMAIL) == {SETTING: True}
    assert client.post("/__replica__/switch_back_on", json={"email": EMAIL}).get_json() == {"switched_on": [EMAIL]}
    a = acct(replica)
    assert set(a["objects"].values()) == {False} and a["blogs"]["alice"]["discourage_searching"] is True
    assert client.post("/__replica__/revoke_sessions", json={"email": EMAIL}).get_json() == {"revoked": 1}
    assert client.get("/settings/blog/alice").status_code == 302
    replica.add_account("d@example.com", "pw", objects=["d"], discourage_searching=["d"])
    replica.switch_back_on()
    assert replica.objects("d@example.com") == {"d": False}
    replica.configure(login_one_page=True)
    replica.reset()
    state = replica.state()
    assert state["variants"]["login_one_page"] is False
    assert list(state["accounts"][EMAIL]["objects"]) == BLOGS  # the later blog is gone: as it was added
    assert state["accounts"]["d@example.com"]["objects"] == {"d": True}
    assert state["accounts"][EMAIL]["sign_ins"] == 0 and state["accounts"][EMAIL]["saves"] == 0

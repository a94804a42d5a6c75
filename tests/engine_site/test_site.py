"""The synthetic site itself, without optout or a browser: it is a replica by the one interface, its
flow is valid and stays out of the real flows, and its pages keep server-side state."""

from __future__ import annotations

import pytest

from optout import flow
from tests.replicas.interface import problems

from . import FLOWS
from .site import FORM, SAVE_URL, SWITCH, SampleSite


def test_the_flow_is_valid_and_found_only_through_optout_flows(monkeypatch):
    assert "sample" not in flow.load_all()  # not shipped, not in tests/test_every_flow.py
    monkeypatch.setenv("OPTOUT_FLOWS", str(FLOWS))
    sample = flow.load("sample")
    assert sample.replica is None
    assert {s.id: s.kind for s in sample.settings} == {SWITCH: "switch", FORM: "form"}


def test_the_site_satisfies_the_replica_interface():
    assert problems(SampleSite, {SWITCH, FORM}) == []


@pytest.fixture
def client():
    site = SampleSite()
    site.add_account("a@example.com", "pw-A-1", name="A Member")
    return site, site.app.test_client()


def sign_in(http) -> None:
    answer = http.post("/login", data={"username": "a@example.com", "password": "pw-A-1", "next": "/settings"})
    assert (answer.status_code, answer.headers["Location"]) == (303, "/settings")


def test_a_save_changes_the_server_state_and_its_faults_hold(client):
    site, http = client
    assert http.post(SAVE_URL, json={"setting": SWITCH, "value": False}).status_code == 401
    sign_in(http)
    site.configure(save_fails_once=True)
    assert http.post(SAVE_URL, json={"setting": SWITCH, "value": False}).status_code == 500
    assert site.state()["accounts"]["a@example.com"]["training"] is True
    assert http.post(SAVE_URL, json={"setting": SWITCH, "value": False}).status_code == 200
    assert site.opted_out("a@example.com")[SWITCH] is True
    site.configure(save_never_persists=True)
    site.switch_back_on()
    assert http.post(SAVE_URL, json={"setting": SWITCH, "value": False}).status_code == 200
    assert site.state()["accounts"]["a@example.com"]["training"] is True
    assert site.state()["accounts"]["a@example.com"]["save_requests"] == 3


def test_pages_and_their_faults(client):
    site, http = client
    assert http.get("/settings/ai-training").headers["Location"].startswith("/login?next=")
    sign_in(http)
    site.configure(first_load_503=True)
    assert http.get("/settings/ai-training").status_code == 503
    assert http.get("/settings/ai-training").status_code == 200
    site.configure(deep_link_moved=True)
    assert http.get("/settings/ai-training").status_code == 404
    assert b"/settings/data/ai-training" in http.get("/settings").data
    site.configure(session_expired_once=True)
    assert http.get("/settings").status_code == 302
    assert http.get("/home").headers.get("Location", "").startswith("/login")
    assert site.state()["page_requests"]["/settings/ai-training"] == 4


def test_the_form_is_stored_only_when_complete(client):
    site, http = client
    sign_in(http)
    assert b'role="alert"' in http.post("/help/object", data={"name": "A Member"}).data
    done = http.post("/help/object", data={"name": "A Member", "email": "a@example.com", "details": "stop"})
    assert b'role="status"' in done.data and b"Reference OBJ-" in done.data
    [sent] = site.state()["accounts"]["a@example.com"]["forms"]
    assert sent["fields"] == {"name": "A Member", "email": "a@example.com", "details": "stop"}
    assert site.opted_out("a@example.com")[FORM] is True


@pytest.mark.parametrize("challenge", ["pin", "email_pin", "captcha", "app"])
def test_each_check_between_the_password_and_the_session(challenge):
    site = SampleSite()
    site.add_account("a@example.com", "pw-A-1", challenge=challenge)
    http = site.app.test_client()
    answer = http.post("/login", data={"username": "a@example.com", "password": "pw-A-1"})
    cid = answer.headers["Location"].rsplit("/", 1)[1]
    assert http.post("/challenge/verify", data={"cid": cid, "code": "000000x"}).status_code == 200  # again
    if challenge == "app":
        assert site.approve("a@example.com")
    code = site.pending_pin("a@example.com")["pin"] or ""
    done = http.post("/challenge/verify", data={"cid": cid, "code": code})
    assert (done.status_code, done.headers["Location"]) == (303, "/home")
    assert http.get("/home").status_code == 200

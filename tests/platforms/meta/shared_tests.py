"""Tests both Meta replicas must pass. They are imported by tests/platforms/facebook/test_facebook_replica.py
and tests/platforms/instagram/test_instagram_replica.py, which each give the fixture `rep` (their replica,
with Alice in France) and so run every test here against their own brand. Flask's test client only."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.replicas.__main__ import parse_account
from tests.replicas.interface import problems

from .core import MetaReplica
from .testkit import (
    ALICE,
    CODE_LABEL,
    EN_2024,
    EN_2025,
    PW,
    SEND,
    alerts,
    confirmed_page,
    forms,
    log_in,
    next_of,
    only_form,
    signed_in,
    submit,
    visible_text,
)

FORM_ID = "objection-form"


def acct(rep: MetaReplica, email: str = ALICE) -> dict:
    return rep.state()["accounts"][email]


def open_form(rep: MetaReplica, client: FlaskClient | None = None) -> tuple[FlaskClient, TestResponse]:
    """A signed-in client (Alice's unless given) and the objection form's page."""
    client = client or signed_in(rep)
    page = client.get(rep.brand.objection_path)
    assert page.status_code == 200, page.status_code
    return client, page


# ---------------------------------------------------------------- the interface and the defaults

def test_satisfies_the_interface(rep: MetaReplica) -> None:
    assert problems(type(rep), {FORM_ID}) == []


def test_defaults(rep: MetaReplica) -> None:
    st = rep.state()
    assert st["variants"]["version"] == "2025" and st["variants"]["choices"] is False
    a = st["accounts"][ALICE]
    assert a["region"] == "FR" and a["available"] is True and a["name"] == "Alice"
    assert a["objections"] == [] and a["saves"] == 0 and a[FORM_ID] is False
    assert rep.opted_out(ALICE) == {FORM_ID: False}


def test_account_options_are_checked(rep: MetaReplica) -> None:
    with pytest.raises(TypeError):
        rep.add_account("x@example.com", "pw", lang="fr")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        rep.add_account("x@example.com", "pw", region="France")
    with pytest.raises(ValueError):
        rep.configure(no_such_variant=True)
    with pytest.raises(ValueError):
        rep.configure(version="2023")
    rep.configure(version="2024", late_render_ms="300")
    assert rep.state()["variants"]["late_render_ms"] == 300
    # python -m tests.replicas NAME --account 'email:pw:Name:region=US,totp_secret=…' works
    made = rep.add_account(**parse_account(f"bob@example.com:pw:Bob B:region=us,totp_secret={pyotp.random_base32()}"))
    assert made["region"] == "US" and made["available"] is False and made["totp"] is True
    assert rep.add_account("carol@example.com", "pw", region="UK")["region"] == "GB"


# ---------------------------------------------------------------- sign-in

def test_signed_out_visit_goes_to_sign_in_and_back(rep: MetaReplica) -> None:
    client = rep.app.test_client()
    r = client.get(rep.brand.objection_path)
    assert r.status_code == 302 and r.headers["Location"].startswith(rep.brand.login_path + "?next=")
    target = next_of(r.headers["Location"])
    assert target.endswith(rep.brand.objection_path)
    r = log_in(client, rep.brand, next_url=target)
    assert r.status_code == 303 and r.headers["Location"] == rep.brand.objection_path
    cookie = client.get_cookie(rep.brand.session_cookie)
    assert cookie is not None and cookie.http_only
    page = client.get(r.headers["Location"])
    form = only_form(page.text)
    assert form.by_label(EN_2025["email"]).attrs["value"] == ALICE  # prefilled when signed in
    assert acct(rep)["sign_ins"] == 1 and acct(rep)["sessions"] == 1


def test_wrong_password_and_unknown_email(rep: MetaReplica) -> None:
    client = rep.app.test_client()
    r = log_in(client, rep.brand, password="nope")
    assert r.status_code == 200 and any("password" in a and "incorrect" in a for a in alerts(r.text))
    assert client.get_cookie(rep.brand.session_cookie) is None
    r = log_in(client, rep.brand, email="nobody@example.com")
    assert any("isn't connected to an account" in a for a in alerts(r.text))
    st = rep.state()
    assert st["accounts"][ALICE]["failed_logins"] == 1 and st["accounts"][ALICE]["sign_ins"] == 0
    assert st["unknown_logins"] == 1


def test_code_step_when_totp_is_set(rep: MetaReplica) -> None:
    secret = pyotp.random_base32()
    rep.add_account("totp@example.com", PW, totp_secret=secret)
    client = rep.app.test_client()
    r = log_in(client, rep.brand, email="totp@example.com", next_url=rep.brand.objection_path)
    assert r.status_code == 303 and r.headers["Location"].startswith(rep.brand.two_factor_path)
    assert client.get_cookie(rep.brand.session_cookie) is None
    page = client.get(r.headers["Location"])
    form = only_form(page.text)
    [label] = form.labels.values()
    r = submit(client, form, {label: "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert r.status_code == 200 and alerts(r.text)
    assert acct(rep, "totp@example.com")["failed_challenges"] == 1
    r = submit(client, only_form(r.text), {label: pyotp.TOTP(secret).now()})
    assert r.status_code == 303 and r.headers["Location"] == rep.brand.objection_path
    assert acct(rep, "totp@example.com")["sign_ins"] == 1


def test_inputs_have_no_stable_ids_or_names(rep: MetaReplica) -> None:
    client, first = open_form(rep)
    second = client.get(rep.brand.objection_path)
    a, b = only_form(first.text), only_form(second.text)
    for label in EN_2025.values():
        ca, cb = a.by_label(label), b.by_label(label)
        assert ca.attrs["id"] != cb.attrs["id"] and ca.attrs["name"] != cb.attrs["name"]


# ---------------------------------------------------------------- the 2025 form

def test_2025_form_sends_and_is_kept(rep: MetaReplica) -> None:
    client, page = open_form(rep)
    form = only_form(page.text)
    assert form.buttons == [SEND["en"]]
    kinds = sorted((c.tag, c.attrs.get("type", "")) for c in form.visible())
    assert kinds == [("input", "email"), ("textarea", "")]  # no country, no choices by default
    assert form.by_label(EN_2025["text"]).text == ""
    r = submit(client, form)
    assert r.status_code == 200 and confirmed_page(r.text)
    a = acct(rep)
    [sent] = a["objections"]
    assert sent["email"] == ALICE and sent["text"] == "" and sent["country"] is None and sent["choice"] is None
    assert sent["confirmed"] is True and sent["version"] == "2025" and sent["form"] == rep.brand.objection_path
    assert sent["signed_in"] is True and sent["at"]
    assert a["saves"] == 1 and a["send_attempts"] == 1 and rep.opted_out(ALICE) == {FORM_ID: True}
    # A reload shows the form again (there is no state on the page); a second Send is a second objection.
    client.get(rep.brand.objection_path)
    assert acct(rep)["saves"] == 1
    r = submit(client, only_form(client.get(rep.brand.objection_path).text), {EN_2025["text"]: "Again."})
    assert [o["text"] for o in acct(rep)["objections"]] == ["", "Again."]


def test_2025_bad_email_stores_nothing(rep: MetaReplica) -> None:
    client, page = open_form(rep)
    r = submit(client, only_form(page.text), {EN_2025["email"]: "not-an-email"})
    assert r.status_code == 200 and alerts(r.text) and only_form(r.text)
    a = acct(rep)
    assert a["objections"] == [] and a["send_attempts"] == 1 and rep.opted_out(ALICE)[FORM_ID] is False


def test_a_form_drawn_for_an_ended_session_stores_nothing(rep: MetaReplica) -> None:
    client, page = open_form(rep)
    client.get(rep.brand.logout_path)
    r = submit(client, only_form(page.text))
    assert r.status_code == 302 and r.headers["Location"].startswith(rep.brand.login_path)
    assert next_of(r.headers["Location"]).endswith(rep.brand.objection_path)
    assert acct(rep)["objections"] == []
    r = client.post(rep.brand.submit_path, data={"lsd": "forged"})
    assert r.status_code == 400 and alerts(r.text) and acct(rep)["objections"] == []


# ---------------------------------------------------------------- the 2024 form and its emailed code

def test_2024_form_asks_for_the_emailed_code(rep: MetaReplica) -> None:
    rep.configure(version="2024")
    client, page = open_form(rep)
    form = only_form(page.text)
    country = form.by_label(EN_2024["country"])
    assert country.tag == "select" and country.options[0][0] == "" and ("FR", "France", False) in country.options
    assert form.by_label(EN_2024["text"]).tag == "textarea" and form.buttons == [SEND["en"]]
    assert rep.email_code(ALICE) is None
    assert rep.app.test_client().post("/__replica__/email_code", json={"email": ALICE}).status_code == 404
    r = submit(client, form, {EN_2024["country"]: "France", EN_2024["text"]: "I do not agree."})
    assert r.status_code == 200 and "6-digit code" in visible_text(r.text) and not confirmed_page(r.text)
    [sent] = acct(rep)["objections"]
    assert sent["confirmed"] is False and sent["country"] == "FR" and sent["text"] == "I do not agree."
    assert sent["code_sent_to"] == ALICE and rep.opted_out(ALICE)[FORM_ID] is False
    code = rep.email_code(ALICE)
    assert code and len(code) == 6 and code.isdigit()
    assert rep.app.test_client().post("/__replica__/email_code", json={"email": ALICE}).get_json()["code"] == code
    step = only_form(r.text)
    r = submit(client, step, {CODE_LABEL["en"]: "999999" if code != "999999" else "111111"})
    assert alerts(r.text) and acct(rep)["failed_codes"] == 1 and rep.opted_out(ALICE)[FORM_ID] is False
    r = submit(client, only_form(r.text), {CODE_LABEL["en"]: code})
    assert confirmed_page(r.text)
    [sent] = acct(rep)["objections"]
    assert sent["confirmed"] is True and sent["confirmed_at"] and rep.opted_out(ALICE)[FORM_ID] is True


def test_2024_form_needs_country_and_reason(rep: MetaReplica) -> None:
    rep.configure(version="2024")
    client, page = open_form(rep)
    r = submit(client, only_form(page.text))
    assert len(alerts(r.text)) == 2 and acct(rep)["objections"] == [] and rep.email_code(ALICE) is None


# ---------------------------------------------------------------- the choices (variant)

def test_choices_variant_only_the_meta_ai_choice_opts_out(rep: MetaReplica) -> None:
    rep.configure(choices=True)
    client, page = open_form(rep)
    form = only_form(page.text)
    radios = [c for c in form.controls if c.attrs.get("type") == "radio"]
    labels = [form.labels[c.attrs["id"]] for c in radios]
    assert labels[0] == "I want to object to the use of my information for Meta AI"
    assert "from third parties for Meta AI" in labels[1] and labels[2].startswith("I have a different objection")
    assert labels[3] == "Your messages with AIs on WhatsApp" and len(labels) == 4
    assert not any("checked" in c.attrs for c in radios) and len({c.attrs["name"] for c in radios}) == 1
    r = submit(client, form)
    assert alerts(r.text) and acct(rep)["objections"] == []
    r = submit(client, only_form(r.text), {labels[3]: "on"})
    assert confirmed_page(r.text) and acct(rep)["objections"][0]["choice"] == "whatsapp"
    assert rep.opted_out(ALICE)[FORM_ID] is False
    r = submit(client, only_form(client.get(rep.brand.objection_path).text), {labels[0]: "on"})
    assert acct(rep)["objections"][1]["choice"] == "meta_ai" and rep.opted_out(ALICE)[FORM_ID] is True


# ---------------------------------------------------------------- regions

def test_outside_the_offered_regions_there_is_no_form(rep: MetaReplica) -> None:
    rep.add_account("us@example.com", PW, region="US")
    client = signed_in(rep, "us@example.com")
    page = client.get(rep.brand.objection_path)
    assert page.status_code == 200 and forms(page.text) == []
    assert "<input" not in page.text and "<textarea" not in page.text and "<button" not in page.text
    assert "right to object" not in visible_text(client.get("/privacy/genai/").text)
    assert acct(rep, "us@example.com")["available"] is False
    rep.add_account("br@example.com", PW, region="BR")
    assert forms(signed_in(rep, "br@example.com").get(rep.brand.objection_path).text) == []
    rep.configure(extra_regions=True)  # meta.md, unsure: Brazil, Japan, South Korea too
    assert len(forms(signed_in(rep, "br@example.com").get(rep.brand.objection_path).text)) == 1


def test_click_path_reaches_the_form(rep: MetaReplica) -> None:
    client = signed_in(rep)

    def follow(html: str, label: str) -> str:
        hrefs = [h for h, t in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html) if t.strip() == label]
        assert hrefs, f"no link {label!r}"
        return hrefs[0]

    html = client.get("/").text
    for label in ("Settings & Privacy", "Privacy Center", "AI at Meta"):
        html = client.get(follow(html.replace("&amp;", "&"), label)).text
    assert follow(html, "right to object") == rep.brand.objection_path


# ---------------------------------------------------------------- faults

def test_first_load_503_once(rep: MetaReplica) -> None:
    client = signed_in(rep)
    rep.configure(first_load_503=True)
    assert client.get(rep.brand.objection_path).status_code == 503
    assert len(forms(client.get(rep.brand.objection_path).text)) == 1


def test_session_expired_once(rep: MetaReplica) -> None:
    client = signed_in(rep)
    rep.configure(session_expired_once=True)
    r = client.get(rep.brand.objection_path)
    assert r.status_code == 302 and r.headers["Location"].startswith(rep.brand.login_path)
    assert acct(rep)["sessions"] == 0
    r = log_in(client, rep.brand, next_url=next_of(r.headers["Location"]))
    assert r.headers["Location"] == rep.brand.objection_path
    assert len(forms(client.get(rep.brand.objection_path).text)) == 1


def test_submit_fails_once_stores_nothing(rep: MetaReplica) -> None:
    rep.configure(submit_fails_once=True)
    client, page = open_form(rep)
    r = submit(client, only_form(page.text))
    assert r.status_code == 500 and not confirmed_page(r.text) and acct(rep)["objections"] == []
    r = submit(client, only_form(client.get(rep.brand.objection_path).text))
    assert confirmed_page(r.text) and len(acct(rep)["objections"]) == 1


def test_submit_error_after_store(rep: MetaReplica) -> None:
    rep.configure(submit_error_after_store=True)
    client, page = open_form(rep)
    r = submit(client, only_form(page.text))
    assert r.status_code == 500 and not confirmed_page(r.text) and "will be applied" not in r.text
    assert len(acct(rep)["objections"]) == 1 and rep.opted_out(ALICE)[FORM_ID] is True
    # 2024: the error comes after the code, which is stored as confirmed
    rep.add_account("bob@example.com", PW)
    rep.configure(version="2024")
    client, page = open_form(rep, signed_in(rep, "bob@example.com"))
    r = submit(client, only_form(page.text), {EN_2024["country"]: "France", EN_2024["text"]: "No."})
    r = submit(client, only_form(r.text), {CODE_LABEL["en"]: rep.email_code("bob@example.com") or ""})
    assert r.status_code == 500 and rep.opted_out("bob@example.com")[FORM_ID] is True


def test_late_render_holds_the_form_in_a_template(rep: MetaReplica) -> None:
    rep.configure(late_render_ms=800)
    _, page = open_form(rep)
    [form] = forms(page.text)
    assert form.in_template and '"ms": 800' in page.text
    assert "<form" not in page.text.split("<template", 1)[0]


def test_send_by_script_keeps_the_same_server_side(rep: MetaReplica) -> None:
    rep.configure(send_by_script=True)
    client, page = open_form(rep)
    assert "new FormData(form)" in page.text and "fetch(" in page.text
    r = submit(client, only_form(page.text))
    assert confirmed_page(r.text) and rep.opted_out(ALICE)[FORM_ID] is True


def test_delay_ms_delays_pages_not_control_endpoints(rep: MetaReplica) -> None:
    rep.configure(delay_ms=60)
    client = rep.app.test_client()
    start = time.monotonic()
    client.get(rep.brand.login_path)
    assert time.monotonic() - start >= 0.05
    start = time.monotonic()
    client.get("/__replica__/state")
    assert time.monotonic() - start < 0.05


def test_signed_out_forms_variant(rep: MetaReplica) -> None:
    rep.configure(signed_out_forms=True)
    client = rep.app.test_client()
    page = client.get(rep.brand.objection_path)
    form = only_form(page.text)
    assert form.by_label(EN_2025["email"]).attrs["value"] == ""  # nothing prefilled: nobody is signed in
    submit(client, form, {EN_2025["email"]: ALICE})
    [sent] = acct(rep)["objections"]
    assert sent["signed_in"] is False and rep.opted_out(ALICE)[FORM_ID] is True
    submit(client, only_form(client.get(rep.brand.objection_path).text), {EN_2025["email"]: "who@example.com"})
    assert [o["email"] for o in rep.state()["unmatched_objections"]] == ["who@example.com"]


# ---------------------------------------------------------------- switch_back_on, reset, endpoints

def test_switch_back_on_touches_nothing_and_reset_forgets(rep: MetaReplica) -> None:
    client, page = open_form(rep)
    submit(client, only_form(page.text))
    before = acct(rep)["objections"]
    assert rep.switch_back_on(ALICE) == [ALICE] and rep.switch_back_on() == [ALICE]
    assert acct(rep)["objections"] == before and rep.opted_out(ALICE)[FORM_ID] is True
    control = rep.app.test_client()
    assert control.post("/__replica__/switch_back_on", json={"email": ALICE}).get_json() == {"switched_on": [ALICE]}
    assert control.post("/__replica__/switch_back_on", json={"email": "x@example.com"}).status_code == 404
    with pytest.raises(KeyError):
        rep.switch_back_on("x@example.com")
    rep.configure(version="2024")
    rep.reset()
    assert acct(rep)["objections"] == [] and acct(rep)["sessions"] == 0 and rep.state()["variants"]["version"] == "2025"
    assert client.get(rep.brand.objection_path).status_code == 302  # the session is gone


def test_unknown_form_id_is_a_404(rep: MetaReplica) -> None:
    client = signed_in(rep)
    r = client.get(rep.brand.contact_prefix + "1234567890")
    assert r.status_code == 404 and forms(r.text) == []

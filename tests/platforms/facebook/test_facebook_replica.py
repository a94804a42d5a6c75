"""Tests of the Facebook replica alone (Flask's test client, no browser). The tests both Meta replicas
share come from tests/platforms/meta/shared_tests.py (run here against Facebook); below them, what only
Facebook has: the 2024 French form URL and the third-party form that must never be taken for the opt-out."""

from __future__ import annotations

import pytest

from tests.platforms.facebook.replica import FORM_2024_FR, FORM_2025, THIRD_PARTY, FacebookReplica
from tests.platforms.meta.shared_tests import (  # noqa: F401 (pytest collects the imported tests here)
    FORM_ID,
    acct,
    test_2024_form_asks_for_the_emailed_code,
    test_2024_form_needs_country_and_reason,
    test_2025_bad_email_stores_nothing,
    test_2025_form_sends_and_is_kept,
    test_a_form_drawn_for_an_ended_session_stores_nothing,
    test_account_options_are_checked,
    test_choices_variant_only_the_meta_ai_choice_opts_out,
    test_click_path_reaches_the_form,
    test_code_step_when_totp_is_set,
    test_defaults,
    test_delay_ms_delays_pages_not_control_endpoints,
    test_first_load_503_once,
    test_inputs_have_no_stable_ids_or_names,
    test_late_render_holds_the_form_in_a_template,
    test_outside_the_offered_regions_there_is_no_form,
    test_satisfies_the_interface,
    test_send_by_script_keeps_the_same_server_side,
    test_session_expired_once,
    test_signed_out_forms_variant,
    test_signed_out_visit_goes_to_sign_in_and_back,
    test_submit_error_after_store,
    test_submit_fails_once_stores_nothing,
    test_switch_back_on_touches_nothing_and_reset_forgets,
    test_unknown_form_id_is_a_404,
    test_wrong_password_and_unknown_email,
)
from tests.platforms.meta.testkit import (
    ALICE,
    CODE_LABEL,
    FR_2024,
    FR_2025,
    PW,
    SEND,
    alerts,
    confirmed_page,
    forms,
    next_of,
    only_form,
    signed_in,
    submit,
    visible_text,
)


@pytest.fixture
def rep() -> FacebookReplica:
    """A fresh Facebook replica (not served: the tests use Flask's test client) with Alice in France."""
    replica = FacebookReplica()
    replica.add_account(ALICE, PW)
    return replica


def test_paths_are_facebooks(rep: FacebookReplica) -> None:
    assert rep.brand.objection_path == FORM_2025 == "/help/contact/6359191084165019"
    r = rep.app.test_client().get(FORM_2025)
    assert r.headers["Location"].startswith("/login/?next=http%3A%2F%2Flocalhost%2Fhelp%2Fcontact%2F")
    client = signed_in(rep)
    assert client.get_cookie("xs").http_only and client.get_cookie("c_user").value.isdigit()
    assert 'lang="en"' in client.get(FORM_2025).text


def test_french_form_2025(rep: FacebookReplica) -> None:
    client = signed_in(rep)
    page = client.get(FORM_2024_FR)
    assert 'lang="fr"' in page.text
    form = only_form(page.text)
    assert form.buttons == [SEND["fr"]] and form.by_label(FR_2025["email"]).attrs["value"] == ALICE
    form.by_label(FR_2025["text"])
    r = submit(client, form)
    assert confirmed_page(r.text, "fr")
    [sent] = acct(rep)["objections"]
    assert sent["lang"] == "fr" and sent["form"] == FORM_2024_FR and rep.opted_out(ALICE)[FORM_ID] is True


def test_french_form_2024_with_code(rep: FacebookReplica) -> None:
    rep.configure(version="2024")
    client = signed_in(rep)
    form = only_form(client.get(FORM_2024_FR).text)
    assert ("FR", "France", False) in form.by_label(FR_2024["country"]).options
    r = submit(client, form, {FR_2024["country"]: "Allemagne", FR_2024["text"]: "Je refuse."})
    assert "code à 6 chiffres" in visible_text(r.text)
    r = submit(client, only_form(r.text), {CODE_LABEL["fr"]: rep.email_code(ALICE) or ""})
    assert confirmed_page(r.text, "fr")
    [sent] = acct(rep)["objections"]
    assert sent["country"] == "DE" and sent["country_label"] == "Allemagne" and sent["confirmed"] is True


def test_third_party_form_is_another_form(rep: FacebookReplica) -> None:
    client = signed_in(rep)
    page = client.get(THIRD_PARTY)
    assert "Data Subject Rights for Third Party Information Used for AI at Meta" in visible_text(page.text)
    form = only_form(page.text)
    request_label = "What would you like to do?"
    option = form.by_label(request_label).options[3][1]
    assert "Object" in option
    r = submit(client, form, {request_label: option, "Please provide the details of your request": "x"})
    assert r.status_code == 200 and "Thanks for contacting us" in visible_text(r.text)
    a = acct(rep)
    assert [f["request"] for f in a["third_party_forms"]] == ["tp_object"] and a["third_party_forms"][0]["text"] == "x"
    assert a["objections"] == [] and rep.opted_out(ALICE)[FORM_ID] is False
    r = submit(client, only_form(client.get(THIRD_PARTY).text))
    assert alerts(r.text) and len(acct(rep)["third_party_forms"]) == 1


def test_third_party_form_faults_and_gating(rep: FacebookReplica) -> None:
    # The objection form's faults are the objection form's: the third-party form loads as usual.
    client = signed_in(rep)
    rep.configure(first_load_503=True)
    assert client.get(THIRD_PARTY).status_code == 200
    assert client.get(FORM_2025).status_code == 503
    assert next_of(rep.app.test_client().get(THIRD_PARTY).headers["Location"]).endswith(THIRD_PARTY)
    rep.add_account("us@example.com", PW, region="US")
    assert forms(signed_in(rep, "us@example.com").get(THIRD_PARTY).text) == []


def test_ai_page_links_both_forms(rep: FacebookReplica) -> None:
    html = signed_in(rep).get("/privacy/genai/").text
    assert f'href="{FORM_2025}"' in html and f'href="{THIRD_PARTY}"' in html

"""Tests of the Instagram replica alone (Flask's test client, no browser). The tests both Meta replicas
share come from tests/platforms/meta/shared_tests.py (run here against Instagram); below them, what is
Instagram's own: its paths and cookies."""

from __future__ import annotations

import pytest

from tests.platforms.instagram.replica import FORM, InstagramReplica
from tests.platforms.meta.shared_tests import (  # noqa: F401 (pytest collects the imported tests here)
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
from tests.platforms.meta.testkit import ALICE, PW, signed_in


@pytest.fixture
def rep() -> InstagramReplica:
    """A fresh Instagram replica (not served: the tests use Flask's test client) with Alice in France."""
    replica = InstagramReplica()
    replica.add_account(ALICE, PW)
    return replica


def test_paths_are_instagrams(rep: InstagramReplica) -> None:
    assert rep.brand.objection_path == FORM == "/contact/767264225370182"
    r = rep.app.test_client().get(FORM)
    assert r.headers["Location"] == "/accounts/login/?next=%2Fcontact%2F767264225370182"  # a path, not a URL
    client = signed_in(rep)
    assert client.get_cookie("sessionid").http_only and client.get_cookie("ds_user_id").value.isdigit()
    # Facebook's forms are not Instagram's
    for path in ("/help/contact/6359191084165019", "/help/contact/712876720715583", "/help/contact/510058597920541"):
        assert client.get(path).status_code == 404
    assert "/help/contact/" not in client.get("/privacy/genai/").text

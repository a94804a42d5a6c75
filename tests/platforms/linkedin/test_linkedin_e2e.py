"""LinkedIn end to end: the real CLI drives real headless Chromium against the replica.

Every verdict comes from the replica's server-side state (what LinkedIn would hold), never from
what optout prints; the printed JSON is checked only for the contract's shape and agreement.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.platforms.linkedin.helpers import (
    FORM,
    GENAI,
    PASSWORD,
    USER,
    account_state,
    assert_proof,
    only,
    run,
    setup_account,
)


@pytest.mark.parametrize("variant", [
    {},
    {"markup": "sdui"},
    {"delay_ms": 300},
    {"first_load_503": True},
    {"save_fails_once": True},
    {"replace_node": True},
    {"remember_me": True},
    {"markup": "sdui", "replace_node": True, "late_render_ms": 2500},
], ids=lambda v: ",".join(f"{k}={val}" for k, val in v.items()) or "plain")
def test_genai_switched_off_and_verified(cli, linkedin, variant):
    setup_account(cli, linkedin)
    linkedin.configure(**variant)
    assert account_state(linkedin)["genai"] is True
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert result.code == 0, result.stderr
    row = only(result)
    assert (row["outcome"], row["before"], row["after"]) == ("changed", "on", "off")
    assert_proof(row)


def test_french_member(cli, linkedin):
    setup_account(cli, linkedin, lang="fr")
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert only(result)["outcome"] == "changed"


def test_french_member_newer_markup(cli, linkedin):
    setup_account(cli, linkedin, lang="fr")
    linkedin.configure(markup="sdui")
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert result.code == 0


def test_already_off_clicks_nothing(cli, linkedin):
    setup_account(cli, linkedin, genai=False)
    result = run(cli, linkedin)
    state = account_state(linkedin)
    assert state["genai"] is False
    assert state["save_requests"] == 0
    assert result.code == 0, result.stderr
    row = only(result)
    assert (row["outcome"], row["before"]) == ("already", "off")
    assert_proof(row)


def test_save_that_never_persists_is_failed_not_changed(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(save_never_persists=True)
    result = run(cli, linkedin)
    state = account_state(linkedin)
    assert state["genai"] is True
    assert state["save_requests"] >= 1
    assert result.code == 1
    row = only(result)
    assert row["outcome"] == "failed"
    assert row["after"] != "off"


@pytest.mark.parametrize("challenge", ["pin", "captcha", "email_pin"])
def test_challenge_headless_needs_human(cli, linkedin, challenge):
    setup_account(cli, linkedin, challenge=challenge)
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is True
    # the server really stopped at its challenge, still waiting for a person
    pending = linkedin.state()["pending_challenges"]
    assert [(c["email"], c["kind"], c["approved"]) for c in pending] == [(USER, challenge, False)], pending
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login linkedin {USER}" in row["message"]


def test_pin_challenge_passed_with_stored_totp(cli, linkedin):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    setup_account(cli, linkedin, challenge="pin", totp_secret=secret)
    assert cli("creds", "totp", "linkedin", USER, "--secret-stdin", input=secret + "\n").code == 0
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert result.code == 0


def test_region_without_the_setting_is_unavailable(cli, linkedin):
    setup_account(cli, linkedin, region="FR")
    result = run(cli, linkedin)
    assert result.code == 0, result.stderr
    row = only(result)
    assert row["outcome"] == "unavailable"
    assert account_state(linkedin)["save_requests"] == 0


def test_expired_session_signs_in_again(cli, linkedin):
    setup_account(cli, linkedin)
    assert run(cli, linkedin).code == 0  # signs in; the profile keeps the session
    linkedin.policy_update()
    linkedin.configure(session_expired_once=True)
    before = account_state(linkedin)["sign_ins"]
    result = run(cli, linkedin)
    state = account_state(linkedin)
    assert state["genai"] is False, result.stderr
    assert state["sign_ins"] == before + 1
    assert only(result)["outcome"] == "changed"


def test_kept_session_signs_in_once(cli, linkedin):
    setup_account(cli, linkedin)
    assert run(cli, linkedin).code == 0
    assert account_state(linkedin)["sign_ins"] == 1
    result = run(cli, linkedin)
    assert only(result)["outcome"] == "already"
    assert account_state(linkedin)["sign_ins"] == 1


def test_drift_found_then_fixed(cli, linkedin):
    setup_account(cli, linkedin)
    assert run(cli, linkedin).code == 0
    linkedin.policy_update()  # LinkedIn switches it back on
    assert account_state(linkedin)["genai"] is True
    saves = account_state(linkedin)["save_requests"]

    found = run(cli, linkedin, command="verify")
    assert found.code == 1
    assert only(found)["outcome"] == "drifted"
    assert account_state(linkedin)["genai"] is True  # verify alone changes nothing
    assert account_state(linkedin)["save_requests"] == saves

    fixed = run(cli, linkedin, "--fix", command="verify")
    assert account_state(linkedin)["genai"] is False, fixed.stderr
    assert fixed.code == 0
    assert only(fixed)["outcome"] == "changed"

    again = run(cli, linkedin, command="verify")
    assert (again.code, only(again)["outcome"]) == (0, "ok")


def test_wrong_password_is_an_error_and_not_hammered(cli, linkedin):
    linkedin.add_account(USER, PASSWORD, name="Alice Example")
    assert cli("creds", "set", "linkedin", USER, "--password-stdin", input="not-it\n").code == 0
    result = run(cli, linkedin)
    assert result.code == 1
    assert only(result)["outcome"] == "error"
    assert 1 <= account_state(linkedin)["failed_logins"] <= 2
    assert "not-it" not in result.stdout + result.stderr


def test_objection_form_sent_once_and_kept(cli, linkedin):
    setup_account(cli, linkedin)
    assert cli("account", "linkedin", USER, "--set", "name=Alice Example",
               "--set", "objection_details=Stop using my data for AI, please.").code == 0
    first = run(cli, linkedin, setting=FORM)
    forms = account_state(linkedin)["forms"]
    assert len(forms) == 1, first.stderr
    sent = forms[0]["fields"]
    assert sent["name"] == "Alice Example"
    assert sent["email"] == USER
    assert sent["details"] == "Stop using my data for AI, please."
    assert "non-generative" in sent["objection_label"].lower() or "ai" in sent["objection_label"].lower()
    assert first.code == 0
    row = only(first)
    assert row["outcome"] == "changed"
    assert_proof(row)
    case = str(forms[0].get("case") or forms[0].get("case_number") or "")
    assert case and row["details"].get("case") == case

    second = run(cli, linkedin, setting=FORM)
    assert len(account_state(linkedin)["forms"]) == 1
    assert (second.code, only(second)["outcome"]) == (0, "already")

    resent = run(cli, linkedin, "--resend", setting=FORM)
    assert len(account_state(linkedin)["forms"]) == 2
    assert only(resent)["outcome"] == "changed"


def test_run_all_does_both_settings_and_records_them(cli, linkedin):
    setup_account(cli, linkedin)
    assert cli("account", "linkedin", USER, "--set", "name=Alice Example").code == 0  # the form's name
    result = cli("run", "--all", "--json", "--base-url", f"linkedin={linkedin.url}")
    assert result.code == 0, result.stderr
    state = account_state(linkedin)
    assert state["genai"] is False and len(state["forms"]) == 1
    rows = {r["setting"]: r for r in result.json()}
    assert set(rows) == {GENAI, FORM}
    for row in rows.values():
        assert {"platform", "account", "setting", "outcome", "before", "after", "proof", "sha256", "at",
                "message"} <= set(row)
        assert row["at"].endswith("Z")
    db = sqlite3.connect(cli.home / "ledger.sqlite3")
    assert db.execute("select count(*) from results").fetchone()[0] == 2
    status = cli("status", "--json")
    assert {r["setting"] for r in status.json()} == {GENAI, FORM}


def test_moved_deep_link_falls_back_to_the_click_path(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(deep_link_moved=True)
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed")


def test_moved_deep_link_and_categories_use_the_me_menu(cli, linkedin):
    setup_account(cli, linkedin, lang="fr")
    linkedin.configure(deep_link_moved=True, category_moved=True, markup="sdui")
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed")
    # verify finds it through the same path, read-only
    again = run(cli, linkedin, command="verify")
    assert (again.code, only(again)["outcome"]) == (0, "ok")


def test_revoked_session_signs_in_again(cli, linkedin):
    setup_account(cli, linkedin)
    assert run(cli, linkedin).code == 0
    linkedin.policy_update()
    assert linkedin.revoke_sessions(USER) >= 1
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert account_state(linkedin)["sign_ins"] == 2


def test_login_form_on_another_origin_gets_nothing(cli, linkedin):
    from tests.platforms.linkedin.foreign import ForeignLoginSite
    from tests.replicas.server import ReplicaServer

    site = ForeignLoginSite()
    with ReplicaServer(site.app) as foreign:
        # localhost, not 127.0.0.1: another origin that also does not share the replica's cookies
        lookalike = foreign.url.replace("127.0.0.1", "localhost") + "/login"
        setup_account(cli, linkedin)
        linkedin.configure(foreign_login=lookalike)
        result = run(cli, linkedin)
        assert result.code == 1
        row = only(result)
        assert row["outcome"] == "error"
        assert "refusing" in row["message"] and "localhost" in row["message"]
        assert not [r for r in site.requests if r["method"] == "POST" or r.get("form")]
        assert PASSWORD not in repr(site.requests) and USER not in repr(site.requests)
    assert account_state(linkedin)["genai"] is True


def test_authwall_instead_of_the_login_redirect(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(authwall=True)
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert result.code == 0


def test_older_release_french_wording_through_the_me_menu(cli, linkedin):
    setup_account(cli, linkedin, lang="fr")
    linkedin.configure(older_release=True, deep_link_moved=True, category_moved=True)
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed")


def test_eu_member_after_november_2025_has_the_setting(cli, linkedin):
    setup_account(cli, linkedin, region="FR", lang="fr")
    linkedin.configure(region_gate=False)
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert only(result)["outcome"] == "changed"

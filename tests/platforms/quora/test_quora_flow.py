"""Quora end to end: flows/quora.yaml through the real CLI and headless Chromium, on the replica.

Every verdict comes from the replica's server-side state (the switch's value, the four neighbouring
switches, the save, sign-in and challenge counters, the pages asked for), never from what optout
prints; the outcome word and exit code are checked besides. The flow was written from
shared/platforms/quora.md alone: the deep link is unsure (it may 404 or lead elsewhere: then the
click path from the home page's profile menu), the sign-in is not in the research (one page or two
screens, a code or a captcha for a person). The generic run → drift → verify --fix life is
tests/test_every_flow.py's.
"""

from __future__ import annotations

import pyotp

PLATFORM = "quora"
USER = "alice@example.com"
PASSWORD = "Quora-pw-4-tests"
SETTING = "llm-training"
NEIGHBOURS = {"search_index": True, "translation": True, "digest": True, "messages": False}


def state(replica, email: str = USER) -> dict:
    return replica.state()["accounts"][email]


def add(cli, replica, email: str = USER, password: str = PASSWORD, **account) -> None:
    replica.add_account(email, password, **account)
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, replica, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--base-url", f"{PLATFORM}={replica.url}", "--setting", SETTING, *extra)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def neighbours_untouched(replica, email: str = USER) -> None:
    """The other privacy switches hold their values and were never saved."""
    acct = state(replica, email)
    assert acct["settings"] == NEIGHBOURS, acct["settings"]
    assert acct["other_saves"] == 0


def no_federated_sign_in(replica) -> None:
    asked = replica.state()["page_requests"]
    assert not [path for path in asked if path.startswith("/login/federated")], asked


def test_switched_off_by_the_deep_link_then_already_off(cli, quora):
    add(cli, quora)  # the switch On (the replica's default), the one-page sign-in at /login
    result = optout(cli, quora)
    acct = state(quora)
    assert acct["llm_training"] is False, result.stderr
    assert quora.opted_out(USER) == {SETTING: True}
    assert (acct["sign_ins"], acct["failed_logins"], acct["saves"]) == (1, 0, 1)
    neighbours_untouched(quora)
    no_federated_sign_in(quora)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"

    # again, on the kept session: already off, no save sent, no new sign-in
    result = optout(cli, quora)
    acct = state(quora)
    assert (acct["llm_training"], acct["saves"], acct["sign_ins"]) == (False, 1, 1)
    neighbours_untouched(quora)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "already"


def test_deep_link_404_click_path_through_the_profile_menu_and_faults(cli, quora):
    add(cli, quora)
    # the deep link is a 404: home → profile menu → Settings → Privacy; signed-out visitors land
    # on the home page's form, on two screens; a late render, replaced nodes, a failed save once
    quora.configure(deep_link="404", signin_page="landing", two_step_signin=True, late_render_ms=1500,
                    replace_node=True, save_fails_once=True)
    result = optout(cli, quora)
    acct = state(quora)
    assert acct["llm_training"] is False, result.stderr
    assert (acct["sign_ins"], acct["failed_logins"]) == (1, 0)
    assert acct["saves"] == 2  # the one that failed, and the one that held
    neighbours_untouched(quora)
    no_federated_sign_in(quora)
    assert quora.state()["page_requests"].get("/settings/privacy-and-data", 0) >= 1
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_already_off_via_the_click_path_unnamed_switch_after_the_session_expired(cli, quora):
    add(cli, quora, llm_training=False)
    # the deep link leads to Settings' Account tab; the switches are named only by the text beside them
    quora.configure(deep_link="settings", switch_unnamed=True, session_expired_once=True, delay_ms=200)
    result = optout(cli, quora)
    acct = state(quora)
    assert (acct["llm_training"], acct["saves"]) == (False, 0)
    assert acct["sign_ins"] == 2  # signed in, the session ended once, signed in again
    neighbours_untouched(quora)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "already"


def test_authenticator_code_from_the_stored_secret_then_a_503_once(cli, quora):
    secret = pyotp.random_base32()
    add(cli, quora, totp_secret=secret)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=secret + "\n").code == 0
    quora.configure(switch_unnamed=True, first_load_503=True)
    result = optout(cli, quora)
    acct = state(quora)
    assert acct["llm_training"] is False, result.stderr
    assert (acct["sign_ins"], acct["failed_challenges"], acct["saves"]) == (1, 0, 1)
    neighbours_untouched(quora)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_emailed_code_needs_a_person(cli, quora):
    add(cli, quora, challenge="email_code")
    result = optout(cli, quora)
    acct = state(quora)
    assert (acct["llm_training"], acct["saves"], acct["failed_challenges"]) == (True, 0, 0)
    assert acct["codes_sent"] >= 1 and acct["sessions"] == 0
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login {PLATFORM} {USER}" in row["message"]


def test_captcha_needs_a_person(cli, quora):
    add(cli, quora)
    quora.configure(captcha=True)
    result = optout(cli, quora)
    acct = state(quora)
    assert (acct["llm_training"], acct["saves"], acct["failed_challenges"]) == (True, 0, 0)
    assert acct["sessions"] == 0
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert "captcha" in row["message"]


def test_a_save_that_never_holds_is_failed_never_changed(cli, quora):
    add(cli, quora)
    quora.configure(save_never_persists=True)
    result = optout(cli, quora)
    acct = state(quora)
    assert acct["llm_training"] is True
    assert acct["saves"] >= 1
    neighbours_untouched(quora)
    assert result.code == 1, result.stderr
    assert only(result)["outcome"] == "failed"


def test_a_privacy_page_without_the_switch_is_broken_never_unavailable(cli, quora):
    # the md knows no sign of an account without the setting: a missing switch may still be On
    add(cli, quora, available=False)
    result = optout(cli, quora)
    acct = state(quora)
    assert (acct["llm_training"], acct["saves"]) == (True, 0)
    neighbours_untouched(quora)
    assert result.code == 1, result.stderr
    assert only(result)["outcome"] == "broken"

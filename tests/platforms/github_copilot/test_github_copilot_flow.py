"""GitHub Copilot end to end: flows/github-copilot.yaml through the real CLI and headless Chromium,
on the replica.

Every verdict comes from the replica's server-side state (the training value, the neighbours'
values and change counters, the save and sign-in counters), never from what optout prints; the
outcome word and exit code are checked besides. The flow was written from
shared/platforms/github-copilot.md alone, where the control is a switch OR a select (option labels
unknown) and Features a tab or a page of its own: each way is run here. The generic run → drift →
verify --fix life is tests/test_every_flow.py's.
"""

from __future__ import annotations

import pyotp

PLATFORM = "github-copilot"
USER = "alice@example.com"
PASSWORD = "GitHub-pw-4-tests"
SETTING = "model-training"
NEIGHBOURS = {"github_com": True, "web_search": True, "public_code": False}


def state(replica, email: str = USER) -> dict:
    return replica.state()["accounts"][email]


def add(cli, replica, email: str = USER, password: str = PASSWORD, **account) -> None:
    """The member on the replica, and the account in optout."""
    replica.add_account(email, password, **account)
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, replica, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--base-url", f"{PLATFORM}={replica.url}", "--setting", SETTING, *extra)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def neighbours_untouched(acct: dict) -> None:
    """The other Copilot settings on the page hold their values, and no save changed any of them."""
    assert acct["settings"] == NEIGHBOURS, acct["settings"]
    assert not any(acct["settings_changes"].values()), acct["settings_changes"]


def test_select_with_save_button_disabled_then_found_already_off(cli, github_copilot):
    add(cli, github_copilot)  # a Free member: the select "Enabled", a Save button for the form
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert acct["model_training"] is False, result.stderr
    assert github_copilot.opted_out(USER) == {SETTING: True}
    assert (acct["sign_ins"], acct["failed_logins"], acct["saves"]) == (1, 0, 1)
    neighbours_untouched(acct)
    assert result.code == 0, result.stderr
    row = only(result)
    assert (row["outcome"], row["before"], row["after"]) == ("changed", "on", "off")

    # again, on the kept session: already off, no save sent, no new sign-in
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert (acct["model_training"], acct["saves"], acct["sign_ins"]) == (False, 1, 1)
    neighbours_untouched(acct)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "already"


def test_switch_older_label_authenticator_code_and_faults(cli, github_copilot):
    secret = pyotp.random_base32()
    add(cli, github_copilot, plan="pro", totp_secret=secret)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=secret + "\n").code == 0
    # a switch that saves at once, the earlier "code snippets" wording, a 503 once, a late form,
    # nodes replaced after render and after a save, the first save failing
    github_copilot.configure(control="switch", older_release=True, first_load_503=True, late_render_ms=1500,
                             replace_node=True, save_fails_once=True)
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert acct["model_training"] is False, result.stderr
    assert (acct["sign_ins"], acct["failed_logins"], acct["failed_challenges"]) == (1, 0, 0)
    assert acct["saves"] == 2  # the one that failed, and the one that held
    neighbours_untouched(acct)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_features_page_of_its_own_allowed_blocked_select_without_save_after_session_expired(cli, github_copilot):
    add(cli, github_copilot, plan="pro_plus")
    github_copilot.configure(features_page=True, option_labels="allowed", save_button=False,
                             session_expired_once=True, delay_ms=200)
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert acct["model_training"] is False, result.stderr
    assert acct["saves"] == 1
    assert acct["sign_ins"] == 2  # signed in, the session ended once, signed in again
    neighbours_untouched(acct)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_emailed_device_verification_needs_a_person(cli, github_copilot):
    add(cli, github_copilot, device_verification=True)
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert acct["codes_sent"] == 1  # the server is waiting for the emailed code
    assert (acct["sign_ins"], acct["failed_challenges"], acct["saves"]) == (0, 0, 0)  # no code guessed
    assert acct["model_training"] is True
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login {PLATFORM} {USER}" in row["message"]
    assert "emailed" in row["message"]


def test_business_member_is_unavailable_and_nothing_saved(cli, github_copilot):
    add(cli, github_copilot, plan="business")
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert acct["model_training_offered"] is False
    assert acct["saves"] == 0
    neighbours_untouched(acct)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "unavailable"


def test_a_save_that_never_holds_is_failed_never_changed(cli, github_copilot):
    add(cli, github_copilot)
    github_copilot.configure(save_never_persists=True)
    result = optout(cli, github_copilot)
    acct = state(github_copilot)
    assert acct["model_training"] is True
    assert acct["saves"] >= 2  # tried again after each reload showed it Enabled
    neighbours_untouched(acct)
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "failed"
    assert row["after"] != "off"

"""Microsoft Copilot end to end: flows/copilot.yaml through the real CLI and headless Chromium, on the replica.

Every verdict comes from the replica's server-side state (the two training switches, their
neighbours, the save, sign-in and code counters), never from what optout prints; the outcome word
and exit code are checked besides. The flow knows no settings URL: it goes by the click paths from
the home page every time (profile picture -> Settings -> Privacy on the web, the mobile app's
Settings -> Account -> Privacy -> Model training). Several accounts share one run where the
checks allow it (`--jobs 1`): each optout run starts Chromium. The generic run -> drift ->
verify --fix life is tests/test_every_flow.py's.
"""

from __future__ import annotations

import pyotp

PLATFORM = "copilot"
ALICE = "alice@example.com"
BOB = "bob@example.com"
PASSWORD = "Copilot-pw-4-tests"
TEXT, VOICE = "text-training", "voice-training"
NEIGHBOURS = {"personalization": True, "adPersonalization": True}


def state(replica, email: str = ALICE) -> dict:
    return replica.state()["accounts"][email]


def add(cli, replica, email: str = ALICE, password: str = PASSWORD, stored: str | None = None,
        totp: str | None = None, **account) -> None:
    """The member on the replica, and the account in optout (its password, and its authenticator
    secret when given; an account the replica gives a TOTP step may be stored without one)."""
    replica.add_account(email, password, **account)
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=(stored or password) + "\n")
    assert result.code == 0, result.stderr
    if totp:
        result = cli("creds", "totp", PLATFORM, email, "--secret-stdin", input=totp + "\n")
        assert result.code == 0, result.stderr


def optout(cli, replica, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--jobs", "1", "--base-url", f"{PLATFORM}={replica.url}", *extra)


def outcomes(result, email: str = ALICE) -> dict[str, str]:
    rows = [row for row in result.json() if row["account"] == email]
    return {row["setting"]: row["outcome"] for row in rows}


def test_password_sign_in_turns_both_off_then_already(cli, copilot):
    add(cli, copilot)  # a password sign-in; both switches On (the default)
    copilot.configure(stay_signed_in=True)  # login.live.com's "Stay signed in?" after the password

    result = optout(cli, copilot)
    acct = state(copilot)
    assert (acct["text_training"], acct["voice_training"]) == (False, False), result.stderr
    assert copilot.opted_out(ALICE) == {TEXT: True, VOICE: True}
    assert acct["settings"] == NEIGHBOURS  # "Personalization and memory", "Ad personalization" untouched
    assert (acct["saves"], acct["sign_ins"], acct["failed_logins"], acct["codes_sent"]) == (2, 1, 0, 0)
    assert result.code == 0, result.stderr
    assert outcomes(result) == {TEXT: "changed", VOICE: "changed"}

    # again: both already off, no save sent, the kept session served (no new sign-in)
    result = optout(cli, copilot)
    acct = state(copilot)
    assert (acct["text_training"], acct["voice_training"]) == (False, False)
    assert (acct["saves"], acct["sign_ins"]) == (2, 1)
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert outcomes(result) == {TEXT: "already", VOICE: "already"}


def test_a_texted_code_or_an_app_approval_offered_first_uses_the_password_instead(cli, copilot):
    # Microsoft may offer a code or an app approval first, with "Use your password instead":
    # the stored password is used, no person is needed
    add(cli, copilot, ALICE, signin="sms_code")
    add(cli, copilot, BOB, signin="app")
    copilot.configure(stay_signed_in=True)
    result = optout(cli, copilot)
    for email in (ALICE, BOB):
        acct = state(copilot, email)
        assert (acct["text_training"], acct["voice_training"]) == (False, False), result.stderr
        assert (acct["saves"], acct["sign_ins"], acct["failed_logins"]) == (2, 1, 0)
        assert acct["settings"] == NEIGHBOURS
        assert outcomes(result, email) == {TEXT: "changed", VOICE: "changed"}
    assert BOB not in copilot.state()["pending_approvals"]  # nothing left waiting on his phone
    assert result.code == 0, result.stderr


def test_authenticator_code_submenu_late_render_replaced_nodes_and_a_save_failing_once(cli, copilot):
    secret = pyotp.random_base32()
    # Alice: a password then an authenticator code (secret stored); initials instead of a photo
    add(cli, copilot, ALICE, totp=secret, totp_secret=secret, photo=False)
    # Bob: the same step, but optout holds no secret: a person must type the code
    add(cli, copilot, BOB, totp_secret=pyotp.random_base32())
    # "Settings" opens a submenu, the switches drawn late and replaced by equal nodes, the first
    # save answering 500 (the page puts the switch back)
    copilot.configure(settings_menu="submenu", late_render_ms=1500, replace_node=True, save_fails_once=True)
    result = optout(cli, copilot)

    acct = state(copilot, ALICE)
    assert (acct["text_training"], acct["voice_training"]) == (False, False), result.stderr
    assert copilot.opted_out(ALICE) == {TEXT: True, VOICE: True}
    assert (acct["sign_ins"], acct["failed_logins"], acct["failed_challenges"]) == (1, 0, 0)
    assert acct["saves"] == 3  # the one that failed, and the two that held
    assert acct["settings"] == NEIGHBOURS
    assert outcomes(result, ALICE) == {TEXT: "changed", VOICE: "changed"}

    bob = state(copilot, BOB)
    assert (bob["text_training"], bob["voice_training"]) == (True, True)
    assert (bob["sign_ins"], bob["sessions"], bob["failed_challenges"], bob["saves"]) == (0, 0, 0, 0)
    assert bob["settings"] == NEIGHBOURS
    rows = [row for row in result.json() if row["account"] == BOB]
    assert rows and all(row["outcome"] == "needs_human" for row in rows), rows
    assert f"optout login {PLATFORM} {BOB}" in rows[0]["message"]
    assert result.code == 3, result.stderr


def test_the_mobile_apps_path_a_503_once_and_a_session_ended_once(cli, copilot):
    add(cli, copilot)
    # Settings -> Account -> Privacy -> Model training (no Privacy section of its own); the page of
    # the switches a 503 once; the first settings page ends the session (signed in again)
    copilot.configure(mobile_path=True, first_load_503=True, session_expired_once=True)
    result = optout(cli, copilot)
    acct = state(copilot)
    assert (acct["text_training"], acct["voice_training"]) == (False, False), result.stderr
    assert copilot.opted_out(ALICE) == {TEXT: True, VOICE: True}
    assert acct["saves"] == 2
    assert (acct["sign_ins"], acct["failed_logins"]) == (2, 0)  # signed in, ended once, signed in again
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert outcomes(result) == {TEXT: "changed", VOICE: "changed"}


def test_not_offered_is_unavailable_and_a_save_that_never_holds_is_failed(cli, copilot):
    # Alice: Privacy with its neighbours but without the two switches (region): unavailable.
    add(cli, copilot, ALICE, available=False)
    # Bob: the saves answer 200 and the page shows Off, the server keeps On: failed, never changed
    add(cli, copilot, BOB)
    copilot.configure(save_never_persists=True)
    result = optout(cli, copilot, "run", "--setting", TEXT)

    alice = state(copilot, ALICE)
    assert (alice["text_training_available"], alice["voice_training_available"]) == (False, False)
    assert (alice["saves"], alice["sign_ins"]) == (0, 1)
    assert alice["settings"] == NEIGHBOURS
    assert outcomes(result, ALICE) == {TEXT: "unavailable"}

    bob = state(copilot, BOB)
    assert (bob["text_training"], bob["voice_training"]) == (True, True)
    assert copilot.opted_out(BOB) == {TEXT: False, VOICE: False}
    assert bob["saves"] >= 1
    assert bob["settings"] == NEIGHBOURS
    assert outcomes(result, BOB) == {TEXT: "failed"}
    assert result.code == 1, result.stderr


def test_a_wrong_password_is_typed_once_and_nothing_changes(cli, copilot):
    add(cli, copilot, stored="not-the-password")
    result = optout(cli, copilot, "run", "--setting", VOICE)
    acct = state(copilot)
    assert (acct["failed_logins"], acct["sign_ins"], acct["saves"]) == (1, 0, 0)
    assert (acct["text_training"], acct["voice_training"]) == (True, True)
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 1, result.stderr
    rows = result.json()
    assert [row["outcome"] for row in rows] == ["error"], rows
    assert "rejected" in rows[0]["message"]

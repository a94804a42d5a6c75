"""flows/gemini.yaml end to end: the real CLI drives headless Chromium against the Gemini replica.

Every verdict comes from the replica's server side (what Google would hold: Keep activity, the audio
item, the stored activity, the auto-delete choice, the save counters), never from what optout
prints; the outcome word and exit code are checked only besides. The generic run → switch back on
→ verify → verify --fix cycle is tests/test_every_flow.py's; it is not repeated here.
"""

from __future__ import annotations

import threading
import time

import pyotp

USER = "alice@example.com"
PASSWORD = "c0rrect-Horse-battery"
KEEP, AUDIO = "keep-activity", "audio-training"
ITEMS = 12


def setup(cli, gemini, **account) -> None:
    gemini.add_account(USER, PASSWORD, name="Alice Example", activity_items=ITEMS, **account)
    result = cli("creds", "set", "gemini", USER, "--password-stdin", input=PASSWORD + "\n")
    assert result.code == 0, result.stderr


def run(cli, gemini, *extra: str, command: str = "run"):
    return cli(command, "gemini", "--json", "--base-url", f"gemini={gemini.url}", *extra)


def acct(gemini) -> dict:
    return gemini.state()["accounts"][USER]


def outcomes(result) -> dict[str, str]:
    return {row["setting"]: row["outcome"] for row in result.json()}


def assert_nothing_else_touched(state: dict) -> None:
    """The neighbours: stored activity kept, the auto-delete choice never saved."""
    assert state["activity_items"] == ITEMS and state["deletions"] == 0 and not state["activity_deleted"], state
    assert state["auto_delete_saves"] == 0 and state["auto_delete_months"] == 18, state


def test_turned_off_without_deleting_through_faults(cli, gemini):
    """The chip's "Turn off" (never "… and delete activity"), with "Got it", a late card, nodes
    replaced, a 503 page once and a session that ends once; the audio item (default unchecked)
    is only confirmed: no save for it."""
    setup(cli, gemini)
    gemini.configure(confirm_dialog=True, late_render_ms=1500, replace_node=True, first_load_503=True,
                     session_expired_once=True)
    result = run(cli, gemini)
    state = acct(gemini)
    assert gemini.opted_out(USER) == {KEEP: True, AUDIO: True}, result.stderr
    assert state["keep_activity_saves"] == 1 and state["audio_saves"] == 0, state
    assert_nothing_else_touched(state)
    assert result.code == 0, result.stderr
    assert outcomes(result) == {KEEP: "changed", AUDIO: "already"}


def test_delete_activity_only_when_asked(cli, gemini):
    """--delete-activity chooses "Turn off and delete activity" and its second step: the server's
    stored activity is gone (the test above shows it is kept without the flag)."""
    setup(cli, gemini)
    result = run(cli, gemini, "--setting", KEEP, "--delete-activity")
    state = acct(gemini)
    assert state["keep_activity"] is False, result.stderr
    assert state["activity_items"] == 0 and state["activity_deleted"], state
    assert state["auto_delete_saves"] == 0 and state["audio_saves"] == 0, state
    assert result.code == 0, result.stderr
    assert outcomes(result) == {KEEP: "changed"}


def test_older_page_switch_with_pause_and_a_save_failing_once(cli, gemini):
    """The older release: a switch whose dialog offers "Pause", then "Got it"; the first save
    answers 500 and the change is tried again."""
    setup(cli, gemini)
    gemini.configure(older_release=True, older_confirm="pause", save_fails_once=True)
    result = run(cli, gemini)
    state = acct(gemini)
    assert gemini.opted_out(USER) == {KEEP: True, AUDIO: True}, result.stderr
    assert state["keep_activity_saves"] >= 2 and state["audio_saves"] == 0, state
    assert_nothing_else_touched(state)
    assert result.code == 0, result.stderr
    assert outcomes(result) == {KEEP: "changed", AUDIO: "already"}


def test_totp_sign_in_already_off_and_audio_unchecked(cli, gemini):
    """An authenticator code from the stored secret; Keep activity already off (no save sent), the
    audio item checked (unchecked, and saved once)."""
    secret = pyotp.random_base32()
    setup(cli, gemini, totp_secret=secret, keep_activity=False, audio_training=True)
    assert cli("creds", "totp", "gemini", USER, "--secret-stdin", input=secret + "\n").code == 0
    result = run(cli, gemini)
    state = acct(gemini)
    assert gemini.opted_out(USER) == {KEEP: True, AUDIO: True}, result.stderr
    assert state["keep_activity_saves"] == 0 and state["audio_saves"] == 1, state
    assert state["sign_ins"] == 1 and state["failed_challenges"] == 0, state
    assert_nothing_else_touched(state)
    assert result.code == 0, result.stderr
    assert outcomes(result) == {KEEP: "already", AUDIO: "changed"}


def test_phone_approval_is_waited_for(cli, gemini):
    """The "Check your phone" step: the run waits (--wait) while the person approves on the phone."""
    setup(cli, gemini, phone_approval=True)
    approved = threading.Event()

    def person() -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not approved.is_set():
            if any(p["email"] == USER and p["stage"] == "dp" for p in gemini.state()["pending_sign_ins"]):
                time.sleep(1.0)  # a person reads the phone
                if gemini.approve(USER):
                    approved.set()
            time.sleep(0.3)

    helper = threading.Thread(target=person, daemon=True)
    helper.start()
    result = run(cli, gemini, "--setting", KEEP, "--wait", "60")
    helper.join(timeout=5)
    assert approved.is_set(), "the run never reached the phone step"
    assert acct(gemini)["keep_activity"] is False, result.stderr
    assert result.code == 0, result.stderr


def test_browser_not_secure_needs_a_person(cli, gemini):
    """Google refuses the browser after the email: a person, and no password typed anywhere."""
    setup(cli, gemini)
    gemini.configure(browser_not_secure=True)
    result = run(cli, gemini, "--setting", KEEP)
    state = acct(gemini)
    assert state["refused"] >= 1 and state["sign_ins"] == 0 and state["failed_logins"] == 0, state
    assert state["keep_activity"] is True and state["saves"] == 0, state
    assert result.code == 3, result.stderr
    assert outcomes(result) == {KEEP: "needs_human"}


def test_save_that_never_persists_is_failed(cli, gemini):
    setup(cli, gemini)
    gemini.configure(save_never_persists=True)
    result = run(cli, gemini, "--setting", KEEP)
    state = acct(gemini)
    assert state["keep_activity"] is True and state["keep_activity_saves"] >= 1, state
    assert_nothing_else_touched(state)
    assert result.code == 1, result.stderr
    assert outcomes(result) == {KEEP: "failed"}


def test_workspace_admin_decides_is_unavailable(cli, gemini):
    """The positive sign: the page says the organisation's administrator manages the setting."""
    setup(cli, gemini, workspace_locked=True)
    result = run(cli, gemini)
    state = acct(gemini)
    assert state["saves"] == 0 and state["keep_activity"] is True, state
    assert result.code == 0, result.stderr
    assert outcomes(result) == {KEEP: "unavailable", AUDIO: "unavailable"}

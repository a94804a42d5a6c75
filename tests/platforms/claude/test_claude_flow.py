"""Claude end to end: flows/claude.yaml through the real CLI and headless Chromium, on the replica.

Every verdict comes from the replica's server-side state (the switch, the terms modal's recorded
answer, the counters), never from what optout prints; the outcome word and exit code are checked
besides. The replica's default member signs in by an emailed code, which a run cannot pass: the
kept-session path is covered by signing a browser profile in as a person would in `optout login`
(Selenium on the very profile folder optout uses, the code read from the replica's mailbox).
The generic run → drift → verify --fix life is tests/test_every_flow.py's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

USER = "alice@example.com"
PASSWORD = "Claude-pw-4-tests"
SETTING = "help-improve"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def state(replica, email: str = USER) -> dict:
    return replica.state()["accounts"][email]


def add(cli, replica, email: str = USER, password: str = PASSWORD, **account) -> None:
    """The member on the replica, and the account in optout (a password is stored even for a
    sign-in by code: optout knows its accounts by `creds set`; the replica ignores it then)."""
    replica.add_account(email, password, **account)
    result = cli("creds", "set", "claude", email, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, replica, command: str = "run", *extra: str):
    return cli(command, "claude", "--json", "--base-url", f"claude={replica.url}", "--setting", SETTING, *extra)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def profile_of(cli, replica, email: str = USER) -> Path:
    """The profile folder optout will use for this account and --base-url, asked of optout itself
    in the CLI's own environment (OPTOUT_HOME, XDG folders)."""
    code = ("import sys; from optout.config import profile_dir; "
            "print(profile_dir('claude', sys.argv[1], sys.argv[2]))")
    proc = subprocess.run([sys.executable, "-c", code, email, replica.url], capture_output=True, text=True,
                          env=cli.env, cwd=ROOT, timeout=60, check=True)
    return Path(proc.stdout.strip())


def sign_in_by_hand(cli, replica, email: str = USER) -> None:
    """What a person does in `optout login claude USER`: on optout's profile folder, type the
    email, read the code from the mailbox, type it, and close the browser (the session is kept)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from optout.backends.base import BrowserOptions, chrome_options
    from optout.backends.local import chromedriver_path, chromium_path

    options = chrome_options(BrowserOptions(profile_dir=profile_of(cli, replica, email)), chromium_path())
    driver = webdriver.Chrome(service=Service(chromedriver_path()), options=options)
    try:
        wait = WebDriverWait(driver, 30)
        driver.get(replica.url + "/login")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[type='email']"))[0].send_keys(email)
        driver.find_element(By.XPATH, "//button[normalize-space()='Continue with email']").click()
        field = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[autocomplete='one-time-code']"))[0]
        code = wait.until(lambda d: replica.email_code(email))
        field.send_keys(code)
        driver.find_element(By.XPATH, "//button[normalize-space()='Verify email address']").click()
        wait.until(lambda d: "/login" not in d.current_url)
    finally:
        driver.quit()
    assert state(replica, email)["sign_ins"] == 1


def test_kept_session_is_used_and_the_switch_turned_off(cli, claude):
    add(cli, claude)  # signs in by an emailed code only
    sign_in_by_hand(cli, claude)
    codes = state(claude)["codes_sent"]

    result = optout(cli, claude)
    acct = state(claude)
    assert acct["help_improve"] is False, result.stderr
    assert claude.opted_out(USER) == {SETTING: True}
    # the kept session served: nothing typed, no new code asked for, no sign-in
    assert (acct["sign_ins"], acct["codes_sent"], acct["failed_logins"]) == (1, codes, 0)
    assert acct["settings"] == {"location_metadata": True}  # the neighbouring switch untouched
    assert acct["saves"] == 1
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"

    # again: already off, nothing sent
    result = optout(cli, claude)
    acct = state(claude)
    assert (acct["help_improve"], acct["saves"], acct["sign_ins"]) == (False, 1, 1)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "already"


def test_sign_in_by_code_without_a_session_needs_a_person(cli, claude):
    add(cli, claude)
    result = optout(cli, claude)
    acct = state(claude)
    # the server stopped at its code step: a code was sent, nobody typed it, nothing changed
    assert acct["codes_sent"] == 1
    assert (acct["sign_ins"], acct["failed_logins"], acct["saves"]) == (0, 0, 0)
    assert acct["help_improve"] is True
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login claude {USER}" in row["message"]


def test_terms_modal_answered_off_with_a_password_and_totp_sign_in_and_the_newer_label(cli, claude):
    add(cli, claude, signin="password", terms_answered=False, totp_secret=TOTP_SECRET)
    assert cli("creds", "totp", "claude", USER, "--secret-stdin", input=TOTP_SECRET + "\n").code == 0
    claude.configure(newer_release=True)  # "Help improve our AI models", on the page and in the modal
    assert state(claude)["terms_pending"] is True
    result = optout(cli, claude)
    acct = state(claude)
    assert (acct["terms_pending"], acct["terms_answer"], acct["terms_deferred"]) == (False, "off", 0), result.stderr
    assert acct["help_improve"] is False
    assert claude.opted_out(USER) == {SETTING: True}
    # the password and the authenticator code typed, once each
    assert (acct["sign_ins"], acct["failed_logins"], acct["failed_challenges"]) == (1, 0, 0)
    assert acct["settings"] == {"location_metadata": True}
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_verify_never_answers_the_modal_and_verify_fix_answers_it_off(cli, claude):
    add(cli, claude, terms_answered=False)
    sign_in_by_hand(cli, claude)  # the kept session, and the modal still pending
    result = optout(cli, claude, "verify")
    acct = state(claude)
    # not accepted, not put off with "Not now", the switch as it was
    assert (acct["terms_pending"], acct["terms_answer"], acct["terms_deferred"]) == (True, None, 0)
    assert (acct["help_improve"], acct["saves"]) == (True, 0)
    assert result.code == 1, result.stderr
    assert only(result)["outcome"] == "drifted"

    result = optout(cli, claude, "verify", "--fix")
    acct = state(claude)
    assert (acct["terms_pending"], acct["terms_answer"]) == (False, "off"), result.stderr
    assert acct["help_improve"] is False
    assert claude.opted_out(USER) == {SETTING: True}
    assert acct["sign_ins"] == 1  # the kept session again
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_faults_expired_session_late_render_replaced_node_and_a_failed_save(cli, claude):
    add(cli, claude, signin="password")
    claude.configure(session_expired_once=True, first_load_503=True, late_render_ms=1500,
                     replace_node=True, save_fails_once=True)
    result = optout(cli, claude)
    acct = state(claude)
    assert acct["help_improve"] is False, result.stderr
    assert claude.opted_out(USER) == {SETTING: True}
    assert acct["saves"] >= 2  # the failed save, then the one that held
    assert acct["settings"] == {"location_metadata": True}
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_a_save_that_never_persists_is_failed(cli, claude):
    add(cli, claude, signin="password")
    claude.configure(save_never_persists=True)
    result = optout(cli, claude)
    acct = state(claude)
    assert acct["help_improve"] is True
    assert acct["saves"] >= 1
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "failed"
    assert row["after"] != "off"


def test_a_plan_without_the_switch_is_broken_never_unavailable(cli, claude):
    # claude.md: only Free, Pro and Max are concerned, but not how other plans see the page: with
    # no positive sign known, a missing switch is "broken" (it may still be on), never a quiet exit 0
    add(cli, claude, signin="password", plan="team")
    result = optout(cli, claude)
    acct = state(claude)
    assert (acct["saves"], acct["settings"], acct["terms_answer"]) == (0, {"location_metadata": True}, None)
    assert acct["sign_ins"] == 1
    assert result.code != 0, result.stderr
    assert only(result)["outcome"] == "broken"

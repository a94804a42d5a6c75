"""Perplexity end to end: flows/perplexity.yaml through the real CLI and headless Chromium, on the replica.

Every verdict comes from the replica's server-side state (the switch's value, its neighbours, the
save, sign-in and code counters), never from what optout prints; the outcome word and exit code are
checked besides. The flow knows no settings URL: it goes by the click path from the home page
every time (profile name -> All settings -> Preferences). The replica's default member signs in by
an emailed code, which a run cannot pass: the kept-session path is covered by signing optout's
browser profile in as a person would in `optout login` (Selenium on the very profile folder, the
code read from the replica's mailbox). The password variant (perplexity.md is unsure) is run too.
The generic run -> drift -> verify --fix life is tests/test_every_flow.py's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyotp

from tests.conftest import ROOT

PLATFORM = "perplexity"
USER = "alice@example.com"
PASSWORD = "Perplexity-pw-4-tests"
SETTING = "ai-data-retention"
NEIGHBOURS = {"autosuggest": True, "homepage_widgets": True}


def state(replica, email: str = USER) -> dict:
    return replica.state()["accounts"][email]


def add(cli, replica, email: str = USER, password: str = PASSWORD, stored: str | None = None, **account) -> None:
    """The member on the replica, and the account in optout (a password is stored even for a sign-in
    by code: optout knows its accounts by `creds set`; the replica ignores it then)."""
    replica.add_account(email, password, **account)
    result = cli("creds", "set", PLATFORM, email, "--password-stdin", input=(stored or password) + "\n")
    assert result.code == 0, result.stderr


def optout(cli, replica, command: str = "run", *extra: str):
    return cli(command, PLATFORM, "--json", "--base-url", f"{PLATFORM}={replica.url}", "--setting", SETTING, *extra)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def no_federated_sign_in(replica) -> None:
    """The Google / Apple buttons were never pressed."""
    asked = replica.state()["page_requests"]
    assert not [p for p in asked if "google" in p.lower() or "apple" in p.lower()], asked


def profile_of(cli, replica, email: str = USER) -> Path:
    """The profile folder optout will use for this account and --base-url, asked of optout itself
    in the CLI's own environment (OPTOUT_HOME, XDG folders)."""
    code = ("import sys; from optout.config import profile_dir; "
            "print(profile_dir('perplexity', sys.argv[1], sys.argv[2]))")
    proc = subprocess.run([sys.executable, "-c", code, email, replica.url], capture_output=True, text=True,
                          env=cli.env, cwd=ROOT, timeout=60, check=True)
    return Path(proc.stdout.strip())


def sign_in_by_hand(cli, replica, email: str = USER) -> None:
    """What a person does in `optout login perplexity USER`: on optout's profile folder, type the
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
        driver.get(replica.url + "/auth/signin")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[type='email']"))[0].send_keys(email)
        driver.find_element(By.XPATH, "//button[normalize-space()='Continue with email']").click()
        field = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[autocomplete='one-time-code']"))[0]
        code = wait.until(lambda d: replica.email_code(email))
        field.send_keys(code)
        driver.find_element(By.XPATH, "//button[normalize-space()='Continue']").click()
        wait.until(lambda d: "/auth/" not in d.current_url)
    finally:
        driver.quit()
    assert state(replica, email)["sign_ins"] == 1


def test_kept_session_is_used_and_the_switch_turned_off_then_already(cli, perplexity):
    add(cli, perplexity)  # signs in by an emailed code only; the switch On (the default)
    sign_in_by_hand(cli, perplexity)
    codes = state(perplexity)["codes_sent"]
    # the switch drawn late, and its row replaced by an equal node after it rendered and after the save
    perplexity.configure(late_render_ms=1500, replace_node=True)

    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert acct["ai_data_retention"] is False, result.stderr
    assert perplexity.opted_out(USER) == {SETTING: True}
    # the kept session served: nothing typed, no new code asked for, no sign-in
    assert (acct["sign_ins"], acct["codes_sent"], acct["failed_logins"]) == (1, codes, 0)
    assert acct["settings"] == NEIGHBOURS  # the neighbouring switches untouched
    assert acct["saves"] == 1
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"

    # again: already off, no save sent
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert (acct["ai_data_retention"], acct["saves"], acct["sign_ins"]) == (False, 1, 1)
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "already"


def test_sign_in_by_code_without_a_session_needs_a_person(cli, perplexity):
    add(cli, perplexity)
    result = optout(cli, perplexity)
    acct = state(perplexity)
    # the server stopped at its code step: a code was sent, nobody typed it, nothing changed
    assert acct["codes_sent"] == 1
    assert (acct["sign_ins"], acct["sessions"], acct["failed_logins"], acct["saves"]) == (0, 0, 0, 0)
    assert acct["ai_data_retention"] is True
    no_federated_sign_in(perplexity)
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login {PLATFORM} {USER}" in row["message"]


def test_password_and_authenticator_sign_in_older_wording_save_failing_once(cli, perplexity):
    secret = pyotp.random_base32()
    add(cli, perplexity, signin="password", plan="pro", totp_secret=secret)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=secret + "\n").code == 0
    # the older label "AI Data Usage", the first save answering 500 (the page puts the switch back)
    perplexity.configure(older_release=True, save_fails_once=True)
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert acct["ai_data_retention"] is False, result.stderr
    assert perplexity.opted_out(USER) == {SETTING: True}
    assert (acct["sign_ins"], acct["failed_logins"], acct["failed_challenges"]) == (1, 0, 0)
    assert acct["codes_sent"] == 0
    assert acct["saves"] == 2  # the one that failed, and the one that held
    assert acct["settings"] == NEIGHBOURS
    no_federated_sign_in(perplexity)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_session_expired_once_signs_in_again_and_switches_it_off(cli, perplexity):
    add(cli, perplexity, signin="password", plan="max")
    perplexity.configure(session_expired_once=True)  # the first settings page ends the session
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert acct["ai_data_retention"] is False, result.stderr
    assert acct["saves"] == 1
    assert acct["sign_ins"] == 2  # signed in, the session ended once, signed in again
    assert acct["failed_logins"] == 0
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_preferences_answering_503_once_is_tried_again(cli, perplexity):
    add(cli, perplexity, signin="password")
    # Preferences, reached by a click (no deep link), is a 503 page once: reloaded, not "broken"
    perplexity.configure(first_load_503=True)
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert acct["ai_data_retention"] is False, result.stderr
    assert acct["saves"] == 1
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_a_save_that_never_holds_is_failed_never_changed(cli, perplexity):
    add(cli, perplexity, signin="password")
    perplexity.configure(save_never_persists=True)
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert acct["ai_data_retention"] is True
    assert perplexity.opted_out(USER) == {SETTING: False}
    assert acct["saves"] >= 1
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 1, result.stderr
    assert only(result)["outcome"] == "failed"


def test_the_ai_section_without_the_switch_is_unavailable(cli, perplexity):
    # Preferences shows its "Artificial Intelligence" section, without the switch: not offered
    add(cli, perplexity, signin="password", plan="enterprise", available=False)
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert (acct["ai_data_retention_available"], acct["saves"]) == (False, 0)
    assert acct["settings"] == NEIGHBOURS
    assert acct["sign_ins"] == 1
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "unavailable"


def test_a_wrong_password_is_typed_once_and_nothing_changes(cli, perplexity):
    add(cli, perplexity, signin="password", stored="not-the-password")
    result = optout(cli, perplexity)
    acct = state(perplexity)
    assert (acct["failed_logins"], acct["sign_ins"], acct["saves"]) == (1, 0, 0)
    assert acct["ai_data_retention"] is True
    no_federated_sign_in(perplexity)
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "error"
    assert "rejected" in row["message"]

"""Adobe end to end: flows/adobe.yaml through the real CLI and headless Chromium, on the replica.

Every verdict comes from the replica's server-side state (the switch's value, its neighbours, the
save, sign-in and code counters), never from what optout prints; the outcome word and exit code are
checked besides. adobe.md's confidence is low and it knows no settings URL: the flow goes by the
click path from the account site's home every time (Account and security -> Privacy and personal
data -> Content analysis). Both unsure sign-ins are run: the password (the replica's default) and
the emailed code (a person's: `optout login`, here done by Selenium on optout's own profile folder,
after which the kept session serves). The generic run -> drift -> verify --fix life is
tests/test_every_flow.py's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyotp

from tests.conftest import ROOT

PLATFORM = "adobe"
USER = "alice@example.com"
PASSWORD = "Adobe-pw-4-tests"
SETTING = "content-analysis"
NEIGHBOURS = {"desktopAppUsage": True, "personalizedOffers": True}


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
    """The Google / Facebook / Apple buttons were never pressed."""
    asked = replica.state()["page_requests"]
    assert not [p for p in asked if any(w in p.lower() for w in ("google", "facebook", "apple"))], asked


def profile_of(cli, replica, email: str = USER) -> Path:
    """The profile folder optout will use for this account and --base-url, asked of optout itself
    in the CLI's own environment (OPTOUT_HOME, XDG folders)."""
    code = ("import sys; from optout.config import profile_dir; "
            "print(profile_dir('adobe', sys.argv[1], sys.argv[2]))")
    proc = subprocess.run([sys.executable, "-c", code, email, replica.url], capture_output=True, text=True,
                          env=cli.env, cwd=ROOT, timeout=60, check=True)
    return Path(proc.stdout.strip())


def sign_in_by_hand(cli, replica, email: str = USER) -> None:
    """What a person does in `optout login adobe USER`: on optout's profile folder, open the account
    site, type the email, Continue, read the code from the mailbox, type it, Continue, and close the
    browser (the session is kept). Found as a person sees the page: the email field, the buttons."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from optout.backends.base import BrowserOptions, chrome_options
    from optout.backends.local import chromedriver_path, chromium_path

    options = chrome_options(BrowserOptions(profile_dir=profile_of(cli, replica, email)), chromium_path())
    driver = webdriver.Chrome(service=Service(chromedriver_path()), options=options)
    continue_button = "//button[normalize-space()='Continue']"
    try:
        wait = WebDriverWait(driver, 30)
        driver.get(replica.url + "/")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[type='email']"))[0].send_keys(email)
        driver.find_element(By.XPATH, continue_button).click()
        field = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "input[autocomplete='one-time-code']"))[0]
        code = wait.until(lambda d: replica.email_code(email))
        field.send_keys(code)
        driver.find_element(By.XPATH, continue_button).click()
        wait.until(lambda d: d.find_elements(By.XPATH, "//a[normalize-space()='Account and security']"))
    finally:
        driver.quit()
    assert state(replica, email)["sign_ins"] == 1


def test_password_sign_in_switches_it_off_through_faults_then_already(cli, adobe):
    add(cli, adobe)  # a password sign-in, the switch On (the default)
    # the switches drawn late and replaced by equal nodes; the switch's page a 503 once; the first
    # "Account and security" page ending the session (signed in again, back there)
    adobe.configure(late_render_ms=1500, replace_node=True, first_load_503=True, session_expired_once=True)
    result = optout(cli, adobe)
    acct = state(adobe)
    assert acct["content_analysis"] is False, result.stderr
    assert adobe.opted_out(USER) == {SETTING: True}
    assert acct["settings"] == NEIGHBOURS  # the neighbouring privacy switches untouched
    assert acct["saves"] == 1
    assert (acct["sign_ins"], acct["failed_logins"], acct["codes_sent"]) == (2, 0, 0)
    no_federated_sign_in(adobe)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"

    # again, with the kept session: already off, no save sent, no sign-in
    result = optout(cli, adobe)
    acct = state(adobe)
    assert (acct["content_analysis"], acct["saves"], acct["sign_ins"]) == (False, 1, 2)
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "already"


def test_own_page_other_name_and_sentence_authenticator_save_failing_once(cli, adobe):
    secret = pyotp.random_base32()
    add(cli, adobe, totp_secret=secret)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=secret + "\n").code == 0
    # "Content analysis" a row leading to its own page, the privacy page called "Data and
    # privacy", another sentence beside the switch, the first save answering 500 (switch put back)
    adobe.configure(content_analysis_page=True, privacy_label="data_and_privacy", sentence="other",
                    save_fails_once=True)
    result = optout(cli, adobe)
    acct = state(adobe)
    assert acct["content_analysis"] is False, result.stderr
    assert adobe.opted_out(USER) == {SETTING: True}
    assert (acct["sign_ins"], acct["failed_logins"], acct["failed_challenges"]) == (1, 0, 0)
    assert acct["saves"] == 2  # the one that failed, and the one that held
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_sign_in_by_emailed_code_needs_a_person_then_the_kept_session_serves(cli, adobe):
    add(cli, adobe, signin="email_code")
    result = optout(cli, adobe)
    acct = state(adobe)
    # the replica stopped at its code step: a code was sent, nobody typed it, nothing changed
    assert acct["codes_sent"] == 1
    assert (acct["sign_ins"], acct["sessions"], acct["failed_logins"], acct["saves"]) == (0, 0, 0, 0)
    assert acct["content_analysis"] is True
    no_federated_sign_in(adobe)
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login {PLATFORM} {USER}" in row["message"]

    # a person signs in once (optout login); the run then uses the kept session
    sign_in_by_hand(cli, adobe)
    codes = state(adobe)["codes_sent"]
    result = optout(cli, adobe)
    acct = state(adobe)
    assert acct["content_analysis"] is False, result.stderr
    assert (acct["sign_ins"], acct["codes_sent"], acct["failed_logins"], acct["saves"]) == (1, codes, 0, 1)
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"


def test_a_save_that_never_holds_is_failed_never_changed(cli, adobe):
    add(cli, adobe)
    adobe.configure(save_never_persists=True)
    result = optout(cli, adobe)
    acct = state(adobe)
    assert acct["content_analysis"] is True
    assert adobe.opted_out(USER) == {SETTING: False}
    assert acct["saves"] >= 1
    assert acct["settings"] == NEIGHBOURS
    assert result.code == 1, result.stderr
    assert only(result)["outcome"] == "failed"


def test_the_privacy_page_without_the_switch_is_unavailable(cli, adobe):
    # the privacy page there with its neighbours, without "Content analysis": not offered
    add(cli, adobe, available=False)
    result = optout(cli, adobe)
    acct = state(adobe)
    assert (acct["content_analysis_available"], acct["saves"]) == (False, 0)
    assert acct["settings"] == NEIGHBOURS
    assert acct["sign_ins"] == 1
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "unavailable"


def test_a_wrong_password_is_typed_once_and_nothing_changes(cli, adobe):
    add(cli, adobe, stored="not-the-password")
    result = optout(cli, adobe)
    acct = state(adobe)
    assert (acct["failed_logins"], acct["sign_ins"], acct["saves"]) == (1, 0, 0)
    assert acct["content_analysis"] is True
    assert acct["settings"] == NEIGHBOURS
    no_federated_sign_in(adobe)
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "error"
    assert "rejected" in row["message"]

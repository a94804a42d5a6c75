"""flows/x.yaml end to end: the real CLI drives headless Chromium against the X replica.

Every verdict comes from the replica's server-side state (the Grok training checkbox, the other
Grok controls, the save counter, the sign-in counters), never from what optout prints; the
printed outcome and exit code are checked beside it. The generic run → switch_back_on → verify →
verify --fix → verify cycle is tests/test_every_flow.py's: not repeated here.
"""

from __future__ import annotations

PLATFORM = "x"
SETTING = "grok-training"
USER = "alice@example.com"
PASSWORD = "Grok-0ptout-pw!"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def setup(cli, x, password: str = PASSWORD, **account) -> None:
    x.add_account(USER, PASSWORD, name="Alice Example", **account)
    result = cli("creds", "set", PLATFORM, USER, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def run(cli, x, *extra: str):
    return cli("run", PLATFORM, "--json", "--base-url", f"{PLATFORM}={x.url}", "--setting", SETTING, *extra)


def account(x) -> dict:
    return x.state()["accounts"][USER]


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def assert_neighbours_untouched(state: dict) -> None:
    """Personalization, memory and the conversation history: never written, never deleted."""
    assert state["grok_personalization"] is True
    assert state["grok_memory"] is True
    assert state["other_writes"] == []
    assert state["history_deletions"] == 0


def test_sign_in_checks_faults_and_older_release(cli, x):
    """One account through four runs, judged by the server's state each time:
    1. username → unusual-activity check (answered with the username) → password → two-factor
       code from the stored secret → the checkbox unchecked, nothing else touched;
    2. (X checks it again) a 503 page once, a save failing once, nodes replaced under us → changed;
    3. (again) the July 2024 release ("Grok" row, older label) saving through a Save button, the
       "Something went wrong. Try reloading." page once, a late render → changed;
    4. already off: nothing saved."""
    setup(cli, x, unusual_activity=True, totp_secret=TOTP)
    assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=TOTP + "\n").code == 0
    result = run(cli, x)
    state = account(x)
    assert state["grok_training"] is False, result.stderr
    assert state["sign_ins"] == 1 and state["failed_logins"] == 0 and state["failed_challenges"] == 0
    assert_neighbours_untouched(state)
    assert result.code == 0, result.stderr
    row = only(result)
    assert (row["outcome"], row["before"], row["after"]) == ("changed", "on", "off")

    runs = (
        {"first_load_503": True, "save_fails_once": True, "replace_node": True, "delay_ms": 100},
        {"first_load_503": False, "save_fails_once": False, "replace_node": False, "delay_ms": 0,
         "older_release": True, "save_mode": "button", "something_went_wrong_once": True,
         "late_render_ms": 1500},
    )
    for variant in runs:  # the kept session: each fault hits a page optout looks at
        assert x.switch_back_on(USER) == [USER]
        x.configure(**variant)
        result = run(cli, x)
        state = account(x)
        assert state["grok_training"] is False, (variant, result.stderr)
        assert_neighbours_untouched(state)
        assert result.code == 0, result.stderr
        assert only(result)["outcome"] == "changed"
    assert state["sign_ins"] == 1 and state["failed_challenges"] == 0  # the kept session served
    assert state["saves"] >= 4  # one per run, and the one that failed once

    saves = state["saves"]
    again = run(cli, x)
    state = account(x)
    assert state["grok_training"] is False
    assert state["saves"] == saves, "an unchecked checkbox was saved again"
    assert_neighbours_untouched(state)
    assert again.code == 0, again.stderr
    assert (only(again)["outcome"], only(again)["before"]) == ("already", "off")


def test_save_that_never_persists_is_failed(cli, x):
    """…and the session ended right after the sign-in once: signed in again."""
    setup(cli, x)
    x.configure(save_never_persists=True, session_expired_once=True)
    result = run(cli, x)
    state = account(x)
    assert state["sign_ins"] == 2, result.stderr
    assert state["grok_training"] is True
    assert state["saves"] >= 1
    assert_neighbours_untouched(state)
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "failed"
    assert row["after"] != "off"


def test_account_check_needs_a_person(cli, x):
    setup(cli, x, account_check=True)
    result = run(cli, x)
    state = account(x)
    assert state["account_check_pending"] is True  # the server still waits for a person
    assert state["account_checks_passed"] == 0
    assert state["grok_training"] is True and state["saves"] == 0
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login x {USER}" in row["message"]


def test_without_the_grok_row_is_unavailable(cli, x):
    """The positive sign: Privacy and safety's "Data sharing and personalization" drawn without
    the Grok row (the deep link lands there too)."""
    setup(cli, x, available=False)
    result = run(cli, x)
    state = account(x)
    assert state["saves"] == 0 and state["grok_training"] is True
    assert_neighbours_untouched(state)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "unavailable"


def test_wrong_password_is_an_error_not_broken(cli, x):
    setup(cli, x, password="not-the-password")
    result = run(cli, x)
    state = account(x)
    assert state["failed_logins"] >= 1 and state["sign_ins"] == 0
    assert state["saves"] == 0 and state["grok_training"] is True
    assert result.code != 0
    row = only(result)
    assert row["outcome"] not in ("changed", "already", "broken", "unavailable"), row

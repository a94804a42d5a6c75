"""flows/instagram.yaml end to end: the real CLI drives headless Chromium against the Instagram replica.

Verdicts come from the replica's server-side state (the objections it stored, its Send counter,
its emailed codes), never from what optout prints; the outcome word and exit code are checked
besides. The generic run -> switch_back_on -> verify cycle is tests/test_every_flow.py's.
"""

from __future__ import annotations

from tests.platforms.instagram.replica import FORM

PLATFORM = "instagram"
SETTING = "objection-form"
USER = "alice@example.com"
PASSWORD = "Tr0ub4dor&3-sekret"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
RIGHT_CHOICE = "I want to object to the use of my information for Meta AI"


def setup_account(cli, replica, region: str = "FR", totp_secret: str | None = None, **account_fields: str) -> None:
    replica.add_account(USER, PASSWORD, region=region, totp_secret=totp_secret)
    assert cli("creds", "set", PLATFORM, USER, "--password-stdin", input=PASSWORD + "\n").code == 0
    if totp_secret:
        assert cli("creds", "totp", PLATFORM, USER, "--secret-stdin", input=totp_secret + "\n").code == 0
    if account_fields:
        sets = [a for k, v in account_fields.items() for a in ("--set", f"{k}={v}")]
        result = cli("account", PLATFORM, USER, *sets)
        assert result.code == 0, result.stderr


def run(cli, replica, *extra: str):
    return cli("run", PLATFORM, "--json", "--base-url", f"{PLATFORM}={replica.url}", "--setting", SETTING, *extra)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def account(replica) -> dict:
    return replica.state()["accounts"][USER]


def test_sent_once_with_the_right_choice_and_the_members_email(cli, instagram):
    setup_account(cli, instagram, objection_details="Do not use my posts for Meta AI.")
    instagram.configure(choices=True)
    first = run(cli, instagram)
    state = account(instagram)
    assert len(state["objections"]) == 1, first.stderr
    sent = state["objections"][0]
    assert sent["form"] == FORM
    assert sent["choice_label"] == RIGHT_CHOICE
    assert sent["email"] == USER
    assert sent["text"] == "Do not use my posts for Meta AI."
    assert sent["confirmed"] is True
    assert instagram.opted_out(USER)[SETTING] is True
    assert state["third_party_forms"] == []
    assert not any(p.startswith("/help/contact/") for p in instagram.state()["page_requests"])  # no Facebook form
    assert (first.code, only(first)["outcome"]) == (0, "changed")

    second = run(cli, instagram)  # sent once: a later run sends nothing
    state = account(instagram)
    assert len(state["objections"]) == 1
    assert state["send_attempts"] == 1
    assert (second.code, only(second)["outcome"]) == (0, "already")


def test_outside_the_offered_regions_is_unavailable(cli, instagram):
    setup_account(cli, instagram, region="US")
    result = run(cli, instagram)
    state = account(instagram)
    assert state["objections"] == [] and state["send_attempts"] == 0
    assert (result.code, only(result)["outcome"]) == (0, "unavailable"), result.stderr


def test_2024_emailed_code_needs_a_person_and_is_never_resent(cli, instagram):
    setup_account(cli, instagram, country="France")
    instagram.configure(version="2024")
    first = run(cli, instagram)
    state = account(instagram)
    assert len(state["objections"]) == 1, first.stderr
    assert state["objections"][0]["country"] == "FR"
    assert state["objections"][0]["confirmed"] is False
    assert instagram.email_code(USER) is not None  # Meta emailed the code to the member
    assert (first.code, only(first)["outcome"]) == (3, "needs_human")
    assert only(first)["details"].get("code_pending") is True

    second = run(cli, instagram)  # nothing sent again on its own
    state = account(instagram)
    assert len(state["objections"]) == 1 and state["send_attempts"] == 1
    assert only(second)["outcome"] == "needs_human"


def test_a_submit_that_fails_once_is_sent_on_the_next_run(cli, instagram):
    setup_account(cli, instagram)
    instagram.configure(send_by_script=True, submit_fails_once=True)  # the form stays, with an alert
    first = run(cli, instagram)
    assert account(instagram)["objections"] == [], first.stderr
    assert only(first)["outcome"] == "error"

    second = run(cli, instagram)  # it was not taken: the next run sends it
    state = account(instagram)
    assert len(state["objections"]) == 1 and instagram.opted_out(USER)[SETTING] is True, second.stderr
    assert only(second)["outcome"] == "changed"


def test_late_rendered_form_after_a_two_factor_sign_in(cli, instagram):
    setup_account(cli, instagram, totp_secret=TOTP_SECRET)
    instagram.configure(late_render_ms=2500, choices=True)
    result = run(cli, instagram)
    state = account(instagram)
    assert state["sign_ins"] == 1 and state["failed_challenges"] == 0, result.stderr
    assert len(state["objections"]) == 1, result.stderr
    assert state["objections"][0]["choice_label"] == RIGHT_CHOICE
    assert only(result)["outcome"] == "changed"

"""flows/chatgpt.yaml end to end: the real CLI drives headless Chromium against the ChatGPT replica.

Every verdict comes from the replica's server-side state (the member's switch, each signed-out
browser's own switch, the save counters), never from what optout prints; the printed outcome and
exit code are checked besides. A signed-out visitor has a switch of its own, kept per browser: the
flow must never take the visitor's page for the member's, so each test also checks that no
visitor's switch was ever saved. tests/test_every_flow.py already covers run -> switch back on ->
verify -> verify --fix -> verify on the plain replica.
"""

from __future__ import annotations

import json
import urllib.request

from tests.platforms.chatgpt.replica import SETTING_ID

USER = "alice@example.com"
PASSWORD = "Gpt-replica-pw-7"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def setup_account(cli, replica, password: str = PASSWORD, **account) -> None:
    replica.add_account(USER, PASSWORD, name="Alice Example", **account)
    result = cli("creds", "set", "chatgpt", USER, "--password-stdin", input=password + "\n")
    assert result.code == 0, result.stderr


def optout(cli, replica, command: str = "run", *extra: str):
    return cli(command, "chatgpt", "--json", "--base-url", f"chatgpt={replica.url}",
               "--setting", SETTING_ID, *extra)


def only(result) -> dict:
    rows = result.json()
    assert len(rows) == 1, (rows, result.stderr)
    return rows[0]


def member(replica) -> dict:
    return replica.state()["accounts"][USER]


def assert_visitors_untouched(replica, off: frozenset[str] = frozenset(), saves: int = 0) -> None:
    """No signed-out browser's switch was saved by optout: each visitor keeps its value (On, or
    Off for those in `off`) and the saves the test itself made (`saves` in all)."""
    visitors = replica.state()["visitors"]
    assert visitors, "the browser never loaded a page of the replica"
    assert {did for did, v in visitors.items() if not v["improve_model"]} == set(off), visitors
    assert sum(v["saves"] for v in visitors.values()) == saves, visitors


def assert_neighbours_untouched(replica) -> None:
    state = member(replica)
    assert state["settings"] == {"remote_browser_data": False, "memory": True}, state["settings"]
    assert not any(state["actions"].values()), state["actions"]


def switch_visitor_off(replica, did: str) -> None:
    """What a visitor does in its own browser: its switch Off (the anonymous save, by its device id)."""
    request = urllib.request.Request(
        f"{replica.url}/backend-anon/settings/account_user_setting?feature=training_allowed&value=false",
        method="PATCH", headers={"Cookie": f"oai-did={did}", "oai-device-id": did})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer)["value"] is False


def test_switched_off_then_already_without_a_save(cli, chatgpt):
    setup_account(cli, chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: False}  # On by default on a personal plan
    result = optout(cli, chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: True}, result.stderr
    assert result.code == 0, result.stderr
    assert (only(result)["outcome"], only(result)["before"], only(result)["after"]) == ("changed", "on", "off")
    assert_neighbours_untouched(chatgpt)
    assert_visitors_untouched(chatgpt)  # the same browser was a visitor before it signed in
    saves = member(chatgpt)["saves"]

    # again, with the kept session ended on the first settings page and that page failing once
    chatgpt.configure(session_expired_once=True, first_load_503=True)
    again = optout(cli, chatgpt)
    state = member(chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: True}
    assert state["saves"] == saves  # nothing clicked
    assert state["sign_ins"] == 2
    assert (again.code, only(again)["outcome"]) == (0, "already"), again.stderr
    assert_neighbours_untouched(chatgpt)
    assert_visitors_untouched(chatgpt)


def test_visitor_switch_on_the_hash_route_is_never_taken_for_the_members(cli, chatgpt):
    """The older app (no path route, the older label): the hash route opens the settings dialog
    signed in or not. A signed-out browser sees its own switch there: optout must sign in first."""
    setup_account(cli, chatgpt)
    chatgpt.configure(no_path_route=True, older_release=True)
    result = optout(cli, chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: True}, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed"), result.stderr
    assert_visitors_untouched(chatgpt)
    assert_neighbours_untouched(chatgpt)
    (did,) = chatgpt.state()["visitors"]  # the one browser optout drives

    # The session ends on the server (the member's switch is back On); the browser keeps its
    # stale cookie, and its visitor switch is Off: the hash route now shows a visitor's page whose
    # switch already reads Off. Taking it for the member's would say "already" and leave it On.
    chatgpt.reset()
    chatgpt.configure(no_path_route=True)
    switch_visitor_off(chatgpt, did)
    assert chatgpt.opted_out(USER) == {SETTING_ID: False}
    result = optout(cli, chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: True}, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed"), result.stderr
    assert member(chatgpt)["sign_ins"] == 1
    assert_visitors_untouched(chatgpt, off=frozenset({did}), saves=1)  # only the visitor's own save


def test_authenticator_code_and_a_fragile_page(cli, chatgpt):
    setup_account(cli, chatgpt, totp_secret=TOTP_SECRET)
    assert cli("creds", "totp", "chatgpt", USER, "--secret-stdin", input=TOTP_SECRET + "\n").code == 0
    chatgpt.configure(late_render_ms=2000, replace_node=True, save_fails_once=True, delay_ms=150)
    result = optout(cli, chatgpt)
    state = member(chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: True}, result.stderr
    assert (state["sign_ins"], state["failed_codes"], state["failed_logins"]) == (1, 0, 0)
    assert state["saves"] >= 2  # the first save failed, a later one held
    assert (result.code, only(result)["outcome"]) == (0, "changed"), result.stderr
    assert_neighbours_untouched(chatgpt)
    assert_visitors_untouched(chatgpt)


def test_emailed_code_needs_a_person(cli, chatgpt):
    setup_account(cli, chatgpt, signin="email_code")
    result = optout(cli, chatgpt)
    state = member(chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: False}
    assert chatgpt.email_code(USER) is not None  # the sign-in got as far as the emailed code
    assert (state["sign_ins"], state["saves"], state["failed_codes"]) == (0, 0, 0)
    assert result.code == 3, result.stderr
    row = only(result)
    assert row["outcome"] == "needs_human"
    assert f"optout login chatgpt {USER}" in row["message"]
    assert_visitors_untouched(chatgpt)


def test_save_that_never_persists_is_failed(cli, chatgpt):
    setup_account(cli, chatgpt)
    chatgpt.configure(save_never_persists=True)
    result = optout(cli, chatgpt)
    state = member(chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: False}
    assert state["saves"] >= 1
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "failed"
    assert row["after"] != "off"
    assert_visitors_untouched(chatgpt)


def test_workspace_plan_without_the_switch_is_broken_not_unavailable(cli, chatgpt):
    """chatgpt.md does not say whether other plans show the switch: a missing switch is "broken"
    (the setting may still be on), never a quiet "unavailable", and nothing is saved."""
    setup_account(cli, chatgpt, plan="business")
    result = optout(cli, chatgpt)
    state = member(chatgpt)
    assert state["saves"] == 0
    assert state["sign_ins"] == 1
    assert result.code == 1, result.stderr
    assert only(result)["outcome"] == "broken"
    assert_visitors_untouched(chatgpt)


def test_wrong_password_is_an_error(cli, chatgpt):
    setup_account(cli, chatgpt, password="not-the-password")
    result = optout(cli, chatgpt)
    state = member(chatgpt)
    assert chatgpt.opted_out(USER) == {SETTING_ID: False}
    assert 1 <= state["failed_logins"] <= 2
    assert state["sign_ins"] == 0
    assert result.code == 1
    assert only(result)["outcome"] == "error"
    assert "not-the-password" not in result.stdout + result.stderr
    assert_visitors_untouched(chatgpt)

"""Issue 8, sections 1-3: what optout says about a setting it cannot reach, the "Me" menu on markup
like the real site's, and a session that ends right after signing in.

Every verdict is judged by the replica's server-side state (the switch, the sign-ins, the saves)
plus the printed JSON outcome: "unavailable" is a claim that the platform withholds the setting,
so it must never stand for "we did not find it".
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from tests.platforms.linkedin.helpers import GENAI, USER, account_state, only, run, setup_account
from tests.test_notify import WAIT_S, endpoint  # noqa: F401 - a fixture: a real local JSON endpoint


def bundles(cli) -> list[Path]:
    folder = cli.home / "broken" / "linkedin"
    return sorted(folder.iterdir()) if folder.exists() else []


def assert_broken_untouched(cli, linkedin, result) -> dict:
    """broken, exit 1, the switch still On and never saved, a breakage bundle written."""
    state = account_state(linkedin)
    assert state["genai"] is True, result.stderr
    assert state["save_requests"] == 0
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "broken", row
    found = bundles(cli)
    assert len(found) == 1, result.stderr
    info = json.loads((found[0] / "info.json").read_text())
    assert info["url"].startswith(linkedin.url)
    return row


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_renamed_row_with_the_deep_link_gone_is_broken_not_unavailable(cli, linkedin, lang):
    setup_account(cli, linkedin, lang=lang)
    linkedin.configure(deep_link_moved=True, genai_row="renamed")
    result = run(cli, linkedin)
    row = assert_broken_untouched(cli, linkedin, result)
    assert "renamed or moved" in row["message"]


def test_renamed_row_reached_by_the_deep_link_is_still_switched_off(cli, linkedin):
    """The renamed row is only a reason to stop where the switch cannot be reached otherwise."""
    setup_account(cli, linkedin)
    linkedin.configure(genai_row="renamed")
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed")


def test_row_shown_twice_is_broken(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(deep_link_moved=True, genai_row="twice")
    result = run(cli, linkedin)
    row = assert_broken_untouched(cli, linkedin, result)
    assert "more than once" in row["message"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_region_without_the_setting_is_still_unavailable_after_every_path(cli, linkedin, lang):
    setup_account(cli, linkedin, region="FR", lang=lang)
    result = run(cli, linkedin)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "unavailable"
    state = account_state(linkedin)
    assert state["genai_available"] is False and state["save_requests"] == 0
    assert not bundles(cli)
    # every click path was tried before concluding: the "Me" menu's route went through the feed
    assert linkedin.state()["page_requests"].get("/feed/", 0) >= 1


def verify(cli, linkedin):
    return run(cli, linkedin, command="verify")


def test_unavailable_after_opted_out_alerts_like_a_drift(cli, linkedin, endpoint):  # noqa: F811
    """Off on one check, then the page no longer shows the setting: the user hears of it."""
    setup_account(cli, linkedin, region="FR")
    linkedin.configure(region_gate=False)  # the setting offered: switched off
    first = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, first.stderr
    assert only(first)["outcome"] == "changed"
    assert cli("notify", "add", endpoint.url()).code == 0

    linkedin.configure(region_gate=True)  # …then withheld from this account
    later = verify(cli, linkedin)
    assert (later.code, only(later)["outcome"]) == (0, "unavailable"), later.stderr
    assert endpoint.arrived.wait(WAIT_S), later.stderr
    assert len(endpoint.posts) == 1
    body = json.dumps(endpoint.posts[0][1])
    assert "UNAVAILABLE" in body and GENAI in body and USER in body


def test_unavailable_never_opted_out_stays_quiet(cli, linkedin, endpoint):  # noqa: F811
    setup_account(cli, linkedin, region="FR")
    assert cli("notify", "add", endpoint.url()).code == 0
    result = verify(cli, linkedin)
    assert (result.code, only(result)["outcome"]) == (0, "unavailable"), result.stderr
    assert not endpoint.posts  # the CLI sends before it exits: nothing came


def test_me_menu_with_an_avatar_image_is_the_only_route(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(deep_link_moved=True, category_moved=True)
    result = run(cli, linkedin)
    assert account_state(linkedin)["genai"] is False, result.stderr
    assert (result.code, only(result)["outcome"]) == (0, "changed")


def test_signed_out_right_after_signing_in_signs_in_once_more(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(signed_out_after_signin_once=True)
    result = run(cli, linkedin)
    state = account_state(linkedin)
    assert state["genai"] is False, result.stderr
    assert state["sign_ins"] == 2
    assert state["signed_out_after_sign_in"] == 1  # the fault did fire
    assert (result.code, only(result)["outcome"]) == (0, "changed")
    assert not bundles(cli)


def test_signed_out_after_every_sign_in_is_an_error_not_broken(cli, linkedin):
    setup_account(cli, linkedin)
    linkedin.configure(signed_out_after_signin_once=True)
    # each correct password ends at once: the one-shot fault is armed again each time it fired
    stop = threading.Event()

    def rearm() -> None:
        fired = 0
        while not stop.wait(0.02):
            count = account_state(linkedin)["signed_out_after_sign_in"]
            if count != fired:
                fired = count
                linkedin.configure(signed_out_after_signin_once=True)

    watcher = threading.Thread(target=rearm, daemon=True)
    watcher.start()
    try:
        result = run(cli, linkedin)
    finally:
        stop.set()
        watcher.join()
    state = account_state(linkedin)
    assert state["genai"] is True and state["save_requests"] == 0
    assert state["sign_ins"] == 2  # bounded: never a third password
    assert result.code == 1, result.stderr
    row = only(result)
    assert row["outcome"] == "error", row
    assert "keeps signing us out" in row["message"]
    assert not bundles(cli)

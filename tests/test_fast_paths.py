"""What the speed work changed, held to the site's state and to real processes (synthetic `sample`).

- The browser of a one-account selection starts while the command loads (optout/backends/early.py):
  the session drives that very browser; a selection that then fails ends it, and leaves nothing on
  the profile.
- After a click, the wait for its save ends once the request it sent has ended, and still sees a
  save the page sends a moment after the click (a debounced one).
- A field is cleared before typing only when it holds text: what the site receives is the account's
  own username either way.
- A validated flow is kept between commands, and validated again once its file changes; a kept one
  is read without loading pydantic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import optout
from optout.backends import early
from tests.engine_site import FLOWS
from tests.engine_site.helpers import (
    PLATFORM,
    SWITCH,
    USER,
    account_state,
    base_url,
    in_process,
    only,
    run,
    setup_account,
)
from tests.test_account_lock import alive, children, on_profile, profile
from tests.waiting import wait_for


@pytest.fixture
def one_account(cli, sample, monkeypatch: pytest.MonkeyPatch) -> str:
    """One member on the site and in optout's home, this process pointed at that home and keyring."""
    setup_account(cli, sample)
    in_process(cli, monkeypatch)
    return USER


def test_the_session_drives_the_browser_started_early(cli, sample, one_account):
    from optout.session import Session

    plan = optout.select(optout.Selection(platforms=[PLATFORM], settings=[SWITCH], base_urls=[base_url(sample)]))
    [started] = list(early._pending.values())  # started by select(), before the flow was even read
    driver_pid = started.process.pid
    assert children(os.getpid(), b"chromedriver") == [driver_pid]
    session = Session(plan.jobs[0], say=lambda text: None)
    try:
        assert session.browser.driver.service.process.pid == driver_pid  # adopted, not a second one
        assert children(os.getpid(), b"chromedriver") == [driver_pid]
        session.goto("/home")
        assert session.signed_out()  # a real page in that browser: the sign-in is asked for
    finally:
        session.close()
    assert not early._pending
    assert wait_for(lambda: not alive(driver_pid), 30)
    assert wait_for(lambda: not on_profile(session.profile), 30), on_profile(session.profile)


def test_a_run_through_the_early_browser_switches_it_off(cli, sample, one_account):
    report = optout.run(optout.Selection(platforms=[PLATFORM], settings=[SWITCH], base_urls=[base_url(sample)]))
    assert [d.result.outcome for d in report.done] == ["changed"]
    assert account_state(sample)["training"] is False
    assert account_state(sample)["sign_ins"] == 1
    assert not early._pending
    assert not children(os.getpid(), b"chromedriver")


def test_a_selection_that_fails_ends_its_early_browser(cli, sample):
    setup_account(cli, sample)
    result = run(cli, sample, setting="no-such-setting")
    assert result.code == 2, result.stderr
    [line] = result.stderr.strip().splitlines()[-1:]
    assert "no setting 'no-such-setting'" in line
    path: Path = profile(cli)
    # the browser had really started on the account's profile before the check failed…
    assert (path / "Local State").is_file()
    # …and nothing of it is left: no Chromium on the profile, no record of processes to end
    assert wait_for(lambda: not on_profile(path), 30), on_profile(path)
    assert not (path / "optout.pids").exists()
    again = run(cli, sample)  # the account is free at once: no wait for a lock
    assert again.code == 0, again.stderr
    assert "is in use" not in again.stderr
    assert account_state(sample)["training"] is False


@pytest.mark.parametrize("after_ms", [0, 150])
def test_the_wait_for_a_save_sees_the_save_the_click_sent(cli, sample, after_ms):
    """A save sent at once or a moment after the click (debounced) is seen through: one save, one
    attempt, and the server holds the switch off."""
    setup_account(cli, sample)
    sample.configure(save_after_ms=after_ms)
    result = run(cli, sample)
    assert result.code == 0, result.stderr
    row = only(result)
    assert row["outcome"] == "changed", row
    assert "attempt" not in row["message"], row  # the first attempt held: no reload cut its save short
    state = account_state(sample)
    assert state["training"] is False
    assert state["save_requests"] == 1


def test_a_request_the_page_holds_open_is_not_the_saves(cli, sample):
    """A live page keeps a request open (a stream, a long poll): the wait for the save waits for the
    requests the click sent, not for that one (it would run into its timeout on every change).
    The switch shows late, so the page's request is open before the click."""
    setup_account(cli, sample)
    sample.configure(background_request=True, late_render_ms=500)
    result = cli("--verbose", "run", PLATFORM, "--json", "--base-url", base_url(sample), "--setting", SWITCH)
    assert result.code == 0, result.stderr
    row = only(result)
    assert row["outcome"] == "changed" and "attempt" not in row["message"], row
    state = account_state(sample)
    assert state["training"] is False and state["save_requests"] == 1
    assert "gave up waiting for the save" not in result.stderr, result.stderr


def test_a_field_that_holds_text_is_cleared_before_typing(cli, sample):
    setup_account(cli, sample)
    sample.configure(prefill_username="someone.else@example.com")
    result = run(cli, sample)
    assert result.code == 0, result.stderr
    assert only(result)["outcome"] == "changed"
    state = account_state(sample)
    assert state["sign_ins"] == 1 and state["failed_logins"] == 0
    assert state["training"] is False


def test_a_flow_is_validated_again_once_its_file_changes(cli, tmp_path):
    """The validated flow is kept between commands (flowcache.py), never in place of an edited file."""
    flows = tmp_path / "flows"
    flows.mkdir()
    mine = flows / f"{PLATFORM}.yaml"  # the sample flow, copied where this test may edit it
    good = (FLOWS / f"{PLATFORM}.yaml").read_text(encoding="utf-8")
    mine.write_text(good, encoding="utf-8")
    cli.env["OPTOUT_FLOWS"] = str(flows)
    cache = Path(cli.env["XDG_CACHE_HOME"]) / "optout" / "flows"

    first = cli("list", "--json")
    assert first.code == 0, first.stderr
    kept = sorted(cache.glob("*.pickle"))
    assert kept, "a validated flow is kept"
    assert cli("list", "--json").stdout == first.stdout  # read from the cache: the same flows

    mine.write_text(good.replace("role: switch", "role: toggle", 1), encoding="utf-8")
    broken = cli("list", "--json")
    assert broken.code == 2 and "role" in broken.stderr and str(mine) in broken.stderr, broken.stderr

    mine.write_text(good, encoding="utf-8")
    for path in kept:  # a cache entry that cannot be read is a miss, never an error
        path.write_bytes(b"not a pickle")
    again = cli("list", "--json")
    assert again.code == 0, again.stderr
    assert again.stdout == first.stdout


def test_a_kept_flow_is_read_without_loading_pydantic(cli, tmp_path):
    """pydantic judges a flow file only when it is new or changed (flowcheck.py): a command whose
    flow is kept never loads it, and reads the very flow the validation gave."""
    cli.env["OPTOUT_FLOWS"] = str(FLOWS)
    probe = ("import json, sys; from optout import flow; f = flow.load(sys.argv[1]);"
             "print(json.dumps({'pydantic': 'pydantic' in sys.modules, 'flow': repr(f)}))")
    def load() -> dict:
        done = subprocess.run([sys.executable, "-c", probe, PLATFORM], env=cli.env, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first, second = load(), load()
    assert first["pydantic"] is True, "a file never seen is validated"
    assert second["pydantic"] is False, "a kept flow is read without pydantic"
    assert second["flow"] == first["flow"]

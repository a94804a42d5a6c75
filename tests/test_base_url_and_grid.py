"""`--base-url` results stay apart from the real account's, and a Grid is reached safely.

Real processes throughout: the CLI against the engine's synthetic site (tests/engine_site/, judged
by the site's own state), the ledger file edited with sqlite3, and a real Selenium Grid started with basic
authentication, whose password must never show in any output, log, file or alert.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import sqlite3
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.engine_site import use_flow
from tests.engine_site.helpers import FORM, SWITCH, USER, account_state, base_url, only, setup_account
from tests.test_backends import assert_one_line_error, free_port, grid_jar
from tests.test_history_cli import Receiver
from tests.waiting import stop, wait_for

GRID_USER = "optout-grid"
GRID_PASSWORD = "Gr1d-pass-4417-zq"


def profiles(cli) -> list[str]:
    """The profile folders of each origin, as PLATFORM[@HOST_PORT]/ACCOUNT."""
    root = cli.home / "profiles"
    return sorted(f"{p.parent.name}/{p.name}" for p in root.glob("*/*") if p.is_dir()) if root.is_dir() else []


def test_base_url_result_names_its_origin_and_stays_apart(cli, sample):
    setup_account(cli, sample)
    origin = sample.url.rstrip("/")
    port = urlsplit(origin).port
    result = cli("run", "sample", "--json", "--setting", SWITCH, "--base-url", f"sample={origin}")
    assert result.code == 0, result.stderr
    assert account_state(sample)["training"] is False
    row = only(result)
    assert (row["outcome"], row["origin"]) == ("changed", origin)

    # its own browser profile, one Chromium really used; the real account's was never made
    assert profiles(cli) == [f"sample@127.0.0.1_{port}/alice_at_example.com"]
    own = next((cli.home / "profiles").glob("sample@*/*"))
    assert (own / "Default").is_dir(), "Chromium did not use the origin's own profile"
    assert not (cli.home / "profiles" / "sample").exists()

    # the ledger row carries the origin, and no row stands for the platform itself
    db = sqlite3.connect(cli.home / "ledger.sqlite3")
    assert db.execute("SELECT origin FROM results").fetchall() == [(origin,)]
    db.close()
    assert cli("ledger", "verify").code == 0

    # status: a row of its own, never the platform's "opted out since"
    status = cli("status", "--json")
    assert status.code == 0, status.stderr
    rows = json.loads(status.stdout)
    assert [(r["platform"], r["origin"], r["state"]) for r in rows] == [("sample", origin, "off")]
    table = cli("status")
    assert "sample (via" in table.stdout and f"{port})" in table.stdout  # a narrow column folds the rest
    report = Path(cli("report").stdout.strip()).read_text()
    assert f"via {origin} (--base-url)" in report and "0 settings" in report

    # the origin is covered by the row hash: making the row look like the real platform's shows
    db = sqlite3.connect(cli.home / "ledger.sqlite3")
    db.execute("UPDATE results SET origin = NULL")
    db.commit()
    db.close()
    check = cli("ledger", "verify")
    assert check.code == 1
    assert f"row 1 (sample alice@example.com {SWITCH}" in check.stdout and "was edited" in check.stdout


def test_a_form_sent_to_one_origin_is_not_sent_for_another(cli, sample):
    """A form's "sent once" is per origin: what went to a replica (or staging host) never stops
    the submission to another origin (in real use: the platform itself)."""
    setup_account(cli, sample)
    assert cli("account", "sample", USER, "--set", "name=Alice Example",
               "--set", "objection_details=Stop using my data for AI, please.").code == 0
    port = urlsplit(sample.url).port
    first, second = f"http://127.0.0.1:{port}", f"http://localhost:{port}"  # one site, two origins
    sent = cli("run", "sample", "--json", "--setting", FORM, "--base-url", f"sample={first}")
    assert (sent.code, only(sent)["outcome"]) == (0, "changed"), sent.stderr
    again = cli("run", "sample", "--json", "--setting", FORM, "--base-url", f"sample={second}")
    assert (again.code, only(again)["outcome"], only(again)["origin"]) == (0, "changed", second), again.stderr
    forms = account_state(sample)["forms"]
    assert len(forms) == 2  # the second origin got its own submission
    assert forms[0]["fields"]["details"] == "Stop using my data for AI, please."
    rows = json.loads(cli("status", "--json").stdout)
    assert sorted(r["origin"] for r in rows) == [first, second]


def test_origin_rows_do_not_stand_for_the_platform(tmp_path):
    """A replica's "off" is not the account's: the lookups verify and alerts use ignore it; an old
    ledger (no origin column) opens, keeps its hashes and verifies."""
    from optout.ledger import Ledger, Result

    def result(outcome: str, origin: str | None) -> Result:
        return Result(platform="sample", account=USER, setting=SWITCH, outcome=outcome, before="on",
                      after="off", proof=None, sha256=None, at="2026-11-30T09:00:00Z", origin=origin)

    path = tmp_path / "ledger.sqlite3"
    with Ledger(path) as ledger:
        ledger.record(result("drifted", None))
        ledger.record(result("changed", "http://127.0.0.1:8000"))
        assert ledger.last_with_outcome("sample", USER, SWITCH, {"changed"}) is None
        assert ledger.last_with_outcome("sample", USER, SWITCH, {"changed"}, origin="http://127.0.0.1:8000")
        assert [r.outcome for r in ledger.latest(origin=None)] == ["drifted"]
        assert len(ledger.latest()) == 2
    # a schema 1 ledger: drop the column as an older optout wrote it, then open it again
    db = sqlite3.connect(path)
    db.execute("DELETE FROM results WHERE id = 2")
    db.execute("UPDATE meta SET value = (SELECT row_hash FROM results WHERE id = 1) WHERE key = 'chain_head'")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'chain_length'")
    db.execute("ALTER TABLE results DROP COLUMN origin")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    (tmp_path / "ledger.sqlite3.head").unlink()
    with Ledger(path) as ledger:
        assert ledger.verify() == []
        assert ledger.history()[0].origin is None


def test_plain_http_base_url_only_to_this_machine(cli, sample, monkeypatch):
    setup_account(cli, sample)
    for url in ("http://192.0.2.10:8000", "http://staging.example.com"):
        result = cli("run", "sample", "--base-url", f"sample={url}")
        assert_one_line_error(result, "plain http:// only to this machine", "https://")
    assert sum(sample.state()["page_requests"].values()) == 0
    from optout.engine import parse_base_urls

    monkeypatch.setenv("OPTOUT_FLOWS", cli.env["OPTOUT_FLOWS"])
    for url in ("http://127.0.0.5:9", "http://[::1]:9", "http://localhost:9", "https://staging.example.com"):
        assert parse_base_urls((f"sample={url}",)) == {"sample": url}
    assert parse_base_urls(("sample=https://sample.invalid",)) == {}  # the platform itself


def test_plain_http_remote_to_another_machine_needs_the_flag(cli):
    use_flow(cli)
    url = f"http://{GRID_USER}:{GRID_PASSWORD}@192.0.2.10:4444"
    result = cli("run", "sample", "--browser", "remote", "--remote-url", url)
    assert_one_line_error(result, "--remote-url http://•••@192.0.2.10:4444", "--allow-insecure-remote")
    assert GRID_PASSWORD not in result.stderr + result.stdout
    from optout.browser import check_remote_url

    assert check_remote_url(url, allow_insecure=True) == url  # said explicitly: accepted


# -- a Grid with basic authentication ------------------------------------------------------------------
def _authorized_status(url: str) -> dict:
    request = urllib.request.Request(f"{url}/status", headers={
        "Authorization": "Basic " + base64.b64encode(f"{GRID_USER}:{GRID_PASSWORD}".encode()).decode()})
    try:
        with urllib.request.urlopen(request, timeout=2) as answer:
            return json.loads(answer.read())["value"]
    except (OSError, ValueError, KeyError):
        return {}


@pytest.fixture
def locked_grid(tmp_path: Path) -> Iterator[str]:
    """A real Selenium Grid on loopback that wants a user name and password (the README's advice)."""
    java = shutil.which("java")
    if not java:
        pytest.skip("no Java to run the Selenium Grid (Debian: apt-get install openjdk-17-jre-headless)")
    port = free_port()
    with (tmp_path / "grid.log").open("w") as out:
        server = subprocess.Popen(
            [java, "-jar", str(grid_jar()), "standalone", "--host", "127.0.0.1", "--port", str(port),
             "--selenium-manager", "false", "--username", GRID_USER, "--password", GRID_PASSWORD],
            stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "SE_OFFLINE": "true"})
    url = f"http://127.0.0.1:{port}"
    try:
        ready = wait_for(lambda: bool(_authorized_status(url).get("ready")), timeout=90, process=server, every=0.2)
        assert ready, (tmp_path / "grid.log").read_text()[-2000:]
        yield url
    finally:
        stop(server, timeout=20)


def test_grid_credentials_reach_the_grid_and_nowhere_else(cli, sample, locked_grid, tmp_path):
    setup_account(cli, sample)
    cli.env["OPTOUT_CHROMIUM"] = shutil.which("chromium") or "/usr/bin/chromium"
    assert status_without_credentials(locked_grid) == 401  # the Grid really wants the password
    receiver = Receiver()
    log = tmp_path / "optout.log"
    secret_url = locked_grid.replace("http://", f"http://{GRID_USER}:{GRID_PASSWORD}@")
    try:
        assert cli("notify", "add", "-", input=receiver.url + "\n").code == 0
        # verify without --fix: the site's default is on, so it drifts and an alert goes out
        result = cli("--log-file", str(log), "-v", "verify", "sample", "--json", "--setting", SWITCH,
                     "--browser", "remote", "--remote-url", secret_url, "--base-url", base_url(sample))
        assert result.code == 1, result.stderr
        row = only(result)
        assert (row["outcome"], row["before"], row["origin"]) == ("drifted", "on", sample.url.rstrip("/"))
        assert account_state(sample)["sign_ins"] == 1  # the Grid's browser really reached the site
        assert receiver.got.wait(30)
        alert = json.dumps(receiver.bodies, ensure_ascii=False)
        assert "--remote-url http://•••@127.0.0.1" in alert  # the command is named, its password is not

        # a wrong password: one line that names the Grid without the password
        wrong = cli("run", "sample", "--setting", SWITCH, "--browser", "remote", "--remote-url",
                    secret_url.replace(GRID_PASSWORD, GRID_PASSWORD + "-wrong"), "--base-url", base_url(sample))
        assert_one_line_error(wrong, "the remote WebDriver at http://•••@127.0.0.1")
    finally:
        receiver.close()
    assert wait_for(lambda: open_sessions_authorized(locked_grid) == 0, timeout=10)
    seen = [result.stdout, result.stderr, log.read_text(), alert, wrong.stdout, wrong.stderr]
    seen += [p.read_text(errors="replace") for p in cli.home.rglob("*") if p.is_file() and p.suffix != ".png"]
    for text in seen:
        assert GRID_PASSWORD not in text and f"{GRID_USER}:" not in text


def status_without_credentials(url: str) -> int:
    """The HTTP status the Grid's /status answers to a request without credentials."""
    try:
        with urllib.request.urlopen(f"{url}/status", timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def open_sessions_authorized(url: str) -> int:
    nodes = _authorized_status(url).get("nodes", [])
    return sum(1 for node in nodes for slot in node.get("slots", []) if slot.get("session"))

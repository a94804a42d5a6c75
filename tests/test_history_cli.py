"""Staying opted out, through the command line: alerts on drift, the ledger check, report, export."""

from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.engine_site.helpers import SWITCH, USER, base_url, setup_account


class Receiver:
    """A local HTTP endpoint standing in for the user's alert channel (apprise json://)."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.got = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                length = int(self.headers.get("Content-Length", 0))
                outer.bodies.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.end_headers()
                outer.got.set()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook"

    def close(self) -> None:
        self.server.shutdown()


def opted_out(cli, sample) -> None:
    setup_account(cli, sample)
    result = cli("run", "sample", "--setting", SWITCH, "--json", "--base-url", base_url(sample))
    assert result.code == 0, result.stderr
    assert sample.state()["accounts"][USER]["training"] is False


def test_drift_found_by_verify_reaches_the_alert_channel(cli, sample):
    receiver = Receiver()
    try:
        opted_out(cli, sample)
        assert cli("notify", "add", "-", input=receiver.url + "\n").code == 0
        listed = cli("notify", "list")
        assert "json://127.0.0.1" in listed.stdout
        ok = cli("verify", "sample", "--setting", SWITCH, "--json", "--base-url", base_url(sample))
        assert ok.code == 0 and not receiver.bodies  # all is well: nobody is bothered
        sample.switch_back_on()
        drifted = cli("verify", "sample", "--setting", SWITCH, "--json", "--base-url", base_url(sample))
        assert drifted.code == 1
        assert sample.state()["accounts"][USER]["training"] is True  # verify alone changes nothing
        assert receiver.got.wait(30)
        [body] = receiver.bodies  # one alert, naming the outcome and which setting of which account
        assert "drifted" in body["title"], body
        assert f"DRIFTED: sample / {USER} / {SWITCH}" in body["message"], body
        assert json.loads(drifted.stdout)[0]["outcome"] == "drifted"  # stdout stayed pure JSON
    finally:
        receiver.close()


def test_ledger_verify_names_a_replaced_screenshot(cli, sample):
    opted_out(cli, sample)
    intact = cli("ledger", "verify")
    assert intact.code == 0 and "intact" in intact.stdout
    proof = next(Path(r["proof"]) for r in cli("status", "--json").json() if r["proof"])
    proof.write_bytes(proof.read_bytes() + b"tampered")
    broken = cli("ledger", "verify")
    assert broken.code == 1
    assert proof.name in broken.stdout and "Traceback" not in broken.stderr


def test_report_and_export(cli, sample, tmp_path):
    opted_out(cli, sample)
    out = tmp_path / "report.html"
    made = cli("report", "-o", str(out))
    assert made.code == 0, made.stderr
    page = out.read_text()
    assert "Use of my data for AI training" in page and "data:image/png;base64," in page
    exported = cli("export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [r["setting"] for r in rows] == [SWITCH] and rows[0]["outcome"] == "changed"
    status = cli("status")
    assert status.code == 0 and "changed" in status.stdout


def test_schedule_show_and_bad_interval(cli):
    cli.env["OPTOUT_SCHEDULER"] = "launchd"
    cli.env["HOME"] = str(cli.home.parent / "fakehome")
    bad = cli("schedule", "install", "--every", "soon")
    assert bad.code == 2 and "Traceback" not in bad.stderr
    installed = cli("schedule", "install", "--every", "7d")
    assert installed.code == 0, installed.stderr
    shown = cli("schedule", "show")
    assert "verify" in shown.stdout + shown.stderr
    assert cli("schedule", "remove").code == 0

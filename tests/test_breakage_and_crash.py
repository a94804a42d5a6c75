"""A page that no longer matches its flow leaves a bundle a maintainer can use; a killed run leaves
nothing that stops the next one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import yaml

from optout.ledger import Ledger
from tests.conftest import ROOT

PASSWORD = "bundle-Pw-4411"
USER = "alice@example.com"
GENAI = "genai-training"


def relabelled_flow(tmp_path: Path) -> Path:
    """The shipped LinkedIn flow as it would be after LinkedIn renamed the switch everywhere."""
    data = yaml.safe_load((ROOT / "flows" / "linkedin.yaml").read_text(encoding="utf-8"))
    setting = next(s for s in data["settings"] if s["id"] == GENAI)
    setting["control"] = [{"role": "switch", "name": ["A label LinkedIn never showed"]}]
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "linkedin.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_broken_page_leaves_a_bundle_and_list_marks_it(cli, linkedin, tmp_path):
    linkedin.add_account(USER, PASSWORD, name="Alice Example")
    assert cli("creds", "set", "linkedin", USER, "--password-stdin", input=PASSWORD + "\n").code == 0
    cli.env["OPTOUT_FLOWS"] = str(relabelled_flow(tmp_path))
    cli.env["OPTOUT_TIMEOUT_SCALE"] = "0.3"  # every route is tried and waited on: keep it short
    result = cli("run", "linkedin", "--json", "--setting", GENAI, "--base-url", f"linkedin={linkedin.url}")
    assert result.code == 1
    row = result.json()[0]
    assert row["outcome"] == "broken"
    assert linkedin.state()["accounts"][USER]["save_requests"] == 0
    folders = list((cli.home / "broken" / "linkedin").iterdir())
    assert len(folders) == 1
    bundle = folders[0]
    info = json.loads((bundle / "info.json").read_text())
    assert info["url"].startswith(linkedin.url) and "?" not in info["url"]
    assert "A label LinkedIn never showed" in info["what_was_not_found"]
    page = (bundle / "page.html").read_text()
    assert "<html" in page and PASSWORD not in page
    assert (bundle / "screenshot.png").read_bytes()[:4] == b"\x89PNG"
    assert str(bundle) in result.stderr  # the user is told where it is and what to do
    listed = cli("list", "--json").json()
    marked = next(r for r in listed if r["setting"] == GENAI)
    assert marked["last_broken"] == [f"{USER} (via {linkedin.url})"]  # seen through --base-url: said so


def test_killed_run_leaves_a_ledger_and_profile_the_next_run_can_use(cli, linkedin):
    linkedin.add_account(USER, PASSWORD, name="Alice Example")
    assert cli("creds", "set", "linkedin", USER, "--password-stdin", input=PASSWORD + "\n").code == 0
    assert cli("account", "linkedin", USER, "--set", "name=Alice Example").code == 0  # the form's name
    linkedin.configure(save_never_persists=True)  # keeps the first run busy retrying
    proc = subprocess.Popen([sys.executable, "-m", "optout", "run", "linkedin", "--json",
                             "--base-url", f"linkedin={linkedin.url}"], env=cli.env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=False)

    def saving_started() -> bool:
        return linkedin.state()["accounts"][USER]["save_requests"] >= 1

    from tests.waiting import wait_for

    assert wait_for(saving_started, timeout=90, process=proc)
    os.kill(proc.pid, signal.SIGKILL)  # mid-run: its Chromium is left behind, holding the profile
    proc.wait(timeout=30)

    linkedin.configure(save_never_persists=False)
    result = cli("run", "linkedin", "--json", "--base-url", f"linkedin={linkedin.url}")
    assert result.code == 0, result.stderr
    assert linkedin.state()["accounts"][USER]["genai"] is False
    with Ledger(cli.home / "ledger.sqlite3") as ledger:
        assert ledger.verify() == []
        assert {r.setting for r in ledger.latest()} == {GENAI, "objection-form"}

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
from tests.engine_site import FLOWS
from tests.engine_site.helpers import FORM, NAME, PASSWORD, SWITCH, USER, base_url, setup_account


def relabelled_flow(tmp_path: Path) -> Path:
    """The sample flow as it would be after the platform renamed the switch everywhere."""
    data = yaml.safe_load((FLOWS / "sample.yaml").read_text(encoding="utf-8"))
    setting = next(s for s in data["settings"] if s["id"] == SWITCH)
    setting["control"] = [{"role": "switch", "name": ["A label the platform never showed"]}]
    folder = tmp_path / "flows"
    folder.mkdir()
    (folder / "sample.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_broken_page_leaves_a_bundle_and_list_marks_it(cli, sample, tmp_path):
    setup_account(cli, sample)
    cli.env["OPTOUT_FLOWS"] = str(relabelled_flow(tmp_path))
    cli.env["OPTOUT_TIMEOUT_SCALE"] = "0.3"  # every route is tried and waited on: keep it short
    result = cli("run", "sample", "--json", "--setting", SWITCH, "--base-url", base_url(sample))
    assert result.code == 1
    row = result.json()[0]
    assert row["outcome"] == "broken"
    assert sample.state()["accounts"][USER]["save_requests"] == 0
    folders = list((cli.home / "broken" / "sample").iterdir())
    assert len(folders) == 1
    bundle = folders[0]
    info = json.loads((bundle / "info.json").read_text())
    assert info["url"].startswith(sample.url) and "?" not in info["url"]
    assert "A label the platform never showed" in info["what_was_not_found"]
    page = (bundle / "page.html").read_text()
    assert "<html" in page and PASSWORD not in page
    assert (bundle / "screenshot.png").read_bytes()[:4] == b"\x89PNG"
    assert str(bundle) in result.stderr  # the user is told where it is and what to do
    listed = cli("list", "--json").json()
    marked = next(r for r in listed if r["setting"] == SWITCH)
    assert marked["last_broken"] == [f"{USER} (via {sample.url})"]  # seen through --base-url: said so


def test_killed_run_leaves_a_ledger_and_profile_the_next_run_can_use(cli, sample):
    setup_account(cli, sample)
    assert cli("account", "sample", USER, "--set", f"name={NAME}").code == 0  # the form's name
    sample.configure(save_never_persists=True)  # keeps the first run busy retrying
    proc = subprocess.Popen([sys.executable, "-m", "optout", "run", "sample", "--json",
                             "--base-url", base_url(sample)], env=cli.env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=False)

    def saving_started() -> bool:
        return sample.state()["accounts"][USER]["save_requests"] >= 1

    from tests.waiting import wait_for

    assert wait_for(saving_started, timeout=90, process=proc)
    os.kill(proc.pid, signal.SIGKILL)  # mid-run: its Chromium is left behind, holding the profile
    proc.wait(timeout=30)

    sample.configure(save_never_persists=False)
    result = cli("run", "sample", "--json", "--base-url", base_url(sample))
    assert result.code == 0, result.stderr
    assert sample.state()["accounts"][USER]["training"] is False
    assert len(sample.state()["accounts"][USER]["forms"]) == 1
    with Ledger(cli.home / "ledger.sqlite3") as ledger:
        assert ledger.verify() == []
        assert {r.setting for r in ledger.latest()} == {SWITCH, FORM}

"""README.md's platform table is generated from the flows (scripts/platform_table.py) and kept true:
every shipped flow says how sure its facts are, what "off" means, how the platform signs in."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from optout.flow import load_file

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "platform_table.py"
FLOWS = sorted((ROOT / "flows").glob("*.yaml"))


def _script():
    spec = importlib.util.spec_from_file_location("platform_table", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_shipped_flow_says_confidence_what_off_means_and_how_it_signs_in():
    assert FLOWS
    for path in FLOWS:
        flow = load_file(path)
        assert flow.signin_notes.strip(), f"{path.name}: signin_notes"
        for setting in flow.settings:
            assert setting.confidence in ("high", "medium", "low"), f"{path.name}: {setting.id}: confidence"
            assert setting.off_means.strip(), f"{path.name}: {setting.id}: off_means"


def test_the_readme_table_is_the_flows_table():
    result = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.split(_script().START, 1)[1].split(_script().END, 1)[0].splitlines()
            if line.startswith("| ") and "`" in line]
    assert len(rows) == sum(len(load_file(p).settings) for p in FLOWS)
    for path in FLOWS:
        flow = load_file(path)
        for setting in flow.settings:
            assert any(f"(`{flow.platform}`)" in row and f"(`{setting.id}`)" in row and
                       f"| {setting.confidence} |" in row for row in rows), (flow.platform, setting.id)


def test_a_stale_table_is_caught_and_rewritten():
    script = _script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stale = readme.replace("| high |", "| low |", 1)
    assert stale != readme
    assert script.render(stale) == readme  # rendering puts the flows' table back

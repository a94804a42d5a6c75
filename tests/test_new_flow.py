"""The scaffold writes a flow that validates and a replica skeleton that imports."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from optout.flow import load_file
from tests.conftest import ROOT


def test_scaffold_writes_a_valid_flow_and_a_replica(tmp_path: Path):
    made = subprocess.run([sys.executable, str(ROOT / "scripts" / "new_flow.py"), "example-site", "--root",
                           str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    flow = load_file(tmp_path / "flows" / "example-site.yaml")
    assert flow.platform == "example-site" and flow.settings[0].status == "broken"
    spec = importlib.util.spec_from_file_location("scaffolded", tmp_path / "tests" / "replicas" / "example_site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    replica = module.ExampleSiteReplica()
    replica.add_account("a@example.com", "pw")
    assert replica.opted_out("a@example.com") == {"ai-training": False}
    again = subprocess.run([sys.executable, str(ROOT / "scripts" / "new_flow.py"), "example-site", "--root",
                            str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "exists" in again.stderr

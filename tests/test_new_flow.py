"""The scaffold writes a flow that validates and a platform folder whose replica satisfies the
replica interface, with a test that says so and passes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from optout.flow import load_file
from tests.conftest import ROOT
from tests.replicas.interface import problems


def scaffold(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "new_flow.py"), "example-site", "--root", str(root)],
                          capture_output=True, text=True, timeout=60)


def test_scaffold_writes_a_valid_flow_and_a_replica(tmp_path: Path):
    made = scaffold(tmp_path)
    assert made.returncode == 0, made.stderr
    flow = load_file(tmp_path / "flows" / "example-site.yaml")
    assert flow.platform == "example-site" and flow.settings[0].status == "broken"
    assert flow.replica == "example-site"
    folder = tmp_path / "tests" / "platforms" / "example_site"
    spec = importlib.util.spec_from_file_location("scaffolded", folder / "replica.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert problems(module.Replica, {s.id for s in flow.settings}) == []
    replica = module.ExampleSiteReplica()
    replica.add_account("a@example.com", "pw")
    assert replica.opted_out("a@example.com") == {"ai-training": False}

    # The platform's own test, as written, passes (its flow found through OPTOUT_FLOWS).
    env = {**os.environ, "OPTOUT_FLOWS": str(tmp_path / "flows"), "PYTHONPATH": str(ROOT)}
    ran = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                          str(folder / "test_example_site_replica.py")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 passed" in ran.stdout

    again = scaffold(tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr


def test_the_interface_check_finds_what_a_replica_lacks(tmp_path: Path):
    assert scaffold(tmp_path).returncode == 0
    spec = importlib.util.spec_from_file_location("scaffolded_bad", tmp_path / "tests" / "platforms" / "example_site" /
                                                  "replica.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class SwitchesNothingBackOn(module.Replica):
        def switch_back_on(self, email: str | None = None) -> list[str]:
            return []

    class NoReplicaAtAll:
        pass

    assert problems(module.Replica, {"ai-training"}) == []
    assert problems(module.Replica, {"another-setting"}) != []
    assert any("switch_back_on" in p for p in problems(SwitchesNothingBackOn))
    assert problems(NoReplicaAtAll) == ["NoReplicaAtAll lacks app, url, add_account, state, reset, configure, "
                                        "opted_out, switch_back_on"]

"""Install anywhere: the wheel carries the flows, and an installed optout finds them outside the checkout.

The wheel is built from a copy of the sources (the checkout is left untouched) and installed, not
editable, into a fresh venv in a temporary folder. The venv sees its dependencies through one
.pth line to the test venv's site-packages (a plain path line: that folder's own .pth files, among
them the editable install of this checkout, are not run), so nothing is downloaded and `optout`
can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.engine_site import FLOWS
from tests.engine_site.helpers import SWITCH

PASSWORD = "Inst4ll-anywhere-9"
USER = "alice@example.com"


def sh(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None,
       input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, cwd=cwd,
                          input=input, timeout=240, check=False)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv, outside the checkout, with optout installed from its wheel; its bin folder."""
    base = tmp_path_factory.mktemp("install")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("optout", "flows", "guides"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", src,
               "-w", base / "dist", cwd=base)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (base / "dist").glob("optout-*.whl")
    venv = base / "venv"
    made = sh(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = Path(sh(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (purelib / "_optout_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = sh(python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=base)
    assert done.returncode == 0, done.stderr[-2000:]
    return venv / "bin"


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "OPTOUT_FLOWS", "DISPLAY"}}
    env.update({"OPTOUT_HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg"),
                "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
                "OPTOUT_TIMEOUT_SCALE": os.environ.get("OPTOUT_TIMEOUT_SCALE", "0.6"), **extra})
    return env


def test_installed_optout_comes_from_the_wheel_with_its_flows(installed, tmp_path):
    where = sh(installed / "python", "-c", "import optout, optout.flow as f; "
               "print(optout.__file__); print(*f.flows_dirs(), sep='\\n')", env=env_for(tmp_path), cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    module, *dirs = where.stdout.split()
    venv = installed.parent
    assert Path(module).is_relative_to(venv) and dirs and all(Path(d).is_relative_to(venv) for d in dirs), where.stdout
    listed = sh(installed / "optout", "list", "--json", env=env_for(tmp_path), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows and "linkedin" in {r["platform"] for r in rows}
    # the guides (guides/*.yaml and guides/letters/) come with the wheel too
    assert {"slack", "figma", "squarespace", "reddit"} <= {r["platform"] for r in rows if r["guided"]}
    env = env_for(tmp_path)
    assert sh(installed / "optout", "account", "reddit", USER, "--set", "name=Alice", env=env).returncode == 0
    letter = sh(installed / "optout", "guide", "reddit", "--letter", "--lang", "fr", env=env, cwd=tmp_path)
    assert letter.returncode == 0 and "article 21" in letter.stdout, letter.stderr


def test_installed_optout_runs_against_a_site(installed, tmp_path, sample):
    env = env_for(tmp_path, OPTOUT_FLOWS=str(FLOWS))  # the engine's synthetic platform, from outside the wheel
    sample.add_account(USER, PASSWORD, name="Alice Example")
    stored = sh(installed / "optout", "creds", "set", "sample", USER, "--password-stdin", env=env,
                cwd=tmp_path, input=PASSWORD + "\n")
    assert stored.returncode == 0, stored.stderr
    ran = sh(installed / "optout", "run", "sample", "--setting", SWITCH, "--json",
             "--base-url", f"sample={sample.url}", env=env, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert sample.state()["accounts"][USER]["training"] is False  # the server holds it off
    [row] = json.loads(ran.stdout)
    assert row["outcome"] == "changed"


def test_optout_flows_still_comes_first(installed, tmp_path):
    own = tmp_path / "flows"
    own.mkdir()
    text = (ROOT / "flows" / "linkedin.yaml").read_text()
    (own / "linkedin.yaml").write_text(text.replace("title: LinkedIn", "title: LinkedIn (mine)", 1))
    assert "title: LinkedIn (mine)" in (own / "linkedin.yaml").read_text()
    listed = sh(installed / "optout", "list", "--json", env=env_for(tmp_path, OPTOUT_FLOWS=str(own)), cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert {r["title"] for r in json.loads(listed.stdout) if r["platform"] == "linkedin"} == {"LinkedIn (mine)"}


def test_no_flow_anywhere_is_an_error_naming_where_it_looked(installed, tmp_path):
    """An install whose flows are missing says so (exit 2), never lists nothing."""
    packaged = Path(sh(installed / "python", "-c", "import optout.flow as f; print(f._packaged_flows())",
                       env=env_for(tmp_path), cwd=tmp_path).stdout.strip())
    shipped = sorted(packaged.glob("*.yaml"))
    assert packaged / "linkedin.yaml" in shipped
    away = tmp_path / "flows-away"
    away.mkdir()
    for path in shipped:  # every flow the install carries, put back after
        shutil.move(path, away / path.name)
    try:
        empty = tmp_path / "empty"
        empty.mkdir()
        listed = sh(installed / "optout", "list", "--json", env=env_for(tmp_path, OPTOUT_FLOWS=str(empty)),
                    cwd=tmp_path)
    finally:
        for path in shipped:
            shutil.move(away / path.name, path)
    assert listed.returncode == 2, (listed.stdout, listed.stderr)
    assert listed.stdout == ""
    [line] = listed.stderr.strip().splitlines()
    assert line.startswith("optout: no flow files") and str(empty) in line and str(packaged) in line, line

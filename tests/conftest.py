"""Shared fixtures: an isolated optout home and keyring per test, the replicas, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import replicas

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> list[dict]:
        try:
            return json.loads(self.stdout)
        except ValueError:  # say what the command said instead, not only that it was no JSON
            raise AssertionError(f"exit {self.code}, no JSON on stdout ({self.stdout[:200]!r}); "
                                 f"stderr: {self.stderr[-2000:]}") from None


class Cli:
    """Runs `python -m optout` as a user would, in its own OPTOUT_HOME and keyring."""

    def __init__(self, tmp: Path) -> None:
        self.home = tmp / "home"
        self.env = {
            k: v for k, v in os.environ.items()
            if k not in {"DISPLAY", "PYTHON_KEYRING_BACKEND", "OPTOUT_FLOWS"}
        }
        self.env.update({
            "OPTOUT_HOME": str(self.home),
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(tmp / "xdg-data"),
            "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
            "XDG_CACHE_HOME": str(tmp / "xdg-cache"),  # validated flows kept between commands (flowcache.py)
            "OPTOUT_TIMEOUT_SCALE": os.environ.get("OPTOUT_TIMEOUT_SCALE", "0.6"),
            "PYTHONPATH": str(ROOT),
        })

    def __call__(self, *args: str, input: str | None = None, timeout: float = 240) -> CliResult:
        proc = subprocess.run([sys.executable, "-m", "optout", *args], input=input, capture_output=True,
                              text=True, env=self.env, timeout=timeout, cwd=ROOT)
        return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path)


def _replica_fixture(platform: str) -> Callable[[], Iterator]:
    def serve() -> Iterator:
        from tests.replicas.server import ReplicaServer

        replica = replicas.replica_class(platform)()
        with ReplicaServer(replica.app) as server:
            replica.url = server.url
            yield replica

    serve.__doc__ = f"A fresh {platform} replica on a free loopback port; yields the replica (state and variants)."
    return pytest.fixture(serve, name=platform.replace("-", "_"))


# One fixture per platform folder (tests/platforms/NAME/replica.py), named after it (`linkedin`):
# found by convention, for the platform's own tests (engine tests use `sample`, below).
for _platform in replicas.names():
    globals()[f"_replica_{_platform.replace('-', '_')}"] = _replica_fixture(_platform)


# The engine tests' synthetic platform (tests/engine_site/): the `sample` fixture, a fresh site with
# the command line pointed at its flow.
from tests.engine_site import sample  # noqa: E402,F401

# The real Secret Service (gnome-keyring on a private D-Bus) and friends, for every test file.
from tests.keyring_env import (  # noqa: E402,F401
    fresh_secret_service,
    locked_secret_service,
    plaintext_keyring,
    secret_service,
    xvfb_display,
)


# `make test` and .ci/run set OPTOUT_NO_SKIP=1: there a skipped test FAILS, so a missing Xvfb, Java
# or npm cannot shrink the suite without anyone noticing. (An expected failure, xfail, stays one.)
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("OPTOUT_NO_SKIP") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under OPTOUT_NO_SKIP=1 (make test, CI), which allows no skip: {reason}"

"""The engine tests' synthetic platform, `sample` (see README.md): its flow (flows/sample.yaml), its
site (site.py) and the `sample` fixture, which tests/conftest.py exports to every test module.

Not a platform of tests/platforms/: nothing finds it by convention, no real flow names it, and the
command line sees its flow only where a test sets OPTOUT_FLOWS (the fixture, or `use_flow`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FLOWS = Path(__file__).resolve().parent / "flows"


def use_flow(cli: Any) -> None:
    """Let this test's command line (tests/conftest.py's Cli) read the `sample` flow too."""
    cli.env["OPTOUT_FLOWS"] = str(FLOWS)


@pytest.fixture
def sample(cli: Any) -> Iterator[Any]:
    """A fresh synthetic site on a free loopback port (`.url` set), and `cli` pointed at its flow."""
    from tests.replicas.server import ReplicaServer

    from .site import SampleSite

    site = SampleSite()
    with ReplicaServer(site.app) as server:
        site.url = server.url
        use_flow(cli)
        try:
            yield site
        finally:
            site.reset()  # answers any request the site still holds open (background_request)

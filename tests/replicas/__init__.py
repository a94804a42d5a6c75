"""Local replicas of the platforms' pages, for the tests and the demo (see README.md).

A platform's replica lives in its own folder, found by convention rather than by a hand-kept list:
`tests/platforms/NAME/replica.py` exports `Replica`, a class satisfying interface.Replica. NAME is
the platform's name with '-' written '_' (a folder must be a Python package); platform names have
no '_', so the two map one to one.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from .interface import Replica

PLATFORMS = Path(__file__).resolve().parent.parent / "platforms"


def names() -> list[str]:
    """Every platform that has a replica, as flows name them (`replica:` key)."""
    return sorted(p.parent.name.replace("_", "-") for p in PLATFORMS.glob("*/replica.py"))


def replica_class(platform: str) -> type[Replica]:
    """The replica class of `platform`; its module is imported only when asked for."""
    if platform not in names():
        raise KeyError(f"no replica for {platform!r}: expected {PLATFORMS}/{platform.replace('-', '_')}/replica.py")
    module = import_module(f"tests.platforms.{platform.replace('-', '_')}.replica")
    return module.Replica

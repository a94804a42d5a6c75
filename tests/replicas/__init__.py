"""Local replicas of the platforms' pages, for the tests and the demo (see README.md)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

# platform -> "module:class"; the module is imported only when that replica is asked for.
REPLICAS: dict[str, str] = {
    "linkedin": f"{__name__}.linkedin:LinkedInReplica",
}


def replica_class(platform: str) -> Any:
    module, _, name = REPLICAS[platform].partition(":")
    return getattr(import_module(module), name)

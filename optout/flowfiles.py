"""Where the flow files are, without reading one: a platform's flow is the file named after it.

Kept apart from optout/flow.py (the model, and pydantic with it) so that a command can tell which
platforms have a flow, and which file is a platform's, before it pays for loading the model
(backends/early.py starts the browser on that knowledge).
"""

from __future__ import annotations

import os
from pathlib import Path


def _packaged_flows() -> Path | None:
    """The flows installed with optout (the package optout.flows, built from flows/), if any."""
    from importlib import resources

    try:
        folder = resources.files("optout.flows")
    except ModuleNotFoundError:
        return None  # a source checkout run without installing: flows/ serves
    return Path(str(folder)) if isinstance(folder, Path) else None


def flows_dirs() -> list[Path]:
    """Where flow files are read from: OPTOUT_FLOWS (os.pathsep-separated) first, then a source
    checkout's flows/ (beside pyproject.toml), then the flows installed with the package."""
    extra = [Path(p) for p in os.environ.get("OPTOUT_FLOWS", "").split(os.pathsep) if p]
    root = Path(__file__).resolve().parent.parent
    checkout = root / "flows" if (root / "pyproject.toml").is_file() else None
    found: list[Path] = []
    for folder in (*extra, checkout, _packaged_flows()):
        if folder is not None and folder.resolve() not in {f.resolve() for f in found}:
            found.append(folder)
    return found


def files(dirs: list[Path] | None = None) -> dict[str, Path]:
    """Every flow file by platform name (its file name); the first folder wins on a name clash."""
    found: dict[str, Path] = {}
    for folder in flows_dirs() if dirs is None else dirs:
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def path_of(platform: str, dirs: list[Path] | None = None) -> Path | None:
    """The file of `platform`'s flow (the first folder that has one), or None."""
    if not platform or platform.startswith(".") or {"/", "\\"} & set(platform):
        return None
    for folder in flows_dirs() if dirs is None else dirs:
        path = folder / f"{platform}.yaml"
        if path.is_file():
            return path
    return None


def names() -> list[str]:
    """Every platform with a flow file."""
    return sorted(files())

"""Write README.md's platform table from the flows: `python scripts/platform_table.py [--check]`.

One row per setting of each flow in flows/: the platform, the setting, what "off" means there, how
the platform signs in, and the confidence shared/platforms/README.md gives its facts. The table
stands between the markers below; tests/test_platform_table.py fails while it and the flows differ.
`--check` writes nothing and exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- platforms:start (scripts/platform_table.py writes this table) -->", "<!-- platforms:end -->"
KINDS = {"switch": "switch", "checkbox": "checkbox", "menu": "menu action", "form": "objection form"}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def table() -> str:
    sys.path.insert(0, str(ROOT))  # this checkout's optout, installed or not
    from optout.flow import load_file

    lines = ["| platform | setting | kind | what \"off\" means | sign-in | confidence |",
             "|---|---|---|---|---|---|"]
    for path in sorted((ROOT / "flows").glob("*.yaml")):
        flow = load_file(path)
        for setting in flow.settings:
            lines.append(
                f"| {_cell(flow.title)} (`{flow.platform}`) | {_cell(setting.title)} (`{setting.id}`) "
                f"| {KINDS.get(setting.kind, setting.kind)} | {_cell(setting.off_means) or '—'} "
                f"| {_cell(flow.signin_notes) or '—'} | {setting.confidence or '—'} |")
    return "\n".join(lines)


def render(readme: str) -> str:
    """`readme` with the table between the markers replaced by the flows' table."""
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md lacks the markers {START!r} … {END!r}")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is out of date; write nothing")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if current != wanted:
            print("README.md's platform table is out of date: run python scripts/platform_table.py", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        README.write_text(wanted, encoding="utf-8")
        print("wrote README.md's platform table")
    return 0


if __name__ == "__main__":
    sys.exit(main())

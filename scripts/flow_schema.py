"""Write docs/flow.schema.json from the flow model: `python scripts/flow_schema.py [--check]`.

Run it after changing optout/flow.py's models; tests/test_flow_language.py fails while the
committed file and the model disagree. `--check` writes nothing and exits 1 when they differ.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "flow.schema.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date; write nothing")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this checkout's optout, installed or not
    from optout.flow import json_schema_text

    text = json_schema_text()
    current = TARGET.read_text(encoding="utf-8") if TARGET.is_file() else None
    if args.check:
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python scripts/flow_schema.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

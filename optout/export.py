"""The full history out of the ledger, as JSON or CSV, for a spreadsheet, a script or an archive.

One record per result, oldest first, with the fields of `Result.to_json()` (the same names as
`--json` elsewhere): platform, account, setting, outcome, before, after, proof, sha256, at, message,
details, command, origin (null: the platform's own; else the --base-url origin). In CSV, `details`
is a JSON string and a missing value (a null before/after, no proof) is an empty cell. Texts are
written as stored: a message that starts with "=" is data, not a formula, and is not rewritten, so
an export round-trips; open it in a spreadsheet with care.
"""

from __future__ import annotations

import csv
import json
from typing import IO, Literal

from optout.ledger import Ledger

Format = Literal["json", "csv"]
FORMATS: tuple[Format, ...] = ("json", "csv")
FIELDS = ("platform", "account", "setting", "outcome", "before", "after", "proof", "sha256", "at", "message",
          "details", "command", "origin")


def export(ledger: Ledger, fmt: Format, out: IO[str]) -> int:
    """Write every result to `out` in `fmt`; return how many were written.

    For CSV, open `out` with newline="" (the csv module's rule): rows end in CRLF as RFC 4180 says,
    and quoted cells may hold newlines of their own.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    records = [r.to_json() for r in ledger.history()]
    if fmt == "json":
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(records)
    writer = csv.DictWriter(out, fieldnames=FIELDS, quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    for record in records:
        # sorted keys: the same details always give the same cell, so two exports diff cleanly
        # (csv writes None as an empty cell)
        writer.writerow({**record, "details": json.dumps(record["details"], ensure_ascii=False, sort_keys=True)})
    return len(records)

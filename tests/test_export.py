"""Exporting the history: JSON that round-trips, CSV a spreadsheet reads, both complete."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from optout import config
from optout.export import FIELDS, export
from optout.ledger import Ledger, Result
from tests.test_report import CASE, HOSTILE, populate


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    with Ledger(config.ledger_path()) as opened:
        populate(opened)
        # a message with everything CSV must quote: commas, quotes, a line break, a leading "="
        first = opened.history()[0]
        opened.record(Result(**{**first.to_json(), "message": 'said "no", twice\n=SUM(A1)'}))
        yield opened


def test_json_round_trips_every_result(ledger: Ledger) -> None:
    out = io.StringIO()
    count = export(ledger, "json", out)
    rows = json.loads(out.getvalue())
    history = ledger.history()
    assert count == len(rows) == len(history) == 11
    assert rows == [r.to_json() for r in history]  # every field, in ledger order
    form = [r for r in rows if r["setting"] == "objection-form"]
    assert form[0]["details"]["case"] == CASE and form[1]["command"] == "verify"
    assert any(r["message"] == HOSTILE for r in rows)
    assert all(r["sha256"] and r["proof"] for r in rows if r["setting"] != "chat-history")


def test_csv_parses_with_a_header_and_quoting(ledger: Ledger, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        count = export(ledger, "csv", out)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == FIELDS
    history = ledger.history()
    assert count == len(rows) == len(history) == 11
    for row, result in zip(rows, history, strict=True):
        want = {k: "" if v is None else v for k, v in result.to_json().items() if k != "details"}
        assert {k: v for k, v in row.items() if k != "details"} == want  # a missing value: an empty cell
        assert json.loads(row["details"]) == result.details  # a JSON string in its cell
    assert rows[-1]["message"] == 'said "no", twice\n=SUM(A1)'  # kept as written, quoted, one cell
    assert rows[5]["details"] == json.dumps({"case": CASE, "sent_at": "2026-11-01T10:05:00Z"})
    assert path.read_bytes().count(b"\r\n") == count + 1  # RFC 4180 line ends; the inner \n stays in its cell


def test_unknown_format_and_empty_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPTOUT_HOME", str(tmp_path))
    with Ledger(config.ledger_path()) as empty:
        out = io.StringIO()
        assert export(empty, "csv", out) == 0
        assert out.getvalue() == ",".join(FIELDS) + "\r\n"  # still a header a spreadsheet can read
        out = io.StringIO()
        assert export(empty, "json", out) == 0 and json.loads(out.getvalue()) == []
        with pytest.raises(ValueError, match="unknown export format 'xml'"):
            export(empty, "xml", io.StringIO())  # type: ignore[arg-type]

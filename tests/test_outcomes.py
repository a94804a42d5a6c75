"""Every outcome carries what the rest of optout asks of it, as DESIGN.md states it."""

from __future__ import annotations

import json

from optout.errors import ExitCode
from optout.outcomes import Outcome, parse, tone

# DESIGN.md, "Exit codes": 0 every selected setting is off (changed, already, ok, unavailable);
# 3 only needs_human stands in the way; 1 anything else went wrong.
DESIGN_EXIT = {"changed": 0, "already": 0, "ok": 0, "unavailable": 0, "needs_human": 3,
               "drifted": 1, "broken": 1, "failed": 1, "error": 1}


def test_every_outcome_exits_as_design_says() -> None:
    assert {o.value: int(o.exit_code) for o in Outcome} == DESIGN_EXIT
    assert all(isinstance(o.exit_code, ExitCode) for o in Outcome)


def test_outcomes_stay_the_words_the_ledger_and_json_hold() -> None:
    assert json.dumps([Outcome.NEEDS_HUMAN, Outcome.OK]) == '["needs_human", "ok"]'
    assert Outcome.CHANGED == "changed" and f"{Outcome.DRIFTED}" == "drifted"
    assert parse("ok") is Outcome.OK and parse("maybe") is None


def test_tone_alerts_and_state() -> None:
    assert {o.value for o in Outcome if o.tone == "good"} == {"changed", "already", "ok"}
    assert {o.value for o in Outcome if o.tone == "notice"} == {"unavailable", "needs_human"}
    assert tone("something new") == "bad"  # never shown as fine
    assert {o.value for o in Outcome if o.alerts} == {"drifted", "broken", "needs_human", "failed", "error"}
    assert [o.value for o in Outcome if o.alerts_if_was_off] == ["unavailable"]
    # a check that concluded nothing does not erase what is known
    assert {o.value for o in Outcome if o.state is None} == {"error", "needs_human", "broken"}

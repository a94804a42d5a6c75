"""The nine outcomes of a setting's check, each carrying everything the rest of optout asks of it.

    outcome       tone     exit  alerts                      state it shows
    changed       good     0     no                          off
    already       good     0     no                          off
    ok            good     0     no                          off
    unavailable   notice   0     if it was opted out before  unavailable
    needs_human   notice   3     yes                         (none: it concluded nothing)
    drifted       bad      1     yes                         on
    failed        bad      1     yes                         on
    broken        bad      1     yes                         (none)
    error         bad      1     yes                         (none)

`Outcome` is a `str` enum: the ledger, `--json` and the exports keep the same words. The tone picks
the colour (table, report page, proof banner); the exit code follows DESIGN.md; `state` is what a
conclusive check says the setting is, so a check that concluded nothing never erases the last one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from optout.errors import ExitCode

Tone = Literal["good", "notice", "bad"]
State = Literal["off", "on", "unavailable"]


class Outcome(StrEnum):
    tone: Tone
    exit_code: ExitCode
    alerts: bool  # always worth a message to the user (a scheduled check must not stay silent)
    alerts_if_was_off: bool  # worth one only where the setting was seen opted out before
    state: State | None

    def __new__(cls, word: str, tone: Tone, exit_code: ExitCode, alerts: bool | Literal["if_was_off"],
                state: State | None) -> Outcome:
        member = str.__new__(cls, word)
        member._value_ = word
        member.tone = tone
        member.exit_code = exit_code
        member.alerts = alerts is True
        member.alerts_if_was_off = alerts == "if_was_off"
        member.state = state
        return member

    CHANGED = "changed", "good", ExitCode.OK, False, "off"
    ALREADY = "already", "good", ExitCode.OK, False, "off"
    OK = "ok", "good", ExitCode.OK, False, "off"
    # it may be back on where optout can no longer see it: as bad as a drift, if it was off before
    UNAVAILABLE = "unavailable", "notice", ExitCode.OK, "if_was_off", "unavailable"
    NEEDS_HUMAN = "needs_human", "notice", ExitCode.NEEDS_HUMAN, True, None
    DRIFTED = "drifted", "bad", ExitCode.FAILED, True, "on"
    FAILED = "failed", "bad", ExitCode.FAILED, True, "on"
    BROKEN = "broken", "bad", ExitCode.FAILED, True, None
    ERROR = "error", "bad", ExitCode.FAILED, True, None

    @property
    def opted_out(self) -> bool:
        """The check saw the setting off."""
        return self.state == "off"


def parse(word: str) -> Outcome | None:
    """The outcome named `word`, or None for a word optout does not write."""
    try:
        return Outcome(word)
    except ValueError:
        return None


def tone(word: str) -> Tone:
    """An outcome's tone; an unknown word is never shown as fine."""
    known = parse(word)
    return known.tone if known else "bad"

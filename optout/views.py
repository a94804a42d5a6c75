"""The data behind `optout status` and the report: one view per platform × account × setting.

A view holds the setting's history (oldest first) and says what it is as last actually seen: a
failed check (error, needs_human, broken) concludes nothing, so "off since …, verified …" stands
beside "last check failed at …". Each screenshot is read once and its SHA-256 recomputed
(`Proofs`), so what `status` and the report say of a proof is what its bytes show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from optout import proofcheck
from optout.errors import OptoutError
from optout.ledger import Ledger, Result
from optout.outcomes import Outcome, Tone, tone
from optout.proofcheck import NO_PROOF, ProofCheck

# What a conclusive check says the setting is. `error`, `needs_human` and `broken` conclude nothing:
# a failed check leaves standing what the last conclusive one showed ("off since …, verified …").
KNOWN_STATE = {o.value: o.state for o in Outcome if o.state is not None}

# platform, account, setting, origin ("" for the platform's own; else the --base-url origin, kept apart)
Key = tuple[str, str, str, str]


# -- proofs -------------------------------------------------------------------------------------------


class Proofs:
    """Reads each screenshot once; several results may share one (a form's earlier submission)."""

    def __init__(self, ledger: Ledger) -> None:
        self._base = ledger.path.parent  # relative proofs are relative to the ledger (as verify() does)
        self._files: dict[Path, tuple[bytes, str] | None] = {}  # path -> (bytes, their SHA-256)

    def check(self, result: Result) -> ProofCheck:
        if not result.proof:
            return ProofCheck(None, result.sha256, None, NO_PROOF)
        path = proofcheck.locate(result.proof, self._base)
        if path not in self._files:
            self._files[path] = proofcheck.read(path)  # gone, unreadable, a folder: all "missing" to a reader
        return proofcheck.judge(path, result.sha256, self._files[path])


# -- the data behind the page and `status` -----------------------------------------------------------


@dataclass(frozen=True)
class SettingView:
    key: Key
    title: str
    history: list[Result]  # oldest first
    since: Result  # first result of the current unbroken run of results in the latest one's tone

    @property
    def latest(self) -> Result:
        return self.history[-1]

    @property
    def known(self) -> Result | None:
        """The newest conclusive result: what the setting was when last actually seen."""
        return next((r for r in reversed(self.history) if r.outcome in KNOWN_STATE), None)

    @property
    def state(self) -> str | None:
        """off, on or unavailable as last seen; None when no check ever concluded."""
        known = self.known
        return KNOWN_STATE[known.outcome] if known else None

    @property
    def off_since(self) -> Result | None:
        """The first result of the trailing run of conclusive "off" results (failed checks skipped)."""
        if self.state != "off":
            return None
        first = None
        for result in reversed(self.history):
            state = KNOWN_STATE.get(result.outcome)
            if state is None:
                continue
            if state != "off":
                break
            first = result
        return first

    @property
    def last_failure(self) -> Result | None:
        """The latest result when that check concluded nothing (error, needs_human, broken)."""
        return self.latest if self.latest.outcome not in KNOWN_STATE else None

    @property
    def tone(self) -> Tone:
        # off as last seen, but the latest check failed: not fine, not lost either
        if self.state == "off" and self.last_failure is not None:
            return "notice"
        return tone(self.latest.outcome)


def _since(history: list[Result]) -> Result:
    """The earliest result of the trailing run of results whose tone is the latest's.

    For a setting that is off, that is "off since"; for a drifted or broken one, "broken since".
    """
    current = tone(history[-1].outcome)
    start = len(history) - 1
    while start > 0 and tone(history[start - 1].outcome) == current:
        start -= 1
    return history[start]


def titles() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Platform and setting titles from the flow files; ids stand in if a flow is gone or invalid."""
    from optout import flow

    try:
        flows = flow.load_all()
    except OptoutError:  # a broken flow file must not hide the proof of what was done
        return {}, {}
    platforms = {name: f.title for name, f in flows.items()}
    settings = {(name, s.id): s.title for name, f in flows.items() for s in f.settings}
    return platforms, settings


def setting_views(results: Iterable[Result], setting_titles: dict[tuple[str, str], str]) -> list[SettingView]:
    grouped: dict[Key, list[Result]] = {}
    for result in results:  # ledger order (oldest first) is kept inside each group
        # one view per object of a list (each blog of a setting with `each`): its own history
        obj = result.details.get("object")
        key = (result.platform, result.account, result.setting if obj is None else f"{result.setting} [{obj}]",
               result.origin or "")
        grouped.setdefault(key, []).append(result)
    # The platform's own results first, then each other origin's: never mixed into one history.
    return [
        SettingView(key, _title(setting_titles, key[0], rows[-1]), rows, _since(rows))
        for key, rows in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][3], *item[0][1:3]))
    ]


def status_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """One dict per platform × account × setting, for `optout status` (and its --json).

    Each holds the latest result's `Result.to_json()` fields (so `status --json` keeps the --json
    contract: platform, account, setting, outcome, before, after, proof, sha256, at, message, …)
    (origin: null for the platform's own, else the --base-url origin, whose rows are kept apart and
    come after the platform's own) plus: title (from the flow, else the id), tone (good/notice/bad),
    since (ISO UTC: the first
    result of the current unbroken run of results in this tone), last_checked (= at), checks (how
    many results), proof_check (matches, does not match, missing, no hash recorded, no screenshot),
    and what a failed check does not erase: state (off/on/unavailable as last actually seen, or
    null), off_since and verified_at (ISO UTC, when off), last_failure_at and last_failure (the
    latest check when it concluded nothing: error, needs_human or broken, with its reason).
    """
    _, setting_titles = titles()
    proofs = Proofs(ledger)
    rows = []
    for view in setting_views(ledger.history(), setting_titles):
        latest, known, off_since, failure = view.latest, view.known, view.off_since, view.last_failure
        rows.append({
            **latest.to_json(),
            "title": view.title,
            "tone": view.tone,
            "since": view.since.at,
            "last_checked": latest.at,
            "checks": len(view.history),
            "proof_check": proofs.check(latest).status,
            "state": view.state,
            "off_since": off_since.at if off_since else None,
            "verified_at": known.at if known and view.state == "off" else None,
            "last_failure_at": failure.at if failure else None,
            "last_failure": f"{failure.outcome}: {failure.message}" if failure else None,
        })
    return rows


def _title(setting_titles: dict[tuple[str, str], str], platform: str, result: Result) -> str:
    title = setting_titles.get((platform, result.setting), result.setting)
    obj = result.details.get("object")
    return title if obj is None else f"{title} — {obj}"

"""Telling a choice list's options apart by their words (a form field's `pick`, schema 2).

A form is the right request only with the right option, and option labels are not known in every
language: the flow gives words (OptionWords), and each option is classed as wanted, wrong, unclear
or off-topic; `decide` picks the one option the words single out, or none (a person chooses).
"""

from __future__ import annotations

import re
import unicodedata

from optout.flow import OptionWords

WANTED, WRONG, UNCLEAR, OFF_TOPIC = "wanted", "wrong", "unclear", "off-topic"


def words(text: str) -> list[str]:
    """Whole words, folded: case and accents ignored, apostrophes and hyphens split words
    ("d'IA" -> d, ia; "non-generative" -> non, generative; "don't" -> don, t)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", plain)


def _at(tokens: list[str], phrases: list[list[str]]) -> list[tuple[int, int]]:
    """(start, end) of every place where one of `phrases` stands in `tokens`."""
    spans = []
    for phrase in phrases:
        size = len(phrase)
        spans += [(i, i + size) for i in range(len(tokens) - size + 1) if phrase and tokens[i:i + size] == phrase]
    return spans


def _follows(first: list[tuple[int, int]], then: list[tuple[int, int]], window: int) -> bool:
    """Whether a span of `then` starts at most `window` words after the end of a span of `first`."""
    return any(0 <= start - end < window for _, end in first for start, _ in then)


def classify(option: str, by: OptionWords) -> str:
    """What an option is, as the flow's words tell: wanted, wrong, unclear or off-topic."""
    tokens = words(option)
    about = _at(tokens, [words(w) for w in by.about])
    if not about:
        return OFF_TOPIC
    wrong = _at(tokens, [words(w) for w in by.wrong])
    negations = _at(tokens, [words(w) for w in by.negations])
    plain_wrong = [span for span in wrong if not _follows(negations, [span], by.window)]
    wanted = len(plain_wrong) < len(wrong) or _follows(_at(tokens, [words(w) for w in by.others]), about, by.window)
    if wanted and plain_wrong:
        return UNCLEAR  # both kinds in one option ("generative and non-generative AI")
    if wanted:
        return WANTED
    return WRONG if wrong else UNCLEAR


def decide(options: list[str], by: OptionWords) -> str | None:
    """The one option the words single out, or None when a person must choose.

    The one wanted option; with no wanted and no wrong one, the only option about the subject
    (there is nothing to tell apart); anything else (two wanted, a wrong one beside unclear ones,
    several unclear) is a guess, which a legal request must not be.
    """
    kinds = [(option, classify(option, by)) for option in options]
    wanted = [o for o, kind in kinds if kind == WANTED]
    if len(wanted) == 1:
        return wanted[0]
    if wanted:
        return None
    unclear = [o for o, kind in kinds if kind == UNCLEAR]
    if len(unclear) == 1 and not any(kind == WRONG for _, kind in kinds):
        return unclear[0]
    return None

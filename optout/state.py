"""Reading a control's state: 'on', 'off' or None (unknown), from the sources a flow names.

Attributes first, as the flow orders them (aria-checked, checked, aria-pressed, data-state); the
source `text` reads the control's visible text, `selected` a <select>'s chosen option (schema 4),
against the flow's `state_text` words (schema 3):
exactly one of the on/off lists must match, as whole words after folding case and accents, or the
state is unknown, never a guess ("Turn off your setting" says neither "on" nor plainly "off").
"""

from __future__ import annotations

from typing import Any

from optout.choices import words as _folded_words
from optout.flow import StateWords


def _says(tokens: list[str], phrases: list[str]) -> bool:
    for phrase in phrases:
        wanted = _folded_words(phrase)
        size = len(wanted)
        if size and any(tokens[i:i + size] == wanted for i in range(len(tokens) - size + 1)):
            return True
    return False


def from_text(text: str, by: StateWords) -> str | None:
    """'on' or 'off' when exactly one of the lists stands in `text` as whole words; else None."""
    tokens = _folded_words(text)
    on, off = _says(tokens, by.on), _says(tokens, by.off)
    if on == off:
        return None  # both, or neither: not a state anyone can be sure of
    return "on" if on else "off"


def read(browser: Any, element: Any, sources: list[str], words: StateWords | None) -> str | None:
    """The state of `element` from the first source in `sources` that says one."""
    for source in sources:
        if source == "selected":  # a <select>: its chosen option's text says (schema 4)
            chosen = browser.selected_text(element) if words is not None else None
            if chosen is not None:
                return from_text(chosen, words) if words is not None else None
            continue
        if source == "text":
            if words is not None:
                found = from_text(browser.visible_text(element), words)
                if found is not None:
                    return found
            continue
        found = browser.read_state(element, [source])
        if found is not None:
            return found
    return None

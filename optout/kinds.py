"""Setting kinds: every name a flow may give as a setting's `kind`, bound to the code that handles it.

    switch, checkbox   optout/toggle.py: ensure a toggle (read, act only if needed, reload, read again)
    menu               optout/toggle.py: the same, acting through the menu the control opens (schema 3)
    form               optout/forms.py: send once

The flow model takes its allowed `kind` values from NAMES (and so does docs/flow.schema.json),
so a flow can never name a kind the engine lacks; a kind is added here, with its module, its
section in docs/flows.md and an engine test. Handlers are named as "module:function" and imported
when first used: optout/flow.py imports this module, and the handlers import the flow model.

A handler is called as `handler(session, setting, record, ledger)` and returns the setting's Done:
`session` is the runner's Session (browser, navigation, sign-in, reaching a control), `record` the
runner's way to write a Result with its proof to the ledger. It raises OptoutError for any other end.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from optout.errors import FlowError

Handler = Callable[..., Any]  # (session, setting, record, ledger) -> Done

_HANDLERS: dict[str, str] = {
    "switch": "optout.toggle:ensure",
    "checkbox": "optout.toggle:ensure",
    "menu": "optout.toggle:ensure",
    "form": "optout.forms:send",
}

NAMES: tuple[str, ...] = tuple(_HANDLERS)
# Kinds whose handler returns the result it records, with nothing done in the browser after its
# screenshot: for the account's last setting, the browser may start to quit right after it.
RECORD_IS_LAST: frozenset[str] = frozenset({"switch", "checkbox", "menu"})


def handler(kind: str) -> Handler:
    """The code for `kind`; a kind the registry lacks is a configuration error naming the known ones."""
    try:
        module, _, name = _HANDLERS[kind].partition(":")
    except KeyError:
        raise FlowError(f"no setting kind '{kind}' (known: {', '.join(NAMES)})") from None
    return getattr(import_module(module), name)

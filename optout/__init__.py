"""optout from Python: the same engine as the command line, with its checks, run rows and alerts.

    import optout

    report = optout.run(optout.Selection(mode="verify", all=True, fix=True))
    report.exit_code, [r.outcome for r in report.results]

    plan = optout.select(optout.Selection(platforms=["linkedin"], account="alice@example.com"))
    optout.execute(plan, workers=1)            # plan.jobs: one per account, results in that order
    optout.login("linkedin", "alice@example.com")  # a window; a person passes 2FA, the session is kept

Every error is an `optout.OptoutError` carrying its `exit_code`. The names are loaded on first use,
so `import optout` (and `optout --help`) stays fast: nothing here imports Selenium or pydantic.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optout.engine import DEFAULT_JOBS, Plan, Report, Selection, execute, last_broken, login, run, select
    from optout.errors import ExitCode, OptoutError, UsageError
    from optout.ledger import Ledger, Result

# name -> the module that holds it
_EXPORTS = {
    "Selection": "optout.engine", "Plan": "optout.engine", "Report": "optout.engine",
    "select": "optout.engine", "execute": "optout.engine", "run": "optout.engine", "login": "optout.engine",
    "last_broken": "optout.engine", "DEFAULT_JOBS": "optout.engine",
    "OptoutError": "optout.errors", "UsageError": "optout.errors", "ExitCode": "optout.errors",
    "Ledger": "optout.ledger", "Result": "optout.ledger",
}
__all__ = [
    "DEFAULT_JOBS", "ExitCode", "Ledger", "OptoutError", "Plan", "Report", "Result", "Selection", "UsageError",
    "execute", "last_broken", "login", "run", "select",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'optout' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

"""Transient faults (5xx pages, timeouts, nodes replaced under us), tried again: bounded and logged.

The one place tenacity is used. Only `Transient` is retried; anything else ends the attempt at once.
"""

from __future__ import annotations

from loguru import logger
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from optout.errors import Transient

TRANSIENT_ATTEMPTS = 3


def retrying(what: str) -> Retrying:
    """`for attempt in retrying("opening /x"): with attempt: ...`, the fault raised once tries end."""
    return Retrying(
        retry=retry_if_exception_type(Transient),
        stop=stop_after_attempt(TRANSIENT_ATTEMPTS),
        wait=wait_exponential(multiplier=0.5, max=4),
        before_sleep=lambda state: _log_retry(what, state),
        reraise=True,
    )


def _log_retry(what: str, state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    logger.warning("{}: {} (attempt {}/{}); trying again", what, error, state.attempt_number, TRANSIENT_ATTEMPTS)

"""The command line's one error boundary: an expected error is one line on stderr and its exit code,
an interruption keeps what was recorded, a closed pipe is quiet, a bug of ours is one line too (the
details logged, shown with --verbose); never a traceback. Every command is wrapped in `guarded`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

from optout.errors import ExitCode, OptoutError


def _fail(exc: OptoutError) -> NoReturn:
    from optout.logs import redact

    click.echo(f"optout: {redact(str(exc))}", err=True)
    sys.exit(int(exc.exit_code))


def exit_now(code: int) -> NoReturn:
    """Exit with `code` once the exit handlers (the logs, an early browser) have run and the output
    is flushed, without tearing the interpreter down module by module (~50 ms after a run, which
    has closed its ledger, browser and lock by then).

    Also how an interrupt exits: CPython 3.11 marks an interrupt that landed inside an exec()
    (pydantic and dataclasses build classes with one, so SIGTERM during start-up can) as unhandled
    even once caught, and would end the process by SIGINT after sys.exit(130)."""
    import atexit
    import os

    try:
        atexit._run_exitfuncs()  # noqa: SLF001 - the handlers os._exit would otherwise skip
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


def guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    """Expected errors print one line and exit with their code; never a traceback."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OptoutError as exc:
            _fail(exc)
        except KeyboardInterrupt:
            click.echo("optout: interrupted; what was recorded is kept", err=True)
            exit_now(130)
        except (click.exceptions.Exit, click.exceptions.ClickException, SystemExit):
            raise
        except BrokenPipeError:
            if not _stdout_closed():
                raise
            # `optout export | head -1`: the reader has all it wanted; nothing to say, no traceback
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own exit flush too
            sys.exit(int(ExitCode.FAILED))
        except Exception as exc:  # noqa: BLE001 - a bug of ours is one line too, with the details logged
            from loguru import logger

            from optout.logs import redact

            logger.opt(exception=exc).debug("internal error")
            click.echo(f"optout: internal error ({type(exc).__name__}: {redact(str(exc))[:200]}); "
                       "run again with --verbose for details, and please report it", err=True)
            sys.exit(int(ExitCode.FAILED))

    return wrapper


def _stdout_closed() -> bool:
    """Whether standard output's reader went away (a broken pipe is ours, not a browser's socket)."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        return True
    except OSError:
        return False
    return False

